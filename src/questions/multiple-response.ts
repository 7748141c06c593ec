import type { z } from 'astro/zod';
import type { SchemaKit } from './schema-kit.ts';
import type { LocalizedText } from '../schemas/localized.ts';
import type { QuestionRuntime, QuestionType } from './question-type.ts';
import { components } from './parts.ts';
import { checkOptions, choicePattern, choiceProblem, chosenOptions, optionTexts, publicOptions } from './choice.ts';

/** A multiple-response question: one or more options are correct, all must be chosen. */
export const multipleResponseSchema = ({ z, id, option, questionFields }: SchemaKit) =>
  z
    .object({
      type: z.literal('multiple-response'), // one or more options are correct; all must be chosen
      ...questionFields,
      options: z.array(option).min(3),
      correct: z.array(id).min(1), // ids of every correct option
    })
    .strict();

export type MultipleResponseQuestion = z.infer<ReturnType<typeof multipleResponseSchema>>;
/** A multiple-response question without its key and feedback. */
export type PublicMultipleResponse = Omit<MultipleResponseQuestion, 'correct' | 'options'> & {
  options: { id: string; text: LocalizedText }[];
};

/**
 * Multiple response: right when the response holds every correct option id and nothing else,
 * each once. The response is the chosen ids; its pattern them in the options' order, joined by
 * "[,]" (xAPI 1.0.3 Data 2.4.4.1.1, choice). Feedback is per chosen option, so the quiz says the
 * verdict itself. Answer component: MultipleResponseAnswer (src/questions/ChoiceAnswer.tsx).
 */
export const multipleResponseRuntime: QuestionRuntime<MultipleResponseQuestion, PublicMultipleResponse> = {
  type: 'multiple-response',
  keyFields: ['correct'],
  feedbackSaysVerdict: false,
  isCorrect: (q, r) => {
    if (!Array.isArray(r)) return false;
    const chosen = new Set(r);
    return chosen.size === r.length && chosen.size === q.correct.length && q.correct.every((c) => chosen.has(c));
  },
  responseProblem: (q, value) => choiceProblem(q, value, false),
  finalResponse: (_q, r) => chosenOptions(r),
  correctResponse: (q) => [...q.correct],
  responsePattern: choicePattern,
  interaction: (q) => ({
    interactionType: 'choice',
    correctResponsesPattern: [choicePattern(q, q.correct)],
    choices: components(q.options),
  }),
};

/** multipleResponse with what only the build and the server use: its schema, strings, cross-field checks, strip, answer-key lines and slide options. */
export const multipleResponse: QuestionType<MultipleResponseQuestion, PublicMultipleResponse> = {
  ...multipleResponseRuntime,
  schema: multipleResponseSchema,
  strings: { hint: 'quiz.multipleResponseHint' },
  check: (q, issue) => checkOptions(q, q.correct, issue),
  strip: (q) => ({ id: q.id, prompt: q.prompt, type: q.type, options: publicOptions(q.options) }),
  answerLines: (q, lang) => optionTexts(q.options, lang, (o) => q.correct.includes(o)),
  slideOptions: (q, lang) => optionTexts(q.options, lang),
};
