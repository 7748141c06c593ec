import type { Verification } from './verify.ts';

// Learning gain per cohort and module (issue 15): what a workshop changed, from each learner's
// pre-test (taken on arrival) and final assessment (the post-test), both graded and signed by the
// site's server (docs/xapi-profile.md, "Pre-tests"). Fed by the ReportBuilder
// (src/lib/report/aggregate.ts) one statement at a time; memory grows with learners, not statements.

/** Learning gain of one cohort in one module. */
export interface GainRow {
  /** Module activity IRI. */
  module: string;
  /** The module's name in the catalogue's language, or its IRI. */
  moduleName: string;
  /** The cohort of the learners' pre-tests, or "" for learners outside a workshop. */
  cohort: string;
  /** ISO 3166-1 alpha-2 country code of the cohort, or "". */
  country: string;
  /** Learners with both a verified pre-test score and a verified final-assessment score after it. */
  learners: number;
  /** Mean pre-test scaled score of those learners, 0 to 1. */
  meanPre: number;
  /** Mean post-test (final assessment) scaled score of those learners, 0 to 1. */
  meanPost: number;
  /** Hake's class-average normalized gain (hakeGain); null when the mean pre-score is already the maximum. */
  gain: number | null;
}

/**
 * Hake's class-average normalized gain <g> = (<post> − <pre>) / (max − <pre>), with scores
 * scaled to 0..1 so that max is 1: the share of what the cohort could still learn that it did.
 * @param meanPre the mean pre-test score, 0 to 1
 * @param meanPost the mean post-test score, 0 to 1
 * @returns the gain (negative when the cohort did worse after), or null when meanPre is 1 (or
 *   more): nothing was left to gain and the ratio is undefined
 * Source: R. R. Hake, "Interactive-engagement versus traditional methods", American Journal of
 * Physics 66 (1998) 64, equation (1); issue 15.
 */
export function hakeGain(meanPre: number, meanPost: number): number | null {
  return meanPre >= 1 ? null : (meanPost - meanPre) / (1 - meanPre);
}

/** One server-graded score: when it was taken and its scaled value. */
interface Score {
  /** Milliseconds since the epoch (the statement's timestamp). */
  at: number;
  scaled: number;
}

/** What one statement tells the gain, as the ReportBuilder reads it. */
export interface GainEvidence {
  /** The learner's inverse functional identifier (actorKey). */
  learner: string;
  /** The module activity IRI. */
  module: string;
  /** The statement's cohort and country (extensions or context.team). */
  cohort: string;
  country: string;
  /** Which test the score belongs to. */
  test: 'pre' | 'post';
  /** The statement's timestamp, ISO 8601. */
  timestamp: string;
  /** result.score.scaled, -1 to 1 (xAPI 1.0.3 Data 2.4.5.1). */
  scaled: number;
  /** Whether the statement is signed by the site's server. */
  verification: Verification;
}

/**
 * Collects pre- and post-test scores and turns them into one GainRow per module, cohort and
 * country. Per learner and module: pre = the first verified pre-test score; post = the first
 * verified final-assessment score (passed or failed) taken after that pre-test. A learner counts
 * only with both, under the cohort and country of their pre-test. Self-reported scores never count
 * (a learner can post anything about themselves; src/lib/report/verify.ts).
 */
export class GainTracker {
  /** Learner and module -> the earliest verified pre-test, with its cohort. */
  readonly #pre = new Map<string, Score & { module: string; cohort: string; country: string }>();
  /** Learner and module -> every verified final-assessment score. */
  readonly #post = new Map<string, Score[]>();

  /**
   * Take one score into account; a self-reported one, or one with no valid time or score, is ignored.
   * @param e the score and what it belongs to (see GainEvidence)
   */
  add(e: GainEvidence): void {
    const at = Date.parse(e.timestamp);
    if (e.verification !== 'verified' || Number.isNaN(at) || !Number.isFinite(e.scaled)) return;
    const key = JSON.stringify([e.learner, e.module]);
    if (e.test === 'pre') {
      const known = this.#pre.get(key);
      if (!known || at < known.at) this.#pre.set(key, { at, scaled: e.scaled, module: e.module, cohort: e.cohort, country: e.country });
    } else {
      const list = this.#post.get(key) ?? [];
      list.push({ at, scaled: e.scaled });
      this.#post.set(key, list);
    }
  }

  /**
   * The gain rows, sorted by module (in `order`), cohort and country.
   * @param name the module's display name from its IRI
   * @param order module IRIs in the curriculum's order; modules not in it come after, by IRI
   */
  rows(name: (module: string) => string, order: readonly string[] = []): GainRow[] {
    const groups = new Map<string, { module: string; cohort: string; country: string; pre: number[]; post: number[] }>();
    for (const [key, pre] of this.#pre) {
      const post = (this.#post.get(key) ?? []).filter((p) => p.at > pre.at).sort((a, b) => a.at - b.at)[0];
      if (!post) continue;
      const gkey = JSON.stringify([pre.module, pre.cohort, pre.country]);
      const group = groups.get(gkey) ?? { module: pre.module, cohort: pre.cohort, country: pre.country, pre: [], post: [] };
      group.pre.push(pre.scaled);
      group.post.push(post.scaled);
      groups.set(gkey, group);
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const rank = (module: string) => (order.includes(module) ? order.indexOf(module) : order.length);
    return [...groups.values()]
      .map((g) => {
        const meanPre = mean(g.pre);
        const meanPost = mean(g.post);
        return {
          module: g.module,
          moduleName: name(g.module),
          cohort: g.cohort,
          country: g.country,
          learners: g.pre.length,
          meanPre,
          meanPost,
          gain: hakeGain(meanPre, meanPost),
        };
      })
      .sort(
        (a, b) =>
          rank(a.module) - rank(b.module) ||
          a.module.localeCompare(b.module) ||
          a.cohort.localeCompare(b.cohort) ||
          a.country.localeCompare(b.country),
      );
  }
}
