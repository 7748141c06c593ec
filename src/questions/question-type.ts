import type { z } from 'astro/zod';
import type { SchemaKit } from './schema-kit.ts';
import type { Language } from '../i18n/languages.ts';
import type { InLanguage, LanguageMap } from '../i18n/in-language.ts';
import type { LocalizedText } from '../schemas/localized.ts';

// The contract of a question type: everything the site does with a question of one type is a
// member of one QuestionType (src/questions/<type>.ts), and every other file looks the type up
// in a registry (src/questions/registry.ts) instead of branching on `type`. Node-safe (no JSX):
// the LRS loads it to parse and grade quizzes; the answer components are the .tsx siblings,
// listed in src/questions/answers.ts. docs/authoring.md, "Adding a question type".

/**
 * A learner's answer to one question, as JSON can carry it: chosen option ids (choice), true or
 * false, source id -> target id (matching), item ids in order (sequencing), a number (numeric)
 * or a text (fill-in). A new type picks one of these shapes.
 */
export type QuestionResponse = string[] | boolean | Record<string, string> | number | string;

/** What every question has, whatever its type (src/schemas/quiz.ts lists them in a quiz). */
export interface QuestionBase {
  /** The type's name, the discriminator of the quiz schema's union, e.g. "matching". */
  type: string;
  /** Question id, unique within its quiz; part of the question's activity IRI. */
  id: string;
  /** The question in en, fr and es. */
  prompt: LocalizedText;
}

/** A question as the learner may see it before grading: no answer key, no feedback. */
export type PublicBase = QuestionBase;

/**
 * UI strings by key (the flat keys of locales/*.json), already in one language.
 * @throws Error for a key that the language lacks (a missing string is a bug, never "")
 */
export type Words = (key: string) => string;

/** One component of an interaction activity: an id and its text (xAPI 1.0.3 Data 2.4.4.1.1). */
export interface InteractionComponent {
  id: string;
  description: LanguageMap;
}

/**
 * The type-specific part of a cmi.interaction activity definition (xAPI 1.0.3 Data 2.4.4.1,
 * "Interaction Activities"): its interactionType, the correctResponsesPattern and the
 * components that interactionType takes (choices for choice and sequencing, source and target
 * for matching, none otherwise).
 */
export interface Interaction {
  interactionType:
    'true-false' | 'choice' | 'fill-in' | 'long-fill-in' | 'matching' | 'performance' | 'sequencing' | 'likert' | 'numeric' | 'other';
  correctResponsesPattern: string[];
  choices?: InteractionComponent[];
  scale?: InteractionComponent[];
  source?: InteractionComponent[];
  target?: InteractionComponent[];
  steps?: InteractionComponent[];
}

/** Report a broken cross-field rule of one question: the path inside the question and the message. */
export type IssueSink = (path: (string | number)[], message: string) => void;

/**
 * What a question type does while a learner answers: grading, the response's checks and xAPI
 * pattern, the interaction definition. The browser's code uses only these (src/questions/runtime.ts),
 * so the build-only members of QuestionType stay out of its scripts.
 */
export interface QuestionRuntime<Q extends QuestionBase = QuestionBase, P extends PublicBase = PublicBase> {
  /** The type's name, as authored in `type:` (content/quizzes/*.yaml). */
  readonly type: Q['type'];
  /** Fields that hold the answer key; a question carrying none of them was stripped (hasAnswerKey). */
  readonly keyFields: readonly string[];
  /**
   * Whether the feedback shown for one answer starts with the verdict ("Correct. …"), so the
   * quiz does not say it again; false when feedback is per chosen option (multiple response).
   */
  readonly feedbackSaysVerdict: boolean;
  /** Whether a response is right; a response of the wrong shape is simply wrong. */
  isCorrect(q: InLanguage<Q>, response: QuestionResponse): boolean;
  /**
   * Whether a value sent by a client is a well-formed response (shape, ids that exist), for the
   * server: undefined when it is, else the rule it breaks, e.g. "must be true or false".
   */
  responseProblem(q: Q | P, value: unknown): string | undefined;
  /** The response to record from what is on screen, or undefined while the question is unanswered. */
  finalResponse(q: InLanguage<Q> | InLanguage<P>, response: QuestionResponse | undefined): QuestionResponse | undefined;
  /** The right response, one that isCorrect accepts (for the answer-key command and tests). */
  correctResponse(q: Q): QuestionResponse;
  /** result.response: the xAPI response pattern of an answer (xAPI 1.0.3 Data 2.4.4.1.1). */
  responsePattern(q: InLanguage<Q> | InLanguage<P>, response: QuestionResponse): string;
  /** The interaction definition's type-specific part, in the languages the question carries. */
  interaction(q: InLanguage<Q>): Interaction;
}

/**
 * One question type: its QuestionRuntime and what the build and the server add. Q is the question
 * as authored (all three languages, with its key), P the question a final assessment's page
 * receives (strip). Methods take InLanguage<…> where a page's copy (one language) reaches them.
 * Every member is required, so a type cannot forget one.
 */
export interface QuestionType<Q extends QuestionBase = QuestionBase, P extends PublicBase = PublicBase> extends QuestionRuntime<Q, P> {
  /** The strict zod schema of one question, with `type: z.literal(name)`, built from the kit (src/questions/schema-kit.ts); the quiz schema's union is built from these. */
  readonly schema: (kit: SchemaKit) => z.ZodType<Q> & z.core.$ZodTypeDiscriminable;
  /**
   * UI string keys (locales/*.json) by the name the answer component reads them under;
   * `hint` (how to answer, shown under the prompt) is required.
   */
  readonly strings: Readonly<{ hint: string } & Record<string, string>>;
  /** Cross-field rules the schema cannot say (ids that exist, no duplicates); report each broken one. */
  check(q: Q, issue: IssueSink): void;
  /** The question without its key and feedback, what a final assessment's page receives. */
  strip(q: Q): P;
  /** The correct answer as a facilitator reads it, in one language: one or more lines of plain text. */
  answerLines(q: Q, lang: Language, words: Words): string[];
  /** What a knowledge check's slide lists under the prompt (src/components/SlideDeck.astro); may be empty. */
  slideOptions(q: Q, lang: Language, words: Words): string[];
}

/** The runtime part of any question type. */
export type AnyQuestionRuntime = QuestionRuntime<QuestionBase, PublicBase>;

/** The question type of Q, for a registry's list (its methods are checked with Q, kept as the base). */
export type AnyQuestionType = QuestionType<QuestionBase, PublicBase>;

/** The question type Q that a QuestionType describes. */
export type QuestionOf<T> = T extends QuestionType<infer Q, infer _P> ? Q : never;

/** The public question type P that a QuestionType describes. */
export type PublicQuestionOf<T> = T extends QuestionType<infer _Q, infer P> ? P : never;
