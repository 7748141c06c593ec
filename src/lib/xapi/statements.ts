import type { Activity, Agent, Statement } from '@xapi/xapi';
import type { Language } from '../../i18n/languages.ts';
import type { InLanguage, LanguageMap } from '../../i18n/in-language.ts';
import { isCorrect, scaledScore } from '../grading.ts';
import type { QuestionResponse, RuntimeRegistry } from '../../questions/index.ts';
import { questionRuntimes } from '../../questions/runtime.ts';
import type { QuestionBase } from '../../questions/question-type.ts';
import { activityTypes, verbs } from './vocabulary.ts';
import { activityBase, courseId, courseName, preTestCategoryId, questionId, type ActivityRef } from './activities.ts';

/**
 * What every statement of one event shares: who, when, in which registration and language.
 * `id` and `timestamp` are fixed when the event happens (not when it is sent), so a statement
 * that waits in the outbox and is retried stays the same statement (xAPI 1.0.3 Data 2.4.1, 2.4.7).
 */
export interface EventContext {
  /** Statement id, a UUID generated on the device. */
  id: string;
  /** When the event happened, ISO 8601 with time zone. */
  timestamp: string;
  /** The learner: an Agent with mbox and name, or with an anonymous account. */
  actor: Agent;
  /** context.registration: the workshop's registration from its link, else the learner's own. */
  registration: string;
  /** context.language: the language of the page the event happened on. */
  language: Language;
  /** The workshop the learner joined through a link, if any: its cohort and country. */
  workshop?: Workshop | undefined;
}

/** A workshop cohort as a participant's link carries it. */
export interface Workshop {
  /** The cohort's name, e.g. "Dakar, March 2027". */
  cohort: string;
  /** The country where the workshop takes place, ISO 3166-1 alpha-2 (e.g. "SN"). */
  country: string;
}

/** Context extension IRIs for the workshop (documented in docs/xapi-profile.md). */
export const extensions = {
  cohort: `${activityBase}extensions/cohort`,
  country: `${activityBase}extensions/country`,
} as const;

/**
 * An activity reference as statements name it: its IRI and its name in the languages at hand
 * (all three on the server; the page's own in a browser, issue 13 "Data cost").
 */
export type NamedActivity = InLanguage<ActivityRef>;

/** A lesson and the module it belongs to, with their language-independent ids and names. */
export interface LessonRef {
  module: NamedActivity;
  lesson: NamedActivity;
}

/** A quiz with its place in the curriculum: under a lesson (knowledge check) or a module (final assessment). */
export interface QuizRef {
  quiz: NamedActivity;
  module: NamedActivity;
  lesson?: NamedActivity;
}

const course = (): Activity => activity({ id: courseId(), name: courseName }, activityTypes.course);

function activity(ref: NamedActivity, type: string, description?: LanguageMap): Activity {
  return {
    objectType: 'Activity',
    id: ref.id,
    definition: { type, name: { ...ref.name }, ...(description ? { description: { ...description } } : {}) },
  };
}

function base(ctx: EventContext) {
  return { id: ctx.id, timestamp: ctx.timestamp, actor: ctx.actor };
}

/**
 * The statement context: registration, language, the workshop (cohort as context.team, an
 * identified Group; cohort and country as extensions, xAPI 1.0.3 Data 2.4.6) and the
 * curriculum's parent and grouping activities.
 */
function context(ctx: EventContext, parent: Activity[], grouping: Activity[]): NonNullable<Statement['context']> {
  return {
    registration: ctx.registration,
    ...(ctx.workshop
      ? {
          team: {
            objectType: 'Group' as const,
            name: ctx.workshop.cohort,
            account: { homePage: `${activityBase}workshops`, name: ctx.registration },
          },
          extensions: { [extensions.cohort]: ctx.workshop.cohort, [extensions.country]: ctx.workshop.country },
        }
      : {}),
    language: ctx.language,
    contextActivities: {
      ...(parent.length ? { parent } : {}),
      ...(grouping.length ? { grouping } : {}),
    },
  };
}

/**
 * "experienced" a lesson: the learner opened the lesson page.
 * @returns a statement with object the lesson (type lesson), parent the module, grouping the course
 */
export function lessonExperienced(ctx: EventContext, ref: LessonRef): Statement {
  return {
    ...base(ctx),
    verb: verbs.experienced,
    object: activity(ref.lesson, activityTypes.lesson),
    context: context(ctx, [activity(ref.module, activityTypes.module)], [course()]),
  };
}

/**
 * "completed" a lesson: its knowledge check was passed.
 * @returns result.completion true; parent the module, grouping the course
 */
export function lessonCompleted(ctx: EventContext, ref: LessonRef): Statement {
  return {
    ...base(ctx),
    verb: verbs.completed,
    object: activity(ref.lesson, activityTypes.lesson),
    result: { completion: true },
    context: context(ctx, [activity(ref.module, activityTypes.module)], [course()]),
  };
}

/**
 * "attended" a workshop session: recorded by the trainer for each participant present.
 * The actor is the participant; the object the session (a meeting activity); context the
 * workshop's registration, cohort and country; the module is the parent, the course the grouping.
 * @param session the session's IRI (workshopSessionId) and its title in the workshop's language
 */
export function sessionAttended(ctx: EventContext, session: { id: string; title: string }, module: NamedActivity): Statement {
  return {
    ...base(ctx),
    verb: verbs.attended,
    object: {
      objectType: 'Activity',
      id: session.id,
      definition: { type: activityTypes.meeting, name: { [ctx.language]: session.title } },
    },
    context: context(ctx, [activity(module, activityTypes.module)], [course()]),
  };
}

/**
 * "completed" a module: every lesson completed and the final assessment passed.
 * @returns result.completion and result.success true; parent the course
 */
export function moduleCompleted(ctx: EventContext, module: NamedActivity): Statement {
  return {
    ...base(ctx),
    verb: verbs.completed,
    object: activity(module, activityTypes.module),
    result: { completion: true, success: true },
    context: context(ctx, [course()], []),
  };
}

function quizParentAndGrouping(ref: QuizRef): { parent: Activity[]; grouping: Activity[] } {
  const module = activity(ref.module, activityTypes.module);
  return ref.lesson
    ? { parent: [activity(ref.lesson, activityTypes.lesson)], grouping: [module, course()] }
    : { parent: [module], grouping: [course()] };
}

/**
 * The xAPI response string of an answer (xAPI 1.0.3 Data 2.4.4.1.1, response patterns), by its
 * question type's responsePattern (src/questions/<type>.ts): e.g. choice ids joined by "[,]",
 * matching pairs "source[.]target", true/false as "true"/"false", a number in decimal.
 * @param question the question (its option order decides the order of chosen ids)
 * @param response the learner's answer, of the shape the question type takes
 * @param registry the question types (the site's unless given)
 * @throws UnknownQuestionType for a type the registry lacks
 */
export function responsePattern(
  question: InLanguage<QuestionBase>,
  response: QuestionResponse,
  registry: RuntimeRegistry = questionRuntimes,
): string {
  return registry.get(question).responsePattern(question, response);
}

/**
 * The cmi.interaction activity of a question: its type's interactionType,
 * correctResponsesPattern and components (choices, source and target, or none), with the texts
 * in the languages the question carries: all three on the server, the page's own in a browser
 * (xAPI 1.0.3 Data 2.4.4.1, Interaction Activities).
 * @param quizKey quiz id (file name in content/quizzes/)
 * @param withKey false for quizzes the server grades (final assessments, pre-tests): the
 *   definition then has no correctResponsesPattern, since a learner reads their own statements
 *   back and the key must stay on the server (docs/xapi-profile.md)
 * @param registry the question types (the site's unless given)
 * @throws UnknownQuestionType for a type the registry lacks
 */
export function questionActivity(
  quizKey: string,
  question: InLanguage<QuestionBase>,
  withKey = true,
  registry: RuntimeRegistry = questionRuntimes,
): Activity {
  const { interactionType, correctResponsesPattern, ...components } = registry.get(question).interaction(question);
  const definition = {
    type: activityTypes.interaction,
    name: { ...question.prompt },
    description: { ...question.prompt },
    interactionType,
    ...(withKey ? { correctResponsesPattern } : {}),
    ...components,
  };
  return { objectType: 'Activity', id: questionId(quizKey, question.id), definition };
}

/**
 * "answered" one question of a quiz.
 * @param quizKey quiz id; the question's IRI is built from it
 * @param secret what the learner must not read back, for quizzes the server grades: `key` drops
 *   correctResponsesPattern (final assessments and pre-tests), `verdict` also drops
 *   result.success (pre-tests, whose verdicts the learner is not shown)
 * @returns result.response (the xAPI response pattern) and result.success; parent the quiz,
 *   grouping the lesson (if any), the module and the course
 * @param registry the question types (the site's unless given)
 */
export function questionAnswered(
  ctx: EventContext,
  ref: QuizRef,
  quizKey: string,
  question: InLanguage<QuestionBase>,
  response: QuestionResponse,
  secret?: 'key' | 'verdict',
  registry: RuntimeRegistry = questionRuntimes,
): Statement {
  const { parent, grouping } = quizParentAndGrouping(ref);
  const result = {
    response: responsePattern(question, response, registry),
    ...(secret === 'verdict' ? {} : { success: isCorrect(question, response, registry) }),
  };
  return {
    ...base(ctx),
    verb: verbs.answered,
    object: questionActivity(quizKey, question, secret === undefined, registry),
    result,
    context: context(ctx, [activity(ref.quiz, activityTypes.assessment)], [...parent, ...grouping]),
  };
}

/** A quiz attempt's outcome: points out of the maximum, the pass mark and the time it took. */
export interface QuizOutcome {
  /** Points scored, one per correct question. */
  raw: number;
  /** Points available: the number of questions. */
  max: number;
  /** Share needed to pass, 0 to 1. */
  passMark: number;
  /** Time from the first view of the quiz to submission, in milliseconds. */
  durationMs: number;
}

/**
 * "passed" or "failed" a quiz, by comparing the scaled score with the pass mark.
 * @returns result.score {scaled, raw, min 0, max}, success, completion true and duration
 *   (ISO 8601); parent the lesson or module, grouping the rest (xAPI 1.0.3 Data 2.4.5)
 * @throws RangeError when max is not positive or raw is outside 0..max
 */
export function quizScored(ctx: EventContext, ref: QuizRef, outcome: QuizOutcome): Statement {
  const { raw, max } = outcome;
  const scaled = scaledScore(raw, max);
  const success = scaled >= outcome.passMark;
  const { parent, grouping } = quizParentAndGrouping(ref);
  return {
    ...base(ctx),
    verb: success ? verbs.passed : verbs.failed,
    object: activity(ref.quiz, activityTypes.assessment),
    result: {
      score: { scaled, raw, min: 0, max },
      success,
      completion: true,
      duration: isoDuration(outcome.durationMs),
    },
    context: context(ctx, parent, grouping),
  };
}

/** The pre-test marker as a context category activity (docs/xapi-profile.md, "Pre-tests"). */
const preTestCategory = (): Activity => ({ objectType: 'Activity', id: preTestCategoryId() });

/**
 * Mark a statement as part of a pre-test: the pre-test category in context.contextActivities
 * (xAPI 1.0.3 Data 2.4.6.2, category: "a profile or tag"). Applied to a pre-test's "answered"
 * statements by the server (src/lrs/routes/assessments.ts).
 * @returns a copy of the statement with the category added
 */
export function inPreTest(statement: Statement): Statement {
  const activities = statement.context?.contextActivities ?? {};
  return { ...statement, context: { ...statement.context, contextActivities: { ...activities, category: [preTestCategory()] } } };
}

/**
 * "completed" a module's pre-test: what the learner knew on arrival, scored by the site's server.
 * No pass mark and no success: a pre-test is neither passed nor failed.
 * @param outcome raw points out of max, and the time it took (passMark is not used)
 * @returns object the pre-test (type assessment); result.score {scaled, raw, min 0, max},
 *   completion true, duration; parent the module, grouping the course, category the pre-test
 *   marker (preTestCategoryId)
 * @throws RangeError when max is not positive or raw is outside 0..max
 * Sources: xAPI 1.0.3 Data 2.4.5 (result), 2.4.6.2 (contextActivities.category); docs/xapi-profile.md.
 */
export function preTestScored(ctx: EventContext, ref: QuizRef, outcome: Omit<QuizOutcome, 'passMark'>): Statement {
  const { raw, max } = outcome;
  return inPreTest({
    ...base(ctx),
    verb: verbs.completed,
    object: activity(ref.quiz, activityTypes.assessment),
    result: { score: { scaled: scaledScore(raw, max), raw, min: 0, max }, completion: true, duration: isoDuration(outcome.durationMs) },
    context: context(ctx, [activity(ref.module, activityTypes.module)], [course()]),
  });
}

/**
 * Format milliseconds as an ISO 8601 duration as xAPI expects (Data 4.6): "PT1H2M3.45S".
 * Precision is kept to 0.01 s, as xAPI allows an LRS to truncate beyond that.
 * @param ms a duration in milliseconds, >= 0
 * @throws RangeError for a negative or non-finite value
 */
export function isoDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`invalid duration ${ms} ms`);
  const centis = Math.round(ms / 10);
  const h = Math.floor(centis / 360000);
  const m = Math.floor((centis % 360000) / 6000);
  const s = (centis % 6000) / 100;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}
