import type { Statement } from '@xapi/xapi';
import { nameOf, type Catalogue } from './catalogue.ts';
import { GainTracker, type GainRow } from './gain.ts';
import type { Verification } from './verify.ts';
import { actorKey, moduleOf, workshopOf, type Activity } from './statement-keys.ts';
import { EARNED_VERB } from '../certificates/did.ts';

// Completion report over xAPI statements, computed in one pass with memory bounded by the
// aggregates (groups, learners, questions, days), never by the number of statements. Works on
// statements from any conformant LRS: it reads only standard fields and this site's documented
// profile (docs/xapi-profile.md). Names come from the site's catalogue (catalogue.ts), never from
// a statement's definitions; completions and passes are verified or self-reported (verify.ts).

const VERB = 'http://adlnet.gov/expapi/verbs/';
const TYPE = 'http://adlnet.gov/expapi/activities/';

export { actorKey };

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
  /** The module's name in the catalogue's language, or its IRI when the site does not know it. */
  moduleName: string;
  /** Distinct learners with any statement. */
  learners: number;
  /** Distinct learners who completed the module: verified only, or also self-reported when asked. */
  completed: number;
  /** Distinct learners whose only completions are self-reported (counted in `completed` only when asked). */
  completedSelfReported: number;
  /** Quiz attempts (passed + failed statements; self-reported final-assessment passes only when asked). */
  attempts: number;
  passed: number;
  /** passed / attempts, 0 to 1; null without attempts. */
  passRate: number | null;
  /** Mean result.score.scaled over attempts; null without attempts. */
  averageScaled: number | null;
  /** Distinct learners holding a certificate of the module: verified `earned` statements, revoked (voided) ones left out; self-reported ones never count. */
  certificates: number;
}

/** A learner's status in one module. */
export interface LearnerRow {
  learner: string;
  name: string;
  module: string;
  moduleName: string;
  status: 'completed' | 'in progress';
  /** For a completed status: whether the completion is verified; "" while in progress. */
  verification: Verification | '';
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

/** What the builder knows of the site. */
export interface ReportOptions {
  /** The site's catalogue in the report's language: names, modules, final assessments. */
  catalogue?: Catalogue | undefined;
}

/** The whole report. */
export interface Report {
  statements: number;
  groups: GroupRow[];
  learners: LearnerRow[];
  questions: QuestionRow[];
  /** Module completions per day (YYYY-MM-DD), oldest first. */
  timeline: { day: string; completions: number }[];
  /** Learning gain per module, cohort and country: verified pre-test and final-assessment scores (gain.ts; needs the catalogue). */
  gain: GainRow[];
}

/** Completion and pass counts kept apart by verification, so either view is one result() away. */
interface Tally {
  attempts: number;
  passed: number;
  scaledSum: number;
  /** Final-assessment passes that are not verified: left out unless asked for. */
  selfAttempts: number;
  selfScaledSum: number;
}

type GroupState = GroupKey &
  Tally & { learnerSet: Set<string>; verifiedSet: Set<string>; selfSet: Set<string>; certificateSet: Set<string> };
type LearnerState = Omit<LearnerRow, 'status' | 'verification' | 'attempts' | 'passed'> & Tally & { completion: Verification | '' };

const tally = (): Tally => ({ attempts: 0, passed: 0, scaledSum: 0, selfAttempts: 0, selfScaledSum: 0 });
const better = (a: Verification | '', b: Verification): Verification =>
  a === 'verified' || b === 'verified' ? 'verified' : 'self-reported';

/**
 * Aggregates statements one at a time. Voiding statements (verb voided, object StatementRef)
 * exclude their target when the target comes later in the stream, as it does when statements
 * are fetched newest first; conformant LRSs already leave voided statements out of queries.
 *
 * A module is completed by a `completed` statement whose object is the module, or (with a
 * catalogue) by a `passed` statement for the module's final assessment. Each such statement is
 * verified or self-reported, as the caller found with src/lib/report/verify.ts; result() counts
 * verified ones only unless asked to include self-reported ones. Knowledge checks are graded in
 * the browser by design: their passes always count as attempts and passes, never as completions.
 * Verified pre-test and final-assessment scores feed the learning gain (gain.ts); self-reported
 * ones never do, whatever `includeSelfReported` says.
 */
export class ReportBuilder {
  readonly #filter: ReportFilter;
  readonly #catalogue: Catalogue | undefined;
  #count = 0;
  readonly #voided = new Set<string>();
  readonly #groups = new Map<string, GroupState>();
  readonly #learners = new Map<string, LearnerState>();
  readonly #questions = new Map<string, Omit<QuestionRow, 'name'> & { correct: number; wrong: Map<string, number> }>();
  /** Completions by learner and module: [day, verification] of the latest seen. */
  readonly #completions = new Map<string, { day: string; verification: Verification }>();
  readonly #gain = new GainTracker();

  constructor(filter: ReportFilter = {}, options: ReportOptions = {}) {
    this.#filter = filter;
    this.#catalogue = options.catalogue;
  }

  /**
   * Take one statement into account. Statements outside the filter or the profile are ignored.
   * @param s the statement
   * @param verification for `completed` and `passed` statements, whether they are verified;
   *   undefined counts as self-reported
   */
  add(s: Statement, verification?: Verification): void {
    if (s.verb.id === `${VERB}voided`) {
      const target = s.object as { objectType?: string; id?: string };
      if (target.objectType === 'StatementRef' && target.id) this.#voided.add(target.id);
      return;
    }
    if (s.id && this.#voided.has(s.id)) return;
    const scope = this.#scopeOf(s);
    if (!scope) return;
    this.#count++;
    const { module, cohort, country, timestamp } = scope;
    const { learner, lkey, group, row } = this.#rowsOf(s, scope);

    const object = s.object as Activity;
    const verb = s.verb.id;
    const trust: Verification = verification ?? 'self-reported';
    const quiz = this.#catalogue?.quizzes[object.id];
    const finalAssessment = quiz?.kind === 'final-assessment' && quiz.module === module;
    const scaled = s.result?.score?.scaled;
    const test =
      finalAssessment && (verb === `${VERB}passed` || verb === `${VERB}failed`)
        ? 'post'
        : quiz?.kind === 'pre-test' && quiz.module === module && verb === `${VERB}completed`
          ? 'pre'
          : undefined;
    if (test && typeof scaled === 'number')
      this.#gain.add({ learner, module, cohort, country, test, timestamp, scaled, verification: trust });
    if (verb === EARNED_VERB && trust === 'verified') group.certificateSet.add(learner);
    const completes = (verb === `${VERB}completed` && object.id === module) || (verb === `${VERB}passed` && finalAssessment);
    if (completes) {
      (trust === 'verified' ? group.verifiedSet : group.selfSet).add(learner);
      row.completion = better(row.completion, trust);
      const previous = this.#completions.get(lkey);
      if (!previous || (previous.verification !== 'verified' && trust === 'verified'))
        this.#completions.set(lkey, { day: timestamp.slice(0, 10), verification: trust });
    }
    if ((verb === `${VERB}passed` || verb === `${VERB}failed`) && (quiz !== undefined || object.definition?.type === `${TYPE}assessment`)) {
      const scaled = s.result?.score?.scaled ?? 0;
      for (const t of [group, row]) {
        if (verb === `${VERB}passed` && finalAssessment && trust !== 'verified') {
          t.selfAttempts++;
          t.selfScaledSum += scaled;
        } else {
          t.attempts++;
          t.scaledSum += scaled;
          if (verb === `${VERB}passed`) t.passed++;
        }
      }
    } else if (
      verb === `${VERB}answered` &&
      (object.definition?.type === `${TYPE}cmi.interaction` || this.#catalogue?.names[object.id] !== undefined)
    ) {
      this.#countAnswer(object.id, s);
    }
  }

  /** A statement's module, language, cohort, country and time, or undefined when it is outside the profile or the filter. */
  #scopeOf(s: Statement): { module: string; language: string; cohort: string; country: string; timestamp: string } | undefined {
    const module = moduleOf(s, this.#catalogue);
    if (!module) return undefined;
    const language = s.context?.language ?? '';
    const { cohort, country } = workshopOf(s);
    const f = this.#filter;
    const timestamp = s.timestamp ?? s.stored ?? '';
    if (
      (f.module && f.module !== module) ||
      (f.language && f.language !== language) ||
      (f.cohort !== undefined && f.cohort !== '' && f.cohort !== cohort) ||
      (f.country && f.country !== country)
    )
      return undefined;
    if ((f.since && timestamp < f.since) || (f.until && timestamp > f.until)) return undefined;
    return { module, language, cohort, country, timestamp };
  }

  /** The group and the learner-module row a statement counts in, created on first sight; the row's last activity and name updated. */
  #rowsOf(
    s: Statement,
    scope: { module: string; language: string; cohort: string; country: string; timestamp: string },
  ): { learner: string; lkey: string; group: GroupState; row: LearnerState } {
    const { module, language, cohort, country, timestamp } = scope;
    const learner = actorKey(s.actor);
    const key = JSON.stringify([module, language, cohort, country]);
    let group = this.#groups.get(key);
    if (!group) {
      group = {
        module,
        language,
        cohort,
        country,
        ...tally(),
        learnerSet: new Set(),
        verifiedSet: new Set(),
        selfSet: new Set(),
        certificateSet: new Set(),
      };
      this.#groups.set(key, group);
    }
    group.learnerSet.add(learner);

    const lkey = `${learner} ${module}`;
    let row = this.#learners.get(lkey);
    if (!row) {
      row = {
        learner,
        name: (s.actor as { name?: string }).name ?? '',
        module,
        moduleName: '',
        completion: '',
        ...tally(),
        lastActivity: timestamp,
      };
      this.#learners.set(lkey, row);
    }
    if (timestamp > row.lastActivity) row.lastActivity = timestamp;
    if (!row.name) row.name = (s.actor as { name?: string }).name ?? '';
    return { learner, lkey, group, row };
  }

  /** Count an answer to a question: right, or wrong with its response (for the most common wrong response). */
  #countAnswer(question: string, s: Statement): void {
    let q = this.#questions.get(question);
    if (!q) {
      q = {
        question,
        answered: 0,
        correctShare: 0,
        commonWrongResponse: '',
        commonWrongCount: 0,
        correct: 0,
        wrong: new Map(),
      };
      this.#questions.set(question, q);
    }
    q.answered++;
    if (s.result?.success) q.correct++;
    else if (s.result?.response !== undefined) {
      const n = (q.wrong.get(s.result.response) ?? 0) + 1;
      q.wrong.set(s.result.response, n);
      if (n > q.commonWrongCount) [q.commonWrongResponse, q.commonWrongCount] = [s.result.response, n];
    }
  }

  /**
   * The report so far: groups, learners and questions sorted for reading, names from the catalogue.
   * @param includeSelfReported count self-reported completions and final-assessment passes too
   *   (default false: verified ones only)
   */
  result(includeSelfReported = false): Report {
    const name = (id: string) => nameOf(this.#catalogue, id);
    const counts = (t: Tally) => {
      const attempts = t.attempts + (includeSelfReported ? t.selfAttempts : 0);
      const passed = t.passed + (includeSelfReported ? t.selfAttempts : 0);
      const scaledSum = t.scaledSum + (includeSelfReported ? t.selfScaledSum : 0);
      return { attempts, passed, scaledSum };
    };
    const groups: GroupRow[] = [...this.#groups.values()].map((g) => {
      const { attempts, passed, scaledSum } = counts(g);
      const selfOnly = [...g.selfSet].filter((l) => !g.verifiedSet.has(l)).length;
      return {
        module: g.module,
        moduleName: name(g.module),
        language: g.language,
        cohort: g.cohort,
        country: g.country,
        learners: g.learnerSet.size,
        completed: g.verifiedSet.size + (includeSelfReported ? selfOnly : 0),
        completedSelfReported: selfOnly,
        attempts,
        passed,
        passRate: attempts ? passed / attempts : null,
        averageScaled: attempts ? scaledSum / attempts : null,
        certificates: g.certificateSet.size,
      };
    });
    const learners: LearnerRow[] = [...this.#learners.values()].map((l) => {
      const { attempts, passed } = counts(l);
      const completed = l.completion === 'verified' || (includeSelfReported && l.completion === 'self-reported');
      return {
        learner: l.learner,
        name: l.name,
        module: l.module,
        moduleName: name(l.module),
        status: completed ? 'completed' : 'in progress',
        verification: completed ? l.completion : '',
        attempts,
        passed,
        lastActivity: l.lastActivity,
      };
    });
    const days = new Map<string, number>();
    for (const { day, verification } of this.#completions.values())
      if (verification === 'verified' || includeSelfReported) days.set(day, (days.get(day) ?? 0) + 1);
    const order = (a: GroupKey, b: GroupKey) =>
      a.module.localeCompare(b.module) ||
      a.language.localeCompare(b.language) ||
      a.cohort.localeCompare(b.cohort) ||
      a.country.localeCompare(b.country);
    return {
      statements: this.#count,
      groups: groups.sort(order),
      learners: learners.sort((a, b) => b.lastActivity.localeCompare(a.lastActivity)),
      questions: [...this.#questions.values()]
        .map(({ correct, wrong: _w, ...q }) => ({ ...q, name: name(q.question), correctShare: q.answered ? correct / q.answered : 0 }))
        .sort((a, b) => a.question.localeCompare(b.question)),
      timeline: [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, completions]) => ({ day, completions })),
      gain: this.#gain.rows(name, this.#catalogue?.modules),
    };
  }
}
