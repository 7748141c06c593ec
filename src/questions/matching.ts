import type { z } from 'astro/zod';
import type { SchemaKit } from './schema-kit.ts';
import type { QuestionRuntime, QuestionType } from './question-type.ts';
import { components, isRecord } from './parts.ts';

/** A matching question: match each source to one target (xAPI interactionType "matching"). */
export const matchingSchema = ({ z, id, item, questionFields, wholeFeedback }: SchemaKit) =>
  z
    .object({
      type: z.literal('matching'), // match each source to one target (xAPI interactionType "matching")
      ...questionFields,
      sources: z.array(item).min(2), // the items to match, shown in this order
      targets: z.array(item).min(2), // the choices offered for every source, shown in this order
      correct: z.record(z.string(), id), // source id -> target id, one entry per source
      feedback: wholeFeedback,
    })
    .strict();

export type MatchingQuestion = z.infer<ReturnType<typeof matchingSchema>>;
/** A matching question without its key and feedback. */
export type PublicMatching = Omit<MatchingQuestion, 'correct' | 'feedback'>;

/** The pairs of a response, or none when it is not an object. */
const pairsOf = (r: unknown): Record<string, string> => (isRecord(r) ? (r as Record<string, string>) : {});

/** "source[.]target" pairs in the sources' order, joined by "[,]" (xAPI 1.0.3 Data 2.4.4.1.1, matching). */
function pattern(q: { sources: { id: string }[] }, r: unknown): string {
  const pairs = pairsOf(r);
  return q.sources
    .filter((s) => pairs[s.id])
    .map((s) => `${s.id}[.]${pairs[s.id]}`)
    .join('[,]');
}

/**
 * Matching: the response maps every source id to a target id; right when every pair is the
 * key's and there is no other. Answered once every source has a target. Answer component:
 * MatchingAnswer (src/questions/MatchingAnswer.tsx).
 */
export const matchingRuntime: QuestionRuntime<MatchingQuestion, PublicMatching> = {
  type: 'matching',
  keyFields: ['correct'],
  feedbackSaysVerdict: true,
  isCorrect: (q, r) =>
    isRecord(r) && Object.keys(r).length === Object.keys(q.correct).length && Object.entries(q.correct).every(([s, t]) => r[s] === t),
  responseProblem: (q, value) => {
    const sources = q.sources.map((s) => s.id);
    const targets = q.targets.map((t) => t.id);
    const ok =
      isRecord(value) && Object.keys(value).length === sources.length && sources.every((s) => targets.includes(value[s] as string));
    return ok ? undefined : `must map every source id (${sources.join(', ')}) to a target id (${targets.join(', ')})`;
  },
  finalResponse: (q, r) => (isRecord(r) && q.sources.every((s) => r[s.id]) ? r : undefined),
  correctResponse: (q) => ({ ...q.correct }),
  responsePattern: pattern,
  interaction: (q) => ({
    interactionType: 'matching',
    correctResponsesPattern: [pattern(q, q.correct)],
    source: components(q.sources),
    target: components(q.targets),
  }),
};

/** matching with what only the build and the server use: its schema, strings, cross-field checks, strip, answer-key lines and slide options. */
export const matching: QuestionType<MatchingQuestion, PublicMatching> = {
  ...matchingRuntime,
  schema: matchingSchema,
  strings: { hint: 'quiz.matchingHint', choose: 'quiz.choose' },
  check: (q, issue) => {
    const sources = q.sources.map((x) => x.id);
    const targets = q.targets.map((x) => x.id);
    const keys = Object.keys(q.correct).sort();
    if (JSON.stringify(keys) !== JSON.stringify([...sources].sort())) issue(['correct'], 'give exactly one target for every source id');
    for (const [s, t] of Object.entries(q.correct)) if (!targets.includes(t)) issue(['correct', s], `"${t}" is not a target id`);
  },
  strip: (q) => ({ id: q.id, prompt: q.prompt, type: q.type, sources: q.sources, targets: q.targets }),
  answerLines: (q, lang) => q.sources.map((s) => `${s.text[lang]} → ${q.targets.find((t) => t.id === q.correct[s.id])?.text[lang] ?? ''}`),
  slideOptions: (q, lang) => q.sources.map((s) => `${s.text[lang]} → ?`),
};
