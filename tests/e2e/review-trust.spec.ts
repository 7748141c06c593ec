import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
  activityBase,
  answerQuiz,
  chooseLearner,
  learnerCredential,
  loadQuiz,
  readOnReviewPage,
  reviewer,
  waitForOutboxEmpty,
} from './helpers.ts';

// Issue 11, "Done when": the review page tells a completion the site's server graded and signed
// (verified) from one a learner posted for themselves (self-reported), and counts only the first.

const module = 'understanding-the-convention';
const moduleIri = `${activityBase}modules/${module}`;
const finalQuiz = loadQuiz('m1-final-assessment');

/** The cells of the groups table's row for module 1, as text. */
const groupRow = (page: Page) => page.locator('table[data-view=groups] tbody tr').filter({ hasText: 'Comprendre la Convention' });
/** A row of the latest statements, by its verb cell and its object cell (names from the catalogue). */
const recentRow = (page: Page, verb: string, object: string) =>
  page
    .locator('table[data-view=recent] tbody tr')
    .filter({ has: page.locator('td:nth-child(3)', { hasText: new RegExp(`^${verb}$`) }) })
    .filter({ has: page.locator('td:nth-child(4)', { hasText: object }) });
/** The learners table's row of one learner in module 1. */
const learnerRow = (page: Page, name: string) =>
  page.locator('table[data-view=learners] tbody tr').filter({ hasText: name }).filter({ hasText: 'Comprendre la Convention' });

test('a learner who completes a module with its server-graded final assessment shows as a verified completion', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const registration = crypto.randomUUID();
  const page = await browser.newPage({ baseURL: baseURL! });
  await page.goto(`/fr/modules/${module}/?registration=${registration}&cohort=${encodeURIComponent('Dakar vérifié')}&country=SN`);
  await chooseLearner(page, 'Aminata Verified', '');
  for (const slug of ['objectives-and-principles', 'key-definitions', 'rights-and-obligations', 'cooperation-and-governance']) {
    await page.goto(`/fr/modules/${module}/${slug}/`);
    const quizKey = (await page.locator('.quiz-section').getAttribute('aria-labelledby'))!.replace(/-title$/, '');
    await answerQuiz(page, loadQuiz(quizKey), 'fr', () => true);
    await page.locator('.quiz button[type=submit]').click();
    await expect(page.locator('.quiz-outcome')).toBeVisible();
  }
  await page.goto(`/fr/modules/${module}/assessment/`);
  await answerQuiz(page, finalQuiz, 'fr', () => true);
  await page.locator('.quiz button[type=submit]').click();
  await expect(page.locator('.quiz-outcome')).toBeVisible();
  await waitForOutboxEmpty(page);
  await page.close();

  const reviewPage = await readOnReviewPage(browser, baseURL!, registration);
  // Groups: module name from the site's French catalogue, one learner, one completion.
  const cells = groupRow(reviewPage).locator('td');
  await expect(cells.nth(4)).toHaveText('1');
  await expect(cells.nth(5)).toHaveText('1');
  await expect(learnerRow(reviewPage, 'Aminata Verified').locator('td').nth(3)).toHaveText('achevé');
  await expect(learnerRow(reviewPage, 'Aminata Verified').locator('td').nth(4)).toHaveText('vérifié');
  // The latest statements say which ones the site signed.
  await expect(recentRow(reviewPage, 'completed', 'Comprendre la Convention').locator('td').nth(4)).toHaveText('vérifié');
  await expect(recentRow(reviewPage, 'passed', finalQuiz.title.fr).locator('td').nth(4)).toHaveText('vérifié');
  await expect(reviewPage.getByText('Achèvements et réussites')).toBeVisible();
  await expect(reviewPage.locator('[data-review-notice]')).toHaveText('');

  const [download] = await Promise.all([reviewPage.waitForEvent('download'), reviewPage.locator('[data-export=learners]').click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('\uFEFFname,learner,module,module_id,status,verification,attempts,passed,last_activity');
  expect(csv).toContain(`Aminata Verified,`);
  expect(csv).toContain(`,Comprendre la Convention,${moduleIri},completed,verified,`);
  await reviewPage.close();
});

test('a passed statement a learner posts for themselves shows as self-reported and does not count as a completion', async ({
  browser,
  baseURL,
  request,
}) => {
  test.setTimeout(120_000);
  const registration = crypto.randomUUID();
  const page = await browser.newPage({ baseURL: baseURL! });
  await page.goto(`/fr/modules/${module}/?registration=${registration}&cohort=Forgeurs&country=SN`);
  await chooseLearner(page, 'Mallory Forger', '');
  const credential = await learnerCredential(page);
  await page.close();

  // The learner's own credential may post statements about themselves: it can claim anything,
  // even a module renamed with markup, but cannot sign as the site.
  const statement = (verb: string, object: Record<string, unknown>) => ({
    actor: credential.agent,
    verb: { id: `http://adlnet.gov/expapi/verbs/${verb}`, display: { 'en-US': verb } },
    object,
    result: { score: { scaled: 1, raw: 10, min: 0, max: 10 }, success: true, completion: true },
    context: {
      registration,
      language: 'fr',
      extensions: { [`${activityBase}extensions/cohort`]: 'Forgeurs', [`${activityBase}extensions/country`]: 'SN' },
      contextActivities: {
        parent: [
          {
            id: moduleIri,
            definition: { type: 'http://adlnet.gov/expapi/activities/module', name: { fr: 'Module <b>6</b>', en: 'Module <b>6</b>' } },
          },
        ],
      },
    },
  });
  const posted = await request.post('/xapi/statements', {
    headers: {
      Authorization: `Basic ${Buffer.from(`${credential.key}:${credential.secret}`).toString('base64')}`,
      'X-Experience-API-Version': '1.0.3',
    },
    data: [
      statement('passed', {
        objectType: 'Activity',
        id: `${activityBase}quizzes/m1-final-assessment`,
        definition: { type: 'http://adlnet.gov/expapi/activities/assessment' },
      }),
      statement('completed', {
        objectType: 'Activity',
        id: moduleIri,
        definition: { type: 'http://adlnet.gov/expapi/activities/module', name: { fr: 'Module <b>6</b>' } },
      }),
    ],
  });
  expect(posted.status(), await posted.text()).toBe(200);

  const reviewPage = await readOnReviewPage(browser, baseURL!, registration);
  const cells = groupRow(reviewPage).locator('td');
  await expect(cells.nth(0)).toHaveText('Comprendre la Convention');
  // The reviewer's secret is typed in and kept nowhere.
  const stored = await reviewPage.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
  expect(stored).not.toContain(reviewer.secret);
  await expect(cells.nth(5)).toHaveText('0');
  await expect(learnerRow(reviewPage, 'Mallory Forger').locator('td').nth(3)).toHaveText('en cours');
  await expect(learnerRow(reviewPage, 'Mallory Forger').locator('td').nth(4)).toHaveText('');
  await expect(recentRow(reviewPage, 'passed', finalQuiz.title.fr).locator('td').nth(4)).toHaveText('autodéclaré');
  await expect(recentRow(reviewPage, 'completed', 'Comprendre la Convention').locator('td').nth(4)).toHaveText('autodéclaré');
  await expect(reviewPage.locator('b')).toHaveCount(0);
  await expect(reviewPage.getByText('Module <b>6</b>', { exact: true })).toHaveCount(0);

  // Asked for, the self-reported completion shows, marked so, in its own column too.
  await reviewPage.getByLabel('Compter aussi les achèvements autodéclarés').check();
  await expect(cells.nth(5)).toHaveText('1');
  await expect(cells.nth(6)).toHaveText('1');
  await expect(learnerRow(reviewPage, 'Mallory Forger').locator('td').nth(3)).toHaveText('achevé');
  await expect(learnerRow(reviewPage, 'Mallory Forger').locator('td').nth(4)).toHaveText('autodéclaré');
  await reviewPage.getByLabel('Compter aussi les achèvements autodéclarés').uncheck();
  await expect(cells.nth(5)).toHaveText('0');
  await reviewPage.close();
});
