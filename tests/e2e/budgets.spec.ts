import { expect, test } from '@playwright/test';
import { languages } from '../../src/i18n/languages.ts';
import { weighPage, weighSearch } from '../../bench/weights.ts';
import { e2eSiteRoot } from '../../playwright.config.ts';

// Byte budgets of the built site for learners on slow connections (bytes do not vary from run
// to run; timings are measured by the benchmarks in bench/, not here).
// The build the server serves: ./dist, or E2E_SITE_ROOT (a build made with --outDir).
const dist = e2eSiteRoot;
const KB = 1024;

for (const lang of languages) {
  test(`a module overview in ${lang} stays under 25 KB of HTML and CSS, with under 10 KB of script`, () => {
    const w = weighPage(dist, `/${lang}/modules/understanding-the-convention/`);
    expect(w.html + w.css).toBeLessThanOrEqual(25 * KB);
    expect(w.js).toBeLessThanOrEqual(10 * KB);
  });

  test(`a lesson with a quiz in ${lang} transfers at most 120 KB on a first visit, xAPI client included`, () => {
    const w = weighPage(dist, `/${lang}/modules/understanding-the-convention/objectives-and-principles/`);
    expect(w.html + w.css + w.js + w.lazyJs).toBeLessThanOrEqual(120 * KB);
  });

  test(`the ${lang} search index is at most 100 KB`, () => {
    expect(weighSearch(dist, lang).index).toBeLessThanOrEqual(100 * KB);
  });
}

test('the quiz island is hydrated only when visible, and the page paints without waiting for it', async ({ page }) => {
  await page.goto('/en/modules/understanding-the-convention/objectives-and-principles/');
  await expect(page.locator('astro-island[client="visible"]')).toHaveCount(1);
  const blocking = await page.locator('head script[src]:not([type="module"]):not([async]):not([defer])').count();
  expect(blocking).toBe(0);
});
