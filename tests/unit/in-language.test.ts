import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { inLanguage } from '../../src/i18n/in-language.ts';
import { gradeQuiz, correctResponse } from '../../src/lib/grading.ts';
import { publicQuiz } from '../../src/lib/public-quiz.ts';
import { questionActivity } from '../../src/lib/xapi/statements.ts';
import { quizSchema } from '../../src/schemas/quiz.ts';

// What a page ships of a quiz: its own language only (issue 13, "Data cost"), with the answer
// key intact, so that grading in the browser gives what the server's full quiz gives.

const quiz = quizSchema.parse(parse(readFileSync(new URL('../../content/quizzes/m2-l1-policy-cycle.yaml', import.meta.url), 'utf8')));

describe('inLanguage', () => {
  it('keeps the page language of every text, and no other', () => {
    const fr = inLanguage(quiz, 'fr');
    const json = JSON.stringify(fr);
    expect(fr.title).toEqual({ fr: quiz.title.fr });
    expect(fr.questions[0]!.prompt).toEqual({ fr: quiz.questions[0]!.prompt.fr });
    expect(json).not.toContain(quiz.questions[0]!.prompt.en);
    expect(json).not.toContain(quiz.questions[0]!.prompt.es);
    expect(json.length).toBeLessThan(JSON.stringify(quiz).length / 2);
  });

  it('keeps ids and the answer key, accepted answers of every language included', () => {
    const es = inLanguage(quiz, 'es');
    expect(es.questions.map((q) => q.id)).toEqual(quiz.questions.map((q) => q.id));
    const responses = Object.fromEntries(quiz.questions.map((q) => [q.id, correctResponse(q)]));
    expect(gradeQuiz(es, responses)).toEqual(gradeQuiz(quiz, responses));
    for (const [i, q] of es.questions.entries()) {
      if (q.type === 'fill-in') expect(q.accepted).toEqual((quiz.questions[i] as typeof q).accepted);
    }
  });

  it('gives interaction definitions in the page language only, with the same ids and patterns', () => {
    const en = inLanguage(quiz, 'en');
    for (const [i, q] of en.questions.entries()) {
      const page = questionActivity('m2-l1-policy-cycle', q).definition as Record<string, unknown>;
      const full = questionActivity('m2-l1-policy-cycle', quiz.questions[i]!).definition as Record<string, unknown>;
      expect(page['name']).toEqual({ en: quiz.questions[i]!.prompt.en });
      expect(page['correctResponsesPattern']).toEqual(full['correctResponsesPattern']);
      expect(page['interactionType']).toBe(full['interactionType']);
    }
  });

  it('reduces a final assessment without its key the same way', () => {
    const page = inLanguage(publicQuiz(quiz), 'fr');
    expect(JSON.stringify(page)).not.toMatch(/"(en|es)":/);
    expect(page.questions.every((q) => !('correct' in q))).toBe(true);
  });
});
