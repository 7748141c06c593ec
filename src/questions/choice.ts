import type { Language } from '../i18n/languages.ts';
import type { LanguageMap } from '../i18n/in-language.ts';
import type { LocalizedText } from '../schemas/localized.ts';
import type { IssueSink, QuestionResponse } from './question-type.ts';
import { checkUnique, isStringArray } from './parts.ts';

// What the two option-list types (single choice, multiple response) share: their options, the
// rules on the ids of the key, the response pattern and the public copy.

/** A question with options, as authored or as a page receives it. */
interface WithOptions {
  id: string;
  options: { id: string; text: LanguageMap; feedback?: LanguageMap }[];
}

/**
 * Check that option ids are distinct and that every correct id is an option's (the messages
 * src/schemas/quiz.ts always gave).
 */
export function checkOptions(q: WithOptions, correct: string[], issue: IssueSink): void {
  const optionIds = q.options.map((o) => o.id);
  checkUnique(optionIds, 'options', 'option', issue);
  for (const c of correct) if (!optionIds.includes(c)) issue(['correct'], `"${c}" is not an option id of question "${q.id}"`);
}

/** The options without their feedback, what a final assessment's page receives. */
export const publicOptions = (options: { id: string; text: LocalizedText }[]) => options.map((o) => ({ id: o.id, text: o.text }));

/**
 * The xAPI response pattern of chosen options: their ids in the options' order, joined by "[,]"
 * (xAPI 1.0.3 Data 2.4.4.1.1, choice).
 */
export function choicePattern(q: WithOptions, response: QuestionResponse): string {
  const chosen = new Set(Array.isArray(response) ? response : []);
  return q.options
    .filter((o) => chosen.has(o.id))
    .map((o) => o.id)
    .join('[,]');
}

/**
 * Check chosen option ids sent by a client: an array of distinct ids of the question's options,
 * exactly one when `single`.
 */
export function choiceProblem(q: WithOptions, value: unknown, single: boolean): string | undefined {
  const ids = q.options.map((o) => o.id);
  const ok =
    isStringArray(value) &&
    value.length >= 1 &&
    (!single || value.length === 1) &&
    new Set(value).size === value.length &&
    value.every((v) => ids.includes(v));
  return ok ? undefined : `must be an array of ${single ? '1 option id' : 'distinct option ids (1 or more)'} among ${ids.join(', ')}`;
}

/** Chosen option ids, or undefined while none is chosen. */
export const chosenOptions = (r: QuestionResponse | undefined): QuestionResponse | undefined =>
  r === undefined || (Array.isArray(r) && r.length === 0) ? undefined : r;

/** The options' texts in one language, for a slide or an answer key. */
export const optionTexts = (options: { id: string; text: LocalizedText }[], lang: Language, only?: (id: string) => boolean): string[] =>
  options.filter((o) => only?.(o.id) ?? true).map((o) => o.text[lang]);
