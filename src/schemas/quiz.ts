import { z } from 'astro/zod';
import { localizedText } from './localized.ts';
import { moduleSlugs } from './module.ts';
import { schemaKit } from '../questions/schema-kit.ts';
import { questionTypes, type Question } from '../questions/index.ts';
import type { QuestionRegistry, QuestionTypeList } from '../questions/registry.ts';

// The schema of each question type (its fields and their comments) is in its module,
// src/questions/<type>.ts; this file puts them together into a quiz.

/** The schemas of a list of question types, in order (a tuple, so the union's type is exact). */
type SchemasOf<T extends QuestionTypeList> = { -readonly [K in keyof T]: ReturnType<T[K]['schema']> };

/**
 * One question, discriminated by `type`, of any type of a registry.
 * @param registry the question types (the site's: src/questions/index.ts)
 */
export function questionSchemaOf<T extends QuestionTypeList>(registry: QuestionRegistry<T>) {
  return z.discriminatedUnion('type', registry.types.map((t) => t.schema(schemaKit)) as unknown as SchemasOf<T>);
}

/**
 * A quiz (content/quizzes/{id}.yaml) whose questions are of a registry's types: the answer key
 * defined once for every language, with the text of each question, option and feedback in en,
 * fr and es side by side. A lesson or a module embeds it by id. Cross-field rules (unique ids,
 * and each type's own: correct options that exist, a target for every source…) are checked
 * here so that a broken key fails the build.
 * @param registry the question types (the site's: src/questions/index.ts)
 */
export function quizSchemaOf<T extends QuestionTypeList>(registry: QuestionRegistry<T>) {
  return z
    .object({
      module: z.enum(moduleSlugs), // the module the quiz belongs to
      kind: z.enum(['knowledge-check', 'final-assessment', 'pre-test']), // a lesson's quiz, the module's final assessment, or its pre-test (no pass or fail)
      title: localizedText, // the quiz title in en, fr and es
      passMark: z.number().gt(0).max(1).default(0.8), // share of points needed to pass, 0 to 1 (80% unless stated); a pre-test has none and ignores it
      questions: z.array(questionSchemaOf(registry)).min(1), // scored one point each
    })
    .strict()
    .superRefine((quiz, ctx) => {
      const seen = new Set<string>();
      quiz.questions.forEach((q, i) => {
        if (seen.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `duplicate question id "${q.id}"` });
        seen.add(q.id);
        registry.get(q).check(q, (path, message) => ctx.addIssue({ code: 'custom', path: ['questions', i, ...path], message }));
      });
    });
}

/** One question of the site's types, discriminated by `type`. */
export const questionSchema = questionSchemaOf(questionTypes);

/** A quiz of the site's question types (see quizSchemaOf). */
export const quizSchema = quizSchemaOf(questionTypes);

export type QuizData = z.infer<typeof quizSchema>;
export type { Question };
