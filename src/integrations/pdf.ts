import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
// Imported here, not with import() in the hook: Astro closes the Vite module runner that loaded
// this config before astro:build:done, and a dynamic import through it then fails.
import { chromium } from 'playwright-core';
import { languages } from '../i18n/languages.ts';
import { buildsPdf, materialPapers, materialPdfName } from '../lib/pdf-files.ts';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/**
 * After a release build, print every module's facilitator guide and participant handout to PDF
 * (A4) with Chromium, next to their pages: /{lang}/modules/{module}/guide.pdf and handout.pdf,
 * which the module pages link to; and every printable material twice, on A4 and on US Letter
 * (`materialPapers`), which the material pages link to. One browser and one page serve every
 * file. Without Chromium the build fails and says what to install, rather than publishing links
 * to files that do not exist.
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
          throw new Error(
            `The release build prints PDF files with Chromium, which is not at ${executablePath}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
          );
        const server = createServer((req, res) => {
          const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
          let file = join(root, path);
          if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
          if (!file.startsWith(root) || !existsSync(file)) res.writeHead(404).end();
          else res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
        }).listen(0, '127.0.0.1');
        await new Promise((r) => server.once('listening', r));
        const { port } = server.address() as AddressInfo;
        const browser = await chromium.launch({
          executablePath,
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        });
        let count = 0;
        let materials = 0;
        const started = performance.now();
        const margin = { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' };
        try {
          const page = await browser.newPage();
          // Print styles for every page this tab loads from here on.
          await page.emulateMedia({ media: 'print' });
          for (const lang of languages) {
            const modules = join(root, lang, 'modules');
            if (!existsSync(modules)) continue;
            for (const module of readdirSync(modules)) {
              for (const kind of ['guide', 'handout']) {
                if (!existsSync(join(modules, module, kind, 'index.html'))) continue;
                await page.goto(`http://127.0.0.1:${port}/${lang}/modules/${module}/${kind}/`, { waitUntil: 'load' });
                await page.pdf({ path: join(modules, module, `${kind}.pdf`), format: 'A4', printBackground: true, margin });
                count++;
              }
              const folder = join(modules, module, 'materials');
              if (!existsSync(folder)) continue;
              for (const slug of readdirSync(folder)) {
                if (!existsSync(join(folder, slug, 'index.html'))) continue;
                await page.goto(`http://127.0.0.1:${port}/${lang}/modules/${module}/materials/${slug}/`, { waitUntil: 'load' });
                for (const { suffix, format } of materialPapers) {
                  await page.pdf({ path: join(folder, materialPdfName(slug, suffix)), format, printBackground: true, margin });
                  count++;
                }
                materials++;
              }
            }
          }
        } finally {
          await browser.close();
          server.close();
        }
        logger.info(
          `${count} PDF files printed in ${((performance.now() - started) / 1000).toFixed(1)} s (facilitator guides, participant handouts, and ${materials} material pages on A4 and US Letter)`,
        );
      },
    },
  };
}
