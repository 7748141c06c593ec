import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { languages } from '../../src/i18n/languages.ts';

const module = 'understanding-the-convention';
const lesson = 'objectives-and-principles';

/** Skip the first-visit form by keeping an anonymous learner on the device. */
async function asReturningLearner(page: Page) {
  await page.addInitScript(() => {
    if (!localStorage.getItem('dce.learner'))
      localStorage.setItem(
        'dce.learner',
        JSON.stringify({
          kind: 'anonymous',
          id: '3f2c6a8e-7d1b-4e5f-9a0c-1b2d3e4f5a6b',
          registration: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
        }),
      );
  });
}

async function expectNoSeriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test.describe('pages in every language', () => {
  for (const lang of languages) {
    for (const [kind, path] of [
      ['home', `/${lang}/`],
      ['module', `/${lang}/modules/${module}/`],
      ['lesson', `/${lang}/modules/${module}/${lesson}/`],
      ['search', `/${lang}/search/?q=culture`],
    ] as const) {
      test(`the ${kind} page in ${lang} has no serious or critical accessibility violation`, async ({ page }) => {
        await asReturningLearner(page);
        await page.goto(path);
        await expect(page.locator('html')).toHaveAttribute('lang', lang);
        if (kind === 'lesson') await page.locator('.quiz').scrollIntoViewIfNeeded();
        if (kind === 'search') await expect(page.locator('[data-search-results] > li').first()).toBeVisible();
        await expectNoSeriousViolations(page);
      });
    }
  }

  test('the first-visit form is accessible and does not hide the page', async ({ page }) => {
    await page.goto('/en/');
    await expect(page.getByRole('region', { name: 'Who is learning?' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectNoSeriousViolations(page);
  });
});

test('the root sends a French browser to the French site', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page).toHaveURL(/\/fr\/$/);
  await context.close();
});

test('the root falls back to English for a language the site does not have', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'de-DE' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page).toHaveURL(/\/en\/$/);
  await context.close();
});

test('the home page lists all six modules and links to each overview', async ({ page }) => {
  await asReturningLearner(page);
  await page.goto('/es/');
  const links = page.getByRole('main').getByRole('listitem').getByRole('link');
  await expect(links).toHaveCount(6);
  const title = (await links.nth(5).textContent())!.trim();
  await links.nth(5).click();
  await expect(page).toHaveURL(/\/es\/modules\/creative-enterprise-development\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
});

test('the language switch keeps the current lesson, and pages declare their alternates', async ({ page }) => {
  await asReturningLearner(page);
  await page.goto(`/en/modules/${module}/${lesson}/`);
  await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Français' }).click();
  await expect(page).toHaveURL(new RegExp(`/fr/modules/${module}/${lesson}/$`));
  for (const l of languages)
    await expect(page.locator(`link[rel=alternate][hreflang=${l}]`)).toHaveAttribute(
      'href',
      new RegExp(`/${l}/modules/${module}/${lesson}/$`),
    );
});

test('an unknown page answers 404 in the language of its path', async ({ page }) => {
  const response = await page.goto('/es/no-existe/');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Página no encontrada' })).toBeVisible();
});

test('facilitator notes are hidden from learners and shown to trainers', async ({ page }) => {
  await asReturningLearner(page);
  await page.goto(`/en/modules/${module}/${lesson}/`);
  await expect(page.locator('.facilitator-note').first()).toBeHidden();
  await page.goto(`/en/modules/${module}/${lesson}/?facilitator=1`);
  await expect(page.locator('.facilitator-note').first()).toBeVisible();
});

test('the lesson reads well before hydration: objectives, exercise, questions and key points are in the HTML', async ({ request }) => {
  const html = await (await request.get(`/en/modules/${module}/${lesson}/`)).text();
  for (const marker of ['Learning objectives', 'Practical exercise', '<fieldset', '<legend', 'type="radio"', 'Key points'])
    expect(html).toContain(marker);
});
