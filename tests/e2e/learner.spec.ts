import { expect, test } from '@playwright/test';
import { activityBase, answerQuiz, chooseLearner, learnerAgent, loadQuiz, statementsOf, waitForOutboxEmpty } from './helpers.ts';

const module = 'understanding-the-convention';
const lesson = 'objectives-and-principles';
const lessonIri = `${activityBase}modules/${module}/lessons/${lesson}`;
const quizKey = 'm1-l1-objectives-principles';

test('a learner studies lesson 1 in French and finds every answer recorded in the LRS under the agent the server issued', async ({
  page,
  request,
  baseURL,
}) => {
  const email = `amelie.${Date.now()}@example.org`;
  const quiz = loadQuiz(quizKey);
  await page.goto(`/fr/modules/${module}/${lesson}/`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await chooseLearner(page, 'Amélie Durand', email);

  await answerQuiz(page, quiz, 'fr', () => true);
  await page.getByRole('button', { name: 'Vérifier mes réponses' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Réussi' })).toBeVisible();
  await waitForOutboxEmpty(page);

  const agent = await learnerAgent(page);
  expect(agent).toEqual({ objectType: 'Agent', name: 'Amélie Durand', account: { homePage: baseURL, name: expect.any(String) } });
  const statements = await statementsOf(request, page);
  const byVerb = (verb: string) => statements.filter((s) => s.verb.id === `http://adlnet.gov/expapi/verbs/${verb}`);
  for (const s of statements) {
    expect(s.context?.language).toBe('fr');
    // The email stays with the server's learner record: no statement carries it.
    expect(s.actor).toEqual(agent);
  }
  expect(JSON.stringify(statements)).not.toContain(email);
  const experienced = byVerb('experienced');
  expect(experienced).toHaveLength(1);
  expect(experienced[0]!.object).toMatchObject({ id: lessonIri });
  expect(lessonIri).not.toMatch(/\/fr\//);
  expect((experienced[0]!.object as { definition: { name: Record<string, string> } }).definition.name).toHaveProperty('en');

  const answered = byVerb('answered');
  expect(answered.map((s) => (s.object as { id: string }).id).sort()).toEqual(
    quiz.questions.map((q) => `${activityBase}quizzes/${quizKey}/questions/${q.id}`).sort(),
  );
  for (const s of answered) {
    expect(s.result?.success).toBe(true);
    expect((s.object as { definition: { type: string } }).definition.type).toBe('http://adlnet.gov/expapi/activities/cmi.interaction');
    expect(s.context?.contextActivities?.parent).toEqual([expect.objectContaining({ id: `${activityBase}quizzes/${quizKey}` })]);
  }
  const passed = byVerb('passed');
  expect(passed).toHaveLength(1);
  expect(passed[0]!.result?.score).toEqual({ scaled: 1, raw: quiz.questions.length, min: 0, max: quiz.questions.length });
  expect(passed[0]!.result?.duration).toMatch(/^PT/);
  expect(byVerb('completed').map((s) => (s.object as { id: string }).id)).toEqual([lessonIri]);
  // One registration per learner when no workshop link was used.
  expect(new Set(statements.map((s) => s.context?.registration)).size).toBe(1);
});

test('answers given on a first visit while the server is unreachable wait for the credential, then are sent, each exactly once', async ({
  page,
  request,
}) => {
  const email = `offline.${Date.now()}@example.org`;
  const quiz = loadQuiz(quizKey);
  // Neither the LRS nor the credential service can be reached: no credential can be had yet.
  await page.route('**/xapi/statements**', (route) => route.abort('internetdisconnected'));
  await page.route('**/api/learners', (route) => route.abort('internetdisconnected'));
  await page.goto(`/es/modules/${module}/${lesson}/`);
  await chooseLearner(page, 'Lucía Pérez', email);
  await answerQuiz(page, quiz, 'es', (i) => i !== 0 && i !== 1);
  await page.getByRole('button', { name: 'Comprobar mis respuestas' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Todavía no aprobado' })).toBeVisible();
  const waiting = quiz.questions.length + 2; // answered per question, failed, experienced
  await expect(page.locator('[data-outbox-status]')).toHaveText(`${waiting} registros pendientes de envío`);

  expect(await page.evaluate(() => localStorage.getItem('dce.credential'))).toBeNull();

  await page.unroute('**/xapi/statements**');
  await page.unroute('**/api/learners');
  await page.reload();
  await waitForOutboxEmpty(page);

  const agent = await learnerAgent(page);
  const statements = await statementsOf(request, page);
  for (const s of statements) expect(s.actor).toEqual(agent);
  const ids = statements.map((s) => s.id);
  expect(new Set(ids).size).toBe(ids.length);
  const count = (verb: string) => statements.filter((s) => s.verb.id.endsWith(`/${verb}`)).length;
  expect(count('answered')).toBe(quiz.questions.length);
  expect(count('failed')).toBe(1);
  expect(count('experienced')).toBe(2); // the first visit, queued offline, and the reload
  expect(count('passed') + count('completed')).toBe(0);
});

test('passing every lesson and the final assessment completes the module', async ({ page, request }) => {
  test.setTimeout(180_000);
  const email = `kwame.${Date.now()}@example.org`;
  const lessons = ['objectives-and-principles', 'key-definitions', 'rights-and-obligations', 'cooperation-and-governance'];
  await page.goto(`/en/modules/${module}/`);
  await chooseLearner(page, 'Kwame Mensah', email);
  for (const slug of lessons) {
    await page.goto(`/en/modules/${module}/${slug}/`);
    const quizKey = (await page.locator('.quiz-section').getAttribute('aria-labelledby'))!.replace(/-title$/, '');
    await answerQuiz(page, loadQuiz(quizKey), 'en', () => true);
    await page.getByRole('button', { name: 'Check my answers' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Passed' })).toBeVisible();
  }
  await page.goto(`/en/modules/${module}/`);
  await expect(page.getByText('4 of 4 lessons complete')).toBeVisible();
  await page.getByRole('link', { name: 'Final assessment' }).click();
  await answerQuiz(page, loadQuiz('m1-final-assessment'), 'en', () => true);
  await page.getByRole('button', { name: 'Check my answers' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Passed' })).toBeVisible();
  await waitForOutboxEmpty(page);

  const completed = (await statementsOf(request, page)).filter((s) => s.verb.id.endsWith('/completed'));
  const objects = completed.map((s) => (s.object as { id: string }).id);
  expect(objects.filter((id) => id.includes('/lessons/'))).toHaveLength(4);
  expect(objects.filter((id) => id === `${activityBase}modules/${module}`)).toHaveLength(1);
  await page.goto(`/en/modules/${module}/`);
  await expect(page.getByText('You have completed this module.')).toBeVisible();
});

test('a different learner takes over the device only once its records are sent, and gets a credential of their own', async ({ page }) => {
  await page.route('**/xapi/statements**', (route) => route.abort('internetdisconnected'));
  await page.goto(`/en/modules/${module}/${lesson}/`);
  await chooseLearner(page, 'Aïcha Bello');
  const first = await learnerAgent(page);
  await expect(page.locator('[data-outbox-status]')).toHaveText('1 record waiting to be sent');

  await page.getByRole('button', { name: 'Change' }).click();
  const welcome = page.getByRole('region', { name: 'Who is learning?' });
  await welcome.getByLabel('Your name').fill('Bako Issa');
  await welcome.getByRole('button', { name: 'Record my progress under my name' }).click();
  await expect(welcome.getByRole('alert')).toHaveText(/still waiting to be sent/);
  expect(await learnerAgent(page)).toEqual(first);

  await page.unroute('**/xapi/statements**');
  await page.reload();
  await waitForOutboxEmpty(page);
  await page.getByRole('button', { name: 'Change' }).click();
  await welcome.getByLabel('Your name').fill('Bako Issa');
  await welcome.getByRole('button', { name: 'Record my progress under my name' }).click();
  await expect(welcome).toBeHidden();
  await expect(page.locator('[data-learner-status]')).toHaveText('Learning as Bako Issa');
  await expect.poll(async () => (await learnerAgent(page)).name).toBe('Bako Issa');
  expect((await learnerAgent(page)).account.name).not.toBe(first.account.name);
});
