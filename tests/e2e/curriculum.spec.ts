import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { languages, type Language } from '../../src/i18n/languages.ts';
import { answerQuiz, chooseLearner, loadQuiz, statementsOf, waitForOutboxEmpty } from './helpers.ts';

const dist = new URL('../../dist/', import.meta.url).pathname;
const content = new URL('../../content/', import.meta.url).pathname;
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));

const contentRoot = process.env['CONTENT_DIR'] ? `${process.env['CONTENT_DIR'].replace(/\/$/, '')}/` : content;

/** The page (path after the language) of every quiz: its lesson, or its module's assessment page. */
function pagesByQuiz(): Map<string, string> {
  const map = new Map<string, string>();
  for (const file of walk(join(contentRoot, 'en', 'lessons'))) {
    const front = parse(readFileSync(file, 'utf8').split('---')[1] ?? '') as { quiz: string; module: string };
    map.set(
      front.quiz,
      `modules/${front.module}/${file
        .split('/')
        .at(-1)!
        .replace(/\.mdx$/, '')}/`,
    );
  }
  for (const file of walk(join(contentRoot, 'en', 'modules'))) {
    const front = parse(readFileSync(file, 'utf8').split('---')[1] ?? '') as { assessment?: string; module: string };
    if (front.assessment && map.size) map.set(front.assessment, `modules/${front.module}/assessment/`);
  }
  return map;
}

test('every internal link stays in the language of its page, except the language switch and alternates', () => {
  const offenders: string[] = [];
  for (const file of walk(dist).filter((f) => f.endsWith('.html'))) {
    const lang = relative(dist, file).split('/')[0] as Language;
    if (!languages.includes(lang)) continue;
    const html = readFileSync(file, 'utf8');
    for (const m of html.matchAll(/<a\b[^>]*\bhref="\/(en|fr|es)\/[^"]*"[^>]*>/g)) {
      if (m[1] !== lang && !m[0].includes('hreflang=')) offenders.push(`${relative(dist, file)}: ${m[0]}`);
    }
  }
  expect(offenders).toEqual([]);
});

test('a glossary link in a lesson leads to the definition in the same language', async ({ page }) => {
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
  await page.goto('/fr/modules/understanding-the-convention/key-definitions/');
  const term = page.locator('article a.term').first();
  const href = await term.getAttribute('href');
  expect(href).toMatch(/^\/fr\/glossary\/#[a-z-]+$/);
  await term.click();
  const id = href!.split('#')[1]!;
  await expect(page.locator(`#${id} dt`)).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
});

for (const type of ['matching', 'sequencing', 'numeric', 'fill-in'] as const) {
  test(`a ${type} question is answered in French and recorded with interactionType ${type}`, async ({ page, request }) => {
    const lessons = pagesByQuiz();
    const quizKey = [...lessons.keys()].find((id) => loadQuiz(id).questions.some((q) => q.type === type));
    expect(quizKey, `a quiz uses ${type}`).toBeDefined();
    const quiz = loadQuiz(quizKey!);
    const email = `${type}.${Date.now()}@example.org`;
    await page.goto(`/fr/${lessons.get(quizKey!)}`);
    await chooseLearner(page, 'Nadia Benali', email);
    await answerQuiz(page, quiz, 'fr', () => true);
    await page.getByRole('button', { name: 'Vérifier mes réponses' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Réussi' })).toBeVisible();
    await waitForOutboxEmpty(page);
    const answered = (await statementsOf(request, page)).filter((s) => s.verb.id.endsWith('/answered'));
    const ofType = answered.filter((s) => (s.object as { definition: { interactionType: string } }).definition.interactionType === type);
    expect(ofType.length).toBe(quiz.questions.filter((q) => q.type === type).length);
    for (const s of ofType) expect(s.result?.success).toBe(true);
  });
}

async function noSerious(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
}

for (const lang of languages) {
  test(`the glossary and the facilitator guide in ${lang} have no serious accessibility violation`, async ({ page }) => {
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
    await page.goto(`/${lang}/glossary/`);
    await noSerious(page);
    await page.goto(`/${lang}/modules/understanding-the-convention/guide/`);
    await expect(page.locator('table.agenda').first()).toBeVisible();
    await noSerious(page);
  });
}

test('the facilitator guide is linked for trainers only and gives every knowledge check key, not the final assessment key', async ({
  page,
}) => {
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
  await page.goto('/en/modules/understanding-the-convention/?facilitator=0');
  await expect(page.getByRole('link', { name: 'Facilitator guide (for trainers)' })).toBeHidden();
  await page.goto('/en/modules/understanding-the-convention/?facilitator=1');
  await page.getByRole('link', { name: 'Facilitator guide (for trainers)' }).click();
  const keys = page.locator('.answer-key');
  await expect(keys).toHaveCount(5); // four knowledge checks, and where the final assessment's key is
  const final = loadQuiz('m1-final-assessment');
  await expect(keys.last()).toContainText(final.title.en);
  await expect(keys.last()).toContainText('npm run answer-key -- understanding-the-convention en');
  await expect(keys.last().locator('li')).toHaveCount(0);
});
