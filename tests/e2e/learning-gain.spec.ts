import { expect, test, type Browser, type Page } from '@playwright/test';
import { answerQuiz, chooseLearner, loadQuiz, readOnReviewPage, waitForOutboxEmpty } from './helpers.ts';
import { languages } from '../../src/i18n/languages.ts';

// Issue 15, "Done when": a cohort takes the pre-test and then the final assessment, and the
// review page shows the learning gain. Each learner joins through the workshop link, answers the
// server-graded pre-test (score shown, no verdicts), then the final assessment; the review page,
// read with the reviewers' credential, shows n, mean pre, mean post and Hake's gain for the cohort,
// which this test computes on its own from the answers it gave.

const module = 'understanding-the-convention';
const preQuiz = loadQuiz('m1-pre-test');
const finalQuiz = loadQuiz('m1-final-assessment');

/** Three learners: how many pre-test and final-assessment questions each answers right (the second fails the final). */
const learners = [
  { name: 'Aïssatou Gain', pre: 2, post: finalQuiz.questions.length - 2 },
  { name: 'Bruno Gain', pre: 4, post: Math.round(finalQuiz.questions.length * 0.7) },
  { name: 'Chloé Gain', pre: 5, post: finalQuiz.questions.length },
];

/** Submit the quiz on the page and wait for the server's grade. */
async function submitAndWait(page: Page) {
  await page.locator('.quiz button[type=submit]').click();
  await expect(page.locator('.quiz-outcome')).toBeVisible({ timeout: 30_000 });
}

/** One learner of the cohort: pre-test first (from the module page for the first one), then the final assessment. */
async function takeBoth(browser: Browser, baseURL: string, link: string, who: (typeof learners)[number], fromModulePage: boolean) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  if (fromModulePage) {
    await page.goto(`/fr/modules/${module}/${link}`);
    await chooseLearner(page, who.name, '');
    const before = page.getByRole('region', { name: 'Avant de commencer' });
    await before.getByRole('link', { name: 'Test préalable' }).click();
    await expect(page).toHaveURL(new RegExp(`/fr/modules/${module}/pre-test/$`));
  } else {
    await page.goto(`/fr/modules/${module}/pre-test/${link}`);
    await chooseLearner(page, who.name, '');
  }
  await expect(page.locator('.quiz-passmark')).toContainText("n'a pas de seuil de réussite");
  await answerQuiz(page, preQuiz, 'fr', (i) => i < who.pre);
  await submitAndWait(page);
  const max = preQuiz.questions.length;
  await expect(page.locator('.quiz-outcome')).toContainText(`${who.pre} sur ${max}`);
  // The score only: no verdict per question, no passed or failed, no second try.
  await expect(page.locator('.quiz-verdict, .quiz-feedback, .is-right, .is-wrong')).toHaveCount(0);
  await expect(page.locator('.quiz-outcome')).not.toContainText(/Réussi|Échoué/i);
  await expect(page.locator('[data-quiz-retry]')).toHaveCount(0);

  await page.goto(`/fr/modules/${module}/assessment/`);
  await answerQuiz(page, finalQuiz, 'fr', (i) => i < who.post);
  await submitAndWait(page);
  await expect(page.locator('.quiz-outcome')).toContainText(`${who.post} sur ${finalQuiz.questions.length}`);
  await waitForOutboxEmpty(page);
  await context.close();
}

/** The scaled score the server records: raw / max rounded to four decimals (src/lib/grading.ts). */
const scaled = (raw: number, max: number) => Math.round((raw / max) * 10000) / 10000;
/** Text as the page's Intl formats it, with any kind of space made a plain one. */
const plain = (s: string) => s.replace(/[\s\u202f\u00a0]+/g, ' ').trim();

test('a cohort takes the pre-test and then the final assessment, and the review page shows its learning gain', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(400_000);
  const registration = crypto.randomUUID();
  const cohort = `Dakar gain ${registration.slice(0, 8)}`;
  const link = `?registration=${registration}&cohort=${encodeURIComponent(cohort)}&country=SN`;
  for (const [k, who] of learners.entries()) await takeBoth(browser, baseURL!, link, who, k === 0);

  // What the review page must show, from the answers given: Hake's <g> = (post − pre) / (1 − pre).
  const meanPre = learners.reduce((sum, l) => sum + scaled(l.pre, preQuiz.questions.length), 0) / learners.length;
  const meanPost = learners.reduce((sum, l) => sum + scaled(l.post, finalQuiz.questions.length), 0) / learners.length;
  const gain = (meanPost - meanPre) / (1 - meanPre);
  const percent = new Intl.NumberFormat('fr', { style: 'percent', maximumFractionDigits: 1 });
  const twoDecimals = new Intl.NumberFormat('fr', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  const page = await readOnReviewPage(browser, baseURL!, registration);

  const section = page.getByRole('region', { name: "Gain d'apprentissage" });
  await expect(section.locator('th')).toHaveText([
    'Module',
    'Cohorte',
    'Pays',
    'Apprenants ayant les deux scores',
    'Score initial moyen',
    'Score final moyen',
    'Gain normalisé',
  ]);
  const row = section.locator('tbody tr').filter({ hasText: cohort });
  await expect(row).toHaveCount(1);
  const cells = (await row.locator('td').allTextContents()).map(plain);
  expect(cells).toEqual([
    'Comprendre la Convention',
    cohort,
    'SN',
    String(learners.length),
    plain(percent.format(meanPre)),
    plain(percent.format(meanPost)),
    plain(twoDecimals.format(gain)),
  ]);
  await page.close();
});

for (const lang of languages) {
  test(`the pre-test page in ${lang} has no serious accessibility violation, and the module page links it first`, async ({ page }) => {
    const AxeBuilder = (await import('@axe-core/playwright')).default;
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
    await page.goto(`/${lang}/modules/${module}/`);
    const links = await page.locator('main a.button').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links[0]).toBe(`/${lang}/modules/${module}/pre-test/`);
    await page.goto(`/${lang}/modules/${module}/pre-test/`);
    await expect(page.getByRole('heading', { level: 2, name: preQuiz.title[lang] })).toBeVisible();
    const serious = (await new AxeBuilder({ page }).analyze()).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id);
    expect(serious).toEqual([]);
  });
}
