import i18next, { type TOptions } from 'i18next';
import en from '../../locales/en.json' with { type: 'json' };
import fr from '../../locales/fr.json' with { type: 'json' };
import es from '../../locales/es.json' with { type: 'json' };
import { defaultLanguage, type Language } from './languages.ts';

/** A UI string key: the keys of locales/en.json, English being the source of truth. */
export type UIKey = keyof typeof en;

/** The UI dictionaries, flat dotted keys, one per language. */
export const dictionaries: Record<Language, Record<UIKey, string>> = { en, fr, es };

// One i18next instance per build, initialised synchronously. Keys contain dots, so i18next's
// key separator is off; "_one"/"_other" suffixes give CLDR plurals.
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
export type PluralKey = UIKey extends infer K ? (K extends `${infer B}_one` ? B : never) : never;

/** A translation function bound to one language. */
export type Translate = (key: UIKey | PluralKey, options?: TOptions) => string;

/**
 * Get the translation function for a language, for use at build time in pages and components.
 * Strings are resolved on the server and passed to islands as props, so no dictionary is
 * shipped to the browser.
 * @param lang 'en' | 'fr' | 'es'
 * @returns t(key, options): the string with {{placeholders}} filled; plural keys take `count`
 * @throws Error when the key does not exist in that language (a missing translation is a bug)
 */
export function useTranslations(lang: Language = defaultLanguage): Translate {
  const t = instance.getFixedT(lang);
  return (key, options) => {
    const plural = options && typeof options['count'] === 'number';
    if (!plural && !instance.exists(key, { lng: lang })) throw new Error(`Missing UI string "${key}" in ${lang}`);
    return t(key, options ?? {});
  };
}
