import type { InLanguage } from '../i18n/in-language.ts';
import type { QuizData } from '../schemas/quiz.ts';
import type { PublicQuestion, Question, QuestionResponse, RuntimeRegistry } from '../questions/index.ts';
import { questionRuntimes } from '../questions/runtime.ts';
import type { PublicBase, QuestionBase } from '../questions/question-type.ts';

// The one grading module: the build (facilitator answer keys, the quiz pages), the browser
// (knowledge checks, graded at once for instant feedback) and the server (final assessments,
// src/lrs/routes/assessments.ts) all score with these functions, so they can never disagree.
// Each type's rules are in its module (src/questions/<type>.ts); these functions look the type
// up in a registry (the site's by default) and never branch on it. Pure: no DOM, no Node, no xAPI.

export type { PublicQuestion, Question, QuestionResponse };
export { foldText, MAX_TEXT_RESPONSE } from '../questions/fill-in.ts';

/** A question as a page or the server holds it: with or without its key, in some or all languages. */
type AnyQuestion = InLanguage<QuestionBase>;

/**
 * Whether an answer is right, by the rules of the question's type (isCorrect of
 * src/questions/<type>.ts): e.g. the one correct option, a number within the tolerance.
 * @param question the question with its answer key (its texts in any of the languages, or none)
 * @param response the learner's answer; an answer of the wrong shape is simply wrong
 * @param registry the question types (the site's unless given)
 * @throws UnknownQuestionType for a type the registry lacks
 */
export function isCorrect(question: AnyQuestion, response: QuestionResponse, registry: RuntimeRegistry = questionRuntimes): boolean {
  return registry.get(question).isCorrect(question, response);
}

/** The outcome of one graded attempt (the body of the grading endpoint's answer, too). */
export interface Grade {
  /** Points scored: one per correct question. */
  raw: number;
  /** Points available: the number of questions. */
  max: number;
  /** raw / max rounded to 4 decimals, 0 to 1 (xAPI 1.0.3 Data 2.4.5.1 result.score.scaled). */
  scaled: number;
  /** Whether scaled reaches the pass mark. */
  passed: boolean;
  /** The quiz's pass mark, 0 to 1. */
  passMark: number;
  /** Whether each question was answered correctly, by question id. */
  questions: Record<string, boolean>;
}

/**
 * The scaled score of raw points out of max, rounded to 4 decimals so that 2/3 is 0.6667.
 * @throws RangeError when max is not positive or raw is outside 0..max
 */
export function scaledScore(raw: number, max: number): number {
  if (!(max > 0) || !(raw >= 0) || raw > max) throw new RangeError(`score ${raw}/${max} is out of range`);
  return Math.round((raw / max) * 10000) / 10000;
}

/**
 * Grade a complete attempt: one point per correct question, passed when the scaled score
 * reaches the quiz's pass mark (src/schemas/quiz.ts: passMark, "share of points needed").
 * @param quiz the quiz with its answer key
 * @param responses the response per question id; a missing response scores 0
 * @param registry the question types (the site's unless given)
 * @returns the grade, with the verdict of every question of the quiz
 */
export function gradeQuiz(
  quiz: { questions: readonly AnyQuestion[]; passMark: number },
  responses: Readonly<Record<string, QuestionResponse | undefined>>,
  registry: RuntimeRegistry = questionRuntimes,
): Grade {
  const questions: Record<string, boolean> = {};
  for (const q of quiz.questions) {
    const response = responses[q.id];
    questions[q.id] = response !== undefined && isCorrect(q, response, registry);
  }
  const raw = Object.values(questions).filter(Boolean).length;
  const max = quiz.questions.length;
  const scaled = scaledScore(raw, max);
  return { raw, max, scaled, passed: scaled >= quiz.passMark, passMark: quiz.passMark, questions };
}

/** A quiz without its answer key: what a final assessment's page receives (graded by the server). */
export interface PublicQuiz extends Omit<QuizData, 'questions'> {
  questions: PublicQuestion[];
}

/** Tells whether a question carries its answer key, by its type's keyFields in a registry. */
export type AnswerKeyCheck = <Q extends InLanguage<Question> | InLanguage<PublicQuestion>>(q: Q) => q is Extract<Q, InLanguage<Question>>;

/**
 * Whether a question carries its answer key (a knowledge check's) or was stripped by publicQuiz
 * (a final assessment's, graded by the server), with a registry's types: whether it has one of
 * its type's keyFields.
 * @param registry the question types
 * @returns the check; it throws UnknownQuestionType for a type the registry lacks
 */
export function answerKeyCheck(registry: RuntimeRegistry): AnswerKeyCheck {
  return <Q extends InLanguage<Question> | InLanguage<PublicQuestion>>(q: Q): q is Extract<Q, InLanguage<Question>> =>
    registry.get(q).keyFields.some((field) => field in q);
}

/** answerKeyCheck with the site's question types. */
export const hasAnswerKey: AnswerKeyCheck = answerKeyCheck(questionRuntimes);

/**
 * The response to record for a question, or undefined while it is unanswered (finalResponse of
 * its type: e.g. a sequencing question is always answered, the order on screen is the answer).
 * @throws UnknownQuestionType for a type the registry lacks
 */
export function finalResponse(
  q: AnyQuestion,
  r: QuestionResponse | undefined,
  registry: RuntimeRegistry = questionRuntimes,
): QuestionResponse | undefined {
  return registry.get(q).finalResponse(q, r);
}

/**
 * Check that a value sent by a client is a well-formed response to a question (its shape, and
 * ids that exist); whether it is right is isCorrect's business.
 * @param q the question (with or without its key)
 * @param value the value as received (parsed JSON)
 * @returns undefined when well formed, else the rule it breaks, e.g. "must be an array of 1 option id"
 * @throws UnknownQuestionType for a type the registry lacks
 */
export function responseProblem(
  q: QuestionBase | PublicBase,
  value: unknown,
  registry: RuntimeRegistry = questionRuntimes,
): string | undefined {
  return registry.get(q).responseProblem(q, value);
}

/**
 * The right response to a question, from its key: one that isCorrect accepts (the first
 * accepted English text for a fill-in). Used by tests.
 * @param q a question with its answer key
 */
export function correctResponse(q: QuestionBase, registry: RuntimeRegistry = questionRuntimes): QuestionResponse {
  return registry.get(q).correctResponse(q);
}
