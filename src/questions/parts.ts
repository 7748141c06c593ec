import { z } from 'astro/zod';
import type { LanguageMap } from '../i18n/in-language.ts';
import { localizedText } from '../schemas/localized.ts';
import type { InteractionComponent, IssueSink } from './question-type.ts';

// Pieces that several question types share: schema fragments and small helpers. A type that
// needs none of them does not import this file.

/** An id of a question, option or item: lowercase letters, digits and hyphens. */
export const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and hyphens');

/** The fields every question schema starts with (after its `type` literal). */
export const questionFields = {
  id, // question id, unique within the quiz
  prompt: localizedText, // the question in en, fr and es
};

/** One option of a choice question, with its text and the feedback shown when it is chosen. */
export const option = z
  .object({
    id, // stable option id, recorded as the xAPI response (e.g. "a")
    text: localizedText, // the option in en, fr and es
    feedback: localizedText, // why this option is right or wrong, in en, fr and es
  })
  .strict();

/** Feedback for a question answered as a whole (not option by option). */
export const wholeFeedback = z.object({ correct: localizedText, incorrect: localizedText }).strict(); // shown when the answer is right / wrong

/** A labelled item of a matching or sequencing question. */
export const item = z.object({ id, text: localizedText }).strict();

/** Whether a value is an array of strings. */
export const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Whether a value is a plain object (not null, not an array). */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Interaction components from labelled items: `{ id, description }` with the item's text in the
 * languages it carries (xAPI 1.0.3 Data 2.4.4.1.1, "Interaction Components").
 */
export const components = (items: { id: string; text: LanguageMap }[]): InteractionComponent[] =>
  items.map((i) => ({ id: i.id, description: { ...i.text } }));

/** Report duplicate ids in a list of items or options, at `path`. */
export function checkUnique(ids: string[], path: string, what: string, issue: IssueSink): void {
  if (new Set(ids).size !== ids.length) issue([path], `duplicate ${what} id`);
}
