import type { z } from 'astro/zod';
import type { SchemaKit } from './schema-kit.ts';
import type { QuestionRuntime, QuestionType } from './question-type.ts';
import { fill, formatNumber } from '../i18n/format.ts';

/** A numeric question: a number within a tolerance (xAPI interactionType "numeric"). */
export const numericSchema = ({ z, questionFields, wholeFeedback, localizedText }: SchemaKit) =>
  z
    .object({
      type: z.literal('numeric'), // a number (xAPI interactionType "numeric")
      ...questionFields,
      answer: z.number(), // the correct value
      tolerance: z.number().min(0).default(0), // accepted distance from the answer, same unit
      unit: localizedText.optional(), // the unit shown after the field, e.g. "%"
      feedback: wholeFeedback,
    })
    .strict();

export type NumericQuestion = z.infer<ReturnType<typeof numericSchema>>;
/** A numeric question without its key and feedback (its unit is kept). */
export type PublicNumeric = Omit<NumericQuestion, 'answer' | 'tolerance' | 'feedback'>;

/** A number without binary floating-point noise (0.3 - 0.1 gives 0.2, not 0.19999999999999998). */
const decimal = (n: number): number => Number(n.toFixed(10));

/**
 * Numeric: the response is a finite number, right within `tolerance` of `answer`. The
 * correctResponsesPattern is the number, or the range "min[:]max" (xAPI 1.0.3 Data 2.4.4.1.1,
 * numeric); the response pattern the number in decimal. The field reads numbers as the page's
 * language writes them. Answer component: NumericAnswer (src/questions/NumericAnswer.tsx).
 */
export const numericRuntime: QuestionRuntime<NumericQuestion, PublicNumeric> = {
  type: 'numeric',
  keyFields: ['answer', 'tolerance'],
  feedbackSaysVerdict: true,
  isCorrect: (q, r) => typeof r === 'number' && Number.isFinite(r) && Math.abs(r - q.answer) <= q.tolerance + 1e-9,
  responseProblem: (_q, value) => (typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a finite number'),
  finalResponse: (_q, r) => (typeof r === 'number' && Number.isFinite(r) ? r : undefined),
  correctResponse: (q) => q.answer,
  responsePattern: (_q, r) => String(r),
  interaction: (q) => ({
    interactionType: 'numeric',
    correctResponsesPattern: [q.tolerance ? `${decimal(q.answer - q.tolerance)}[:]${decimal(q.answer + q.tolerance)}` : String(q.answer)],
  }),
};

/** numeric with what only the build and the server use: its schema, strings, cross-field checks, strip, answer-key lines and slide options. */
export const numeric: QuestionType<NumericQuestion, PublicNumeric> = {
  ...numericRuntime,
  schema: numericSchema,
  strings: { hint: 'quiz.numericHint', numberAmbiguous: 'quiz.numberAmbiguous' },
  check: () => undefined,
  strip: (q) => ({ id: q.id, prompt: q.prompt, type: q.type, ...(q.unit ? { unit: q.unit } : {}) }),
  answerLines: (q, lang, words) => {
    // Grouping as toLocaleString wrote it (from four digits), in the registry's locale.
    const number = (value: number) => formatNumber(lang, value, { useGrouping: 'auto', maximumFractionDigits: 3 });
    const unit = q.unit ? ` ${q.unit[lang]}` : '';
    return [
      q.tolerance
        ? `${number(q.answer)}${unit} (${fill(words('guide.tolerance'), { tolerance: number(q.tolerance) })})`
        : `${number(q.answer)}${unit}`,
    ];
  },
  slideOptions: () => [],
};
