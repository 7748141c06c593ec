import { z } from 'astro/zod';
import { moduleSlugs } from './module.ts';

/** One session of a workshop day. */
const session = z
  .object({
    time: z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, 'use "HH:MM-HH:MM"'), // start and end, 24-hour clock
    title: z.string().min(1), // what happens, in this file's language
    kind: z.enum(['presentation', 'exercise', 'discussion', 'quiz', 'assessment', 'break', 'opening', 'closing']), // type of session
    lesson: z.string().min(1).optional(), // slug of the lesson it covers, when it covers one
  })
  .strict();

/**
 * Frontmatter of a facilitator guide (content/{lang}/guides/{module}.mdx): the workshop agenda
 * day by day, mapped to lessons, and the materials to prepare. The body covers preparation and
 * adaptation to the local context; answer keys are generated from the quizzes, never retyped.
 * Shown to trainers only.
 */
export const guideSchema = z
  .object({
    module: z.enum(moduleSlugs), // the module this guide is for
    title: z.string().min(1), // e.g. "Facilitator guide: Understanding the Convention"
    agenda: z.array(z.object({ day: z.number().int().positive(), sessions: z.array(session).min(1) }).strict()).min(1), // one entry per workshop day, in order
    // What to prepare before the workshop: a thing to bring (a string), or a printable material
    // of this module (content/{lang}/materials/{module}/{material}.mdx) with the line that names it.
    materials: z.array(z.union([z.string().min(1), z.object({ text: z.string().min(1), material: z.string().min(1) }).strict()])).min(1),
  })
  .strict();

export type GuideData = z.infer<typeof guideSchema>;
