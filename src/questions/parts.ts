import type { LanguageMap } from '../i18n/in-language.ts';
import type { InteractionComponent, IssueSink } from './question-type.ts';

// Pieces that several question types share: small helpers (their schema fragments are in
// schema-kit.ts, which only the build and the server load). A type that
// needs none of them does not import this file.

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
