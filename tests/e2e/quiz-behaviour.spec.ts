import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { answerQuiz, chooseLearner, learnerCredential, loadQuiz, waitForOutboxEmpty, waitForQuiz } from './helpers.ts';

// How the quiz behaves in real use (issue 13): a double tap on "Check my answers", the count of
// records waiting to be sent, where the focus goes, the verdict said once, and a language switch
// mid-quiz. Chromium, the built site and the real server.

const module = 'understanding-the-convention';
const lessonPath = (lang: string) => `/${lang}/modules/${module}/objectives-and-principles/`;
const quizKey = 'm1-l1-objectives-principles';

/** The learner of a fresh page, with their credential, and the lesson's "experienced" sent. */
async function readyLearner(page: Page, lang = 'en') {
  await page.goto(lessonPath(lang));
  await chooseLearner(page, 'Nadia Benali');
  await learnerCredential(page);
  await waitForOutboxEmpty(page);
}

test('a double tap on "Check my answers" checks the answers once and never resets the quiz', async ({ page }) => {
  const quiz = loadQuiz(quizKey);
  await readyLearner(page);
  await answerQuiz(page, quiz, 'en', () => true);
  await page.getByRole('button', { name: 'Check my answers' }).dblclick();
  // The second tap lands where "Try again" now is; the result and the answers stay.
  await expect(page.locator('.quiz-outcome')).toContainText('Your score: 8 out of 8');
  await expect(page.locator('.quiz-question').first().locator('input:checked')).toHaveCount(1);
  const retry = page.getByRole('button', { name: 'Try again' });
  await expect(retry).toBeVisible();
  // Once the learner has seen the result, "Try again" starts a new attempt.
  await page.waitForTimeout(1200);
  await retry.click();
  await expect(page.locator('.quiz-outcome')).toHaveCount(0);
  await expect(page.locator('.quiz input:checked')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Check my answers' })).toBeEnabled();
});

test('the count of records waiting follows the outbox: it falls to 0 when the automatic retry delivers, and when the device comes back online', async ({
  page,
  context,
}) => {
  const quiz = loadQuiz(quizKey);
  const waiting = quiz.questions.length + 2; // one answer per question, passed, completed
  const status = page.locator('[data-outbox-status]');
  await readyLearner(page);

  // The LRS cannot be reached for a while; nothing but the outbox's own retry timer sends again.
  await page.route('**/xapi/statements**', (route) => route.abort('connectionrefused'));
  await answerQuiz(page, quiz, 'en', () => true);
  await page.getByRole('button', { name: 'Check my answers' }).click();
  await expect(status).toHaveText(`${waiting} records waiting to be sent`);
  await page.unroute('**/xapi/statements**');
  await expect(status).toHaveAttribute('data-pending', '0', { timeout: 30_000 });
  await expect(status).toHaveText('');

  // Offline, then online again: the count goes up, then back to 0, without a reload.
  await page.waitForTimeout(1200);
  await page.getByRole('button', { name: 'Try again' }).click();
  await context.setOffline(true);
  await answerQuiz(page, quiz, 'en', () => false);
  await page.getByRole('button', { name: 'Check my answers' }).click();
  await expect(status).toHaveText(`${quiz.questions.length + 1} records waiting to be sent`);
  await context.setOffline(false);
  await expect(status).toHaveAttribute('data-pending', '0', { timeout: 30_000 });
  await waitForOutboxEmpty(page);
});

test('in a sequencing question the focus stays on the moved item when it reaches the first or last place', async ({ page }) => {
  await page.goto('/en/modules/policy-design-and-implementation/cultural-policy-cycle/');
  await chooseLearner(page, null);
  await waitForQuiz(page);
  const list = page.locator('.quiz-sequence').first();
  const items = () => list.locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-item')));
  const focused = () =>
    page.evaluate(() => ({
      tag: document.activeElement?.tagName,
      move: document.activeElement?.getAttribute('data-move'),
      item: document.activeElement?.closest('li')?.getAttribute('data-item'),
    }));

  // The second item moves up with the keyboard into the first place: "Move up" is now disabled.
  const second = (await items())[1]!;
  await list.locator(`li[data-item="${second}"] button[data-move="up"]`).focus();
  await page.keyboard.press('Enter');
  await expect.poll(items).toEqual(expect.arrayContaining([second]));
  expect((await items())[0]).toBe(second);
  expect(await focused()).toEqual({ tag: 'BUTTON', move: 'down', item: second });

  // The next to last item moves down into the last place: the focus goes to its "Move up".
  const order = await items();
  const penultimate = order[order.length - 2]!;
  await list.locator(`li[data-item="${penultimate}"] button[data-move="down"]`).focus();
  await page.keyboard.press('Space');
  await expect.poll(async () => (await items()).at(-1)).toBe(penultimate);
  expect(await focused()).toEqual({ tag: 'BUTTON', move: 'up', item: penultimate });

  // A move that leaves the item in between keeps the focus on the button pressed.
  await page.keyboard.press('Enter');
  expect(await focused()).toEqual({ tag: 'BUTTON', move: 'up', item: penultimate });
});

test('after the learner form is saved with the keyboard, the focus is on the page heading, not <body>', async ({ page }) => {
  await page.goto(lessonPath('en'));
  await expect(page.locator('.learner-panel[data-ready="true"]')).toHaveCount(1);
  await page.getByLabel('Your name').focus();
  await page.keyboard.type('Kofi Mensah');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Who is learning?' })).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
});

test('once checked, each question says its verdict once, and the live region says the score once', async ({ page }) => {
  const quiz = loadQuiz(quizKey);
  await readyLearner(page);
  await answerQuiz(page, quiz, 'en', (i) => i !== 1);
  await page.getByRole('button', { name: 'Check my answers' }).click();
  const live = page.locator('.quiz [role="status"]');
  await expect(live).toHaveText('Your score: 7 out of 8 (88%). Passed. Well done.');
  // The verdicts of the interface and of the authored feedback (content/quizzes/*.yaml).
  const verdict = /\b(?:Not correct|Not quite|Incorrect|Correct)\./g;
  for (const q of quiz.questions) {
    const group = page.getByRole('group', { name: q.prompt.en });
    const said = (await group.locator('.quiz-verdict, .quiz-feedback').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    // Never the same verdict twice in a row ("Correct. Correct. …", the report).
    for (const text of said) expect(text, q.id).not.toMatch(/^(\S+\.) \1/);
    if (q.type === 'multiple-response') {
      // One verdict for the question; each chosen option's feedback then speaks of that option.
      await expect(group.locator('.quiz-verdict')).toHaveCount(1);
    } else {
      // One feedback, which says the verdict once, and no second verdict beside it.
      await expect(group.locator('.quiz-verdict')).toHaveCount(0);
      expect(said.join(' ').match(verdict), `${q.id}: ${said.join(' | ')}`).toHaveLength(1);
    }
  }
});

test('the answers given so far survive a switch to another language mid-quiz', async ({ page }) => {
  const quiz = loadQuiz(quizKey);
  const [first, second] = quiz.questions;
  if (first?.type !== 'single-choice' || second?.type !== 'true-false')
    throw new Error('the test expects a single-choice then a true-false question');
  await readyLearner(page);
  await waitForQuiz(page);
  await page
    .getByRole('group', { name: first.prompt.en })
    .getByRole('radio', { name: first.options.find((o) => o.id === first.correct)!.text.en, exact: true })
    .check();
  await page.getByRole('group', { name: second.prompt.en }).getByRole('radio', { name: 'True', exact: true }).check();

  await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Français' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await waitForQuiz(page);
  const fr = (q: typeof first | typeof second) => page.getByRole('group', { name: q.prompt.fr });
  await expect(
    fr(first).getByRole('radio', { name: first.options.find((o) => o.id === first.correct)!.text.fr, exact: true }),
  ).toBeChecked();
  await expect(fr(second).getByRole('radio', { name: 'Vrai', exact: true })).toBeChecked();
  await expect(page.locator('.quiz input:checked')).toHaveCount(2);
  // The page carries the quiz in its own language only.
  const island = await page.locator('astro-island', { has: page.locator('.quiz') }).getAttribute('props');
  expect(island).toContain(first.prompt.fr.slice(0, 20));
  expect(island).not.toContain(first.prompt.en.slice(0, 20));
});

test('a checked quiz, with its verdicts, feedback and "Try again", has no serious accessibility violation', async ({ page }) => {
  const quiz = loadQuiz(quizKey);
  await readyLearner(page, 'fr');
  await answerQuiz(page, quiz, 'fr', (i) => i % 2 === 0);
  await page.getByRole('button', { name: 'Vérifier mes réponses' }).click();
  await expect(page.locator('.quiz-outcome')).toBeVisible();
  const { violations } = await new AxeBuilder({ page }).include('.quiz-section').analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([]);
});
