import { z } from 'astro/zod';

/**
 * One term of the glossary (content/{lang}/glossary/{id}.yaml): the id is the file name and is
 * the same in every language; lessons link to it with <Term id="...">.
 */
export const glossarySchema = z
  .object({
    term: z.string().min(1), // the term in the official wording of this language
    definition: z.string().min(1), // its definition (verbatim where the Convention defines it)
    source: z.string().min(1), // where the definition comes from, e.g. "Convention, Article 4.3"
  })
  .strict();

export type GlossaryData = z.infer<typeof glossarySchema>;
