import { createServer } from 'node:http';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { readCommandLine } from '../scripts/cli.ts';
import { languages } from '../src/i18n/languages.ts';
import { chromiumOptions, startServer } from './server.ts';

// Lighthouse (Debian's Chromium) on the home, module, lesson and search pages in every
// language: performance and accessibility on the default mobile profile, and LCP on a 3G-like
// profile (300 ms round trip, 700 kbps, 4x CPU). A plain page with no framework, served in the
// same run, gives the floor to compare with. Lantern's simulated LCP varies from run to run,
// so each profile runs three times and the median is printed with the range. Lighthouse 12 has no
// PWA category any more: the same Chromium then says whether each home page can be installed,
// and with which manifest icons (DevTools Protocol; docs/stack-notes.md, "Installability without
// Lighthouse's PWA category").
// Usage, after a build: npm run bench:lighthouse (about 40 s a page).

readCommandLine(
  {
    name: 'npm run bench:lighthouse',
    usage: `usage: npm run bench:lighthouse

After a build (dist/): Lighthouse performance, accessibility and LCP (mobile, and a 3G-like
profile) for the home, module, lesson and search pages in every language, beside a plain page;
then whether Chromium can install each home page, with its manifest's icons.
About 40 s a page (ports 4503 and 4504).

options:
  --help   print this and exit`,
  },
  { options: {} },
);

const plainHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Plain page</title><meta name="description" content="A plain page with no framework, for comparison."></head><body><main><h1>Plain page</h1>${'<p>Cultural expressions are those expressions that result from the creativity of individuals, groups and societies, and that have cultural content.</p>'.repeat(20)}</main></body></html>`;
const plain = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(plainHtml)).listen(
  4504,
  '127.0.0.1',
);

const slow3g = {
  rttMs: 300,
  throughputKbps: 700,
  requestLatencyMs: 300 * 3.75,
  downloadThroughputKbps: 700 * 0.9,
  uploadThroughputKbps: 700 * 0.9,
  cpuSlowdownMultiplier: 4,
};

const server = await startServer(4503);
const chrome = await chromeLauncher.launch({ chromePath: chromiumOptions.executablePath, chromeFlags: chromiumOptions.args });
const pages: [string, string][] = [['plain page (no framework)', 'http://127.0.0.1:4504/']];
for (const lang of languages)
  pages.push(
    [`${lang} home`, `${server.url}/${lang}/`],
    [`${lang} module`, `${server.url}/${lang}/modules/understanding-the-convention/`],
    [`${lang} lesson`, `${server.url}/${lang}/modules/understanding-the-convention/objectives-and-principles/`],
    [`${lang} search`, `${server.url}/${lang}/search/`],
    [`${lang} search with results`, `${server.url}/${lang}/search/?q=culture`],
  );
try {
  console.log('page | performance (mobile, median of 3) | accessibility | LCP mobile (median) | LCP 3G-like (median, range)');
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const [name, url] of pages) {
    const perf: number[] = [];
    const a11y: number[] = [];
    const lcpMobile: number[] = [];
    const lcpSlow: number[] = [];
    for (let i = 0; i < 3; i++) {
      const mobile = (
        await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] })
      )?.lhr;
      const slow = (
        await lighthouse(url, {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: ['performance'],
          throttling: slow3g,
          throttlingMethod: 'simulate',
        })
      )?.lhr;
      perf.push(mobile?.categories['performance']?.score ?? Number.NaN);
      a11y.push(mobile?.categories['accessibility']?.score ?? Number.NaN);
      lcpMobile.push((mobile?.audits['largest-contentful-paint']?.numericValue ?? Number.NaN) / 1000);
      lcpSlow.push((slow?.audits['largest-contentful-paint']?.numericValue ?? Number.NaN) / 1000);
    }
    console.log(
      `${name} | ${median(perf)} | ${Math.min(...a11y)} | ${median(lcpMobile).toFixed(2)} s | ${median(lcpSlow).toFixed(2)} s (${Math.min(...lcpSlow).toFixed(2)}-${Math.max(...lcpSlow).toFixed(2)})`,
    );
  }
  console.log('targets: performance >= 0.95, accessibility 1.0 (lowest of 3 runs shown), LCP on the 3G-like profile under 3 s');
  console.log('\nhome page | installable (Chromium) | manifest icons');
  for (const lang of languages) console.log(`${lang} home | ${await installability(`${server.url}/${lang}/`)}`);
} finally {
  chrome.kill();
  server.stop();
  plain.close();
}

/**
 * Chromium's verdict on installing a page, in the Chrome that Lighthouse drove (a profile on disk,
 * not incognito): "yes" or the installability error ids, then the manifest's icons as
 * "path sizes" (Chromium gives "0x0" for sizes "any"; Chrome DevTools Protocol, Page.getInstallabilityErrors and Page.getAppManifest).
 * @param url the page, e.g. "http://127.0.0.1:4503/en/"
 */
async function installability(url: string): Promise<string> {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
  try {
    const page = await browser.contexts()[0]!.newPage();
    await page.goto(url);
    const cdp = await page.context().newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    const { manifest } = await cdp.send('Page.getAppManifest');
    await page.close();
    const verdict = installabilityErrors.length === 0 ? 'yes' : `no: ${installabilityErrors.map((e) => e.errorId).join(', ')}`;
    return `${verdict} | ${(manifest.icons ?? []).map((i) => `${new URL(i.url).pathname} ${i.sizes === '0x0' ? 'any' : (i.sizes ?? '')}`).join(', ')}`;
  } finally {
    // Disconnects only: chrome.kill() ends the browser.
    await browser.close();
  }
}
