import { z } from 'astro/zod';
import { localizedText, perLanguage } from '../schemas/localized.ts';

// What a question type's schema is built from (its `schema(kit)`, src/questions/<type>.ts): zod
// and the fragments several types share. Only the build and the server load this file (the quiz
// schema, src/schemas/quiz.ts); the browser's question code never does, so zod stays out of its
// scripts (tests/e2e/budgets.spec.ts).

/** An id of a question, option or item: lowercase letters, digits and hyphens. */
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and hyphens');

/** The fields every question schema starts with (after its `type` literal). */
const questionFields = {
  id, // question id, unique within the quiz
  prompt: localizedText, // the question in en, fr and es
};

/** One option of a choice question, with its text and the feedback shown when it is chosen. */
const option = z
  .object({
    id, // stable option id, recorded as the xAPI response (e.g. "a")
    text: localizedText, // the option in en, fr and es
    feedback: localizedText, // why this option is right or wrong, in en, fr and es
  })
  .strict();

/** Feedback for a question answered as a whole (not option by option). */
const wholeFeedback = z.object({ correct: localizedText, incorrect: localizedText }).strict(); // shown when the answer is right / wrong

/** A labelled item of a matching or sequencing question. */
const item = z.object({ id, text: localizedText }).strict();

/** Everything a question type's schema function receives. */
export const schemaKit = { z, id, option, item, questionFields, wholeFeedback, localizedText, perLanguage };

/** The type of schemaKit. */
export type SchemaKit = typeof schemaKit;
