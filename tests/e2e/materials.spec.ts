import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { e2eSiteRoot } from '../../playwright.config.ts';
import { languages } from '../../src/i18n/languages.ts';

/**
 * Printable materials (issue 15; src/pages/[lang]/modules/[module]/materials/[material].astro):
 * every material page of the built site, in every language, reflows on a 360 px phone (WCAG 2.1,
 * 1.4.10) and has no serious or critical axe violation; each is loaded once and measured in the
 * DOM. Each module's facilitator guide links every material page of its module.
 */

/** Every built material page ("/fr/modules/m/materials/x/"), from the built folder. */
function materialPages(root: string): { lang: string; module: string; path: string }[] {
  const pages = [];
  for (const lang of languages) {
    const modules = join(root, lang, 'modules');
    for (const module of existsSync(modules) ? readdirSync(modules) : []) {
      const folder = join(modules, module, 'materials');
      for (const slug of existsSync(folder) ? readdirSync(folder) : [])
        if (existsSync(join(folder, slug, 'index.html')))
          pages.push({ lang, module, path: `/${lang}/modules/${module}/materials/${slug}/` });
    }
  }
  return pages.sort((a, b) => a.path.localeCompare(b.path));
}

const pages = materialPages(e2eSiteRoot);

test.use({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });

test('every printable material page, in every language, fits a 360 px screen and has no serious accessibility violation', async ({
  page,
}) => {
  expect(pages.length, 'material pages in the build').toBeGreaterThanOrEqual(3);
  test.setTimeout(30_000 + pages.length * 6_000);
  const faults: string[] = [];
  for (const { path } of pages) {
    await page.goto(path, { waitUntil: 'domcontentloaded' });
    await expect(page.locator('h1')).toBeVisible();
    const width = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth] as const);
    if (width[0] > width[1]) faults.push(`${path}: ${width[0]} px wide at ${width[1]} px`);
    // The WCAG 2.x A and AA rules, on the page's main region: the header and footer are the same on every page (tests/e2e/workshop.spec.ts scans them whole).
    const { violations } = await new AxeBuilder({ page }).include('main').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical'))
      faults.push(
        `${path}: ${v.id} (${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join('; ')})`,
      );
  }
  console.log(`materials: ${pages.length} pages, ${faults.length} faults`);
  expect(faults, faults.join('\n')).toEqual([]);
});

test('each facilitator guide links every printable material of its module', async ({ request }) => {
  const byGuide = new Map<string, string[]>();
  for (const { lang, module, path } of pages)
    byGuide.set(`/${lang}/modules/${module}/guide/`, [...(byGuide.get(`/${lang}/modules/${module}/guide/`) ?? []), path]);
  for (const [guide, paths] of byGuide) {
    const response = await request.get(guide);
    expect(response.status(), guide).toBe(200);
    const hrefs = new Set([...(await response.text()).matchAll(/href="([^"]+)"/g)].map((m) => m[1]));
    for (const path of paths) expect(hrefs.has(path), `${guide} links ${path}`).toBe(true);
  }
});
