import { languages, type Language } from './languages.ts';
import type { LocalizedText } from '../schemas/localized.ts';

/**
 * Texts in some of the site's languages, by language code: what a page's island receives (its
 * own language only), and an xAPI language map (xAPI 1.0.3 Data 5.2.2) as statements carry it.
 * A LocalizedText (every language) is one too.
 */
export type LanguageMap = Partial<LocalizedText>;

/**
 * A value with every LocalizedText inside it (at any depth) replaced by a LanguageMap: the type
 * of what inLanguage returns. Anything else is kept as it is: ids, answer keys, and the accepted
 * answers of a fill-in question, which are per language but all count whatever the page's
 * language (src/lib/grading.ts). A value with every language is one of these too, so a
 * function taking `InLanguage<T>` accepts a T.
 */
export type InLanguage<T> = T extends LocalizedText
  ? LanguageMap
  : T extends readonly (infer U)[]
    ? InLanguage<U>[]
    : T extends object
      ? { [K in keyof T]: InLanguage<T[K]> }
      : T;

const isLocalizedText = (value: object): value is LocalizedText => {
  const keys = Object.keys(value);
  return keys.length === languages.length && languages.every((k) => typeof (value as Record<string, unknown>)[k] === 'string');
};

/**
 * A copy of a value with every LocalizedText (an object of exactly one string per language of
 * the registry, src/i18n/languages.ts)
 * reduced to the one language given: what a page ships to the browser, so that each page carries
 * its own language only (issue 13, "Data cost").
 * @param value e.g. a quiz as parsed by src/schemas/quiz.ts, or the activity references of its statements
 * @param lang the page's language
 * @returns a new value; `value` is not changed
 */
export function inLanguage<T>(value: T, lang: Language): InLanguage<T> {
  const reduce = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(reduce);
    if (v === null || typeof v !== 'object') return v;
    if (isLocalizedText(v)) return { [lang]: v[lang] };
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reduce(x)]));
  };
  return reduce(value) as InLanguage<T>;
}
