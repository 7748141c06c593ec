import { expect, test } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { e2eSiteRoot } from '../../playwright.config.ts';
import { loadQuiz } from './helpers.ts';

// Issue 11: no credential and no final-assessment answer key in any built file (nor a pre-test's, issue 15). Reads every file
// of the build the e2e server serves (E2E_SITE_ROOT, else ./dist; playwright.config.ts). PDF
// files are read too, but their text is compressed: the handouts and guides they print are
// the HTML pages checked here.

const root = e2eSiteRoot;
const content = process.env['CONTENT_DIR']
  ? process.env['CONTENT_DIR'].replace(/\/$/, '')
  : new URL('../../content', import.meta.url).pathname;

/** Every file under a folder, as [path relative to it, bytes as Latin-1 text, bytes as UTF-8 text]. */
function files(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const full = join(e.parentPath, e.name);
      return { path: relative(dir, full), text: readFileSync(full, 'utf8') };
    });
}

/** HTML entities undone (an attribute's or a text's). */
function unescapeHtml(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** HTML entities and JSON string escapes undone, so that a text is found however a file quotes it. */
function plain(text: string): string {
  return unescapeHtml(text)
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\(["'\\/])/g, '$1');
}

/** The server-graded quizzes' ids, from the modules' `assessment` and `pretest` fields (src/schemas/module.ts), in every language. */
function finalAssessments(): string[] {
  const ids = new Set<string>();
  for (const lang of readdirSync(content)) {
    const dir = join(content, lang, 'modules');
    let names: string[];
    try {
      names = readdirSync(dir).filter((f) => f.endsWith('.md'));
    } catch {
      continue;
    }
    for (const name of names) {
      const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(dir, name), 'utf8'))?.[1] ?? '';
      const { assessment, pretest } = parse(front) as { assessment?: string; pretest?: string };
      if (assessment) ids.add(assessment);
      if (pretest) ids.add(pretest);
    }
  }
  return [...ids];
}

/** Texts only the answer key holds: every feedback (option, true/false, right/wrong) in every language. */
function keyTexts(quizId: string): string[] {
  const texts: string[] = [];
  const add = (localized: unknown) => {
    if (localized && typeof localized === 'object') for (const t of Object.values(localized)) if (typeof t === 'string') texts.push(t);
  };
  for (const q of loadQuiz(quizId).questions) {
    const fb = (q as { feedback?: Record<string, unknown> }).feedback;
    if (fb) for (const v of Object.values(fb)) add(v);
    for (const o of (q as { options?: { feedback: unknown }[] }).options ?? []) add(o.feedback);
  }
  return texts;
}

/** The longest stretch of a text without quotes, ampersands or angle brackets: found however a file escapes the rest. */
const marker = (text: string) =>
  text
    .split(/["'&<>\\\u2019]/)
    .sort((a, b) => b.length - a.length)[0]!
    .trim();

/** Undo Astro's island props serialization ([type, value] pairs; type 0 a value, 1 an array). */
function revive(value: unknown): unknown {
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'number') return value;
  const [type, inner] = value as [number, unknown];
  if (type === 1 && Array.isArray(inner)) return inner.map(revive);
  if (inner && typeof inner === 'object' && !Array.isArray(inner))
    return Object.fromEntries(Object.entries(inner).map(([k, v]) => [k, revive(v)]));
  return inner;
}

test('no built file carries a credential: no data-lrs-auth, no HTTP Basic value, no known secret', () => {
  const all = files(root);
  expect(all.length).toBeGreaterThan(100);
  const secrets = [
    'site-write-secret',
    'reviewer-read-secret',
    ...['LRS_WRITE_SECRET', 'LRS_READ_SECRET', 'LRS_ADMIN_SECRET'].flatMap((k) => process.env[k] ?? []),
  ];
  const pairs = [
    ['site', 'site-write-secret'],
    ['reviewer', 'reviewer-read-secret'],
  ].map(([k, s]) => Buffer.from(`${k}:${s}`).toString('base64'));
  const found: string[] = [];
  for (const { path, text } of all) {
    if (text.includes('data-lrs-auth')) found.push(`${path}: data-lrs-auth`);
    for (const s of [...secrets, ...pairs]) if (text.includes(s)) found.push(`${path}: ${s}`);
    // "Basic " then base64 that decodes to "key:secret" is a credential, whatever it is.
    for (const m of text.matchAll(/Basic\s+([A-Za-z0-9+/]{4,}={0,2})/g)) {
      const decoded = Buffer.from(m[1]!, 'base64').toString('latin1');
      if (/^[\x20-\x7e]+:[\x20-\x7e]+$/.test(decoded)) found.push(`${path}: Basic ${m[1]} (${decoded})`);
    }
  }
  expect(found).toEqual([]);
});

test('no built file carries a final assessment answer key: no feedback text, no key field in the island', () => {
  const assessments = finalAssessments();
  expect(assessments.length).toBeGreaterThanOrEqual(6);
  // A few feedbacks are too short to be told from other text ("Exact. C'est l'objectif 3."); the
  // island check below covers them.
  // Texts that the rest of the content also holds (a knowledge check with the same feedback, a
  // lesson that says the same, an option the feedback quotes) may be in a page legitimately:
  // only the key's own texts count.
  const keyFiles = new Set(assessments.map((id) => `quizzes/${id}.yaml`));
  const publicParts = assessments.map((id) =>
    JSON.stringify(loadQuiz(id), (k, v: unknown) =>
      ['feedback', 'correct', 'answer', 'accepted', 'tolerance'].includes(k) ? undefined : v,
    ),
  );
  const elsewhere = [
    ...files(content)
      .filter((f) => !keyFiles.has(f.path))
      .map((f) => f.text),
    ...publicParts,
  ].join('\n');
  const texts = assessments.flatMap((id) => keyTexts(id).map((t) => ({ id, text: marker(t) })));
  const markers = texts.filter((m) => m.text.length >= 15 && !elsewhere.includes(m.text));
  expect(markers.length).toBeGreaterThan(texts.length / 2);
  const found: string[] = [];
  let islands = 0;
  for (const { path, text } of files(root)) {
    const readable = plain(text);
    for (const m of markers) if (readable.includes(m.text)) found.push(`${path}: feedback of ${m.id} "${m.text}"`);
    if (!path.endsWith('.html')) continue;
    for (const p of text.matchAll(/<astro-island[^>]*\sprops="([^"]*)"/g)) {
      const props = revive([0, JSON.parse(unescapeHtml(p[1]!))]) as { quiz?: { kind?: string; questions?: Record<string, unknown>[] } };
      if (props.quiz?.kind !== 'final-assessment' && props.quiz?.kind !== 'pre-test') continue;
      islands++;
      for (const q of props.quiz.questions ?? []) {
        const keys = ['correct', 'answer', 'accepted', 'tolerance', 'feedback'].filter((k) => k in q);
        const options = ((q['options'] ?? []) as Record<string, unknown>[]).filter((o) => 'feedback' in o);
        if (keys.length || options.length)
          found.push(`${path}: question ${String(q['id'])} has ${[...keys, ...(options.length ? ['options[].feedback'] : [])].join(', ')}`);
      }
    }
  }
  // Each module's assessment page in each language has its island: the check above read them.
  expect(islands).toBeGreaterThanOrEqual(assessments.length * 3);
  expect(found).toEqual([]);
});
