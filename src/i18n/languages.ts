/**
 * The languages the site is published in. English is the source language:
 * every string and every page exists first in English, then in French and Spanish.
 */
export const languages = ['en', 'fr', 'es'] as const;

/** One of the site's language codes (BCP 47 primary subtags). */
export type Language = (typeof languages)[number];

/** The source language, used as the fallback for visitors whose browser asks for none of ours. */
export const defaultLanguage: Language = 'en';

/** Each language's name written in that language, for the language switch. */
export const languageNames: Record<Language, string> = {
  en: 'English',
  fr: 'Français',
  es: 'Español',
};

/**
 * Tell whether a string is one of the site's language codes.
 * @param value any string, e.g. a route parameter
 * @returns true when `value` is 'en', 'fr' or 'es'
 */
export function isLanguage(value: string | undefined): value is Language {
  return (languages as readonly string[]).includes(value ?? '');
}

/**
 * Static paths for a page that exists once per language ("/{lang}/..."), for getStaticPaths.
 * @returns [{ params: { lang: 'en' } }, { params: { lang: 'fr' } }, { params: { lang: 'es' } }]
 */
export function languagePaths(): { params: { lang: Language } }[] {
  return languages.map((lang) => ({ params: { lang } }));
}
