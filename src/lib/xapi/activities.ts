import type { LocalizedText } from '../../schemas/localized.ts';

/**
 * Activity ids (IRIs) for the curriculum. They never contain the language, so the French and
 * the English lesson are one activity (xAPI 1.0.3 Data 2.4.4.1: one id per activity, its
 * definition carrying names in several languages).
 *
 * The base is PUBLIC_XAPI_ACTIVITY_BASE at build time (and in the server's environment); it must
 * stay the same for the life of a deployment, or the same lesson becomes two activities in the LRS.
 */
export const activityBase: string = normalizeBase(
  // The server (src/lrs/routes/assessments.ts) runs without Vite: it reads the same variable
  // from its environment, so that the statements it writes name the same activities.
  import.meta.env?.PUBLIC_XAPI_ACTIVITY_BASE ?? globalThis.process?.env?.['PUBLIC_XAPI_ACTIVITY_BASE'] ?? 'https://w3id.org/dce-training/',
);

function normalizeBase(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

/** A language-independent reference to an activity of the curriculum with its names. */
export interface ActivityRef {
  /** The activity IRI. */
  id: string;
  /** Its name in en, fr and es. */
  name: LocalizedText;
}

/** The names of the whole curriculum, the root of every statement's grouping. */
export const courseName: LocalizedText = {
  en: 'Capacity building for the 2005 Convention on the Diversity of Cultural Expressions',
  fr: 'Renforcement des capacités pour la Convention de 2005 sur la diversité des expressions culturelles',
  es: 'Fortalecimiento de capacidades para la Convención de 2005 sobre la diversidad de las expresiones culturales',
};

/** The IRI of the course (the whole curriculum). */
export const courseId = (): string => `${activityBase}course`;

/**
 * The IRI of a module.
 * @param module module slug, e.g. "understanding-the-convention"
 */
export const moduleId = (module: string): string => `${activityBase}modules/${module}`;

/**
 * The IRI of a lesson.
 * @param module module slug
 * @param lesson lesson slug (its file name, the same in every language)
 */
export const lessonId = (module: string, lesson: string): string => `${moduleId(module)}/lessons/${lesson}`;

/**
 * The IRI of a quiz (a lesson's knowledge check or a module's final assessment).
 * @param quiz quiz id, the file name in content/quizzes/
 */
export const quizId = (quiz: string): string => `${activityBase}quizzes/${quiz}`;

/**
 * The IRI of the context category that marks a statement as part of a pre-test (a module's
 * knowledge on arrival, docs/xapi-profile.md "Pre-tests"): context.contextActivities.category
 * (xAPI 1.0.3 Data 2.4.6.2).
 */
export const preTestCategoryId = (): string => `${activityBase}categories/pre-test`;

/**
 * The IRI of one question of a quiz: a cmi.interaction activity.
 * @param quiz quiz id
 * @param question question id within the quiz
 */
export const questionId = (quiz: string, question: string): string => `${quizId(quiz)}/questions/${question}`;

/**
 * The IRI of one session of a workshop (a meeting activity): the workshop is identified by its
 * registration, the session by its day and its position in the day's agenda.
 * @param registration the workshop's registration UUID
 * @param day the workshop day, 1-based
 * @param session the session's position in that day, 1-based
 */
export const workshopSessionId = (registration: string, day: number, session: number): string =>
  `${activityBase}workshops/${registration}/sessions/day-${day}-${session}`;
