import { expect, test, type Page } from '@playwright/test';

async function searchFor(page: Page, lang: string, query: string) {
  await page.addInitScript(() =>
    localStorage.setItem(
      'dce.learner',
      JSON.stringify({
        kind: 'anonymous',
        id: '3f2c6a8e-7d1b-4e5f-9a0c-1b2d3e4f5a6b',
        registration: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
      }),
    ),
  );
  await page.goto(`/${lang}/`);
  const box = page.getByRole('banner').getByRole('searchbox');
  await box.fill(query);
  await box.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/${lang}/search/\\?q=`));
  const results = page.locator('[data-search-results] > li');
  await expect(results.first()).toBeVisible();
  return results;
}

for (const [lang, query, stem] of [
  ['fr', 'politiques', /politique/i],
  ['es', 'culturales', /cultural/i],
  ['en', 'policies', /polic/i],
] as const) {
  test(`searching "${query}" in ${lang} finds the inflected forms, with the match highlighted`, async ({ page }) => {
    const results = await searchFor(page, lang, query);
    await expect(results.first().locator('mark').first()).toHaveText(stem);
    await expect(results.first().getByRole('link')).toHaveAttribute('href', new RegExp(`^/${lang}/`));
  });
}

test('a misspelling without its accent still finds the word: "diversite" finds "diversité"', async ({ page }) => {
  const results = await searchFor(page, 'fr', 'diversite');
  await expect(results.first().locator('mark').first()).toHaveText(/diversit[ée]/i);
});

test('"convencion" finds "Convención", and results are reachable from the keyboard', async ({ page }) => {
  await searchFor(page, 'es', 'convencion');
  await expect(page.locator('[data-search-results] mark').first()).toHaveText(/convenci[oó]n/i);
  await page.keyboard.press('Tab');
  await expect(page.locator(':focus')).toHaveCount(1);
});

test('the search index is fetched only when the learner searches', async ({ page }) => {
  const fetched: string[] = [];
  page.on('request', (r) => r.url().includes('search-') && fetched.push(r.url()));
  await page.goto('/en/modules/understanding-the-convention/objectives-and-principles/');
  await page.waitForLoadState('networkidle');
  expect(fetched).toEqual([]);
});
