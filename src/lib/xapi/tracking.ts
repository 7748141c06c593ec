import type { Statement } from '@xapi/xapi';
import { v4 as uuidv4 } from 'uuid';
import type { Language } from '../../i18n/languages.ts';
import type { QuizData } from '../../schemas/quiz.ts';
import type { InLanguage } from '../../i18n/in-language.ts';
import { Outbox } from './outbox.ts';
import {
  LEARNER_KEY,
  WORKSHOP_KEY,
  currentLearner,
  currentProgress,
  currentRegistration,
  currentWorkshop,
  progressKey,
} from './progress-store.ts';

export { currentLearner, currentProgress, currentRegistration, currentWorkshop };
import { LrsError } from './lrs-error.ts';
import { basicAuthorization, createLearner, pendingActor, workshopFromQuery, type Learner, type LearnerCredential } from './learner.ts';
import { CredentialError, ensureCredential, forgetCredential, saveCredential, storedCredential } from './credential.ts';
import { mergeProgress, parseProgress, withServerGrade, type Progress } from './progress.ts';
// Types only: restore.ts (and the verification module it takes the grader's name from) stays out of every page's script.
import type { Restored } from './restore.ts';
import {
  lessonCompleted,
  lessonExperienced,
  questionAnswered,
  quizScored,
  type EventContext,
  type LessonRef,
  type QuizRef,
} from './statements.ts';
import type { QuestionResponse } from '../../questions/index.ts';

// Browser-side glue: the learner, the registration, the progress record and the outbox, all
// in localStorage. Everything here runs in the browser only.

/** Fired on window when the learner is chosen or changed; detail is the Learner. */
export const LEARNER_EVENT = 'dce:learner';
/**
 * Fired on window whenever the number of records waiting on this device may have changed (a
 * statement or a final assessment attempt queued, any flush ended: called, on `online`, or by a
 * retry timer); detail is { pending }: statements plus attempts waiting.
 */
export const OUTBOX_EVENT = 'dce:outbox';

/**
 * Final assessment attempts waiting for the server, counted from their storage keys (the
 * AttemptOutbox's default prefix, src/lib/xapi/attempt-outbox.ts), so that this module needs
 * not load the assessment client to count them.
 */
function attemptsWaiting(): number {
  let n = 0;
  for (let i = 0; i < localStorage.length; i++) if (localStorage.key(i)?.startsWith('dce.attempts.q.')) n++;
  return n;
}

/** Tell the page how many records (statements and final assessment attempts) wait: OUTBOX_EVENT. */
export function announceOutbox(): void {
  window.dispatchEvent(new CustomEvent(OUTBOX_EVENT, { detail: { pending: getOutbox().pending() + attemptsWaiting() } }));
}

/** The LRS endpoint the layout renders into <body data-lrs-endpoint> (no credential is in any page). */
function lrsEndpoint(): string {
  return new URL(document.body.dataset['lrsEndpoint'] ?? '/xapi/', location.href).href;
}

/**
 * POST statements to the LRS with an Authorization header, through @xapi/xapi (xAPI 1.0.3
 * Communication 2.1.2: POST /statements, a JSON array, header X-Experience-API-Version). The
 * client is imported when the first batch is sent, so a page that records nothing never loads it.
 * @param statements complete statements, each with its id
 * @param auth the Authorization header value, e.g. "Basic ..."
 * @throws LrsError with the LRS's status and answer, or without status when it cannot be reached
 */
export async function postStatements(statements: Statement[], auth: string): Promise<void> {
  const { default: XAPI } = await import('@xapi/xapi');
  const xapi = new XAPI({ endpoint: lrsEndpoint(), auth, version: '1.0.3' });
  try {
    await xapi.sendStatements({ statements });
  } catch (error) {
    const response = (error as { response?: { status?: number; data?: unknown } }).response;
    const detail = response?.data ? JSON.stringify(response.data) : (error as Error).message;
    throw new LrsError(detail, response?.status);
  }
}

/**
 * The outbox's transport for the learner's statements. It first gets the learner's credential
 * (asking the server the first time; while that fails, e.g. on an offline first visit, it
 * throws a CredentialError and the outbox keeps everything for a retry). Every queued statement
 * belongs to the learner on this device (chooseLearner refuses a change while statements
 * wait), so each is sent with the actor the server issued: statements queued before the
 * credential existed, or by the first release (mbox or anonymous account), would otherwise
 * get 403. Their ids and timestamps stay. A 401 means the LRS no longer knows the credential
 * (revoked, or a new database): it is forgotten, and the next try asks for a new one.
 */
async function xapiTransport(statements: Statement[]): Promise<void> {
  const learner = currentLearner();
  if (!learner) throw new CredentialError('no learner has been chosen on this device yet');
  const credential = await ensureCredential(learner);
  try {
    await postStatements(
      statements.map((s) => ({ ...s, actor: credential.agent })),
      basicAuthorization(credential),
    );
  } catch (error) {
    if (error instanceof LrsError && error.status === 401) forgetCredential();
    throw error;
  }
}

/**
 * The Authorization header value of the learner on this device: HTTP Basic with their own
 * credential (RFC 7617), asked of the server (POST /api/learners) the first time. Waits until
 * a learner is chosen in the first-visit form.
 * @returns "Basic ..." for the LRS and the site's API (e.g. POST /api/assessments/{quizId}/attempts)
 * @throws CredentialError (src/lib/xapi/credential.ts) when no credential can be had now:
 *   the server is unreachable (no status) or refuses (its status and reason)
 */
export async function learnerAuthorization(): Promise<string> {
  return basicAuthorization(await ensureCredential(await learnerReady()));
}

/** The agent the server issued to the learner on this device, or null before the first credential. */
export function currentAgent(): LearnerCredential['agent'] | null {
  return storedCredential()?.agent ?? null;
}

let outbox: Outbox | undefined;

/** The page's outbox, created on first use; it flushes when the connection returns. */
export function getOutbox(): Outbox {
  if (!outbox) {
    outbox = new Outbox({ storage: localStorage, transport: xapiTransport, onChange: () => announceOutbox() });
    window.addEventListener('online', () => void flush());
  }
  return outbox;
}

/** Send the statements that wait, then the final assessment attempts (each outbox announces its count, see announceOutbox). */
export async function flush(): Promise<void> {
  const box = getOutbox();
  try {
    await box.flush();
  } finally {
    // Then the final assessment attempts waiting for the server's grade (src/lib/xapi/assessment.ts).
    // Offline before the module was ever loaded, the import fails: the next flush tries again.
    void import('./assessment.ts').then(
      (m) => m.flushAttempts(),
      () => undefined,
    );
  }
}

/**
 * Save the learner chosen in the first-visit form, announce it, and ask the server for their
 * credential (in the background: offline, statements wait in the outbox until it comes).
 * A different learner replaces the one on this device only once the outbox is empty, so that
 * every waiting statement belongs to the learner whose credential sends it.
 * @param input name and optional email ("" for none), or null for a pseudonym
 * @param pseudonymTemplate the localized pseudonym template, e.g. "Learner {{code}}"
 * @throws Error with code 'name' | 'email' on invalid input (see createLearner), or 'pending'
 *   while statements of the learner on this device still wait to be sent
 */
export function chooseLearner(input: { name: string; email: string } | null, pseudonymTemplate?: string): Learner {
  const learner = createLearner(input, pseudonymTemplate);
  // A waiting statement or final assessment attempt would otherwise be sent with the next learner's credential.
  if (currentLearner() && getOutbox().pending() + attemptsWaiting() > 0)
    throw Object.assign(new Error('statements of the current learner wait to be sent'), { code: 'pending' });
  forgetCredential();
  localStorage.setItem(LEARNER_KEY, JSON.stringify(learner));
  window.dispatchEvent(new CustomEvent(LEARNER_EVENT, { detail: learner }));
  void ensureCredential(learner).then(
    () => flush(),
    () => undefined,
  );
  return learner;
}

/**
 * Make `learner` the learner of this device with a credential received from a claim (continue
 * on another device): the credential, the learner and their announcement.
 * @throws Error with code 'pending' while statements or final assessment attempts of another learner wait to be sent
 */
export function adoptLearner(learner: Learner, credential: LearnerCredential): void {
  if (
    currentLearner() &&
    getOutbox().pending() + attemptsWaiting() > 0 &&
    storedCredential()?.agent.account.name !== credential.agent.account.name
  ) {
    throw Object.assign(new Error('statements of the current learner wait to be sent'), { code: 'pending' });
  }
  saveCredential(credential);
  localStorage.setItem(LEARNER_KEY, JSON.stringify(learner));
  window.dispatchEvent(new CustomEvent(LEARNER_EVENT, { detail: learner }));
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

/**
 * Keep on this device what a learner's statements gave back (continue on another device):
 * each registration's progress, joined with what the device already had, and the workshop
 * of their latest statement, if it came through a workshop link.
 */
export function storeRestored(restored: Restored): void {
  for (const [registration, progress] of Object.entries(restored.progress)) {
    const here = parseProgress(localStorage.getItem(progressKey(registration)));
    localStorage.setItem(progressKey(registration), JSON.stringify(mergeProgress(here, progress)));
  }
  if (restored.workshop) localStorage.setItem(WORKSHOP_KEY, JSON.stringify(restored.workshop));
}

/**
 * Keep the server's grade of a final assessment attempt in the progress of its registration
 * (see withServerGrade): the only way a final assessment counts as passed on this device.
 */
export function recordServerGrade(registration: string, quizKey: string, moduleIri: string, passed: boolean): void {
  const key = progressKey(registration);
  localStorage.setItem(key, JSON.stringify(withServerGrade(parseProgress(localStorage.getItem(key)), quizKey, moduleIri, passed)));
}

function saveProgress(learner: Learner, progress: Progress): void {
  localStorage.setItem(progressKey(currentRegistration(learner)), JSON.stringify(progress));
}

async function eventContext(language: Language): Promise<{ learner: Learner; next: () => EventContext }> {
  const learner = await learnerReady();
  // The server's agent once the credential is here; until then a placeholder the transport replaces.
  const actor = storedCredential()?.agent ?? pendingActor(learner, location.origin);
  const registration = currentRegistration(learner);
  const joined = currentWorkshop();
  const workshop = joined && (joined.cohort || joined.country) ? { cohort: joined.cohort, country: joined.country } : undefined;
  const next = () => ({ id: uuidv4(), timestamp: new Date().toISOString(), actor, registration, language, workshop });
  return { learner, next };
}

function enqueueAll(statements: Statement[]): void {
  const box = getOutbox();
  statements.forEach((s) => box.enqueue(s));
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
 * Record one knowledge check attempt, graded in the browser: an "answered" statement per
 * question, then "passed" or "failed"; when passed, "completed" for its lesson. All statements
 * are stored in the outbox before this returns. A final assessment is not recorded here: the
 * server grades it and writes its statements, the module's completion included
 * (submitFinalAssessment in src/lib/xapi/assessment.ts).
 * @param answers the learner's response per question id, one for every question
 * @param durationMs time from first view of the quiz to submission, in ms
 * @returns whether the attempt passed
 * @throws Error when a question has no response (nothing is recorded then)
 */
export async function recordQuizAttempt(
  language: Language,
  quiz: InLanguage<QuizData>,
  placement: QuizPlacement,
  answers: Record<string, QuestionResponse>,
  outcome: { raw: number; durationMs: number },
): Promise<boolean> {
  const { learner, next } = await eventContext(language);
  const { ref, quizKey } = placement;
  const statements = quiz.questions.map((q) => {
    const response = answers[q.id];
    if (response === undefined)
      throw new Error(`recordQuizAttempt: no response to question "${q.id}" (send complete answers, finalResponse in src/lib/grading.ts)`);
    return questionAnswered(next(), ref, quizKey, q, response);
  });
  const scored = quizScored(next(), ref, {
    raw: outcome.raw,
    max: quiz.questions.length,
    passMark: quiz.passMark,
    durationMs: outcome.durationMs,
  });
  statements.push(scored);
  const passed = scored.result?.success === true;
  const progress = currentProgress();
  if (passed && ref.lesson && !progress.lessonsCompleted.includes(ref.lesson.id)) {
    statements.push(lessonCompleted(next(), { module: ref.module, lesson: ref.lesson }));
    progress.lessonsCompleted.push(ref.lesson.id);
  }
  saveProgress(learner, progress);
  enqueueAll(statements);
  return passed;
}
