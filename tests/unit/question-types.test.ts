import { describe, expect, it } from 'vitest';
import { quizSchema, type Question } from '../../src/schemas/quiz.ts';
import { questionActivity, responsePattern } from '../../src/lib/xapi/statements.ts';
import { finalResponse, foldText, isCorrect } from '../../src/lib/grading.ts';
import { sequenceOf } from '../../src/questions/sequencing.ts';
import { readYaml } from '../helpers/frontmatter.ts';

const fixture = (p: string) => new URL(`../fixtures/${p}`, import.meta.url).pathname;
const quiz = quizSchema.parse(readYaml(fixture('valid/quiz-all-types.yaml')));
const q = (id: string) => quiz.questions.find((x) => x.id === id) as Question;
const definition = (question: Question) =>
  (questionActivity('all', question) as unknown as { definition: Record<string, unknown> }).definition;

describe('matching', () => {
  it('is a matching interaction with source, target and pairs joined by [.] and [,]', () => {
    expect(definition(q('match'))).toMatchObject({
      interactionType: 'matching',
      correctResponsesPattern: ['a[.]x[,]b[.]y'],
      source: [
        { id: 'a', description: { en: 'Article 9', fr: 'Article 9', es: 'Artículo 9' } },
        { id: 'b', description: expect.any(Object) },
      ],
      target: [
        { id: 'x', description: expect.any(Object) },
        { id: 'y', description: expect.any(Object) },
        { id: 'z', description: expect.any(Object) },
      ],
    });
    expect(responsePattern(q('match'), { b: 'y', a: 'z' })).toBe('a[.]z[,]b[.]y');
    expect(isCorrect(q('match'), { a: 'x', b: 'y' })).toBe(true);
    expect(isCorrect(q('match'), { a: 'y', b: 'y' })).toBe(false);
  });
  it('is unanswered until every source has a target', () => {
    expect(finalResponse(q('match'), { a: 'x' })).toBeUndefined();
    expect(finalResponse(q('match'), { a: 'x', b: 'z' })).toEqual({ a: 'x', b: 'z' });
  });
});

describe('sequencing', () => {
  it('is a sequencing interaction with choices and the right order', () => {
    expect(definition(q('order'))).toMatchObject({
      interactionType: 'sequencing',
      correctResponsesPattern: ['a[,]b[,]c'],
      choices: expect.arrayContaining([expect.objectContaining({ id: 'c' })]),
    });
    expect(isCorrect(q('order'), ['a', 'b', 'c'])).toBe(true);
    expect(isCorrect(q('order'), ['c', 'a', 'b'])).toBe(false);
  });
  it('takes the order on screen as the answer when the learner moved nothing', () => {
    const seq = q('order') as Extract<Question, { type: 'sequencing' }>;
    expect(sequenceOf(seq, undefined)).toEqual(['c', 'a', 'b']);
    expect(finalResponse(seq, undefined)).toEqual(['c', 'a', 'b']);
  });
});

describe('numeric', () => {
  it('is a numeric interaction whose pattern is the accepted range', () => {
    expect(definition(q('share'))).toMatchObject({ interactionType: 'numeric', correctResponsesPattern: ['0.2[:]0.4'] });
    expect(isCorrect(q('share'), 0.4)).toBe(true);
    expect(isCorrect(q('share'), 0.41)).toBe(false);
    expect(isCorrect(q('share'), Number.NaN)).toBe(false);
  });
  it('leaves out a numeric answer that is not a number (parsing: tests/unit/number-input.test.ts)', () => {
    expect(finalResponse(q('share'), Number.NaN)).toBeUndefined();
  });
});

describe('fill-in', () => {
  it('accepts any listed answer in any language, ignoring case, accents and spaces', () => {
    expect(definition(q('word'))).toMatchObject({
      interactionType: 'fill-in',
      correctResponsesPattern: ['{case_matters=false}evaluation', '{case_matters=false}évaluation', '{case_matters=false}evaluación'],
    });
    expect(isCorrect(q('word'), '  Evaluacion ')).toBe(true);
    expect(isCorrect(q('word'), 'ÉVALUATION')).toBe(true);
    expect(isCorrect(q('word'), 'assessment')).toBe(false);
    expect(foldText('  Évaluación  final ')).toBe('evaluacion final');
    expect(finalResponse(q('word'), '  ')).toBeUndefined();
  });
});

describe('quiz schema, new types', () => {
  it('rejects a matching key that names a target that does not exist', () => {
    const r = quizSchema.safeParse(readYaml(fixture('malformed/quiz-matching-unknown-target.yaml')));
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['questions.0.correct.b']);
  });
});
