import type { Statement } from '@xapi/xapi';
import { activityBase, moduleId } from './activities.ts';
import { workshopFromQuery, type WorkshopLink } from './learner.ts';
import { extensions } from './statements.ts';
import { emptyProgress, type Progress } from './progress.ts';
import { verbs } from './vocabulary.ts';
import { GRADER_ACCOUNT_NAME } from '../report/verify.ts';

/** What a learner's own statements give back on another device (continue on another device). */
export interface Restored {
  /** Progress per registration UUID, as kept in localStorage `dce.progress.{registration}`. */
  progress: Record<string, Progress>;
  /** The learner's own registration: that of their latest statement outside a workshop, if any. */
  ownRegistration?: string;
  /** The workshop of their latest statement, when it was made through a workshop link. */
  workshop?: WorkshopLink;
}

const objectId = (s: Statement): string => (s.object as { id?: string }).id ?? '';
const lessonPattern = new RegExp(`^${escape(moduleId(''))}[^/]+/lessons/[^/]+$`);
const modulePattern = new RegExp(`^${escape(moduleId(''))}[^/]+$`);
const quizPrefix = `${activityBase}quizzes/`;

/** Whether the site's grader wrote a statement: its authority is the account "site-grader" on the LRS's origin. */
function byGrader(s: Statement, lrsOrigin: string): boolean {
  const account = (s.authority as { account?: { homePage?: unknown; name?: unknown } } | undefined)?.account;
  if (account?.name !== GRADER_ACCOUNT_NAME || typeof account.homePage !== 'string') return false;
  try {
    return new URL(account.homePage).origin === new URL(lrsOrigin).origin;
  } catch {
    return false;
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Rebuild a learner's progress from their statements (GET /xapi/statements with their own
 * credential): per registration, the lessons with a "completed" statement, the final
 * assessments with a "passed" statement and the modules with a "completed" statement written
 * by the site's grader (a module is complete only with a server-graded pass, issue 11; the
 * authority is the grader's account on the learner's own LRS origin) — the same records
 * src/lib/xapi/tracking.ts keeps when the learner acts on a device. Voided statements are not
 * returned by the LRS (xAPI 1.0.3 Communication 2.1.4), so they count for nothing.
 * @param statements the learner's statements, in any order
 * @param finalAssessments the quiz ids of the modules' final assessments (knowledge checks are
 *   counted through their lesson's "completed" statement instead)
 * @param lrsOrigin the origin of the learner's agent account (the LRS's public origin), where the grader's account lives
 */
export function restoreProgress(statements: Statement[], finalAssessments: readonly string[], lrsOrigin: string): Restored {
  const progress: Record<string, Progress> = {};
  const add = (list: string[], value: string) => {
    if (!list.includes(value)) list.push(value);
  };
  let latest: Statement | undefined;
  let latestOwn: Statement | undefined;
  for (const s of statements) {
    const registration = s.context?.registration;
    if (!registration) continue;
    const p = (progress[registration] ??= emptyProgress());
    const id = objectId(s);
    if (s.verb.id === verbs.completed.id && lessonPattern.test(id)) add(p.lessonsCompleted, id);
    const graded = byGrader(s, lrsOrigin);
    if (graded && s.verb.id === verbs.completed.id && modulePattern.test(id)) add(p.modulesCompleted, id);
    if (graded && s.verb.id === verbs.passed.id && id.startsWith(quizPrefix) && finalAssessments.includes(id.slice(quizPrefix.length))) {
      add(p.assessmentsPassed, id.slice(quizPrefix.length));
    }
    const when = s.timestamp ?? '';
    if (!latest || when > (latest.timestamp ?? '')) latest = s;
    if (!s.context?.team && (!latestOwn || when > (latestOwn.timestamp ?? ''))) latestOwn = s;
  }
  const ext = latest?.context?.team ? latest.context.extensions : undefined;
  const workshop = ext
    ? workshopFromQuery(
        `?${new URLSearchParams({ registration: latest?.context?.registration ?? '', cohort: String(ext[extensions.cohort] ?? ''), country: String(ext[extensions.country] ?? '') })}`,
      )
    : null;
  return {
    progress,
    ...(latestOwn?.context?.registration ? { ownRegistration: latestOwn.context.registration } : {}),
    ...(workshop ? { workshop } : {}),
  };
}
