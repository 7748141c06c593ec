import type { z } from 'astro/zod';
import type { SchemaKit } from './schema-kit.ts';
import type { QuestionResponse, QuestionRuntime, QuestionType } from './question-type.ts';
import { components, isStringArray } from './parts.ts';

/** A sequencing question: put items in order (xAPI interactionType "sequencing"). */
export const sequencingSchema = ({ z, id, item, questionFields, wholeFeedback }: SchemaKit) =>
  z
    .object({
      type: z.literal('sequencing'), // put items in order (xAPI interactionType "sequencing")
      ...questionFields,
      items: z.array(item).min(3), // in the order shown to the learner (not the answer)
      correct: z.array(id).min(3), // the item ids in the correct order
      feedback: wholeFeedback,
    })
    .strict();

export type SequencingQuestion = z.infer<ReturnType<typeof sequencingSchema>>;
/** A sequencing question without its key and feedback. */
export type PublicSequencing = Omit<SequencingQuestion, 'correct' | 'feedback'>;

/**
 * The sequencing order currently shown: the learner's order once they moved an item, else the
 * items as authored (which is never the answer; see sequencingSchema).
 */
export function sequenceOf(q: { items: { id: string }[] }, response: QuestionResponse | undefined): string[] {
  return Array.isArray(response) && response.length === q.items.length ? response : q.items.map((i) => i.id);
}

/**
 * Sequencing: the response is every item id once, in the learner's order; right when it is the
 * key's order. Always answered: the order on screen is the learner's answer. Its pattern the ids
 * joined by "[,]" (xAPI 1.0.3 Data 2.4.4.1.1, sequencing). Answer component: SequencingAnswer
 * (src/questions/SequencingAnswer.tsx).
 */
export const sequencingRuntime: QuestionRuntime<SequencingQuestion, PublicSequencing> = {
  type: 'sequencing',
  keyFields: ['correct'],
  feedbackSaysVerdict: true,
  isCorrect: (q, r) => Array.isArray(r) && r.length === q.correct.length && r.every((x, i) => x === q.correct[i]),
  responseProblem: (q, value) => {
    const items = q.items.map((i) => i.id);
    const ok = isStringArray(value) && value.length === items.length && [...value].sort().join() === [...items].sort().join();
    return ok ? undefined : `must list every item id once, in the chosen order (${items.join(', ')})`;
  },
  finalResponse: (q, r) => sequenceOf(q, r),
  correctResponse: (q) => [...q.correct],
  responsePattern: (_q, r) => (Array.isArray(r) ? r : []).join('[,]'),
  interaction: (q) => ({ interactionType: 'sequencing', correctResponsesPattern: [q.correct.join('[,]')], choices: components(q.items) }),
};

/** sequencing with what only the build and the server use: its schema, strings, cross-field checks, strip, answer-key lines and slide options. */
export const sequencing: QuestionType<SequencingQuestion, PublicSequencing> = {
  ...sequencingRuntime,
  schema: sequencingSchema,
  strings: { hint: 'quiz.sequencingHint', moveUp: 'quiz.moveUp', moveDown: 'quiz.moveDown' },
  check: (q, issue) => {
    const items = q.items.map((x) => x.id);
    if (JSON.stringify([...q.correct].sort()) !== JSON.stringify([...items].sort())) issue(['correct'], 'list every item id exactly once');
  },
  strip: (q) => ({ id: q.id, prompt: q.prompt, type: q.type, items: q.items }),
  answerLines: (q, lang) => q.correct.map((x, i) => `${i + 1}. ${q.items.find((it) => it.id === x)?.text[lang] ?? x}`),
  slideOptions: (q, lang) => q.items.map((i) => i.text[lang]),
};
