import { z } from 'astro/zod';
import { moduleSlugs } from './module.ts';

/**
 * Frontmatter of a lesson (content/{lang}/lessons/{module}/{lesson}.mdx). The file name is the
 * lesson's language-independent slug and must be the same in every language. Strict: an
 * unknown or missing field fails the build naming the file and the field.
 */
export const lessonSchema = z
  .object({
    module: z.enum(moduleSlugs), // the module this lesson belongs to
    order: z.number().int().positive(), // position in the module, 1-based
    title: z.string().min(1), // title in this file's language
    description: z.string().min(1), // one sentence for lists and the page's meta description
    duration: z.number().int().positive(), // planned study or session time, in minutes
    objectives: z.array(z.string().min(1)).min(1), // learning objectives ("By the end, you can ...")
    keyPoints: z.array(z.string().min(1)).min(1), // what to remember, shown at the end
    quiz: z.string().min(1), // id of the lesson's knowledge check in content/quizzes/
  })
  .strict();

export type LessonData = z.infer<typeof lessonSchema>;
