import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { quizSchema, type Question, type QuizData } from '../../src/schemas/quiz.ts';
import { correctResponse, finalResponse, gradeQuiz, hasAnswerKey, isCorrect, responseProblem, scaledScore } from '../../src/lib/grading.ts';
import { publicQuiz } from '../../src/lib/public-quiz.ts';
import { quizScored } from '../../src/lib/xapi/statements.ts';
import { readYaml } from '../helpers/frontmatter.ts';

const fixture = (p: string) => new URL(`../fixtures/${p}`, import.meta.url).pathname;
const allTypes = quizSchema.parse(readYaml(fixture('valid/quiz-all-types.yaml')));
const contentDir = new URL('../../content/quizzes/', import.meta.url).pathname;
const quizzes: [string, QuizData][] = readdirSync(contentDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => [f.replace(/\.yaml$/, ''), quizSchema.parse(readYaml(`${contentDir}${f}`))]);
const finals = quizzes.filter(([, q]) => q.kind === 'final-assessment');
const q = (id: string) => allTypes.questions.find((x) => x.id === id) as Question;

describe('gradeQuiz', () => {
  it('gives one point per right answer and compares the scaled score with the pass mark', () => {
    const responses = { match: { a: 'x', b: 'y' }, order: ['a', 'b', 'c'], share: 0.3, word: 'wrong' };
    expect(gradeQuiz(allTypes, responses)).toEqual({
      raw: 3,
      max: 4,
      scaled: 0.75,
      passed: false,
      passMark: 0.8,
      questions: { match: true, order: true, share: true, word: false },
    });
    expect(gradeQuiz({ ...allTypes, passMark: 0.75 }, responses).passed).toBe(true);
  });

  it('scores a missing response as wrong', () => {
    expect(gradeQuiz(allTypes, {}).raw).toBe(0);
  });

  it('agrees with the scored statement the browser builds for every quiz of the content', () => {
    for (const [, quiz] of quizzes) {
      const right = Object.fromEntries(quiz.questions.map((x) => [x.id, correctResponse(x)]));
      const grade = gradeQuiz(quiz, right);
      expect(grade.raw).toBe(quiz.questions.length);
      expect(grade.passed).toBe(true);
      const half = Object.fromEntries(quiz.questions.slice(0, Math.ceil(quiz.questions.length / 2)).map((x) => [x.id, correctResponse(x)]));
      const partial = gradeQuiz(quiz, half);
      const statement = quizScored(
        {
          id: '00000000-0000-4000-8000-000000000000',
          timestamp: '2027-01-01T00:00:00Z',
          actor: { objectType: 'Agent', mbox: 'mailto:a@example.org' },
          registration: '00000000-0000-4000-8000-000000000001',
          language: 'en',
        },
        { quiz: { id: 'https://example.org/q', name: quiz.title }, module: { id: 'https://example.org/m', name: quiz.title } },
        { raw: partial.raw, max: partial.max, passMark: quiz.passMark, durationMs: 0 },
      );
      expect(statement.result?.score?.scaled).toBe(partial.scaled);
      expect(statement.result?.success).toBe(partial.passed);
    }
  });
});

describe('scaledScore', () => {
  it('rounds to four decimals and refuses impossible scores', () => {
    expect(scaledScore(2, 3)).toBe(0.6667);
    expect(() => scaledScore(4, 3)).toThrow(RangeError);
    expect(() => scaledScore(0, 0)).toThrow(RangeError);
  });
});

describe('isCorrect', () => {
  it('takes neither repeated options nor extra pairs for a right answer', () => {
    const multi = finals[0]?.[1].questions.find((x) => x.type === 'multiple-response');
    if (multi?.type !== 'multiple-response') throw new Error('no multiple-response question in a final assessment');
    expect(isCorrect(multi, [...multi.correct])).toBe(true);
    expect(isCorrect(multi, [...multi.correct, multi.correct[0] as string])).toBe(false);
    expect(isCorrect(q('match'), { a: 'x', b: 'y', c: 'z' })).toBe(false);
  });
});

describe('publicQuiz', () => {
  it('leaves no answer key and no feedback in any final assessment', () => {
    expect(finals.length).toBeGreaterThan(0);
    for (const [, quiz] of finals) {
      const stripped = publicQuiz(quiz);
      const json = JSON.stringify(stripped);
      for (const field of ['"correct"', '"answer"', '"accepted"', '"tolerance"', '"feedback"']) expect(json).not.toContain(field);
      expect(stripped.questions.map((x) => x.id)).toEqual(quiz.questions.map((x) => x.id));
      expect(stripped.questions.some(hasAnswerKey)).toBe(false);
      expect(quiz.questions.every(hasAnswerKey)).toBe(true);
    }
  });
  it('keeps what the learner needs to answer every question type', () => {
    const stripped = publicQuiz(allTypes);
    expect(stripped.questions[0]).toEqual({
      id: 'match',
      type: 'matching',
      prompt: q('match').prompt,
      sources: expect.any(Array),
      targets: expect.any(Array),
    });
    expect(stripped.questions[2]).toEqual({ id: 'share', type: 'numeric', prompt: q('share').prompt, unit: { en: '%', fr: '%', es: '%' } });
    expect(finalResponse(stripped.questions[1] as Parameters<typeof finalResponse>[0], undefined)).toEqual(['c', 'a', 'b']);
  });
});

describe('responseProblem', () => {
  it('accepts well-formed responses, right or wrong', () => {
    expect(responseProblem(q('match'), { a: 'z', b: 'z' })).toBeUndefined();
    expect(responseProblem(q('order'), ['c', 'b', 'a'])).toBeUndefined();
    expect(responseProblem(q('share'), -4)).toBeUndefined();
    expect(responseProblem(q('word'), 'anything')).toBeUndefined();
  });
  it('names the rule a malformed response breaks', () => {
    expect(responseProblem(q('match'), { a: 'x' })).toMatch(/every source id/);
    expect(responseProblem(q('match'), { a: 'x', b: 'nope' })).toMatch(/target id/);
    expect(responseProblem(q('order'), ['a', 'b'])).toMatch(/every item id once/);
    expect(responseProblem(q('share'), '0.3')).toBe('must be a finite number');
    expect(responseProblem(q('word'), 'x'.repeat(501))).toMatch(/at most 500/);
    const single = finals[0]?.[1].questions.find((x) => x.type === 'single-choice') as Question;
    expect(responseProblem(single, ['zz'])).toMatch(/1 option id/);
    expect(responseProblem(single, 'a')).toMatch(/1 option id/);
    const tf = finals[0]?.[1].questions.find((x) => x.type === 'true-false') as Question;
    expect(responseProblem(tf, 'true')).toBe('must be true or false');
  });
});
