import { chromium } from 'playwright-core';
import { readCommandLine } from '../scripts/cli.ts';
import { languages, type Language } from '../src/i18n/languages.ts';
import { chromiumOptions, startServer } from './server.ts';

// Search query latency in a real browser with the CPU slowed 4× (Chrome DevTools Protocol
// Emulation.setCPUThrottlingRate), as on a cheap phone. The index is loaded first (the first
// search's fetch is a transfer cost, measured in bytes elsewhere); then each query runs 20 times
// and the p50 and p95 of all runs are printed. Usage, after a build: npm run bench:search

readCommandLine(
  {
    name: 'npm run bench:search',
    usage: `usage: npm run bench:search

After a build (dist/): search latency in Chromium with the CPU slowed 4x, p50 and p95 per
language (the site served on port 4502).

options:
  --help   print this and exit`,
  },
  { options: {} },
);

// Queries per language; a language of the registry without its own list is skipped.
const queries: Partial<Record<Language, string[]>> = {
  en: ['cultural policies', 'diversity', 'periodic reports', 'fund', 'definitions article 4', 'civil society participation'],
  fr: ['politiques culturelles', 'diversite', 'rapports périodiques', 'fonds', 'société civile', 'expressions culturelles'],
  es: ['políticas culturales', 'evaluacion', 'informes periódicos', 'fondo', 'sociedad civil', 'expresiones culturales'],
};

const server = await startServer(4502);
const browser = await chromium.launch(chromiumOptions);
try {
  for (const [lang, list] of languages.flatMap((l) => (queries[l] ? [[l, queries[l]] as const] : []))) {
    const page = await browser.newPage();
    await page.goto(`${server.url}/${lang}/search/`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    // Drive the real page: type each query and time from submit to rendered results.
    const samples: number[] = [];
    for (const q of list) {
      for (let i = 0; i < 20; i++) {
        const ms = await page.evaluate(async (query) => {
          const form = document.querySelector<HTMLFormElement>('[data-search-form]')!;
          const input = form.querySelector<HTMLInputElement>('input[name=q]')!;
          const status = document.querySelector<HTMLElement>('[data-search-status]')!;
          status.textContent = '';
          input.value = query;
          const start = performance.now();
          form.requestSubmit();
          await new Promise<void>((resolve) => {
            const done = () => status.textContent !== '' && !status.textContent!.endsWith('…');
            if (done()) return resolve();
            const observer = new MutationObserver(() => done() && (observer.disconnect(), resolve()));
            observer.observe(status, { childList: true, characterData: true, subtree: true });
          });
          return performance.now() - start;
        }, q);
        samples.push(ms);
      }
    }
    const first = samples.splice(0, 1)[0] ?? 0;
    samples.sort((a, b) => a - b);
    const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))]!.toFixed(1);
    console.log(
      `search ${lang} at 4x CPU slowdown: first search (index fetch and load) ${first.toFixed(0)} ms; then ${samples.length} queries: p50 ${pct(50)} ms, p95 ${pct(95)} ms (target p95 under 50 ms)`,
    );
    await page.close();
  }
} finally {
  await browser.close();
  server.stop();
}
