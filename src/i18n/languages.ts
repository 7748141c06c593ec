/**
 * The language registry: the one place that lists the site's languages. Everything else derives
 * from it: the Astro i18n locales (astro.config.mjs), the content schemas' per-language objects
 * (src/schemas/localized.ts), the UI dictionaries (src/i18n/translator.ts loads locales/{code}.json),
 * the service worker's routes (src/integrations/service-worker.ts), the PDF files
 * (src/integrations/pdf.ts), the search pipelines (src/lib/search/lunr-setup.ts), number, plural
 * and date formatting (src/i18n/format.ts), `<html lang dir>` (src/layouts/BaseLayout.astro), the
 * LRS's language checks, the benches and the tests. docs/languages.md says how to add a language.
 * English is the source language: every string and every page exists first in English.
 */

/** A lunr-languages pipeline id (node_modules/lunr-languages/lunr.{id}.js). */
export type StemmerId =
  'ar' | 'da' | 'de' | 'du' | 'el' | 'es' | 'fi' | 'fr' | 'he' | 'hi' | 'hu' | 'it' | 'nl' | 'no' | 'pt' | 'ro' | 'ru' | 'sv' | 'tr';

/** One language of the site. */
export interface LanguageEntry {
  /** BCP 47 primary language subtag: the URL prefix (/fr/), the content folder, the locale file name. */
  code: string;
  /** The language's name written in that language (its endonym), for the language switch. */
  name: string;
  /** Writing direction: `<html dir>`; the CSS uses logical properties, so both work. */
  dir: 'ltr' | 'rtl';
  /**
   * Search pipeline (stop words, accent folding, stemmer): a lunr-languages id, registered in
   * src/lib/search/lunr-setup.ts; null: lunr's own pipeline (English).
   */
  stemmer: StemmerId | null;
  /** Intl formats (ECMA-402) for numbers, plurals and dates in this language. */
  formats: {
    /** Intl locale tag, e.g. "fr" or "ar-EG" (Arabic-Indic digits); defaults to `code`. */
    locale: string;
    /** Options every number of the UI is written with (counts, percentages, sizes). */
    number: Intl.NumberFormatOptions;
    /** Options dates and times are written with (e.g. a transfer code's expiry). */
    date: Intl.DateTimeFormatOptions;
  };
}

// Counts in sentences: groups from five digits only ("1500 minutes", "12 000"), as CLDR's
// "min2" grouping; year-like numbers are never split.
const counting: Intl.NumberFormatOptions = { useGrouping: 'min2', maximumFractionDigits: 2 };
const dateTime: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

/** The registry, in the order the language switch shows them; the first is the source language. */
export const registry = [
  { code: 'en', name: 'English', dir: 'ltr', stemmer: null, formats: { locale: 'en', number: counting, date: dateTime } },
  { code: 'fr', name: 'Français', dir: 'ltr', stemmer: 'fr', formats: { locale: 'fr', number: counting, date: dateTime } },
  { code: 'es', name: 'Español', dir: 'ltr', stemmer: 'es', formats: { locale: 'es', number: counting, date: dateTime } },
] as const satisfies readonly LanguageEntry[];

/** One of the site's language codes (BCP 47 primary subtags). */
export type Language = (typeof registry)[number]['code'];

/** The site's language codes, in registry order. */
export const languages = registry.map((entry) => entry.code) as readonly Language[] as readonly [Language, ...Language[]];

/** The source language, used as the fallback for visitors whose browser asks for none of ours. */
export const defaultLanguage: Language = registry[0].code;

/**
 * A language's registry entry.
 * @param lang one of the site's language codes
 * @throws Error when `lang` is not in the registry (a caller passed an unchecked string)
 */
export function languageEntry(lang: Language): LanguageEntry {
  const entry = (registry as readonly LanguageEntry[]).find((e) => e.code === lang);
  if (!entry) throw new Error(`"${lang}" is not in the language registry (src/i18n/languages.ts)`);
  return entry;
}

/** Each language's name written in that language, for the language switch. */
export const languageNames = Object.fromEntries(registry.map((e) => [e.code, e.name])) as Record<Language, string>;

/**
 * A language's writing direction, for `<html dir>`.
 * @param lang one of the site's language codes
 * @returns 'ltr' or 'rtl'
 */
export function textDirection(lang: Language): 'ltr' | 'rtl' {
  return languageEntry(lang).dir;
}

/**
 * Tell whether a string is one of the site's language codes.
 * @param value any string, e.g. a route parameter
 * @returns true when `value` is a code of the registry
 */
export function isLanguage(value: string | undefined): value is Language {
  return (languages as readonly string[]).includes(value ?? '');
}

/**
 * Static paths for a page that exists once per language ("/{lang}/..."), for getStaticPaths.
 * @returns one `{ params: { lang } }` per language of the registry
 */
export function languagePaths(): { params: { lang: Language } }[] {
  return languages.map((lang) => ({ params: { lang } }));
}
