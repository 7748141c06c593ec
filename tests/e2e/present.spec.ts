import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

const url = '/es/modules/policy-design-and-implementation/measures-articles-5-7/present/';

test('a trainer presents a lesson in Spanish: keyboard moves the slides, the presenter view shows the notes and the audience follows', async ({
  page,
}) => {
  await page.goto(url);
  const deck = page.locator('.reveal');
  await expect(deck).toHaveAttribute('data-current-slide', '1');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(deck).toHaveAttribute('data-current-slide', '2');
  await page.keyboard.press('PageDown');
  await expect(deck).toHaveAttribute('data-current-slide', '3');
  await page.keyboard.press('PageUp');
  await expect(deck).toHaveAttribute('data-current-slide', '2');
  await expect(page).toHaveURL(/#\/1$/);
  await expect(page.locator('[data-slide-announcer]')).toHaveText(/^Diapositiva 2 de \d+: /);

  // Deep link to a slide.
  await page.goto(`${url}#/3`);
  await expect(deck).toHaveAttribute('data-current-slide', '4');

  // The presenter view (reveal.js notes plugin) opens in a second window with the slide's
  // facilitator notes and the timer.
  const withNotes = await page.locator('.slides > section').evaluateAll((all) => all.findIndex((s) => s.querySelector('aside.notes')));
  await page.goto(`${url}#/${withNotes}`);
  await expect(deck).toHaveAttribute('data-current-slide', String(withNotes + 1));
  const notes = (await page.locator('.slides > section').nth(withNotes).locator('aside.notes').textContent())!.trim().slice(0, 40);
  const [presenter] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('s')]);
  await presenter.waitForLoadState();
  await expect(presenter.locator('.speaker-controls-notes')).toContainText(notes);
  await expect(presenter.locator('.speaker-controls-time')).toBeVisible();
  // Moving in the presenter window moves the audience window.
  await presenter.keyboard.press('ArrowRight');
  await expect(deck).toHaveAttribute('data-current-slide', String(withNotes + 2));
  await presenter.close();
});

test('every question of the lesson quiz has a slide whose answer is revealed only on a key press', async ({ page }) => {
  await page.goto(url);
  const question = page.locator('section:has(h2.question)').first();
  const index = await page.locator('.slides > section').evaluateAll((all) => all.findIndex((s) => s.querySelector('h2.question')));
  await page.goto(`${url}#/${index}`);
  await expect(question.locator('.answer')).not.toHaveClass(/visible/);
  await page.keyboard.press('ArrowRight');
  await expect(question.locator('.answer')).toHaveClass(/visible/);
});

test('presentation mode has no serious accessibility violation and is not an application region', async ({ page }) => {
  await page.goto(url);
  await expect(page.locator('.reveal')).toHaveAttribute('role', 'region');
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id}: ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
      ),
  ).toEqual([]);
});
