import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import {
  activityBase,
  answerQuiz,
  chooseLearner,
  createTrainerCredential,
  fetchStatements,
  learnerAgent,
  learnerCredential,
  loadQuiz,
  waitForOutboxEmpty,
} from './helpers.ts';
import { languages } from '../../src/i18n/languages.ts';

test('a trainer creates a workshop; a participant who joins through its link records its registration, cohort and country', async ({
  browser,
  baseURL,
}) => {
  const trainer = await browser.newPage({ baseURL: baseURL ?? '' });
  await trainer.goto('/es/trainer/');
  await trainer.getByLabel('Módulo').selectOption('understanding-the-convention');
  await trainer.getByLabel('Nombre de la cohorte').fill('Bogotá, abril de 2027');
  await trainer.getByLabel('País (código ISO de dos letras)').fill('co');
  await trainer.getByRole('button', { name: 'Crear el enlace del taller' }).click();
  const link = trainer.locator('[data-workshop-link]');
  await expect(link).toHaveAttribute('href', /registration=/);
  await expect(trainer.locator('[data-workshop-qr] svg')).toBeVisible();
  const href = (await link.getAttribute('href'))!;
  const registration = new URL(href).searchParams.get('registration')!;
  await trainer.close();

  const participant = await browser.newPage({ baseURL: baseURL ?? '' });
  await participant.goto(href);
  await chooseLearner(participant, 'Camila Rojas', `camila.${Date.now()}@example.org`);
  await participant
    .getByRole('link', { name: /Objetivos y principios rectores/ })
    .first()
    .click();
  await answerQuiz(participant, loadQuiz('m1-l1-objectives-principles'), 'es', () => true);
  await participant.getByRole('button', { name: 'Comprobar mis respuestas' }).click();
  await expect(participant.getByRole('status').filter({ hasText: 'Aprobado' })).toBeVisible();
  await waitForOutboxEmpty(participant);

  const agent = await learnerAgent(participant);
  const statements = await fetchStatements(participant.request, { registration });
  expect(statements.length).toBeGreaterThan(5);
  for (const s of statements) {
    expect(s.actor).toEqual(agent);
    expect(s.context?.registration).toBe(registration);
    expect(s.context?.team).toMatchObject({ objectType: 'Group', name: 'Bogotá, abril de 2027' });
    expect(s.context?.extensions).toEqual({
      [`${activityBase}extensions/cohort`]: 'Bogotá, abril de 2027',
      [`${activityBase}extensions/country`]: 'CO',
    });
  }
  await participant.close();
});

test('the workshop form refuses a country that is not a two-letter code', async ({ page }) => {
  await page.goto('/en/trainer/');
  await page.getByLabel('Cohort name').fill('Test cohort');
  await page.getByLabel('Country (two-letter ISO code)').fill('S1');
  await page.getByRole('button', { name: 'Create the workshop link' }).click();
  await expect(page.locator('[data-workshop-error]')).toHaveText(/two-letter ISO 3166 code/);
});

/** Create a workshop on the trainer page (French) and return its registration. */
async function createWorkshop(page: Page, cohort: string): Promise<string> {
  await page.goto('/fr/trainer/');
  await page.getByLabel('Module').selectOption('understanding-the-convention');
  await page.getByLabel('Nom de la cohorte').fill(cohort);
  await page.getByLabel('Pays (code ISO à deux lettres)').fill('CI');
  await page.getByRole('button', { name: "Créer le lien de l'atelier" }).click();
  const href = (await page.locator('[data-workshop-link]').getAttribute('href'))!;
  return new URL(href).searchParams.get('registration')!;
}

/** Type a credential into the trainer page's form. */
async function useCredential(page: Page, credential: { key: string; secret: string }) {
  await page.getByLabel('Clé', { exact: true }).fill(credential.key);
  await page.getByLabel('Secret', { exact: true }).fill(credential.secret);
  await page.getByRole('button', { name: 'Utiliser ces identifiants' }).click();
  await expect(page.getByText('Des identifiants de formateur sont conservés pour cette session du navigateur.')).toBeVisible();
}

const attended = (request: APIRequestContext, registration: string) =>
  fetchStatements(request, { registration, verb: 'http://adlnet.gov/expapi/verbs/attended' });

test('a trainer records attendance with their trainer credential; the LRS holds one "attended" statement per participant', async ({
  page,
  request,
}) => {
  const registration = await createWorkshop(page, `Abidjan ${Date.now()}`);
  await useCredential(page, createTrainerCredential('trainer e2e Abidjan'));
  // Kept for the browser session only: nothing of it in localStorage.
  expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain('"secret"');
  await page.getByLabel('Séance').selectOption({ index: 1 });
  await page.getByLabel('Participants présents').fill('Awa Koné <awa.kone@example.org>\nYao Kouassi <yao.kouassi@example.org>');
  await page.getByRole('button', { name: 'Enregistrer les présences' }).click();
  await expect(page.locator('[data-attendance-status]')).toHaveText(/^2 présences enregistrées/);
  await expect(page.locator('[data-attendance-error]')).toHaveText('');
  await expect.poll(async () => (await attended(request, registration)).length, { timeout: 20_000 }).toBe(2);
  const statements = await attended(request, registration);
  expect(statements.map((s) => (s.actor as { mbox: string }).mbox).sort()).toEqual([
    'mailto:awa.kone@example.org',
    'mailto:yao.kouassi@example.org',
  ]);
  for (const s of statements) expect((s.object as { id: string }).id).toBe(`${activityBase}workshops/${registration}/sessions/day-1-2`);
});

test('a learner credential cannot record attendance: the page says so, and the records wait for a trainer credential', async ({
  page,
  request,
}) => {
  await page.goto('/fr/');
  await chooseLearner(page, 'Koffi Yao');
  const learner = await learnerCredential(page);
  const registration = await createWorkshop(page, `Bouaké ${Date.now()}`);
  await useCredential(page, learner);
  await page.getByLabel('Séance').selectOption({ index: 0 });
  await page.getByLabel('Participants présents').fill('Awa Koné <awa.kone@example.org>');
  await page.getByRole('button', { name: 'Enregistrer les présences' }).click();
  await expect(page.locator('[data-attendance-error]')).toContainText("Ces identifiants ne permettent pas d'enregistrer les présences");
  expect(await attended(request, registration)).toHaveLength(0);

  await page.getByRole('button', { name: 'Les oublier' }).click();
  await useCredential(page, createTrainerCredential('trainer e2e Bouaké'));
  await expect.poll(async () => (await attended(request, registration)).length, { timeout: 20_000 }).toBe(1);
  await expect(page.locator('[data-attendance-error]')).toHaveText('');
});

for (const lang of languages) {
  test(`the trainer page in ${lang} has no serious accessibility violation`, async ({ page }) => {
    const AxeBuilder = (await import('@axe-core/playwright')).default;
    await page.goto(`/${lang}/trainer/`);
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });
}
