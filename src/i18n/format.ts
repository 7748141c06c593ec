import { languageEntry, type Language } from './languages.ts';

/**
 * The one formatting helper for UI strings, in the build and in the browser: placeholders,
 * plurals, numbers and dates, each as the language's registry entry (src/i18n/languages.ts) says.
 * Plurals follow CLDR through Intl.PluralRules (ECMA-402), with i18next's key suffixes
 * ("search.results_one", "_two", "_few", "_many", "_other"), so a language with six forms (Arabic)
 * needs no code. Build-time pages use `useTranslations` (src/i18n/translator.ts), which formats
 * through this module; browser scripts receive raw templates and call `fill` and `plural` here.
 */

/** A CLDR plural category: "zero", "one", "two", "few", "many" or "other". */
export type PluralCategory = Intl.LDMLPluralRule;

/** The forms of one plural string in one language, by category; "other" is always there. */
export type PluralForms = Partial<Record<PluralCategory, string>> & { other: string };

/** Values to put into a template's {{placeholders}}: numbers are written in the language. */
export type FillValues = Record<string, string | number>;

/**
 * The Intl locale tag a language formats with (e.g. "ar-EG" for Arabic-Indic digits).
 * @param lang a code of the registry
 */
export function intlLocale(lang: Language): string {
  return languageEntry(lang).formats.locale;
}

/**
 * Write a number as the language writes it in a sentence: its digits, decimal mark and grouping
 * (groups from five digits on: "1500", "12 000").
 * @param lang a code of the registry
 * @param value a finite number
 * @param options Intl.NumberFormat options over the registry's (e.g. `{ style: 'unit', unit: 'kilobyte' }`)
 */
export function formatNumber(lang: Language, value: number, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(intlLocale(lang), { ...languageEntry(lang).formats.number, ...options }).format(value);
}

/**
 * Write a date (and time) as the language writes it, with the registry's date options.
 * @param lang a code of the registry
 * @param date the instant
 * @param options Intl.DateTimeFormat options replacing the registry's (e.g. `{ timeStyle: 'short' }`)
 */
export function formatDate(lang: Language, date: Date, options?: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(intlLocale(lang), options ?? languageEntry(lang).formats.date).format(date);
}

/**
 * The plural category of a count in a language (CLDR rules through Intl.PluralRules).
 * @param lang a code of the registry
 * @param count the number the sentence counts
 */
export function pluralCategory(lang: Language, count: number): PluralCategory {
  return new Intl.PluralRules(intlLocale(lang)).select(count);
}

/**
 * Fill a template's "{{name}}" placeholders. Numbers are written with formatNumber when a
 * language is given, as they are otherwise (String). A placeholder without a value stays as it is.
 * @param template e.g. "Question {{number}} of {{total}}"
 * @param values e.g. `{ number: 2, total: 5 }`
 * @param lang the language the numbers are written in
 * @returns "Question 2 of 5"
 */
export function fill(template: string, values: FillValues, lang?: Language): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    return typeof value === 'number' && lang !== undefined ? formatNumber(lang, value) : String(value);
  });
}

/**
 * The form of a plural string for a count, filled: the count goes into {{count}}, written in the
 * language, with any other values.
 * @param lang a code of the registry
 * @param forms the string's forms by category, e.g. from pluralForms at build time
 * @param count the number counted
 * @param values other placeholders ("query", "total")
 * @returns e.g. "3 results for “fund”"; the "other" form when the language's category is missing
 */
export function plural(lang: Language, forms: PluralForms, count: number, values: FillValues = {}): string {
  return fill(forms[pluralCategory(lang, count)] ?? forms.other, { ...values, count }, lang);
}

/**
 * Collect a plural string's forms from a flat dictionary with i18next key suffixes, for a browser
 * script: `pluralForms(dictionary, 'search.results')` gives `{ one, other }` in English and
 * `{ zero, one, two, few, many, other }` in Arabic.
 * @param dictionary a language's UI strings (locales/{code}.json)
 * @param key the base key, without suffix
 * @throws Error when the dictionary has no `${key}_other` (a plural key must have it)
 */
export function pluralForms(dictionary: Readonly<Record<string, string>>, key: string): PluralForms {
  const other = dictionary[`${key}_other`];
  if (other === undefined) throw new Error(`Missing UI string "${key}_other"`);
  const categories: PluralCategory[] = ['zero', 'one', 'two', 'few', 'many'];
  const forms: PluralForms = { other };
  for (const c of categories) {
    const form = dictionary[`${key}_${c}`];
    if (form !== undefined) forms[c] = form;
  }
  return forms;
}
