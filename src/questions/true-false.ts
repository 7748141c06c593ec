import type { z } from 'astro/zod';
import type { SchemaKit } from './schema-kit.ts';
import type { QuestionRuntime, QuestionType } from './question-type.ts';

/** A true/false question: a statement to judge (xAPI interactionType "true-false"). */
export const trueFalseSchema = ({ z, questionFields, localizedText }: SchemaKit) =>
  z
    .object({
      type: z.literal('true-false'), // a statement to judge true or false
      ...questionFields,
      answer: z.boolean(), // whether the statement is true
      feedback: z.object({ true: localizedText, false: localizedText }).strict(), // feedback when the learner answers true, and when false
    })
    .strict();

export type TrueFalseQuestion = z.infer<ReturnType<typeof trueFalseSchema>>;
/** A true/false question without its key and feedback. */
export type PublicTrueFalse = Omit<TrueFalseQuestion, 'answer' | 'feedback'>;

/**
 * True/false: the response is a boolean, right when it equals `answer`; its pattern "true" or
 * "false" (xAPI 1.0.3 Data 2.4.4.1.1, true-false). The options are the words True and False of
 * the page's language. Answer component: TrueFalseAnswer (src/questions/ChoiceAnswer.tsx).
 */
export const trueFalseRuntime: QuestionRuntime<TrueFalseQuestion, PublicTrueFalse> = {
  type: 'true-false',
  keyFields: ['answer'],
  feedbackSaysVerdict: true,
  isCorrect: (q, r) => r === q.answer,
  responseProblem: (_q, value) => (typeof value === 'boolean' ? undefined : 'must be true or false'),
  finalResponse: (_q, r) => r,
  correctResponse: (q) => q.answer,
  responsePattern: (_q, r) => String(r),
  interaction: (q) => ({ interactionType: 'true-false', correctResponsesPattern: [String(q.answer)] }),
};

/** trueFalse with what only the build and the server use: its schema, strings, cross-field checks, strip, answer-key lines and slide options. */
export const trueFalse: QuestionType<TrueFalseQuestion, PublicTrueFalse> = {
  ...trueFalseRuntime,
  schema: trueFalseSchema,
  strings: { hint: 'quiz.trueFalseHint', true: 'quiz.true', false: 'quiz.false' },
  check: () => undefined,
  strip: (q) => ({ id: q.id, prompt: q.prompt, type: q.type }),
  answerLines: (q, _lang, words) => [words(q.answer ? 'quiz.true' : 'quiz.false')],
  slideOptions: (_q, _lang, words) => [words('quiz.true'), words('quiz.false')],
};
