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
    agenda: z
      .array(z.object({ day: z.number().int().positive(), sessions: z.array(session).min(1) }).strict())
      .min(1), // one entry per workshop day, in order
    materials: z.array(z.string().min(1)).min(1), // what to prepare before the workshop
  })
  .strict();

export type GuideData = z.infer<typeof guideSchema>;
