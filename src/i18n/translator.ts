import i18next, { type TOptions } from 'i18next';
import { readFileSync } from 'node:fs';
import { defaultLanguage, languages, type Language } from './languages.ts';
import { fill, type FillValues } from './format.ts';

/** A UI string key: the keys of locales/en.json, English being the source of truth. */
export type UIKey = keyof typeof import('../../locales/en.json');

// Every locale file, by path ("../../locales/fr.json"); the registry says which are the site's.
// Vite (the build, vitest) bundles them with import.meta.glob; plain Node (the LRS server, which
// words certificates: src/lrs/certificates/) has no import.meta.env and reads them from disk.
const files: Record<string, Record<UIKey, string>> = import.meta.env === undefined
  ? Object.fromEntries(
      languages.map((lang) => [
        `../../locales/${lang}.json`,
        JSON.parse(readFileSync(new URL(`../../locales/${lang}.json`, import.meta.url), 'utf8')) as Record<UIKey, string>,
      ]),
    )
  : import.meta.glob<Record<UIKey, string>>('../../locales/*.json', { eager: true, import: 'default' });

/**
 * The UI dictionaries, flat dotted keys, one per language of the registry: locales/{code}.json.
 * @throws Error at load when a language of the registry has no locale file
 */
export const dictionaries = Object.fromEntries(
  languages.map((lang) => {
    const dictionary = files[`../../locales/${lang}.json`];
    if (!dictionary) throw new Error(`locales/${lang}.json is missing (${lang} is in src/i18n/languages.ts)`);
    return [lang, dictionary];
  }),
) as Record<Language, Record<UIKey, string>>;

// One i18next instance per build, initialised synchronously. Keys contain dots, so i18next's
// key separator is off; "_one", "_few", "_other"... suffixes give CLDR plurals (Intl.PluralRules).
// i18next picks the string; src/i18n/format.ts fills it, writing numbers as the language does.
const instance = i18next.createInstance();
void instance.init({
  initAsync: false,
  resources: Object.fromEntries(Object.entries(dictionaries).map(([lng, d]) => [lng, { translation: d }])),
  fallbackLng: false,
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** A plural key's base: "home.days" for "home.days_one" and "home.days_other". */
export type PluralKey = UIKey extends infer K ? (K extends `${infer B}_other` ? B : never) : never;

/** A translation function bound to one language. */
export type Translate = (key: UIKey | PluralKey, options?: TOptions) => string;

/**
 * Get the translation function for a language, for use at build time in pages and components.
 * Strings are resolved on the server and passed to islands as props, so no dictionary is
 * shipped to the browser.
 * @param lang a code of the registry (src/i18n/languages.ts)
 * @returns t(key, options): the string with {{placeholders}} filled (numbers in the language's
 *   digits and grouping); plural keys take `count`
 * @throws Error when the key does not exist in that language (a missing translation is a bug)
 */
export function useTranslations(lang: Language = defaultLanguage): Translate {
  const t = instance.getFixedT(lang);
  return (key, options) => {
    const plural = options && typeof options['count'] === 'number';
    if (!plural && !instance.exists(key, { lng: lang })) throw new Error(`Missing UI string "${key}" in ${lang}`);
    const values = Object.fromEntries(
      Object.entries(options ?? {}).filter(([, v]) => typeof v === 'string' || typeof v === 'number'),
    ) as FillValues;
    return fill(t(key, { ...options, skipInterpolation: true }), values, lang);
  };
}
