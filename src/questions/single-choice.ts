import type { z } from 'astro/zod';
import type { SchemaKit } from './schema-kit.ts';
import type { LocalizedText } from '../schemas/localized.ts';
import type { QuestionRuntime, QuestionType } from './question-type.ts';
import { components } from './parts.ts';
import { checkOptions, choicePattern, choiceProblem, chosenOptions, optionTexts, publicOptions } from './choice.ts';

/** A single-choice question: exactly one option is correct (xAPI interactionType "choice"). */
export const singleChoiceSchema = ({ z, id, option, questionFields }: SchemaKit) =>
  z
    .object({
      type: z.literal('single-choice'), // exactly one option is correct
      ...questionFields,
      options: z.array(option).min(2), // the choices, shown in this order
      correct: id, // the id of the one correct option
    })
    .strict();

export type SingleChoiceQuestion = z.infer<ReturnType<typeof singleChoiceSchema>>;
/** A single-choice question without its key and feedback. */
export type PublicSingleChoice = Omit<SingleChoiceQuestion, 'correct' | 'options'> & { options: { id: string; text: LocalizedText }[] };

/**
 * Single choice: right when the response is exactly the correct option's id. The response is
 * `[optionId]`; its pattern the id (xAPI 1.0.3 Data 2.4.4.1.1, choice). Answer component:
 * SingleChoiceAnswer (src/questions/ChoiceAnswer.tsx).
 */
export const singleChoiceRuntime: QuestionRuntime<SingleChoiceQuestion, PublicSingleChoice> = {
  type: 'single-choice',
  keyFields: ['correct'],
  feedbackSaysVerdict: true,
  isCorrect: (q, r) => Array.isArray(r) && r.length === 1 && r[0] === q.correct,
  responseProblem: (q, value) => choiceProblem(q, value, true),
  finalResponse: (_q, r) => chosenOptions(r),
  correctResponse: (q) => [q.correct],
  responsePattern: choicePattern,
  interaction: (q) => ({
    interactionType: 'choice',
    correctResponsesPattern: [choicePattern(q, [q.correct])],
    choices: components(q.options),
  }),
};

/** singleChoice with what only the build and the server use: its schema, strings, cross-field checks, strip, answer-key lines and slide options. */
export const singleChoice: QuestionType<SingleChoiceQuestion, PublicSingleChoice> = {
  ...singleChoiceRuntime,
  schema: singleChoiceSchema,
  strings: { hint: 'quiz.singleChoiceHint' },
  check: (q, issue) => checkOptions(q, [q.correct], issue),
  strip: (q) => ({ id: q.id, prompt: q.prompt, type: q.type, options: publicOptions(q.options) }),
  answerLines: (q, lang) => optionTexts(q.options, lang, (o) => o === q.correct),
  slideOptions: (q, lang) => optionTexts(q.options, lang),
};
