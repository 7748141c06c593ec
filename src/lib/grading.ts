import type { InLanguage } from '../i18n/in-language.ts';
import type { Question, QuizData } from '../schemas/quiz.ts';

// The one grading module: the build (facilitator answer keys, the quiz pages), the browser
// (knowledge checks, graded at once for instant feedback) and the server (final assessments,
// src/lrs/routes/assessments.ts) all score with these functions, so they can never disagree.
// Pure: no DOM, no Node, no xAPI.

/**
 * A learner's answer to one question: chosen option ids (single choice, multiple response),
 * true/false, source id -> target id (matching), item ids in order (sequencing), a number
 * (numeric) or a text (fill-in).
 */
export type QuestionResponse = string[] | boolean | Record<string, string> | number | string;

/** Fold case, accents and spacing, so that "Évaluación " matches "evaluacion". */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Whether an answer is right: the one correct option; every correct option and nothing else;
 * the right truth value; every source matched to its target; the items in the right order; a
 * number within the tolerance; a text equal to an accepted answer in any language once case,
 * accents and spacing are folded. The rules are those of src/schemas/quiz.ts.
 * @param question the question with its answer key (its texts in any of the languages, or none)
 * @param response the learner's answer; an answer of the wrong shape is simply wrong
 */
export function isCorrect(question: InLanguage<Question>, response: QuestionResponse): boolean {
  switch (question.type) {
    case 'true-false':
      return response === question.answer;
    case 'single-choice':
      return Array.isArray(response) && response.length === 1 && response[0] === question.correct;
    case 'multiple-response': {
      if (!Array.isArray(response)) return false;
      const chosen = new Set(response);
      return chosen.size === response.length && chosen.size === question.correct.length && question.correct.every((c) => chosen.has(c));
    }
    case 'matching':
      return (
        typeof response === 'object' &&
        !Array.isArray(response) &&
        Object.keys(response).length === Object.keys(question.correct).length &&
        Object.entries(question.correct).every(([s, t]) => response[s] === t)
      );
    case 'sequencing':
      return Array.isArray(response) && response.length === question.correct.length && response.every((id, i) => id === question.correct[i]);
    case 'numeric':
      return typeof response === 'number' && Number.isFinite(response) && Math.abs(response - question.answer) <= question.tolerance + 1e-9;
    case 'fill-in': {
      const given = typeof response === 'string' ? foldText(response) : '';
      return given !== '' && Object.values(question.accepted).flat().some((a) => foldText(a) === given);
    }
  }
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
 * @returns the grade, with the verdict of every question of the quiz
 */
export function gradeQuiz(quiz: Pick<InLanguage<QuizData>, 'questions' | 'passMark'>, responses: Readonly<Record<string, QuestionResponse | undefined>>): Grade {
  const questions: Record<string, boolean> = {};
  for (const q of quiz.questions) {
    const response = responses[q.id];
    questions[q.id] = response !== undefined && isCorrect(q, response);
  }
  const raw = Object.values(questions).filter(Boolean).length;
  const max = quiz.questions.length;
  const scaled = scaledScore(raw, max);
  return { raw, max, scaled, passed: scaled >= quiz.passMark, passMark: quiz.passMark, questions };
}

/** Fields of a question or option that give its answer away; never shipped for a final assessment. */
type KeyField = 'correct' | 'answer' | 'accepted' | 'tolerance' | 'feedback';

/** A question as the learner may see it before grading: prompt, type and choices, no key or feedback. */
export type PublicQuestion = Question extends infer Q
  ? Q extends { options: Array<infer O> }
    ? Omit<Q, KeyField | 'options'> & { options: Omit<O, 'feedback'>[] }
    : Omit<Q, KeyField>
  : never;

/** A quiz without its answer key: what a final assessment's page receives (graded by the server). */
export interface PublicQuiz extends Omit<QuizData, 'questions'> {
  questions: PublicQuestion[];
}

/**
 * Whether a question carries its answer key (a knowledge check's) or was stripped by publicQuiz
 * (a final assessment's, graded by the server).
 */
export function hasAnswerKey<Q extends InLanguage<Question> | InLanguage<PublicQuestion>>(q: Q): q is Extract<Q, InLanguage<Question>> {
  return 'correct' in q || 'answer' in q || 'accepted' in q;
}

/** The question fields to keep, by type (everything but the key and the feedback). */
function stripQuestion(q: Question): PublicQuestion {
  const common = { id: q.id, prompt: q.prompt };
  switch (q.type) {
    case 'single-choice':
    case 'multiple-response':
      return { ...common, type: q.type, options: q.options.map((o) => ({ id: o.id, text: o.text })) } as PublicQuestion;
    case 'true-false':
      return { ...common, type: q.type };
    case 'matching':
      return { ...common, type: q.type, sources: q.sources, targets: q.targets };
    case 'sequencing':
      return { ...common, type: q.type, items: q.items };
    case 'numeric':
      return { ...common, type: q.type, ...(q.unit ? { unit: q.unit } : {}) };
    case 'fill-in':
      return { ...common, type: q.type };
  }
}

/**
 * A copy of a quiz without its answer key and feedback (correct, answer, accepted, tolerance,
 * feedback of questions and options): what a final assessment's page and island receive, so that
 * no built file holds the key (issue 11: "Their answer keys are in no built file").
 * @param quiz the quiz as parsed by src/schemas/quiz.ts
 */
export function publicQuiz(quiz: QuizData): PublicQuiz {
  return { module: quiz.module, kind: quiz.kind, title: quiz.title, passMark: quiz.passMark, questions: quiz.questions.map(stripQuestion) };
}

/**
 * The sequencing order currently shown: the learner's order once they moved an item, else the
 * items as authored (which is never the answer; see src/schemas/quiz.ts).
 */
export function sequenceOf(q: { items: { id: string }[] }, response: QuestionResponse | undefined): string[] {
  return Array.isArray(response) && response.length === q.items.length ? response : q.items.map((i) => i.id);
}

/**
 * The response to record for a question, or undefined while it is unanswered. A sequencing
 * question is always answered: the order on screen is the learner's answer.
 */
export function finalResponse(q: InLanguage<Question> | InLanguage<PublicQuestion>, r: QuestionResponse | undefined): QuestionResponse | undefined {
  if (q.type === 'sequencing') return sequenceOf(q, r);
  if (r === undefined) return undefined;
  if (q.type === 'numeric') return typeof r === 'number' && Number.isFinite(r) ? r : undefined;
  if (q.type === 'fill-in') return typeof r === 'string' && r.trim() !== '' ? r : undefined;
  if (q.type === 'matching') return typeof r === 'object' && !Array.isArray(r) && q.sources.every((s) => r[s.id]) ? r : undefined;
  return Array.isArray(r) && r.length === 0 ? undefined : r;
}

/** Longest fill-in answer accepted from a client, in characters. */
export const MAX_TEXT_RESPONSE = 500;

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * Check that a value sent by a client is a well-formed response to a question (its shape, and
 * ids that exist); whether it is right is isCorrect's business.
 * @param q the question (with or without its key)
 * @param value the value as received (parsed JSON)
 * @returns undefined when well formed, else the rule it breaks, e.g. "must be an array of 1 option id"
 */
export function responseProblem(q: Question | PublicQuestion, value: unknown): string | undefined {
  switch (q.type) {
    case 'single-choice':
    case 'multiple-response': {
      const ids = q.options.map((o) => o.id);
      const single = q.type === 'single-choice';
      const ok = isStringArray(value) && value.length >= 1 && (!single || value.length === 1) && new Set(value).size === value.length && value.every((v) => ids.includes(v));
      return ok ? undefined : `must be an array of ${single ? '1 option id' : 'distinct option ids (1 or more)'} among ${ids.join(', ')}`;
    }
    case 'true-false':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'matching': {
      const sources = q.sources.map((s) => s.id);
      const targets = q.targets.map((t) => t.id);
      const ok =
        typeof value === 'object' && value !== null && !Array.isArray(value) &&
        Object.keys(value).length === sources.length &&
        sources.every((s) => targets.includes((value as Record<string, unknown>)[s] as string));
      return ok ? undefined : `must map every source id (${sources.join(', ')}) to a target id (${targets.join(', ')})`;
    }
    case 'sequencing': {
      const items = q.items.map((i) => i.id);
      const ok = isStringArray(value) && value.length === items.length && [...value].sort().join() === [...items].sort().join();
      return ok ? undefined : `must list every item id once, in the chosen order (${items.join(', ')})`;
    }
    case 'numeric':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a finite number';
    case 'fill-in':
      return typeof value === 'string' && value.trim() !== '' && value.length <= MAX_TEXT_RESPONSE
        ? undefined
        : `must be a non-empty text of at most ${MAX_TEXT_RESPONSE} characters`;
  }
}

/**
 * The right response to a question, from its key: the response isCorrect accepts (the first
 * accepted English text for a fill-in). Used by the facilitators' answer-key command and tests.
 * @param q a question with its answer key
 */
export function correctResponse(q: Question): QuestionResponse {
  switch (q.type) {
    case 'single-choice':
      return [q.correct];
    case 'multiple-response':
      return [...q.correct];
    case 'true-false':
      return q.answer;
    case 'matching':
      return { ...q.correct };
    case 'sequencing':
      return [...q.correct];
    case 'numeric':
      return q.answer;
    case 'fill-in':
      return q.accepted.en[0] ?? '';
  }
}
