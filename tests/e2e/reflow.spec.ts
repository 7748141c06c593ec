import { expect, test } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { e2eSiteRoot } from '../../playwright.config.ts';
import { frenchSpacingFaults } from '../../src/i18n/typography.ts';
import { languages } from '../../src/i18n/languages.ts';

/**
 * Reflow (WCAG 2.1, 1.4.10): at 320 CSS px no page scrolls sideways. Every HTML page of the
 * built site, in every language, is loaded once and measured in the DOM; nothing is clicked.
 * Service workers are blocked: they change nothing on screen and their precache would only
 * slow the run down. The same page loads check the words: French punctuation spacing on French
 * pages (src/i18n/typography.ts), and no "(s)" plural in any language.
 */

/** Every built page's path ("/fr/modules/x/"), from the built folder's index.html files. */
function builtPages(root: string): string[] {
  const pages: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== '_astro') walk(path);
      else if (entry.name === 'index.html') pages.push(`/${relative(root, dir).split(sep).join('/')}/`.replace(/^\/\/$/, '/'));
    }
  };
  walk(root);
  return pages.sort();
}

test.use({ viewport: { width: 320, height: 640 }, serviceWorkers: 'block' });

test('no built page, in any language, is wider than a 320 px screen; French pages space their punctuation; no page writes a plural as "(s)"', async ({
  page,
}) => {
  const pages = builtPages(e2eSiteRoot);
  expect(pages.length).toBeGreaterThan(200);
  test.setTimeout(pages.length * 3_000);
  const overflowing: string[] = [];
  const wording: string[] = [];
  for (const path of pages) {
    await page.goto(path, { waitUntil: 'domcontentloaded' });
    // Measured once the styles apply: domcontentloaded waits for the blocking stylesheets.
    const found = await page.evaluate(() => {
      const root = document.documentElement;
      if (root.scrollWidth <= root.clientWidth) return null;
      const width = root.clientWidth;
      // The outermost elements that reach past the right edge name the cause.
      const culprits: string[] = [];
      for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
        const box = el.getBoundingClientRect();
        if (box.right <= width + 0.5 || box.width === 0) continue;
        if (el.parentElement && el.parentElement.getBoundingClientRect().right > width + 0.5) continue;
        const name = `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
        culprits.push(`${name} (${Math.round(box.right)} px: "${(el.textContent ?? '').trim().slice(0, 40)}")`);
        if (culprits.length >= 3) break;
      }
      return `${root.scrollWidth} px wide; ${culprits.join('; ')}`;
    });
    if (found) overflowing.push(`${path}: ${found}`);
    // The text a reader sees (hidden facilitator notes and slides' speaker notes are not read).
    const text = await page.evaluate(() => document.body.innerText);
    if (path.startsWith('/fr/') && !path.endsWith('/present/'))
      wording.push(
        ...frenchSpacingFaults(text)
          .slice(0, 3)
          .map((f) => `${path}: "${f}"`),
      );
    for (const m of text.matchAll(/\p{L}\((?:s|e|es|x)\)/gu))
      wording.push(`${path}: "${text.slice(Math.max(0, m.index - 20), m.index + 10)}"`);
  }
  console.log(`reflow at 320 px: ${overflowing.length} of ${pages.length} pages wider than the screen`);
  console.log(`wording: ${wording.length} faults`);
  expect(overflowing, overflowing.join('\n')).toEqual([]);
  expect(wording, wording.join('\n')).toEqual([]);
});

test('pages for trainers and reviewers do not ask who is learning', async ({ page }) => {
  for (const lang of languages) {
    for (const path of [
      'trainer/',
      'review/',
      'modules/understanding-the-convention/guide/',
      'modules/understanding-the-convention/handout/',
    ]) {
      await page.goto(`/${lang}/${path}`, { waitUntil: 'domcontentloaded' });
      await expect(page.locator('h1')).toBeVisible();
      await expect(page.locator('[data-learner-welcome]')).toHaveCount(0);
    }
    // A learner's page still asks, on a first visit.
    await page.goto(`/${lang}/modules/understanding-the-convention/`, { waitUntil: 'domcontentloaded' });
    await expect(page.locator('[data-learner-welcome]')).toBeVisible();
  }
});
