import { expect, test } from '@playwright/test';
import { answerQuiz, chooseLearner, loadQuiz, statementsOf, waitForOutboxEmpty } from './helpers.ts';

const module = 'understanding-the-convention';
const lessons = ['objectives-and-principles', 'key-definitions', 'rights-and-obligations', 'cooperation-and-governance'];

test('a learner downloads a module, studies it offline, and every statement reaches the LRS exactly once', async ({ page, context, request }) => {
  test.setTimeout(120_000);
  const email = `offline-module.${Date.now()}@example.org`;
  await page.goto(`/fr/modules/${module}/`);
  await chooseLearner(page, 'Awa Traoré', email);
  await page.evaluate(() => navigator.serviceWorker.ready);

  const section = page.locator('.module-download');
  await section.getByRole('button', { name: 'Télécharger ce module pour l\'étudier hors ligne' }).click();
  await expect(section.getByRole('status')).toContainText('Téléchargé pour l\'étude hors ligne');
  await expect(section).toHaveAttribute('data-status', 'downloaded');

  await context.setOffline(true);
  for (const slug of lessons) {
    await page.goto(`/fr/modules/${module}/${slug}/`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.locator('.objectives li').first()).toBeVisible();
  }
  const quiz = loadQuiz('m1-l4-cooperation-governance');
  await answerQuiz(page, quiz, 'fr', () => true);
  await page.getByRole('button', { name: 'Vérifier mes réponses' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Réussi' })).toBeVisible();
  // Four lesson views, one answer per question, passed, completed.
  const waiting = lessons.length + quiz.questions.length + 2;
  await expect(page.locator('[data-outbox-status]')).toHaveText(`${waiting} enregistrements en attente d'envoi`);

  await context.setOffline(false);
  await waitForOutboxEmpty(page);
  const statements = await statementsOf(request, page);
  expect(statements).toHaveLength(waiting);
  expect(new Set(statements.map((s) => s.id)).size).toBe(waiting);
  expect(statements.filter((s) => s.verb.id.endsWith('/experienced'))).toHaveLength(lessons.length);
});

test('the site installs in the learner\'s language: each language has its web app manifest', async ({ request }) => {
  for (const lang of ['en', 'fr', 'es']) {
    const manifest = await (await request.get(`/${lang}/manifest.webmanifest`)).json();
    expect(manifest).toMatchObject({ lang, start_url: `/${lang}/`, display: 'standalone' });
  }
  const fr = await (await request.get('/fr/manifest.webmanifest')).json();
  expect(fr.name).toContain('Diversité');
});
