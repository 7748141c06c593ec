import { z } from 'astro/zod';
import { languages, type Language } from '../i18n/languages.ts';

/**
 * An object with one value per language of the registry (src/i18n/languages.ts), nothing else:
 * `{ en, fr, es }` today. A language added to the registry becomes required everywhere this is
 * used, so a translation can change wording but never structure.
 * @param value the schema of each language's value, e.g. z.string().min(1)
 */
export function perLanguage<T extends z.ZodType>(value: T) {
  return z.object(Object.fromEntries(languages.map((lang) => [lang, value])) as Record<Language, T>).strict();
}

/**
 * A text given in every language side by side: `{ en, fr, es }`, each a non-empty string (the
 * English source, then the translations, using the Convention's official terms in each). Used
 * where one definition serves every language (quiz keys, activity names).
 */
export const localizedText = perLanguage(z.string().min(1));

export type LocalizedText = z.infer<typeof localizedText>;
