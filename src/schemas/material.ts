import { z } from 'astro/zod';
import { moduleSlugs } from './module.ts';

/**
 * Frontmatter of a printable workshop material (content/{lang}/materials/{module}/{material}.mdx):
 * a card set, template, rubric, observation sheet or case file that a facilitator guide names.
 * The file name is the language-independent slug, the same in every language. The body is MDX
 * with two print components: `<Card title="…">…</Card>` (one card to cut out; card sets are a
 * sequence of them) and `<Blank lines={n} />` (n ruled writing lines). Each material is a page
 * /{lang}/modules/{module}/materials/{material}/ and, in the release build, two PDF files (A4
 * and US Letter) next to it. Strict: an unknown or missing field fails the build naming the file.
 */
export const materialSchema = z
  .object({
    module: z.enum(moduleSlugs), // the module whose workshop uses it
    title: z.string().min(1), // title in this file's language
    kind: z.enum(['card-set', 'template', 'rubric', 'observation-sheet', 'case-file', 'handout']), // what is printed
    description: z.string().min(1), // one sentence: what it is for and how the facilitator uses it
    day: z.number().int().positive().optional(), // the workshop day it is used on, when only one
    lesson: z.string().min(1).optional(), // slug of the lesson it goes with, when it goes with one
    copies: z.string().min(1).optional(), // how many to print, e.g. "one per group of four"
  })
  .strict();

export type MaterialData = z.infer<typeof materialSchema>;
