import type { Statement } from '@xapi/xapi';

// Completion report over xAPI statements, computed in one pass with memory bounded by the
// aggregates (groups, learners, questions, days), never by the number of statements. Works on
// statements from any conformant LRS: it reads only standard fields and this site's documented
// profile (docs/xapi-profile.md).

const VERB = 'http://adlnet.gov/expapi/verbs/';
const TYPE = 'http://adlnet.gov/expapi/activities/';

/** The dimensions a report row is grouped by. */
export interface GroupKey {
  /** Module activity IRI. */
  module: string;
  /** context.language, or "" when absent. */
  language: string;
  /** Cohort name (extension or context.team), or "" for learners outside a workshop. */
  cohort: string;
  /** ISO 3166-1 alpha-2 country code, or "". */
  country: string;
}

/** One row of completions and passes for a module, language, cohort and country. */
export interface GroupRow extends GroupKey {
  moduleName: string;
  /** Distinct learners with any statement. */
  learners: number;
  /** Distinct learners who completed the module. */
  completed: number;
  /** Quiz attempts (passed + failed statements). */
  attempts: number;
  passed: number;
  /** passed / attempts, 0 to 1; null without attempts. */
  passRate: number | null;
  /** Mean result.score.scaled over attempts; null without attempts. */
  averageScaled: number | null;
}

/** A learner's status in one module. */
export interface LearnerRow {
  learner: string;
  name: string;
  module: string;
  moduleName: string;
  status: 'completed' | 'in progress';
  attempts: number;
  passed: number;
  /** Latest statement timestamp (ISO 8601). */
  lastActivity: string;
}

/** How one question performed. */
export interface QuestionRow {
  question: string;
  name: string;
  answered: number;
  /** Share of correct answers, 0 to 1. */
  correctShare: number;
  /** The wrong response chosen most often, or "" when none. */
  commonWrongResponse: string;
  commonWrongCount: number;
}

/** Filters applied while aggregating; empty means all. */
export interface ReportFilter {
  module?: string;
  language?: string;
  cohort?: string;
  country?: string;
  /** Inclusive ISO 8601 bounds on the statement timestamp. */
  since?: string;
  until?: string;
}

/** The whole report. */
export interface Report {
  statements: number;
  groups: GroupRow[];
  learners: LearnerRow[];
  questions: QuestionRow[];
  /** Module completions per day (YYYY-MM-DD), oldest first. */
  timeline: { day: string; completions: number }[];
}

type Activity = { id: string; objectType?: string; definition?: { type?: string; name?: Record<string, string> } };

const nameOf = (a: Activity | undefined, language: string) =>
  a?.definition?.name?.[language] ?? a?.definition?.name?.['en'] ?? Object.values(a?.definition?.name ?? {})[0] ?? a?.id ?? '';

/**
 * The inverse functional identifier of an actor as one string (xAPI 1.0.3 Data 2.4.2.1):
 * "mbox:…", "mbox_sha1sum:…", "openid:…" or "account:homePage|name".
 */
export function actorKey(actor: Statement['actor']): string {
  const a = actor as { mbox?: string; mbox_sha1sum?: string; openid?: string; account?: { homePage: string; name: string } };
  if (a.mbox) return `mbox:${a.mbox.toLowerCase()}`;
  if (a.mbox_sha1sum) return `mbox_sha1sum:${a.mbox_sha1sum}`;
  if (a.openid) return `openid:${a.openid}`;
  if (a.account) return `account:${a.account.homePage}|${a.account.name}`;
  return 'unknown';
}

/** The module activity a statement belongs to: its object, or its parent or grouping. */
function moduleOf(s: Statement): Activity | undefined {
  const object = s.object as Activity;
  if (object.definition?.type === `${TYPE}module`) return object;
  const ca = s.context?.contextActivities as { parent?: Activity[]; grouping?: Activity[] } | undefined;
  return [...(ca?.parent ?? []), ...(ca?.grouping ?? [])].find((a) => a.definition?.type === `${TYPE}module`);
}

/** The cohort and country of a statement: documented extensions first, then context.team. */
function workshopOf(s: Statement): { cohort: string; country: string } {
  const ext = (s.context?.extensions ?? {}) as Record<string, unknown>;
  const find = (suffix: string) => Object.entries(ext).find(([k]) => k.endsWith(`/extensions/${suffix}`))?.[1];
  const team = s.context?.team as { name?: string } | undefined;
  return { cohort: String(find('cohort') ?? team?.name ?? ''), country: String(find('country') ?? '') };
}

/**
 * Aggregates statements one at a time. Voiding statements (verb voided, object StatementRef)
 * exclude their target when the target comes later in the stream, as it does when statements
 * are fetched newest first; conformant LRSs already leave voided statements out of queries.
 */
export class ReportBuilder {
  readonly #filter: ReportFilter;
  #count = 0;
  readonly #voided = new Set<string>();
  readonly #groups = new Map<string, GroupRow & { learnerSet: Set<string>; completedSet: Set<string>; scaledSum: number }>();
  readonly #learners = new Map<string, LearnerRow>();
  readonly #questions = new Map<string, QuestionRow & { correct: number; wrong: Map<string, number> }>();
  readonly #days = new Map<string, number>();

  constructor(filter: ReportFilter = {}) {
    this.#filter = filter;
  }

  /** Take one statement into account. Statements outside the filter or the profile are ignored. */
  add(s: Statement): void {
    if (s.verb.id === `${VERB}voided`) {
      const target = s.object as { objectType?: string; id?: string };
      if (target.objectType === 'StatementRef' && target.id) this.#voided.add(target.id);
      return;
    }
    if (s.id && this.#voided.has(s.id)) return;
    const module = moduleOf(s);
    if (!module) return;
    const language = s.context?.language ?? '';
    const { cohort, country } = workshopOf(s);
    const f = this.#filter;
    const timestamp = s.timestamp ?? s.stored ?? '';
    if ((f.module && f.module !== module.id) || (f.language && f.language !== language) || (f.cohort !== undefined && f.cohort !== '' && f.cohort !== cohort) || (f.country && f.country !== country)) return;
    if ((f.since && timestamp < f.since) || (f.until && timestamp > f.until)) return;
    this.#count++;

    const learner = actorKey(s.actor);
    const key = JSON.stringify([module.id, language, cohort, country]);
    let group = this.#groups.get(key);
    if (!group) {
      group = { module: module.id, moduleName: nameOf(module, 'en'), language, cohort, country, learners: 0, completed: 0, attempts: 0, passed: 0, passRate: null, averageScaled: null, learnerSet: new Set(), completedSet: new Set(), scaledSum: 0 };
      this.#groups.set(key, group);
    }
    group.learnerSet.add(learner);

    const lkey = `${learner} ${module.id}`;
    let row = this.#learners.get(lkey);
    if (!row) {
      row = { learner, name: (s.actor as { name?: string }).name ?? '', module: module.id, moduleName: nameOf(module, 'en'), status: 'in progress', attempts: 0, passed: 0, lastActivity: timestamp };
      this.#learners.set(lkey, row);
    }
    if (timestamp > row.lastActivity) row.lastActivity = timestamp;
    if (!row.name) row.name = (s.actor as { name?: string }).name ?? '';

    const object = s.object as Activity;
    const verb = s.verb.id;
    if (verb === `${VERB}completed` && object.id === module.id) {
      group.completedSet.add(learner);
      row.status = 'completed';
      const day = timestamp.slice(0, 10);
      this.#days.set(day, (this.#days.get(day) ?? 0) + 1);
    } else if ((verb === `${VERB}passed` || verb === `${VERB}failed`) && object.definition?.type === `${TYPE}assessment`) {
      group.attempts++;
      row.attempts++;
      if (verb === `${VERB}passed`) {
        group.passed++;
        row.passed++;
      }
      group.scaledSum += s.result?.score?.scaled ?? 0;
    } else if (verb === `${VERB}answered` && object.definition?.type === `${TYPE}cmi.interaction`) {
      let q = this.#questions.get(object.id);
      if (!q) {
        q = { question: object.id, name: nameOf(object, 'en'), answered: 0, correctShare: 0, commonWrongResponse: '', commonWrongCount: 0, correct: 0, wrong: new Map() };
        this.#questions.set(object.id, q);
      }
      q.answered++;
      if (s.result?.success) q.correct++;
      else if (s.result?.response !== undefined) {
        const n = (q.wrong.get(s.result.response) ?? 0) + 1;
        q.wrong.set(s.result.response, n);
        if (n > q.commonWrongCount) [q.commonWrongResponse, q.commonWrongCount] = [s.result.response, n];
      }
    }
  }

  /** The report so far: groups, learners and questions sorted for reading. */
  result(): Report {
    const groups = [...this.#groups.values()].map(({ learnerSet, completedSet, scaledSum, ...g }) => ({
      ...g,
      learners: learnerSet.size,
      completed: completedSet.size,
      passRate: g.attempts ? g.passed / g.attempts : null,
      averageScaled: g.attempts ? scaledSum / g.attempts : null,
    }));
    const order = (a: GroupKey, b: GroupKey) => a.module.localeCompare(b.module) || a.language.localeCompare(b.language) || a.cohort.localeCompare(b.cohort) || a.country.localeCompare(b.country);
    return {
      statements: this.#count,
      groups: groups.sort(order),
      learners: [...this.#learners.values()].sort((a, b) => b.lastActivity.localeCompare(a.lastActivity)),
      questions: [...this.#questions.values()].map(({ correct, wrong: _w, ...q }) => ({ ...q, correctShare: q.answered ? correct / q.answered : 0 })).sort((a, b) => a.question.localeCompare(b.question)),
      timeline: [...this.#days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, completions]) => ({ day, completions })),
    };
  }
}
