import { v4 as uuidv4 } from 'uuid';
import type { Language } from '../../i18n/languages.ts';
import type { Grade, QuestionResponse } from '../grading.ts';
import { AttemptOutbox, type QueuedAttempt } from './attempt-outbox.ts';
import { apiUrl, forgetCredential } from './credential.ts';
import { LrsError } from './lrs-error.ts';
import {
  announceOutbox,
  currentRegistration,
  currentWorkshop,
  learnerAuthorization,
  learnerReady,
  recordServerGrade,
  type QuizPlacement,
} from './tracking.ts';

// Browser-side: final assessments, graded by the site's server (POST /api/assessments/{quizId}/
// attempts, docs/lrs.md). The attempt waits in a durable outbox of its own in localStorage until
// the server has graded it; the server writes the statements.

/** Fired on window when the server graded or refused an attempt; detail is AssessmentEventDetail. */
export const ASSESSMENT_EVENT = 'dce:assessment';

/** What ASSESSMENT_EVENT tells: the attempt, and its grade or the server's reason for refusing it. */
export interface AssessmentEventDetail {
  attempt: string;
  quizKey: string;
  grade?: Grade;
  rejected?: string;
}

/** What became of a submitted attempt by the time submitFinalAssessment returns. */
export interface SubmittedAttempt {
  /** The attempt's UUID; ASSESSMENT_EVENT names it when the grade comes later. */
  attempt: string;
  /** The server's grade, when it could be reached. */
  grade?: Grade;
  /** The server's reason, when it refused the attempt for good (kept aside on the device). */
  rejected?: string;
}

/**
 * POST one attempt with the learner's credential.
 * @throws LrsError with the status and the server's message; without status when unreachable;
 *   CredentialError (src/lib/xapi/credential.ts) when no credential can be had yet
 */
async function sendAttempt({ quizKey, body }: QueuedAttempt): Promise<Grade> {
  const authorization = await learnerAuthorization();
  let response: Response;
  try {
    response = await fetch(apiUrl(`assessments/${encodeURIComponent(quizKey)}/attempts`), {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
    });
  } catch (error) {
    throw new LrsError(error instanceof Error ? error.message : String(error));
  }
  const answer = (await response.json().catch(() => null)) as (Grade & { message?: string }) | null;
  if (!response.ok) {
    // The server no longer knows this credential (revoked, or a new database): ask for a new one next time.
    if (response.status === 401) forgetCredential();
    throw new LrsError(answer?.message ?? response.statusText, response.status);
  }
  if (answer === null || typeof answer.raw !== 'number' || typeof answer.questions !== 'object') {
    throw new LrsError('the server did not answer with a grade');
  }
  return answer;
}

const announce = (detail: AssessmentEventDetail) => window.dispatchEvent(new CustomEvent(ASSESSMENT_EVENT, { detail }));

let box: AttemptOutbox | undefined;

/** The page's attempt outbox, created on first use; it flushes when the connection returns. */
export function getAttemptOutbox(): AttemptOutbox {
  if (!box) {
    box = new AttemptOutbox({
      storage: localStorage,
      transport: sendAttempt,
      onGraded: ({ quizKey, moduleIri, body }, grade) => {
        recordServerGrade(body.registration, quizKey, moduleIri, grade.passed);
        announce({ attempt: body.attempt, quizKey, grade });
      },
      onRejected: ({ quizKey, body }, reason) => announce({ attempt: body.attempt, quizKey, rejected: reason }),
      onChange: announceOutbox,
    });
    window.addEventListener('online', () => void box?.flush());
  }
  return box;
}

/** Send the attempts that wait (called after each flush of the statement outbox, on every page). */
export async function flushAttempts(): Promise<void> {
  const outbox = getAttemptOutbox();
  if (outbox.pending() > 0) await outbox.flush();
}

/**
 * Submit a final assessment attempt for grading: stored in the attempt outbox first (so a closed
 * tab or a lost connection loses nothing), then sent at once when the server can be reached.
 * @param language the page's language (context.language of the statements the server writes)
 * @param placement the quiz id and its module
 * @param responses the learner's response to every question
 * @param durationMs time from the first view of the assessment to submission, in ms
 * @returns the attempt id, with the grade when the server answered now, or its refusal
 * @throws Error when localStorage cannot keep the attempt (full or unavailable)
 */
export async function submitFinalAssessment(
  language: Language,
  placement: Pick<QuizPlacement, 'quizKey' | 'ref'>,
  responses: Record<string, QuestionResponse>,
  durationMs: number,
): Promise<SubmittedAttempt> {
  const learner = await learnerReady();
  const joined = currentWorkshop();
  const attempt = uuidv4();
  const outbox = getAttemptOutbox();
  outbox.enqueue({
    quizKey: placement.quizKey,
    moduleIri: placement.ref.module.id,
    body: {
      attempt,
      timestamp: new Date().toISOString(),
      language,
      registration: currentRegistration(learner),
      ...(joined && (joined.cohort || joined.country) ? { workshop: { cohort: joined.cohort, country: joined.country } } : {}),
      responses,
      durationMs: Math.max(0, Math.round(durationMs)),
    },
  });
  await outbox.flush();
  const grade = outbox.grade(attempt);
  const rejected = outbox.rejection(attempt);
  return { attempt, ...(grade ? { grade } : {}), ...(rejected !== null ? { rejected } : {}) };
}
