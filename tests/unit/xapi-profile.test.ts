import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as builders from '../../src/lib/xapi/statements.ts';
import { activityTypes, verbs } from '../../src/lib/xapi/vocabulary.ts';
import { quizSchema } from '../../src/schemas/quiz.ts';
import { questionTypes } from '../../src/questions/index.ts';
import { readYaml } from '../helpers/frontmatter.ts';

// docs/xapi-profile.md must list every statement the builders produce: each builder's row
// names the verb and the result fields it actually sends.
const doc = readFileSync(new URL('../../docs/xapi-profile.md', import.meta.url), 'utf8');
const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
const quiz = quizSchema.parse(readYaml(new URL('../fixtures/valid/quiz.yaml', import.meta.url).pathname));
const ctx = {
  id: '6fa459ea-ee8a-4ca4-894e-db77e160355e',
  timestamp: '2026-01-01T00:00:00Z',
  actor: { objectType: 'Agent' as const, mbox: 'mailto:a@b.c' },
  registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7',
  language: 'en' as const,
};
const name = { en: 'x', fr: 'x', es: 'x' };
const ref = { module: { id: 'https://x/m', name }, lesson: { id: 'https://x/l', name } };
const quizRef = { ...ref, quiz: { id: 'https://x/q', name } };

const produced = [
  ['lessonExperienced', builders.lessonExperienced(ctx, ref)],
  ['questionAnswered', builders.questionAnswered(ctx, quizRef, 'q', quiz.questions[0]!, ['b'])],
  ['quizScored', builders.quizScored(ctx, quizRef, { raw: 3, max: 3, passMark: 0.8, durationMs: 1 })],
  ['quizScored', builders.quizScored(ctx, quizRef, { raw: 0, max: 3, passMark: 0.8, durationMs: 1 })],
  ['preTestScored', builders.preTestScored(ctx, { quiz: quizRef.quiz, module: ref.module }, { raw: 1, max: 3, durationMs: 1 })],
  ['lessonCompleted', builders.lessonCompleted(ctx, ref)],
  ['moduleCompleted', builders.moduleCompleted(ctx, ref.module)],
  ['sessionAttended', builders.sessionAttended(ctx, { id: 'https://x/s', title: 'Session' }, ref.module)],
] as const;

describe('docs/xapi-profile.md', () => {
  it.each(produced)('documents %s with its verb and result fields', (builder, statement) => {
    const row = rows.find((r) => r.startsWith(`| \`${builder}\``) && r.includes(statement.verb.id));
    expect(row, `a row for ${builder} with ${statement.verb.id}`).toBeDefined();
    for (const field of Object.keys(statement.result ?? {})) expect(row, `${builder} documents result.${field}`).toContain(`\`${field}\``);
    const category = (statement.context?.contextActivities?.category ?? []) as { id: string }[];
    for (const c of category)
      expect(row, `${builder} documents its context category`).toContain(
        `\`${c.id.replace(/^https:\/\/w3id\.org\/dce-training\//, '{base}')}\``,
      );
  });
  it('documents every builder the module exports and every verb and activity type', () => {
    const exported = Object.entries(builders)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k);
    const statementBuilders = exported.filter((k) => produced.some(([b]) => b === k));
    expect(new Set(statementBuilders)).toEqual(new Set(produced.map(([b]) => b)));
    for (const v of Object.values(verbs)) expect(doc).toContain(v.id);
    for (const t of Object.values(activityTypes)) expect(doc).toContain(t);
  });

  // Every question type of the schema, from the fixtures that hold one of each.
  const questions = ['quiz.yaml', 'quiz-all-types.yaml'].flatMap(
    (f) => quizSchema.parse(readYaml(new URL(`../fixtures/valid/${f}`, import.meta.url).pathname)).questions,
  );
  const interactionRows = doc.split('\n').filter((l) => /^\| `[a-z-]+` \| `[a-z-]+` \|/.test(l));
  it('the fixtures hold every question type of the registry', () => {
    expect(new Set(questions.map((q) => q.type))).toEqual(new Set(questionTypes.types.map((t) => t.type)));
  });
  it.each(questions.map((q) => [q.type, q] as const))(
    'documents the interaction a %s question sends: interactionType and components',
    (type, question) => {
      const definition = builders.questionActivity('quiz', question).definition as Record<string, unknown>;
      const row = interactionRows.find((r) => r.startsWith(`| \`${type}\` |`));
      expect(row, `a row for question type ${type}`).toBeDefined();
      const cells = row!.split('|').map((c) => c.trim());
      expect(cells[2], `${type} documents interactionType`).toBe(`\`${String(definition['interactionType'])}\``);
      const components = ['choices', 'scale', 'source', 'target', 'steps'].filter((c) => c in definition);
      expect(cells[3], `${type} documents its components`).toBe(components.length ? components.map((c) => `\`${c}\``).join(', ') : 'none');
      expect(Array.isArray(definition['correctResponsesPattern'])).toBe(true);
    },
  );
});
