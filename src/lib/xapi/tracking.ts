import type { Statement } from '@xapi/xapi';
import { v4 as uuidv4 } from 'uuid';
import type { Language } from '../../i18n/languages.ts';
import type { QuizData } from '../../schemas/quiz.ts';
import type { LocalizedText } from '../../schemas/localized.ts';
import { Outbox } from './outbox.ts';
import { LrsError } from './lrs-error.ts';
import { createLearner, learnerActor, parseLearner, workshopFromQuery, type Learner, type WorkshopLink } from './learner.ts';
import { moduleNewlyComplete, parseProgress, type Progress } from './progress.ts';
import {
  lessonCompleted,
  lessonExperienced,
  moduleCompleted,
  sessionAttended,
  questionAnswered,
  quizScored,
  type EventContext,
  type LessonRef,
  type QuestionResponse,
  type QuizRef,
} from './statements.ts';

// Browser-side glue: the learner, the registration, the progress record and the outbox, all
// in localStorage. Everything here runs in the browser only.

const LEARNER_KEY = 'dce.learner';
const WORKSHOP_KEY = 'dce.registration';
const progressKey = (registration: string) => `dce.progress.${registration}`;

/** Fired on window when the learner is chosen or changed; detail is the Learner. */
export const LEARNER_EVENT = 'dce:learner';
/** Fired on window when the number of waiting statements changes; detail is { pending }. */
export const OUTBOX_EVENT = 'dce:outbox';

/**
 * The LRS endpoint and the site's write credential, rendered by the layout into
 * <body data-lrs-endpoint data-lrs-auth>. The credential can only write statements.
 */
function lrsConfig(): { endpoint: string; auth: string } {
  const { lrsEndpoint = '/xapi/', lrsAuth = '' } = document.body.dataset;
  return { endpoint: new URL(lrsEndpoint, location.href).href, auth: lrsAuth };
}

async function xapiTransport(statements: Statement[]): Promise<void> {
  const { default: XAPI } = await import('@xapi/xapi');
  const { endpoint, auth } = lrsConfig();
  const xapi = new XAPI({ endpoint, auth, version: '1.0.3' });
  try {
    await xapi.sendStatements({ statements });
  } catch (error) {
    const response = (error as { response?: { status?: number; data?: unknown } }).response;
    const detail = response?.data ? JSON.stringify(response.data) : (error as Error).message;
    throw new LrsError(detail, response?.status);
  }
}

let outbox: Outbox | undefined;

/** The page's outbox, created on first use; it flushes when the connection returns. */
export function getOutbox(): Outbox {
  if (!outbox) {
    outbox = new Outbox({ storage: localStorage, transport: xapiTransport });
    window.addEventListener('online', () => void flush());
  }
  return outbox;
}

/** Send what waits, then tell the page how many statements still wait. */
export async function flush(): Promise<void> {
  const box = getOutbox();
  try {
    await box.flush();
  } finally {
    window.dispatchEvent(new CustomEvent(OUTBOX_EVENT, { detail: { pending: box.pending() } }));
  }
}

/** The learner chosen on this device, or null before the first-visit choice. */
export function currentLearner(): Learner | null {
  return parseLearner(localStorage.getItem(LEARNER_KEY));
}

/**
 * Save the learner chosen in the first-visit form and announce it.
 * @param input name and email, or null for anonymous
 * @throws Error with code 'name' | 'email' on invalid input (see createLearner)
 */
export function chooseLearner(input: { name: string; email: string } | null): Learner {
  const learner = createLearner(input);
  localStorage.setItem(LEARNER_KEY, JSON.stringify(learner));
  window.dispatchEvent(new CustomEvent(LEARNER_EVENT, { detail: learner }));
  return learner;
}

/** Resolve with the learner as soon as one is chosen (at once if already chosen). */
export function learnerReady(): Promise<Learner> {
  const now = currentLearner();
  if (now) return Promise.resolve(now);
  return new Promise((resolve) =>
    window.addEventListener(LEARNER_EVENT, (e) => resolve((e as CustomEvent<Learner>).detail), { once: true }),
  );
}

/**
 * Remember the workshop from a participant link ("?registration=<uuid>&cohort=…&country=…")
 * on this device. Called on every page load; a link with a new registration replaces the old one.
 */
export function captureWorkshopRegistration(): void {
  const fromLink = workshopFromQuery(location.search);
  if (fromLink) localStorage.setItem(WORKSHOP_KEY, JSON.stringify(fromLink));
}

/** The workshop this device joined, or null. */
export function currentWorkshop(): WorkshopLink | null {
  const raw = localStorage.getItem(WORKSHOP_KEY);
  if (!raw) return null;
  try {
    return workshopFromQuery(`?${new URLSearchParams(JSON.parse(raw) as Record<string, string>)}`);
  } catch {
    // An older version stored the registration alone.
    return workshopFromQuery(`?registration=${raw}`);
  }
}

/** context.registration: the workshop's from its link, else the learner's own. */
export function currentRegistration(learner: Learner): string {
  return currentWorkshop()?.registration ?? learner.registration;
}

/** The learner's progress in the current registration (empty before a learner is chosen). */
export function currentProgress(): Progress {
  const learner = currentLearner();
  return parseProgress(learner ? localStorage.getItem(progressKey(currentRegistration(learner))) : null);
}

function saveProgress(learner: Learner, progress: Progress): void {
  localStorage.setItem(progressKey(currentRegistration(learner)), JSON.stringify(progress));
}

async function eventContext(language: Language): Promise<{ learner: Learner; next: () => EventContext }> {
  const learner = await learnerReady();
  const actor = learnerActor(learner, location.origin);
  const registration = currentRegistration(learner);
  const joined = currentWorkshop();
  const workshop = joined && (joined.cohort || joined.country) ? { cohort: joined.cohort, country: joined.country } : undefined;
  const next = () => ({ id: uuidv4(), timestamp: new Date().toISOString(), actor, registration, language, workshop });
  return { learner, next };
}

function enqueueAll(statements: Statement[]): void {
  const box = getOutbox();
  statements.forEach((s) => box.enqueue(s));
  window.dispatchEvent(new CustomEvent(OUTBOX_EVENT, { detail: { pending: box.pending() } }));
  void flush();
}

/** Record that the learner opened a lesson ("experienced"), once a learner is chosen. */
export async function recordLessonViewed(language: Language, ref: LessonRef): Promise<void> {
  const { next } = await eventContext(language);
  enqueueAll([lessonExperienced(next(), ref)]);
}

/** Everything the quiz island knows about where the quiz sits in the curriculum. */
export interface QuizPlacement {
  quizKey: string;
  ref: QuizRef;
  /** The IRIs of all the module's lessons, to decide module completion. */
  moduleLessonIds: string[];
  /** The module's final assessment quiz id, when it has one. */
  moduleAssessment?: string;
}

/**
 * Record one quiz attempt: an "answered" statement per question, then "passed" or "failed";
 * when a knowledge check is passed, "completed" for its lesson; when that makes every lesson
 * complete and the final assessment is passed, "completed" for the module. All statements are
 * stored in the outbox before this returns.
 * @param answers the learner's response per question id
 * @param durationMs time from first view of the quiz to submission, in ms
 * @returns whether the attempt passed
 */
export async function recordQuizAttempt(
  language: Language,
  quiz: QuizData,
  placement: QuizPlacement,
  answers: Record<string, QuestionResponse>,
  outcome: { raw: number; durationMs: number },
): Promise<boolean> {
  const { learner, next } = await eventContext(language);
  const { ref, quizKey } = placement;
  const statements = quiz.questions.map((q) =>
    questionAnswered(next(), ref, quizKey, q, answers[q.id] ?? (q.type === 'true-false' ? false : [])),
  );
  const scored = quizScored(next(), ref, { raw: outcome.raw, max: quiz.questions.length, passMark: quiz.passMark, durationMs: outcome.durationMs });
  statements.push(scored);
  const passed = scored.result?.success === true;
  const progress = currentProgress();
  if (passed && ref.lesson && !progress.lessonsCompleted.includes(ref.lesson.id)) {
    statements.push(lessonCompleted(next(), { module: ref.module, lesson: ref.lesson }));
    progress.lessonsCompleted.push(ref.lesson.id);
  }
  if (passed && !ref.lesson && !progress.assessmentsPassed.includes(quizKey)) progress.assessmentsPassed.push(quizKey);
  if (moduleNewlyComplete(progress, placement.moduleLessonIds, placement.moduleAssessment ?? '', ref.module.id)) {
    statements.push(moduleCompleted(next(), ref.module));
    progress.modulesCompleted.push(ref.module.id);
  }
  saveProgress(learner, progress);
  enqueueAll(statements);
  return passed;
}

/** A participant the trainer marks present. */
export interface Participant {
  name: string;
  email: string;
}

/**
 * Record that participants attended one session of a workshop: one "attended" statement per
 * participant, with the workshop's registration, cohort and country, stored in the outbox of
 * the trainer's device (sent when the LRS can be reached).
 * @param workshop the workshop as the trainer created it
 * @param session the session's IRI and title
 * @param module the module's IRI and names
 * @returns the number of statements stored
 */
export function recordAttendance(
  language: Language,
  workshop: WorkshopLink,
  session: { id: string; title: string },
  module: { id: string; name: LocalizedText },
  participants: Participant[],
): number {
  const statements = participants.map((p) =>
    sessionAttended(
      {
        id: uuidv4(),
        timestamp: new Date().toISOString(),
        actor: { objectType: 'Agent', name: p.name, mbox: `mailto:${p.email.toLowerCase()}` },
        registration: workshop.registration,
        language,
        workshop: { cohort: workshop.cohort, country: workshop.country },
      },
      session,
      module,
    ),
  );
  enqueueAll(statements);
  return statements.length;
}
