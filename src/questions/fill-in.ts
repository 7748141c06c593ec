import type { z } from 'astro/zod';
import type { SchemaKit } from './schema-kit.ts';
import type { QuestionRuntime, QuestionType } from './question-type.ts';
import { defaultLanguage } from '../i18n/languages.ts';

/** A fill-in question: a short text (xAPI interactionType "fill-in"). */
export const fillInSchema = ({ z, questionFields, wholeFeedback, perLanguage }: SchemaKit) =>
  z
    .object({
      type: z.literal('fill-in'), // a short text (xAPI interactionType "fill-in")
      ...questionFields,
      accepted: perLanguage(z.array(z.string().min(1)).min(1)), // accepted answers per language; case, accents and extra spaces are ignored
      feedback: wholeFeedback,
    })
    .strict();

export type FillInQuestion = z.infer<ReturnType<typeof fillInSchema>>;
/** A fill-in question without its key and feedback. */
export type PublicFillIn = Omit<FillInQuestion, 'accepted' | 'feedback'>;

/** Longest fill-in answer accepted from a client, in characters. */
export const MAX_TEXT_RESPONSE = 500;

/** Fold case, accents and spacing, so that "Évaluación " matches "evaluacion". */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Fill-in: the response is a text, right when it equals an accepted answer of any language once
 * case, accents and spacing are folded (foldText). The correctResponsesPattern lists every
 * accepted answer with {case_matters=false}; the response pattern is the text trimmed (xAPI
 * 1.0.3 Data 2.4.4.1.1, fill-in). Answer component: FillInAnswer (src/questions/FillInAnswer.tsx).
 */
export const fillInRuntime: QuestionRuntime<FillInQuestion, PublicFillIn> = {
  type: 'fill-in',
  keyFields: ['accepted'],
  feedbackSaysVerdict: true,
  isCorrect: (q, r) => {
    const given = typeof r === 'string' ? foldText(r) : '';
    return (
      given !== '' &&
      Object.values(q.accepted)
        .flat()
        .some((a) => foldText(a) === given)
    );
  },
  responseProblem: (_q, value) =>
    typeof value === 'string' && value.trim() !== '' && value.length <= MAX_TEXT_RESPONSE
      ? undefined
      : `must be a non-empty text of at most ${MAX_TEXT_RESPONSE} characters`,
  finalResponse: (_q, r) => (typeof r === 'string' && r.trim() !== '' ? r : undefined),
  correctResponse: (q) => q.accepted[defaultLanguage][0] ?? '',
  responsePattern: (_q, r) => String(r).trim(),
  interaction: (q) => ({
    interactionType: 'fill-in',
    correctResponsesPattern: [...new Set(Object.values(q.accepted).flat())].map((a) => `{case_matters=false}${a}`),
  }),
};

/** fillIn with what only the build and the server use: its schema, strings, cross-field checks, strip, answer-key lines and slide options. */
export const fillIn: QuestionType<FillInQuestion, PublicFillIn> = {
  ...fillInRuntime,
  schema: fillInSchema,
  strings: { hint: 'quiz.fillInHint' },
  check: () => undefined,
  strip: (q) => ({ id: q.id, prompt: q.prompt, type: q.type }),
  answerLines: (q, lang) => [q.accepted[lang].join(' / ')],
  slideOptions: () => [],
};
