import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { Statement } from '@xapi/xapi';
import { createVerifier, fetchJwks } from '../../src/lib/report/verify.ts';
import { parseStatementRequest } from '../../src/lrs/multipart.ts';
import { baseURL } from '../../playwright.config.ts';
import { activityBase, answerQuiz, chooseLearner, learnerAgent, loadQuiz, readAuth, statementsOf } from './helpers.ts';

// Final assessments are graded by the site's server (issue 11): the page holds no answer key,
// sends the responses with the learner's own credential, and shows the server's grade; the
// server writes the statements under its grader authority and signs "passed" and "completed".
// Offline, the attempt waits on the device and is graded when the connection returns.

const module = 'understanding-the-convention';
const quiz = loadQuiz('m1-final-assessment');
const page_ = `/en/modules/${module}/assessment/`;

/** The learner's statements once the server has written those of a graded attempt. */
async function gradedStatements(request: APIRequestContext, page: Page, verb: 'passed' | 'failed'): Promise<Statement[]> {
  let statements: Statement[] = [];
  await expect
    .poll(
      async () => {
        statements = await statementsOf(request, page);
        return statements.some((s) => s.verb.id.endsWith(`/${verb}`));
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return statements;
}

/** Check a statement's signature as the review page does: GET with attachments=true, then the site's JWKS. */
async function verification(request: APIRequestContext, statement: Statement): Promise<string> {
  const res = await request.get(`/xapi/statements?statementId=${statement.id}&attachments=true`, {
    headers: { Authorization: readAuth, 'X-Experience-API-Version': '1.0.3' },
  });
  expect(res.status()).toBe(200);
  const { json, parts } = parseStatementRequest(await res.body(), res.headers()['content-type'] ?? '');
  const texts = new Map([...parts].map(([sha2, part]) => [sha2, part.content.toString('utf8')]));
  const verify = createVerifier(await fetchJwks(`${baseURL}/.well-known/jwks.json`), baseURL);
  const result = await verify(json as object, texts);
  return result.status === 'verified' ? 'verified' : result.reason;
}

test('a final assessment taken online is graded by the server, shown at once, and its completion is signed', async ({ page, request }) => {
  await page.goto(page_);
  await chooseLearner(page, 'Amina Diallo');
  await answerQuiz(page, quiz, 'en', (i) => i !== 0);
  await page.getByRole('button', { name: 'Check my answers' }).click();
  const status = page.getByRole('status').filter({ hasText: 'Passed' });
  await expect(status).toBeVisible();
  await expect(status).toContainText(`Your score: ${quiz.questions.length - 1} out of ${quiz.questions.length}`);
  // The server's verdict per question: the first was answered wrong.
  await expect(page.locator('.quiz-question').first().locator('.quiz-verdict')).toHaveClass(/is-wrong/);
  await expect(page.locator('.quiz-question').nth(1).locator('.quiz-verdict')).toHaveClass(/is-right/);

  const statements = await gradedStatements(request, page, 'passed');
  const agent = await learnerAgent(page);
  const verbs = statements.map((s) => s.verb.id.split('/').at(-1)).sort();
  expect(verbs).toEqual([...quiz.questions.map(() => 'answered'), 'completed', 'passed'].sort());
  for (const s of statements) {
    expect(s.actor).toEqual(agent);
    expect(s.authority).toEqual({ objectType: 'Agent', name: 'Site grader', account: { homePage: baseURL, name: 'site-grader' } });
  }
  const completed = statements.find((s) => s.verb.id.endsWith('/completed'))!;
  expect((completed.object as { id: string }).id).toBe(`${activityBase}modules/${module}`);
  expect(await verification(request, completed)).toBe('verified');
  expect(
    await verification(
      request,
      statements.find((s) => s.verb.id.endsWith('/passed'))!,
    ),
  ).toBe('verified');

  await page.goto(`/en/modules/${module}/`);
  await expect(page.getByText('You have completed this module.')).toBeVisible();
});

test('a final assessment taken offline waits on the device, then is graded and verified when the connection returns', async ({
  page,
  context,
  request,
}) => {
  await page.goto(page_);
  await chooseLearner(page, 'Carlos Pérez');
  // The credential comes from the server before the connection drops; the attempt then waits.
  await learnerAgent(page);
  await answerQuiz(page, quiz, 'en', () => true);
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Check my answers' }).click();
  const quizStatus = page.locator('.quiz-section').getByRole('status');
  await expect(quizStatus).toContainText('Your answers are saved and will be graded when you are back online.');
  await expect(page.getByRole('button', { name: 'Check my answers' })).toBeDisabled();
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('dce.attempts.q.')).length)).toBe(1);
  expect((await statementsOf(request, page)).filter((s) => !s.verb.id.endsWith('/experienced'))).toEqual([]);

  await context.setOffline(false);
  await expect(page.getByRole('status').filter({ hasText: 'Passed' })).toBeVisible({ timeout: 20_000 });
  await expect(quizStatus).toContainText(`Your score: ${quiz.questions.length} out of ${quiz.questions.length}`);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('dce.attempts.q.')).length)).toBe(0);
  const statements = await gradedStatements(request, page, 'passed');
  const completed = statements.filter((s) => s.verb.id.endsWith('/completed'));
  expect(completed).toHaveLength(1);
  expect(await verification(request, completed[0]!)).toBe('verified');
});

test('a failed final assessment shows the server grade and completes nothing', async ({ page, request }) => {
  await page.goto(page_);
  await chooseLearner(page, 'Lina Haddad');
  await answerQuiz(page, quiz, 'en', (i) => i < 5);
  await page.getByRole('button', { name: 'Check my answers' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Not yet passed' })).toBeVisible();
  const statements = await gradedStatements(request, page, 'failed');
  expect(statements.filter((s) => s.verb.id.endsWith('/completed') || s.verb.id.endsWith('/passed'))).toEqual([]);
  await page.goto(`/en/modules/${module}/`);
  await expect(page.getByText('You have completed this module.')).toBeHidden();
});

test('an attempt submitted offline survives closing the tab and is graded from the next page opened online', async ({
  page,
  context,
  request,
}) => {
  await page.goto(page_);
  await chooseLearner(page, 'Mei Chen');
  await learnerAgent(page);
  await answerQuiz(page, quiz, 'en', () => true);
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Check my answers' }).click();
  await expect(page.locator('.quiz-section').getByRole('status')).toContainText('will be graded when you are back online');
  await page.close();

  await context.setOffline(false);
  const next = await context.newPage();
  await next.goto(`/en/modules/${module}/`);
  await expect
    .poll(() => next.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('dce.attempts.graded.')).length), {
      timeout: 20_000,
    })
    .toBe(1);
  expect(await next.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('dce.attempts.q.')).length)).toBe(0);
  const statements = await gradedStatements(request, next, 'passed');
  expect(statements.filter((s) => s.verb.id.endsWith('/completed'))).toHaveLength(1);
  await next.reload();
  await expect(next.getByText('You have completed this module.')).toBeVisible();
});
