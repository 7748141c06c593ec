import { expect, test } from '@playwright/test';
import { answerQuiz, chooseLearner, loadQuiz, statementsOf, waitForOutboxEmpty } from './helpers.ts';
import { languages } from '../../src/i18n/languages.ts';

const module = 'understanding-the-convention';
const lessons = ['objectives-and-principles', 'key-definitions', 'rights-and-obligations', 'cooperation-and-governance'];

test('a learner downloads a module, studies it offline, and every statement reaches the LRS exactly once', async ({
  page,
  context,
  request,
}) => {
  test.setTimeout(120_000);
  const email = `offline-module.${Date.now()}@example.org`;
  await page.goto(`/fr/modules/${module}/`);
  await chooseLearner(page, 'Awa Traoré', email);
  await page.evaluate(() => navigator.serviceWorker.ready);

  const section = page.locator('.module-download');
  await section.getByRole('button', { name: "Télécharger ce module pour l'étudier hors ligne" }).click();
  await expect(section.getByRole('status')).toContainText("Téléchargé pour l'étude hors ligne");
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

test("the site installs in the learner's language: each language has its web app manifest", async ({ request }) => {
  for (const lang of languages) {
    const manifest = await (await request.get(`/${lang}/manifest.webmanifest`)).json();
    expect(manifest).toMatchObject({ lang, start_url: `/${lang}/`, display: 'standalone' });
  }
  const fr = await (await request.get('/fr/manifest.webmanifest')).json();
  expect(fr.name).toContain('Diversité');
});

test("a page never visited opens the site's own offline page, in the language of its address", async ({ page, context }) => {
  await page.goto('/fr/');
  // The service worker has installed (its precache holds the offline pages) and controls the page.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  const never = [
    {
      lang: 'fr',
      path: '/fr/modules/cultural-statistics-and-indicators/computing-an-indicator/',
      title: 'Vous êtes hors ligne',
      retry: 'Réessayer',
    },
    { lang: 'es', path: '/es/glossary/', title: 'Está sin conexión', retry: 'Reintentar' },
    { lang: 'en', path: '/en/modules/ifcd-project-design/', title: 'You are offline', retry: 'Try again' },
  ];
  for (const { lang, path, title, retry } of never) {
    await page.goto(path);
    await expect(page).toHaveURL(path);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(page.getByRole('link', { name: retry })).toBeVisible();
  }
  // Back online, "Try again" opens the page the learner asked for.
  await context.setOffline(false);
  await page.getByRole('link', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('You are offline');
  await expect(page).toHaveURL('/en/modules/ifcd-project-design/');
});

test('on a first visit that goes offline before the quiz is ready, the quiz says it cannot start, in each language', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  // No service worker yet: the island's code is fetched only when the quiz comes into view.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const visits = [
    { path: '/fr/modules/understanding-the-convention/key-definitions/', text: 'Ce quiz ne peut pas démarrer' },
    { path: '/es/modules/understanding-the-convention/key-definitions/', text: 'Este cuestionario no puede comenzar' },
    { path: '/en/modules/understanding-the-convention/key-definitions/', text: 'This quiz cannot start' },
  ];
  for (const { path, text } of visits) {
    await context.setOffline(false);
    await page.goto(path);
    const notice = page.locator('[data-quiz-offline]');
    await expect(notice).toBeHidden();
    await context.setOffline(true);
    await page.locator('.quiz-section').scrollIntoViewIfNeeded();
    await expect(page.getByRole('status').filter({ hasText: text })).toBeVisible({ timeout: 10_000 });
    await expect(page.locator('astro-island').filter({ has: page.locator('.quiz') })).toHaveAttribute('ssr', /.*/);
  }
  // Online, the same visit hydrates the quiz and shows no notice.
  await context.setOffline(false);
  await page.goto(visits[2]!.path);
  await page.locator('.quiz-section').scrollIntoViewIfNeeded();
  await expect(page.locator('.quiz-island[data-hydrated="true"]')).toBeVisible();
  await page.waitForTimeout(5_000);
  await expect(page.locator('[data-quiz-offline]')).toBeHidden();
  await context.close();
});
