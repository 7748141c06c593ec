import { expect, test, type Page } from '@playwright/test';
import type { Statement } from '@xapi/xapi';
import {
  activityBase,
  answerQuiz,
  chooseLearner,
  learnerAgent,
  learnerCredential,
  loadQuiz,
  readAuth,
  statementsOf,
  waitForOutboxEmpty,
} from './helpers.ts';
import { languages } from '../../src/i18n/languages.ts';

const module = 'understanding-the-convention';
const lesson = 'objectives-and-principles';

/** Open "Continue on another device" and read the code and the link of its QR code. */
async function showCode(page: Page): Promise<{ code: string; link: string }> {
  await page.getByRole('button', { name: 'Continue on another device' }).click();
  const dialog = page.getByRole('dialog', { name: 'Continue on another device' });
  await expect(dialog.locator('[data-transfer-qr] svg')).toBeVisible();
  const code = (await dialog.locator('[data-transfer-code]').textContent())!;
  expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  const link = (await dialog.locator('[data-transfer-link]').getAttribute('href'))!;
  expect(link).toMatch(new RegExp(`/en/continue/#code=${code}$`));
  await dialog.getByRole('button', { name: 'Close' }).click();
  return { code, link };
}

test('continue on another device: a second browser claims the code from the QR link and shows the same progress', async ({
  browser,
  baseURL,
}) => {
  const phone = await browser.newPage({ baseURL: baseURL ?? '' });
  const laptop = await browser.newPage({ baseURL: baseURL ?? '' });
  await laptop.goto(`/en/modules/${module}/${lesson}/`);
  await chooseLearner(laptop, 'Fatou Ndiaye', `fatou.${Date.now()}@example.org`);
  await answerQuiz(laptop, loadQuiz('m1-l1-objectives-principles'), 'en', () => true);
  await laptop.getByRole('button', { name: 'Check my answers' }).click();
  await expect(laptop.getByRole('status').filter({ hasText: 'Passed' })).toBeVisible();
  await waitForOutboxEmpty(laptop);
  await laptop.goto(`/en/modules/${module}/`);
  await expect(laptop.getByText('1 of 4 lessons complete')).toBeVisible();
  const agent = await learnerAgent(laptop);

  const { link } = await showCode(laptop);
  await phone.goto(link);
  await expect(phone.getByRole('status').filter({ hasText: 'Welcome back, Fatou Ndiaye.' })).toBeVisible();
  // The code left the address bar, and the phone holds a credential of its own for the same agent.
  expect(phone.url()).not.toContain('#code');
  const phoneCredential = await learnerCredential(phone);
  expect(phoneCredential.agent).toEqual(agent);
  expect(phoneCredential.key).not.toBe((await learnerCredential(laptop)).key);

  await phone.goto(`/en/modules/${module}/`);
  await expect(phone.getByText('1 of 4 lessons complete')).toBeVisible();
  await expect(phone.locator('[data-learner-status]')).toHaveText('Learning as Fatou Ndiaye');

  // What the phone records next is the same learner's, in the same registration.
  await phone.goto(`/en/modules/${module}/key-definitions/`);
  // The lesson tracker loads after the page has painted: the outbox may be empty before it queues.
  const lessonIri = `${activityBase}modules/${module}/lessons/key-definitions`;
  const viewedCount = async () => {
    await waitForOutboxEmpty(phone);
    return (await statementsOf(phone.request, phone)).filter((s) => (s.object as { id: string }).id === lessonIri).length;
  };
  await expect.poll(viewedCount, { timeout: 15_000 }).toBe(1);
  const statements = await statementsOf(phone.request, phone);
  expect(new Set(statements.map((s) => s.context?.registration)).size).toBe(1);
  await phone.close();
  await laptop.close();
});

test('a code typed in French works once; a used code is refused with a clear message', async ({ browser, baseURL }) => {
  const first = await browser.newPage({ baseURL: baseURL ?? '' });
  await first.goto('/en/');
  await chooseLearner(first, null);
  const agent = await learnerAgent(first);
  expect(agent.name).toMatch(/^Learner [2-9A-HJKMNP-Z]{4}$/);
  const { code } = await showCode(first);

  const second = await browser.newPage({ baseURL: baseURL ?? '' });
  await second.goto('/fr/continue/');
  await expect(second.getByRole('region', { name: /Qui apprend/ })).toHaveCount(0);
  await expect(second.locator('[data-continue-form][data-ready="true"]')).toHaveCount(1);
  await second.getByLabel('Code (par exemple K7P3-XM4Q)').fill(code.toLowerCase().replace('-', ' '));
  await second.getByRole('button', { name: 'Continuer ici' }).click();
  await expect(second.getByRole('status').filter({ hasText: `Bon retour, ${agent.name}.` })).toBeVisible();
  expect((await learnerCredential(second)).agent).toEqual(agent);

  const third = await browser.newPage({ baseURL: baseURL ?? '' });
  await third.goto('/fr/continue/');
  await expect(third.locator('[data-continue-form][data-ready="true"]')).toHaveCount(1);
  await third.getByLabel('Code (par exemple K7P3-XM4Q)').fill(code);
  await third.getByRole('button', { name: 'Continuer ici' }).click();
  await expect(third.getByRole('alert').filter({ hasText: 'Ce code ne fonctionne pas' })).toBeVisible();
  expect(await third.evaluate(() => localStorage.getItem('dce.credential'))).toBeNull();
  for (const p of [first, second, third]) await p.close();
});

test('a learner with progress from before credentials keeps it, and what waited in the outbox is sent under the new agent', async ({
  page,
  request,
}) => {
  const registration = 'b7e4c1d2-3a5f-4e6b-9c8d-7f0a1b2c3d4e';
  const lessonIri = `${activityBase}modules/${module}/lessons/${lesson}`;
  const waitingId = 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f';
  const timestamp = '2026-11-30T09:15:00.000Z';
  // What the first release left on the device: a named learner (mbox actor), their progress, one statement queued offline.
  await page.addInitScript(
    ({ registration, lessonIri, waitingId, timestamp }) => {
      if (localStorage.getItem('dce.learner')) return;
      localStorage.setItem(
        'dce.learner',
        JSON.stringify({ kind: 'named', name: 'Ama Owusu', email: 'ama.owusu@example.org', registration }),
      );
      localStorage.setItem(
        `dce.progress.${registration}`,
        JSON.stringify({ lessonsCompleted: [lessonIri], assessmentsPassed: [], modulesCompleted: [] }),
      );
      const waiting = {
        id: waitingId,
        timestamp,
        actor: { objectType: 'Agent', name: 'Ama Owusu', mbox: 'mailto:ama.owusu@example.org' },
        verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced' } },
        object: { objectType: 'Activity', id: lessonIri },
        context: { registration, language: 'en' },
      };
      localStorage.setItem(`dce.outbox.q.${timestamp}.${waitingId}`, JSON.stringify(waiting));
    },
    { registration, lessonIri, waitingId, timestamp },
  );

  await page.goto(`/en/modules/${module}/`);
  await expect(page.getByRole('region', { name: 'Who is learning?' })).toBeHidden();
  await expect(page.getByText('1 of 4 lessons complete')).toBeVisible();
  const agent = await learnerAgent(page);
  expect(agent.name).toBe('Ama Owusu');
  await waitForOutboxEmpty(page);

  const res = await request.get(`/xapi/statements?statementId=${waitingId}`, {
    headers: { Authorization: readAuth, 'X-Experience-API-Version': '1.0.3' },
  });
  expect(res.status(), await res.text()).toBe(200);
  const sent = (await res.json()) as Statement;
  expect(sent).toMatchObject({ id: waitingId, timestamp, actor: agent, context: { registration } });
  expect(JSON.stringify(sent)).not.toContain('ama.owusu@example.org');
  // The local progress is still there after the upgrade.
  expect(JSON.parse((await page.evaluate((r) => localStorage.getItem(`dce.progress.${r}`), registration))!)).toEqual({
    lessonsCompleted: [lessonIri],
    assessmentsPassed: [],
    modulesCompleted: [],
  });
});

for (const lang of languages) {
  test(`the continue page in ${lang}, and the transfer dialog over a page, have no serious accessibility violation`, async ({ page }) => {
    const AxeBuilder = (await import('@axe-core/playwright')).default;
    const serious = async () =>
      (await new AxeBuilder({ page }).analyze()).violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id);
    await page.goto(`/${lang}/continue/`);
    await expect(page.locator('[data-continue-form][data-ready="true"]')).toHaveCount(1);
    expect(await serious()).toEqual([]);
    await page.goto(`/${lang}/`);
    await chooseLearner(page, 'Mariam Diallo');
    await page.locator('[data-transfer-open]').click();
    await expect(page.locator('[data-transfer-qr] svg')).toBeVisible();
    expect(await serious()).toEqual([]);
  });
}
