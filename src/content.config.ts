import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { moduleSchema } from './schemas/module.ts';
import { lessonSchema } from './schemas/lesson.ts';
import { quizSchema } from './schemas/quiz.ts';
import { guideSchema } from './schemas/guide.ts';
import { glossarySchema } from './schemas/glossary.ts';
import { materialSchema } from './schemas/material.ts';

/**
 * Entry ids keep the language folder ("en/understanding-the-convention"), so the same slug in
 * two languages never collides (docs/stack-notes.md, "Content ids across languages"). Files starting with "_" are drafts.
 */
/** Where authored content lives; CONTENT_DIR lets tests build from a fixture tree instead. */
const contentDir = process.env['CONTENT_DIR'] ?? './content';

const idFromPath = ({ entry }: { entry: string }) => entry.replace(/\.(mdx?|ya?ml)$/, '');

/** The six module overviews, one file per module and language: content/{lang}/modules/{module}.md */
const modules = defineCollection({
  loader: glob({ base: contentDir, pattern: '*/modules/[^_]*.md', generateId: idFromPath }),
  schema: moduleSchema,
});

/** Lessons: content/{lang}/lessons/{module}/{lesson}.mdx, same relative path in every language. */
const lessons = defineCollection({
  loader: glob({ base: contentDir, pattern: '*/lessons/*/[^_]*.mdx', generateId: idFromPath }),
  schema: lessonSchema,
});

/** Quizzes: content/quizzes/{id}.yaml, one answer key for all languages. */
const quizzes = defineCollection({
  loader: glob({ base: `${contentDir}/quizzes`, pattern: '[^_]*.yaml', generateId: idFromPath }),
  schema: quizSchema,
});

/** Facilitator guides, one per module and language: content/{lang}/guides/{module}.mdx */
const guides = defineCollection({
  loader: glob({ base: contentDir, pattern: '*/guides/[^_]*.mdx', generateId: idFromPath }),
  schema: guideSchema,
});

/** Glossary terms, one file per term and language: content/{lang}/glossary/{term}.yaml */
const glossary = defineCollection({
  loader: glob({ base: contentDir, pattern: '*/glossary/[^_]*.yaml', generateId: idFromPath }),
  schema: glossarySchema,
});

/** Printable workshop materials: content/{lang}/materials/{module}/{material}.mdx, same path in every language. */
const materials = defineCollection({
  loader: glob({ base: contentDir, pattern: '*/materials/*/[^_]*.mdx', generateId: idFromPath }),
  schema: materialSchema,
});

export const collections = { modules, lessons, quizzes, guides, glossary, materials };
