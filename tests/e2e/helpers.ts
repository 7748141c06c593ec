import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { e2eDb } from '../../playwright.config.ts';
import { parse } from 'yaml';
import type { Statement } from '@xapi/xapi';
import { quizSchema, type QuizData } from '../../src/schemas/quiz.ts';
import type { Language } from '../../src/i18n/languages.ts';
import { formatNumberInput } from '../../src/lib/number-input.ts';

/** The reviewers' read credential the e2e server is given (playwright.config.ts webServer.env). */
export const readAuth = `Basic ${Buffer.from(`${process.env['LRS_READ_KEY'] ?? 'reviewer'}:${process.env['LRS_READ_SECRET'] ?? 'reviewer-read-secret'}`).toString('base64')}`;
/** The administrator credential (scope all) the e2e server is given (playwright.config.ts webServer.env). */
export const adminAuth = `Basic ${Buffer.from(`${process.env['LRS_ADMIN_KEY'] ?? 'admin'}:${process.env['LRS_ADMIN_SECRET'] ?? 'admin-secret'}`).toString('base64')}`;

/** The activity IRI base the site was built with. */
export const activityBase = process.env['PUBLIC_XAPI_ACTIVITY_BASE'] ?? 'https://w3id.org/dce-training/';

/** A quiz's answer key, read from the same YAML the site is built from. */
export function loadQuiz(id: string): QuizData {
  const root = process.env['CONTENT_DIR']
    ? `${process.env['CONTENT_DIR'].replace(/\/$/, '')}/`
    : new URL('../../content/', import.meta.url).pathname;
  return quizSchema.parse(parse(readFileSync(`${root}quizzes/${id}.yaml`, 'utf8')));
}

/** The quiz's True and False labels in a language, from its locale file (keys quiz.true, quiz.false). */
const trueFalse = (lang: Language): [string, string] => {
  const strings = JSON.parse(readFileSync(`locales/${lang}.json`, 'utf8')) as Record<string, string>;
  return [strings['quiz.true']!, strings['quiz.false']!];
};

/**
 * Choose the learner in the first-visit form: a name and, if given, an email; or null for a
 * pseudonym. The browser then asks the server for the learner's credential (see learnerAgent).
 */
export async function chooseLearner(page: Page, name: string | null, email = '') {
  const welcome = page.getByRole('region', { name: /Who is learning|Qui apprend|Quién está aprendiendo/ });
  await expect(welcome).toBeVisible();
  // The form's script loads after the page (learner-panel.ts); wait until it listens.
  await expect(page.locator('.learner-panel[data-ready="true"]')).toHaveCount(1);
  if (name === null) {
    await welcome.getByRole('button', { name: /anonym/i }).click();
  } else {
    await welcome.getByLabel(/name|nom|nombre/i).fill(name);
    await welcome.getByLabel(/mail|adresse|correo/i).fill(email);
    await welcome.getByRole('button').first().click();
  }
  await expect(welcome).toBeHidden();
}

/** Scroll to the quiz and wait until its island is hydrated (docs/stack-notes.md, "client:visible islands"). */
export async function waitForQuiz(page: Page) {
  const island = page.locator('astro-island', { has: page.locator('.quiz') });
  await island.scrollIntoViewIfNeeded();
  await expect(island).not.toHaveAttribute('ssr', /.*/);
  await expect(page.locator('.quiz-island[data-hydrated="true"]')).toBeVisible();
}

/**
 * Answer every question of a quiz through the page, by role and accessible name.
 * @param correct answer right (true) or wrong (false) for each question
 */
export async function answerQuiz(page: Page, quiz: QuizData, lang: Language, correct: (index: number) => boolean) {
  await waitForQuiz(page);
  for (const [i, q] of quiz.questions.entries()) {
    const group = page.getByRole('group', { name: q.prompt[lang] });
    const right = correct(i);
    if (q.type === 'true-false') {
      const [t, f] = trueFalse(lang);
      await group.getByRole('radio', { name: q.answer === right ? t : f, exact: true }).check();
    } else if (q.type === 'single-choice') {
      const option = q.options.find((o) => (o.id === q.correct) === right)!;
      await group.getByRole('radio', { name: option.text[lang], exact: true }).check();
    } else if (q.type === 'multiple-response') {
      const chosen = right ? q.options.filter((o) => q.correct.includes(o.id)) : [q.options.find((o) => !q.correct.includes(o.id))!];
      for (const o of chosen) await group.getByRole('checkbox', { name: o.text[lang], exact: true }).check();
    } else if (q.type === 'matching') {
      for (const [k, src] of q.sources.entries()) {
        const target = right || k > 0 ? q.correct[src.id]! : q.targets.find((t) => t.id !== q.correct[src.id])!.id;
        await group.getByLabel(src.text[lang], { exact: true }).selectOption(target);
      }
    } else if (q.type === 'sequencing') {
      const wanted = right ? q.correct : [...q.correct].reverse();
      // Move each wanted item up, by keyboard-operable buttons, until it reaches its place.
      for (const [target, itemId] of wanted.entries()) {
        const text = q.items.find((i) => i.id === itemId)!.text[lang];
        const position = async () =>
          (await group.locator('.quiz-sequence li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-item')))).indexOf(itemId);
        while ((await position()) > target)
          await group
            .getByRole('button', { name: new RegExp(`: ${escape(text)}$`) })
            .first()
            .click();
      }
    } else if (q.type === 'numeric') {
      await group.getByRole('textbox').fill(formatNumberInput(right ? q.answer : q.answer + q.tolerance + 1000, lang));
    } else {
      await group.getByRole('textbox').fill(right ? q.accepted[lang][0]! : 'zzz');
    }
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Wait until the page's outbox holds no statement (everything acknowledged by the LRS). */
export async function waitForOutboxEmpty(page: Page) {
  await expect
    .poll(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('dce.outbox.q.')).length), { timeout: 20_000 })
    .toBe(0);
}

/** Every statement the LRS holds for a query, following `more` links, with the read credential. */
export async function fetchStatements(request: APIRequestContext, query: Record<string, string>): Promise<Statement[]> {
  const out: Statement[] = [];
  let url: string = `/xapi/statements?${new URLSearchParams({ limit: '100', ...query })}`;
  while (url) {
    const res = await request.get(url, { headers: { Authorization: readAuth, 'X-Experience-API-Version': '1.0.3' } });
    expect(res.status(), await res.text()).toBe(200);
    const body = (await res.json()) as { statements: Statement[]; more?: string };
    out.push(...body.statements);
    url = body.more ?? '';
  }
  return out;
}

/** A learner credential as the page keeps it in localStorage `dce.credential`. */
export interface StoredCredential {
  key: string;
  secret: string;
  agent: { objectType: 'Agent'; name: string; account: { homePage: string; name: string } };
}

/** The credential the server issued to the learner of a page, once the page has it. */
export async function learnerCredential(page: Page): Promise<StoredCredential> {
  await expect.poll(() => page.evaluate(() => localStorage.getItem('dce.credential')), { timeout: 20_000 }).not.toBeNull();
  return JSON.parse((await page.evaluate(() => localStorage.getItem('dce.credential')))!) as StoredCredential;
}

/** The agent the server issued to the learner of a page: the actor of all their statements. */
export const learnerAgent = async (page: Page) => (await learnerCredential(page)).agent;

/** The statements of the learner of a page (by the agent of their credential). */
export const statementsOf = async (request: APIRequestContext, page: Page) =>
  fetchStatements(request, { agent: JSON.stringify({ objectType: 'Agent', account: (await learnerAgent(page)).account }) });

/**
 * A trainer credential made the way docs/deploy.md says (`npm run lrs -- credentials create
 * --scope statements/write`), in the database of the server the tests run against.
 */
export function createTrainerCredential(label: string): { key: string; secret: string } {
  const made = spawnSync(
    process.execPath,
    ['src/lrs/server.ts', 'credentials', 'create', '--scope', 'statements/write', '--label', label],
    {
      env: { ...process.env, LRS_DB_PATH: e2eDb, LRS_DATABASE_URL: '' },
      encoding: 'utf8',
    },
  );
  expect(made.status, made.stderr).toBe(0);
  const field = (name: string) => new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(made.stdout)?.[1];
  return { key: field('key')!, secret: field('secret')! };
}

/** The reviewers' read credential the e2e server is started with (playwright.config.ts). */
export const reviewer = {
  key: process.env['LRS_READ_KEY'] ?? 'reviewer',
  secret: process.env['LRS_READ_SECRET'] ?? 'reviewer-read-secret',
};

/**
 * Open the French review page in a new Chromium page and read the statements of one workshop
 * registration with the reviewers' credential; resolves once the page says they were read.
 */
export async function readOnReviewPage(browser: Browser, baseURL: string, registration: string): Promise<Page> {
  const page = await browser.newPage({ baseURL, acceptDownloads: true });
  await page.goto('/fr/review/');
  await page.getByLabel('Clé de lecture').fill(reviewer.key);
  await page.getByLabel('Secret de lecture').fill(reviewer.secret);
  await page.getByLabel("Enregistrement de l'atelier (facultatif)").fill(registration);
  await page.getByRole('button', { name: 'Lire les déclarations' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'déclarations lues.' })).toBeVisible({ timeout: 30_000 });
  return page;
}
