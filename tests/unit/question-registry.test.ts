import { readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { inLanguage } from '../../src/i18n/in-language.ts';
import { dictionaries } from '../../src/i18n/translator.ts';
import type { Language } from '../../src/i18n/languages.ts';
import { answerLines, slideOptions, wordsFrom } from '../../src/lib/answer-key.ts';
import { finalResponse, gradeQuiz, isCorrect, responseProblem } from '../../src/lib/grading.ts';
import { questionAnswered, type EventContext } from '../../src/lib/xapi/statements.ts';
import { Quiz, type PageQuiz, type QuizLabels } from '../../src/components/quiz/Quiz.tsx';
import { questionTypes, UnknownQuestionType, withQuestionType } from '../../src/questions/index.ts';
import { answers, withAnswer } from '../../src/questions/answers.ts';
import { questionStrings } from '../../src/questions/registry.ts';
import { quizSchema, quizSchemaOf } from '../../src/schemas/quiz.ts';
import { RatingAnswer, rating, type RatingQuestion } from '../fixtures/question-types/rating.tsx';
import { readYaml } from '../helpers/frontmatter.ts';

// The proof of issue 16's question-type registry: a type the site lacks ("rating", the fixture
// module tests/fixtures/question-types/rating.tsx and its strings rating.locales.json) is
// registered without changing src, and every place that handles questions takes it.

const fixture = (p: string) => new URL(`../fixtures/question-types/${p}`, import.meta.url).pathname;
const registry = withQuestionType(questionTypes, rating);
const answerComponents = withAnswer(answers, 'rating', RatingAnswer);
const fixtureStrings = JSON.parse(readFileSync(fixture('rating.locales.json'), 'utf8')) as Record<Language, Record<string, string>>;
/** The site's strings of a language plus the fixture type's. */
const words = (lang: Language) => wordsFrom({ ...dictionaries[lang], ...fixtureStrings[lang] });

const quiz = quizSchemaOf(registry).parse(readYaml(fixture('rating-quiz.yaml')));
const ratingQ = quiz.questions[0] as RatingQuestion;
const tf = quiz.questions[1]!;

describe('a question type added in one module', () => {
  it('parses through the registry: its schema joins the union, its cross-field rule runs, the site schema does not know it', () => {
    expect(ratingQ).toMatchObject({ type: 'rating', id: 'binding', answer: 'some' });
    expect(tf.type).toBe('true-false');
    const broken = readYaml(fixture('rating-quiz.yaml')) as { questions: Record<string, unknown>[] };
    broken.questions[0]!['answer'] = 'maybe';
    const r = quizSchemaOf(registry).safeParse(broken);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['questions.0.answer', '"maybe" is not a point of the scale'],
    ]);
    expect(quizSchema.safeParse(readYaml(fixture('rating-quiz.yaml'))).success).toBe(false);
  });

  it('is an error, never a silent fall-through, where it is not registered', () => {
    expect(() => questionTypes.get('rating')).toThrow(UnknownQuestionType);
    expect(() => isCorrect(ratingQ, 'some')).toThrow(/unknown question type "rating"/);
    expect(() => answers.get('rating')).toThrow(UnknownQuestionType);
    expect(() => withQuestionType(registry, rating)).toThrow(/registered twice/);
  });

  it('grades, checks responses and says what is answered through the registry', () => {
    expect(isCorrect(ratingQ, 'some', registry)).toBe(true);
    expect(isCorrect(ratingQ, 'full', registry)).toBe(false);
    expect(gradeQuiz(quiz, { binding: 'some', tf: false }, registry)).toEqual({
      raw: 1,
      max: 2,
      scaled: 0.5,
      passed: false,
      passMark: 0.8,
      questions: { binding: true, tf: false },
    });
    expect(responseProblem(ratingQ, 'none', registry)).toBeUndefined();
    expect(responseProblem(ratingQ, 3, registry)).toBe('must be one of none, some, full');
    expect(finalResponse(ratingQ, undefined, registry)).toBeUndefined();
    expect(registry.get(ratingQ).strip(ratingQ)).toEqual({ id: 'binding', type: 'rating', prompt: ratingQ.prompt, scale: ratingQ.scale });
  });

  it('builds its "answered" statement: a likert interaction with its scale, pattern and verdict', () => {
    const ctx: EventContext = {
      id: '6fa459ea-ee8a-4ca4-894e-db77e160355e',
      timestamp: '2026-11-23T10:00:00.000Z',
      actor: { objectType: 'Agent', mbox: 'mailto:amina@example.org' },
      registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7',
      language: 'fr',
    };
    const ref = {
      quiz: { id: 'https://example.org/quiz', name: quiz.title },
      module: { id: 'https://example.org/module', name: quiz.title },
    };
    const page = inLanguage(ratingQ, 'fr');
    const s = questionAnswered(ctx, ref, 'rating-quiz', page, 'full', undefined, registry);
    expect(s.result).toEqual({ response: 'full', success: false });
    expect((s.object as { definition: unknown }).definition).toEqual({
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      name: { fr: ratingQ.prompt.fr },
      description: { fr: ratingQ.prompt.fr },
      interactionType: 'likert',
      correctResponsesPattern: ['some'],
      scale: ratingQ.scale.map((p) => ({ id: p.id, description: { fr: p.text.fr } })),
    });
    const graded = questionAnswered(ctx, ref, 'rating-quiz', ratingQ, 'some', 'key', registry);
    expect(graded.result?.success).toBe(true);
    expect(JSON.stringify(graded.object)).not.toContain('correctResponsesPattern');
  });

  it('gives its answer-key lines and slide options in the page language, with its own strings', () => {
    expect(answerLines(ratingQ, 'fr', words('fr'), registry)).toEqual(['2/3 meilleurs efforts', 'Pourquoi : Les Parties facilitent.']);
    expect(answerLines(tf, 'es', words('es'), registry)).toEqual([dictionaries.es['quiz.true']]);
    expect(slideOptions(ratingQ, 'en', words('en'), registry)).toEqual(['not binding', 'best efforts', 'strictly binding']);
    expect(() => answerLines(ratingQ, 'fr', wordsFrom(dictionaries.fr), registry)).toThrow(/Missing UI string "quiz.ratingWhy"/);
  });

  it('renders its answer component in the quiz (React, server-side), with its hint and strings, and its feedback once checked', () => {
    const lang = 'fr';
    const t = (key: string) => words(lang)(key);
    const general = [
      'question',
      'submit',
      'retry',
      'passMark',
      'score',
      'passed',
      'failed',
      'unanswered',
      'position',
      'unit',
      'grading',
      'gradingPending',
      'gradingRefused',
      'pretestNote',
      'pretestDone',
    ] as const;
    const labels: QuizLabels = {
      ...(Object.fromEntries(general.map((k) => [k, t(`quiz.${k}`)])) as Record<(typeof general)[number], string>),
      correct: t('quiz.feedback.correct'),
      incorrect: t('quiz.feedback.incorrect'),
      types: questionStrings(
        registry,
        quiz.questions.map((q) => q.type),
        t,
      ),
    };
    // The Quiz's props are typed with the site's types; the registry props make it take the fixture's.
    const page = inLanguage(quiz, lang) as unknown as PageQuiz;
    const props = {
      idPrefix: 'rq',
      lang,
      quiz: page,
      labels,
      answers: { binding: 'some', tf: true },
      message: '',
      registry,
      answerComponents,
    } as const;
    const open = renderToString(createElement(Quiz, { ...props, result: null }));
    expect(open).toContain('<p class="quiz-hint" id="rq-binding-hint">Choisissez un point de l’échelle.</p>');
    expect(open).toContain('<span>Pas du tout</span>');
    expect(open).toContain('name="rq-binding" checked="" value="some"/> <!-- -->meilleurs efforts');
    expect(open).toContain(dictionaries.fr['quiz.trueFalseHint']);
    expect(open).not.toContain('quiz-feedback');
    const checked = renderToString(createElement(Quiz, { ...props, result: { raw: 2, max: 2, passed: true } }));
    expect(checked).toContain('<p class="quiz-feedback is-right">Correct. Meilleurs efforts.</p>');
    expect(() => renderToString(createElement(Quiz, { ...props, result: null, answerComponents: answers }))).toThrow(UnknownQuestionType);
  });
});
