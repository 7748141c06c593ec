import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type APIRequestContext } from '@playwright/test';
import sharp from 'sharp';
import { baseURL, e2eSiteRoot } from '../../playwright.config.ts';
import { languages } from '../../src/i18n/languages.ts';
import { ICON_BACKGROUND } from '../../src/lib/icons.ts';

// Site conventions of the built site, served by the real server: the sitemap with its hreflang
// alternates (src/lib/indexing.ts), robots.txt, the PNG icons every manifest lists
// (src/lib/icons.ts), and Chromium's own verdict that the site can be installed.

/** The <url> entries of the sitemap: each page's path and its alternates, hreflang to path. */
async function readSitemap(request: APIRequestContext): Promise<{ origin: string; path: string; alternates: Record<string, string> }[]> {
  const index = await (await request.get('/sitemap-index.xml')).text();
  const sitemaps = [...index.matchAll(/<sitemap><loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
  expect(sitemaps.length).toBeGreaterThan(0);
  const entries = [];
  for (const sitemap of sitemaps) {
    const xml = await (await request.get(sitemap)).text();
    for (const [, body] of xml.matchAll(/<url>(.*?)<\/url>/gs)) {
      const loc = new URL(/<loc>([^<]+)<\/loc>/.exec(body!)![1]!);
      const alternates = Object.fromEntries(
        [...body!.matchAll(/<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"\/>/g)].map((m) => [
          m[1]!,
          new URL(m[2]!).pathname,
        ]),
      );
      entries.push({ origin: loc.origin, path: loc.pathname, alternates });
    }
  }
  return entries;
}

/** Every built HTML page, as its URL path ("/en/glossary/"), with whether it asks not to be indexed. */
function builtPages(): { path: string; noindex: boolean }[] {
  return (readdirSync(e2eSiteRoot, { recursive: true }) as string[])
    .filter((file) => file.endsWith('index.html'))
    .map((file) => ({
      path: `/${file.replace(/\\/g, '/').replace(/index\.html$/, '')}`,
      noindex: /<meta name="robots" content="noindex"/.test(readFileSync(join(e2eSiteRoot, file), 'utf8')),
    }));
}

test('the sitemap lists every indexable page once, each with its alternates in every language', async ({ request }) => {
  const entries = await readSitemap(request);
  const listed = entries.map((e) => e.path);
  expect(new Set(listed).size).toBe(listed.length);
  // The public address of the build (SITE_URL), as the pages' canonical links give it.
  const home = await (await request.get('/en/')).text();
  const canonical = new URL(/<link rel="canonical" href="([^"]+)"/.exec(home)![1]!);
  for (const entry of entries) {
    expect(entry.origin).toBe(canonical.origin);
    const rest = entry.path.replace(/^\/[a-z]{2}\//, '/');
    expect(entry.alternates, entry.path).toEqual(Object.fromEntries(languages.map((lang) => [lang, `/${lang}${rest}`])));
  }
  const pages = builtPages();
  // Listed exactly when the page lets search engines index it (the root only picks a language).
  const indexable = pages.filter((p) => !p.noindex && p.path !== '/').map((p) => p.path);
  expect([...listed].sort()).toEqual(indexable.sort());
  for (const hidden of ['review', 'trainer', 'continue', 'offline', '404']) expect(listed).not.toContain(`/fr/${hidden}/`);
  expect(listed.some((p) => /\/guide\/$|\/materials\/|\/present\/$/.test(p))).toBe(false);
  expect(listed).toEqual(
    expect.arrayContaining(['/en/', '/fr/glossary/', '/es/modules/understanding-the-convention/objectives-and-principles/']),
  );
});

test('robots.txt keeps crawlers out of the LRS, the API and the review and trainer pages, and names the sitemap', async ({ request }) => {
  const response = await request.get('/robots.txt');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^text\/plain/);
  const lines = (await response.text()).split('\n');
  expect(lines[0]).toBe('User-agent: *');
  const disallowed = lines.filter((l) => l.startsWith('Disallow: ')).map((l) => l.slice('Disallow: '.length));
  expect(disallowed.sort()).toEqual(['/api/', '/xapi/', ...languages.flatMap((l) => [`/${l}/review/`, `/${l}/trainer/`])].sort());
  // A learner's pages stay crawlable.
  for (const path of ['/en/', '/fr/modules/', '/es/glossary/']) expect(disallowed.some((d) => path.startsWith(d))).toBe(false);
  const sitemap = new URL(lines.find((l) => l.startsWith('Sitemap: '))!.slice('Sitemap: '.length));
  expect(sitemap.pathname).toBe('/sitemap-index.xml');
  expect((await request.get(sitemap.pathname)).status()).toBe(200);
});

/** Width and height from a PNG's IHDR chunk (PNG 1.2, 11.2.2), after checking its signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/**
 * Check that a full-bleed icon is opaque and shows only its background outside the safe zone,
 * the centred circle of radius 40% of its width (W3C Web Application Manifest, "Icon masks").
 */
async function expectFullBleed(bytes: Buffer, name: string) {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const background = [1, 3, 5].map((i) => parseInt(ICON_BACKGROUND.slice(i, i + 2), 16));
  const centre = info.width / 2;
  let outside = 0;
  const wrong: string[] = [];
  for (let y = 0; y < info.height; y++)
    for (let x = 0; x < info.width; x++) {
      const at = (y * info.width + x) * 4;
      if (data[at + 3] !== 255) wrong.push(`${x},${y} not opaque`);
      if (Math.hypot(x + 0.5 - centre, y + 0.5 - centre) <= 0.4 * info.width) continue;
      outside++;
      // A 256-colour palette may shift a channel by a step or two.
      if ([0, 1, 2].some((c) => Math.abs(data[at + c]! - background[c]!) > 2))
        wrong.push(`${x},${y} outside the safe zone is not the background`);
    }
  expect(wrong.slice(0, 5), name).toEqual([]);
  expect(outside).toBeGreaterThan(0);
}

for (const lang of languages) {
  test(`the ${lang} manifest lists PNG icons of 192 and 512 pixels, any and maskable, each served at its stated size`, async ({
    request,
  }) => {
    const manifest = (await (await request.get(`/${lang}/manifest.webmanifest`)).json()) as {
      icons: { src: string; sizes: string; type: string; purpose: string }[];
    };
    const png = manifest.icons.filter((i) => i.type === 'image/png');
    expect(png.map((i) => `${i.purpose} ${i.sizes}`).sort()).toEqual([
      'any 192x192',
      'any 512x512',
      'maskable 192x192',
      'maskable 512x512',
    ]);
    for (const icon of manifest.icons) {
      const response = await request.get(icon.src);
      expect(response.status(), icon.src).toBe(200);
      expect(response.headers()['content-type']).toContain(icon.type);
      if (icon.type !== 'image/png') continue;
      const bytes = await response.body();
      const { width, height } = pngSize(bytes);
      expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
      if (icon.purpose === 'maskable') await expectFullBleed(bytes, icon.src);
    }
  });
}

test('every page links an opaque 180-pixel apple-touch-icon', async ({ request }) => {
  const html = await (await request.get('/es/glossary/')).text();
  const href = /<link rel="apple-touch-icon" href="([^"]+)"/.exec(html)?.[1];
  expect(href).toBe('/apple-touch-icon.png');
  const bytes = await (await request.get(href!)).body();
  expect(pngSize(bytes)).toEqual({ width: 180, height: 180 });
  await expectFullBleed(bytes, href!);
});

for (const lang of languages) {
  test(`Chromium finds the ${lang} home page installable, with its manifest and icons`, async ({ launchOptions }) => {
    // A profile on disk: Chromium never offers to install from an incognito context, which is
    // what a test's context otherwise is.
    const profile = mkdtempSync(join(tmpdir(), 'dce-install-'));
    const context = await chromium.launchPersistentContext(profile, { ...launchOptions, baseURL });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`/${lang}/`);
      const cdp = await context.newCDPSession(page);
      // Chrome DevTools Protocol, Page domain: the manifest Chromium parsed, and what stops installing.
      const { url, errors, manifest } = await cdp.send('Page.getAppManifest');
      expect(new URL(url).pathname).toBe(`/${lang}/manifest.webmanifest`);
      expect(errors).toEqual([]);
      expect(manifest.icons?.map((i) => `${new URL(i.url).pathname} ${i.sizes}`)).toEqual(
        expect.arrayContaining([
          '/icon-192.png 192x192',
          '/icon-512.png 512x512',
          '/icon-maskable-192.png 192x192',
          '/icon-maskable-512.png 512x512',
        ]),
      );
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      expect(installabilityErrors).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
}
