import { z } from 'astro/zod';

/**
 * A text given in all three languages side by side: `{ en, fr, es }`, each a non-empty string.
 * Used where one definition serves every language (quiz keys, activity names), so that a
 * translation can change wording but never structure.
 */
export const localizedText = z
  .object({
    en: z.string().min(1), // English, the source text
    fr: z.string().min(1), // French, using the Convention's official French terms
    es: z.string().min(1), // Spanish, using the Convention's official Spanish terms
  })
  .strict();

export type LocalizedText = z.infer<typeof localizedText>;
