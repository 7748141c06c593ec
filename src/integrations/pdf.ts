import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
// Imported here, not with import() in the hook: Astro closes the Vite module runner that loaded
// this config before astro:build:done, and a dynamic import through it then fails.
import { chromium } from 'playwright-core';

/** True when this build publishes PDF files (the release build: `npm run build:release`). */
export const buildsPdf = (): boolean => process.env['BUILD_PDF'] === '1';

const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.webmanifest': 'application/manifest+json' };

/**
 * After a release build, print every module's facilitator guide and participant handout to PDF
 * (A4) with Chromium, next to their pages: /{lang}/modules/{module}/guide.pdf and handout.pdf,
 * which the module pages link to. Without Chromium the build fails and says what to install,
 * rather than publishing links to files that do not exist.
 * @throws Error when Chromium is missing or a page cannot be printed
 */
export function pdfExport(): AstroIntegration {
  return {
    name: 'dce-pdf',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        if (!buildsPdf()) return;
        const root = fileURLToPath(dir);
        const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
        if (!existsSync(executablePath))
          throw new Error(`The release build prints PDF files with Chromium, which is not at ${executablePath}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
        const server = createServer((req, res) => {
          const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
          let file = join(root, path);
          if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
          if (!file.startsWith(root) || !existsSync(file)) res.writeHead(404).end();
          else res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
        }).listen(0, '127.0.0.1');
        await new Promise((r) => server.once('listening', r));
        const { port } = server.address() as AddressInfo;
        const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
        let count = 0;
        try {
          const page = await browser.newPage();
          for (const lang of ['en', 'fr', 'es']) {
            const modules = join(root, lang, 'modules');
            if (!existsSync(modules)) continue;
            for (const module of readdirSync(modules)) {
              for (const kind of ['guide', 'handout']) {
                if (!existsSync(join(modules, module, kind, 'index.html'))) continue;
                await page.goto(`http://127.0.0.1:${port}/${lang}/modules/${module}/${kind}/`, { waitUntil: 'load' });
                await page.emulateMedia({ media: 'print' });
                await page.pdf({ path: join(modules, module, `${kind}.pdf`), format: 'A4', printBackground: true, margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' } });
                count++;
              }
            }
          }
        } finally {
          await browser.close();
          server.close();
        }
        logger.info(`${count} PDF files printed (facilitator guides and participant handouts)`);
      },
    },
  };
}
