import { z } from 'astro/zod';
import { localizedText, perLanguage } from './localized.ts';
import { moduleSlugs } from './module.ts';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and hyphens');

/** One option of a choice question, with its text and the feedback shown when it is chosen. */
const option = z
  .object({
    id, // stable option id, recorded as the xAPI response (e.g. "a")
    text: localizedText, // the option in en, fr and es
    feedback: localizedText, // why this option is right or wrong, in en, fr and es
  })
  .strict();

const singleChoice = z
  .object({
    type: z.literal('single-choice'), // exactly one option is correct
    id, // question id, unique within the quiz
    prompt: localizedText, // the question in en, fr and es
    options: z.array(option).min(2), // the choices, shown in this order
    correct: id, // the id of the one correct option
  })
  .strict();

const multipleResponse = z
  .object({
    type: z.literal('multiple-response'), // one or more options are correct; all must be chosen
    id,
    prompt: localizedText,
    options: z.array(option).min(3),
    correct: z.array(id).min(1), // ids of every correct option
  })
  .strict();

const trueFalse = z
  .object({
    type: z.literal('true-false'), // a statement to judge true or false
    id,
    prompt: localizedText,
    answer: z.boolean(), // whether the statement is true
    feedback: z
      .object({ true: localizedText, false: localizedText })
      .strict(), // feedback when the learner answers true, and when false
  })
  .strict();

/** Feedback for a question answered as a whole (not option by option). */
const wholeFeedback = z
  .object({ correct: localizedText, incorrect: localizedText })
  .strict(); // shown when the answer is right / wrong

/** A labelled item of a matching or sequencing question. */
const item = z.object({ id, text: localizedText }).strict();

const matching = z
  .object({
    type: z.literal('matching'), // match each source to one target (xAPI interactionType "matching")
    id,
    prompt: localizedText,
    sources: z.array(item).min(2), // the items to match, shown in this order
    targets: z.array(item).min(2), // the choices offered for every source, shown in this order
    correct: z.record(z.string(), id), // source id -> target id, one entry per source
    feedback: wholeFeedback,
  })
  .strict();

const sequencing = z
  .object({
    type: z.literal('sequencing'), // put items in order (xAPI interactionType "sequencing")
    id,
    prompt: localizedText,
    items: z.array(item).min(3), // in the order shown to the learner (not the answer)
    correct: z.array(id).min(3), // the item ids in the correct order
    feedback: wholeFeedback,
  })
  .strict();

const numeric = z
  .object({
    type: z.literal('numeric'), // a number (xAPI interactionType "numeric")
    id,
    prompt: localizedText,
    answer: z.number(), // the correct value
    tolerance: z.number().min(0).default(0), // accepted distance from the answer, same unit
    unit: localizedText.optional(), // the unit shown after the field, e.g. "%"
    feedback: wholeFeedback,
  })
  .strict();

const fillIn = z
  .object({
    type: z.literal('fill-in'), // a short text (xAPI interactionType "fill-in")
    id,
    prompt: localizedText,
    accepted: perLanguage(z.array(z.string().min(1)).min(1)), // accepted answers per language; case, accents and extra spaces are ignored
    feedback: wholeFeedback,
  })
  .strict();

/** One question, discriminated by `type`. */
export const questionSchema = z.discriminatedUnion('type', [singleChoice, multipleResponse, trueFalse, matching, sequencing, numeric, fillIn]);

/**
 * A quiz (content/quizzes/{id}.yaml): the answer key defined once for every language, with the
 * text of each question, option and feedback in en, fr and es side by side. A lesson or a
 * module embeds it by id. Cross-field rules (unique ids, correct options that exist) are
 * checked here so that a broken key fails the build.
 */
export const quizSchema = z
  .object({
    module: z.enum(moduleSlugs), // the module the quiz belongs to
    kind: z.enum(['knowledge-check', 'final-assessment', 'pre-test']), // a lesson's quiz, the module's final assessment, or its pre-test (no pass or fail)
    title: localizedText, // the quiz title in en, fr and es
    passMark: z.number().gt(0).max(1).default(0.8), // share of points needed to pass, 0 to 1 (80% unless stated); a pre-test has none and ignores it
    questions: z.array(questionSchema).min(1), // scored one point each
  })
  .strict()
  .superRefine((quiz, ctx) => {
    const seen = new Set<string>();
    quiz.questions.forEach((q, i) => {
      if (seen.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `duplicate question id "${q.id}"` });
      seen.add(q.id);
      if (q.type === 'matching') {
        const sources = q.sources.map((x) => x.id);
        const targets = q.targets.map((x) => x.id);
        const keys = Object.keys(q.correct).sort();
        if (JSON.stringify(keys) !== JSON.stringify([...sources].sort()))
          ctx.addIssue({ code: 'custom', path: ['questions', i, 'correct'], message: 'give exactly one target for every source id' });
        for (const [s, t] of Object.entries(q.correct))
          if (!targets.includes(t)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'correct', s], message: `"${t}" is not a target id` });
        return;
      }
      if (q.type === 'sequencing') {
        const items = q.items.map((x) => x.id);
        if (JSON.stringify([...q.correct].sort()) !== JSON.stringify([...items].sort()))
          ctx.addIssue({ code: 'custom', path: ['questions', i, 'correct'], message: 'list every item id exactly once' });
        return;
      }
      if (q.type === 'true-false' || q.type === 'numeric' || q.type === 'fill-in') return;
      const optionIds = q.options.map((o) => o.id);
      if (new Set(optionIds).size !== optionIds.length)
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'options'], message: 'duplicate option id' });
      const correct = q.type === 'single-choice' ? [q.correct] : q.correct;
      for (const c of correct)
        if (!optionIds.includes(c))
          ctx.addIssue({ code: 'custom', path: ['questions', i, 'correct'], message: `"${c}" is not an option id of question "${q.id}"` });
    });
  });

export type QuizData = z.infer<typeof quizSchema>;
export type Question = z.infer<typeof questionSchema>;
