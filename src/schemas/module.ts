import { z } from 'astro/zod';

/** The slugs of the six capacity-building areas of assistance, in their official order. */
export const moduleSlugs = [
  'understanding-the-convention',
  'policy-design-and-implementation',
  'quadrennial-periodic-reporting',
  'ifcd-project-design',
  'cultural-statistics-and-indicators',
  'creative-enterprise-development',
] as const;

/**
 * Frontmatter of a module overview (content/{lang}/modules/{module}.md): one of the six areas of
 * assistance of the capacity-building strategy, as in its table (target group, modality,
 * partners, expected outputs). Strict: an unknown or missing field fails the build.
 */
export const moduleSchema = z
  .object({
    module: z.enum(moduleSlugs), // language-independent id of the area of assistance
    number: z.number().int().min(1).max(6), // position in the strategy's table, 1 to 6
    title: z.string().min(1), // title in this file's language
    summary: z.string().min(1), // one or two sentences for the module list
    targetGroups: z.array(z.string().min(1)).min(1), // who the workshop is for
    format: z
      .object({
        days: z.number().int().positive(), // length of the workshop in days
        modalities: z.array(z.string().min(1)).min(1), // e.g. "5-day workshop", "technical assistance on ..."
      })
      .strict(),
    partners: z.array(z.string().min(1)).min(1), // in-country partners named in the strategy
    outputs: z.array(z.string().min(1)).min(1), // expected outputs named in the strategy
    objectives: z.array(z.string().min(1)).min(1), // learning objectives of the whole module
    assessment: z.string().min(1).optional(), // id of the final assessment quiz, once written
    pretest: z.string().min(1).optional(), // id of the pre-test quiz (kind pre-test), taken before the lessons
  })
  .strict();

export type ModuleData = z.infer<typeof moduleSchema>;
