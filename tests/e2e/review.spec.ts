import { expect, test, type Browser } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { answerQuiz, chooseLearner, loadQuiz, waitForOutboxEmpty } from './helpers.ts';
import { languages, type Language } from '../../src/i18n/languages.ts';

const quizKey = 'm1-l1-objectives-principles';
const lessonPath = 'modules/understanding-the-convention/objectives-and-principles/';

/** A learner joins a workshop through its link and passes or fails lesson 1's quiz. */
async function learnerTakesQuiz(
  browser: Browser,
  baseURL: string,
  opts: { lang: Language; name: string; cohort: string; country: string; registration: string; pass: boolean },
) {
  const page = await browser.newPage({ baseURL });
  await page.goto(
    `/${opts.lang}/modules/understanding-the-convention/?registration=${opts.registration}&cohort=${encodeURIComponent(opts.cohort)}&country=${opts.country}`,
  );
  await chooseLearner(page, opts.name, `${opts.name.replace(/\W/g, '').toLowerCase()}.${Date.now()}@example.org`);
  await page.goto(`/${opts.lang}/${lessonPath}`);
  await answerQuiz(page, loadQuiz(quizKey), opts.lang, (i) => opts.pass || i > 2);
  await page.locator('.quiz button[type=submit]').click();
  await expect(page.locator('.quiz-outcome')).toBeVisible();
  await waitForOutboxEmpty(page);
  await page.close();
}

async function openReview(browser: Browser, baseURL: string, key: string, secret: string, cohort: string) {
  const page = await browser.newPage({ baseURL, acceptDownloads: true });
  await page.goto('/en/review/');
  await page.getByLabel('Read key').fill(key);
  await page.getByLabel('Read secret').fill(secret);
  await page.getByLabel('Cohort').fill(cohort);
  await page.getByRole('button', { name: 'Read statements' }).click();
  return page;
}

test('a reviewer sees completions, pass rates and question results per cohort, and the CSV export matches', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const cohort = `Review cohort ${Date.now()}`;
  const registration = crypto.randomUUID();
  const base = baseURL ?? '';
  await learnerTakesQuiz(browser, base, { lang: 'fr', name: 'Aminata', cohort, country: 'SN', registration, pass: true });
  await learnerTakesQuiz(browser, base, { lang: 'fr', name: 'Moussa', cohort, country: 'SN', registration, pass: false });
  await learnerTakesQuiz(browser, base, {
    lang: 'es',
    name: '<img src=x onerror="window.__xss=1">Zoé <b>bold</b>',
    cohort,
    country: 'SN',
    registration,
    pass: true,
  });

  const page = await openReview(browser, base, 'reviewer', 'reviewer-read-secret', cohort);
  await expect(page.locator('[data-review-status]')).toContainText('statements read.');
  const rows = page.locator('table[data-view=groups] tbody tr');
  await expect(rows).toHaveCount(2);
  const fr = rows.filter({ hasText: cohort }).filter({ has: page.locator('td', { hasText: /^fr$/ }) });
  await expect(fr.locator('td').nth(4)).toHaveText('2');
  await expect(fr.locator('td').nth(6)).toHaveText('2');
  await expect(fr.locator('td').nth(7)).toHaveText('1');
  await expect(fr.locator('td').nth(8)).toHaveText('50%');

  // The name with markup is shown as text and never runs.
  await expect(page.locator('table[data-view=learners]')).toContainText('<img src=x onerror="window.__xss=1">Zoé <b>bold</b>');
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  await expect(page.locator('table[data-view=learners] b')).toHaveCount(0);

  // Times and days are written for people, in the page's language (Intl.DateTimeFormat), never as
  // raw ISO 8601; the statements' own timestamps stay in their JSON, in the closed disclosures.
  const shown = await page.locator('[data-review-results]').innerText();
  expect(shown).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d|\b\d{4}-\d\d-\d\d\b/);
  await expect(page.locator('table[data-view=learners] tbody tr').first()).toContainText(String(new Date().getUTCFullYear()));

  const questions = page.locator('table[data-view=questions] tbody tr');
  await expect(questions).toHaveCount(loadQuiz(quizKey).questions.length);

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export=groups]').click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.startsWith('\uFEFF')).toBe(true);
  expect(csv).toContain(
    `Understanding the Convention,https://w3id.org/dce-training/modules/understanding-the-convention,fr,${cohort},SN,2,0,0,2,1,50,`,
  );
  await page.close();
});

test("a wrong credential gets a clear message, and the site's write-only credential cannot read", async ({ browser, baseURL }) => {
  const wrong = await openReview(browser, baseURL ?? '', 'reviewer', 'not-the-secret', '');
  await expect(wrong.locator('[data-review-status]')).toHaveText('The LRS refused the credential (401). Check the key and the secret.');
  await wrong.close();
  const writeOnly = await openReview(browser, baseURL ?? '', 'site', 'site-write-secret', '');
  await expect(writeOnly.locator('[data-review-status]')).toHaveText(
    'This credential cannot read statements (403). Use a read credential.',
  );
  await writeOnly.close();
});

for (const lang of languages) {
  test(`the review page in ${lang} has no serious accessibility violation, before and after reading`, async ({ page }) => {
    const AxeBuilder = (await import('@axe-core/playwright')).default;
    const serious = async () =>
      (await new AxeBuilder({ page }).analyze()).violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id);
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
    await page.goto(`/${lang}/review/`);
    expect(await serious()).toEqual([]);
    await page.locator('#r-key').fill('reviewer');
    await page.locator('#r-secret').fill('reviewer-read-secret');
    await page.locator('[data-review-load]').click();
    await expect(page.locator('table[data-view=groups] tbody tr').first()).toBeVisible();
    await expect(page.locator('canvas[data-chart=passRate]')).toBeVisible();
    expect(await serious()).toEqual([]);
  });
}

test('the command-line report reads the same LRS with the same aggregation', async ({ baseURL }) => {
  const { spawnSync } = await import('node:child_process');
  const run = spawnSync(
    process.execPath,
    ['scripts/report.ts', '--endpoint', `${baseURL}/xapi/`, '--since', '2020-01-01', '--format', 'json'],
    {
      env: { ...process.env, LRS_READ_KEY: 'reviewer', LRS_READ_SECRET: 'reviewer-read-secret' },
      encoding: 'utf8',
    },
  );
  expect(run.status, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout) as { statements: number; groups: { module: string; attempts: number }[] };
  expect(report.statements).toBeGreaterThan(0);
  expect(report.groups.some((g) => g.module.endsWith('/modules/understanding-the-convention') && g.attempts > 0)).toBe(true);
  const csv = spawnSync(process.execPath, ['scripts/report.ts', '--endpoint', `${baseURL}/xapi/`, '--since', '2020-01-01'], {
    env: { ...process.env, LRS_READ_KEY: 'reviewer', LRS_READ_SECRET: 'reviewer-read-secret' },
    encoding: 'utf8',
  });
  expect(
    csv.stdout.startsWith(
      '\uFEFFmodule,module_id,language,cohort,country,learners,completed,completed_self_reported,attempts,passed,pass_rate_percent,average_scaled_score',
    ),
  ).toBe(true);
  const denied = spawnSync(process.execPath, ['scripts/report.ts', '--endpoint', `${baseURL}/xapi/`, '--since', '2020-01-01'], {
    env: { ...process.env, LRS_READ_KEY: 'site', LRS_READ_SECRET: 'site-write-secret' },
    encoding: 'utf8',
  });
  expect(denied.status).toBe(1);
  expect(denied.stderr).toContain('403');
});
