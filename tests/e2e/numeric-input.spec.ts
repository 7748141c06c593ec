import { expect, test, type Page } from '@playwright/test';
import { chooseLearner, loadQuiz, waitForQuiz } from './helpers.ts';
import type { Language } from '../../src/i18n/languages.ts';

// Numeric answers are read as the learner's language writes them (src/lib/number-input.ts);
// a number that reads two ways makes the quiz ask instead of guessing (issue 15).

const quiz = loadQuiz('m5-l4-computing-indicator');
const numeric = quiz.questions.find((q) => q.type === 'numeric')!;
const lessonPath = (lang: string) => `/${lang}/modules/cultural-statistics-and-indicators/computing-an-indicator/`;

async function numericField(page: Page, lang: Language) {
  await page.goto(lessonPath(lang));
  await chooseLearner(page, null);
  await waitForQuiz(page);
  const group = page.getByRole('group', { name: numeric.prompt[lang] });
  return { group, field: group.getByRole('textbox') };
}

test('in French, "3,750" reads two ways: the quiz asks which value was meant, and "3,75" ends the question', async ({ page }) => {
  const { group, field } = await numericField(page, 'fr');
  await field.fill('3,750');
  const note = group.getByRole('alert');
  await expect(note).toContainText('3,75 ou 3\u202f750');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await field.fill('3,75');
  await expect(note).toHaveCount(0);
  await expect(field).not.toHaveAttribute('aria-invalid', /.*/);
});

test('in English, "3.750" is asked about, while "1,920" is read as one thousand nine hundred and twenty without a question', async ({
  page,
}) => {
  const { group, field } = await numericField(page, 'en');
  await field.fill('3.750');
  await expect(group.getByRole('alert')).toContainText('3.75 or 3,750');
  await field.fill('1,920');
  await expect(group.getByRole('alert')).toHaveCount(0);
});
