import Papa from 'papaparse';
import type { GroupRow, LearnerRow, QuestionRow } from './aggregate.ts';
import type { GainRow } from './gain.ts';

/**
 * Cells that a spreadsheet would read as a formula or whose leading control character lets one
 * through: =, +, -, @, TAB and CR (OWASP, "CSV Injection"). papaparse's own `escapeFormulae: true`
 * pattern ends in `.*$` without the s flag, so it misses such a cell when it holds a line break.
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A table as CSV (RFC 4180, via papaparse) with a UTF-8 byte order mark, so spreadsheets open
 * names with accents intact. Text cells starting with =, +, -, @, TAB or CR (FORMULA_START) are
 * prefixed with an apostrophe and quoted, so a spreadsheet never runs a statement's text as a
 * formula; numbers stay numbers.
 * @param rows objects with the same keys; null and missing values become empty cells
 * @param columns the keys to write, in order; they become the header row
 * @returns the CSV text, CRLF line ends, ending with a CRLF
 * Source: OWASP, "CSV Injection" (the leading characters to neutralise).
 */
export function toCsv(rows: Record<string, string | number | null>[], columns: string[]): string {
  const data = rows.map((r) => columns.map((c) => r[c] ?? ''));
  return `\uFEFF${Papa.unparse({ fields: columns, data }, { newline: '\r\n', escapeFormulae: FORMULA_START })}\r\n`;
}

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/**
 * The groups view as CSV rows: module, language, cohort, country, learners, completions (as the
 * report counted them), learners whose completion is only self-reported, attempts, passes, pass
 * rate %, average scaled score.
 */
export const groupsCsv = (rows: GroupRow[]) =>
  toCsv(
    rows.map((g) => ({
      module: g.moduleName,
      module_id: g.module,
      language: g.language,
      cohort: g.cohort,
      country: g.country,
      learners: g.learners,
      completed: g.completed,
      completed_self_reported: g.completedSelfReported,
      attempts: g.attempts,
      passed: g.passed,
      pass_rate_percent: pct(g.passRate),
      average_scaled_score: g.averageScaled === null ? null : Math.round(g.averageScaled * 1000) / 1000,
      certificates: g.certificates,
    })),
    [
      'module',
      'module_id',
      'language',
      'cohort',
      'country',
      'learners',
      'completed',
      'completed_self_reported',
      'attempts',
      'passed',
      'pass_rate_percent',
      'average_scaled_score',
    ],
  );

/** The learners view as CSV rows; `verification` is "verified" or "self-reported" for a completed module, empty otherwise. */
export const learnersCsv = (rows: LearnerRow[]) =>
  toCsv(
    rows.map((l) => ({
      name: l.name,
      learner: l.learner,
      module: l.moduleName,
      module_id: l.module,
      status: l.status,
      verification: l.verification,
      attempts: l.attempts,
      passed: l.passed,
      last_activity: l.lastActivity,
    })),
    ['name', 'learner', 'module', 'module_id', 'status', 'verification', 'attempts', 'passed', 'last_activity'],
  );

/** The questions view as CSV rows. */
export const questionsCsv = (rows: QuestionRow[]) =>
  toCsv(
    rows.map((q) => ({
      question: q.name,
      question_id: q.question,
      answered: q.answered,
      correct_percent: pct(q.correctShare),
      common_wrong_response: q.commonWrongResponse,
      common_wrong_count: q.commonWrongCount,
    })),
    ['question', 'question_id', 'answered', 'correct_percent', 'common_wrong_response', 'common_wrong_count'],
  );

/**
 * The learning-gain view as CSV rows: module, cohort, country, learners with both scores, mean
 * pre- and post-test scores in percent (one decimal), and Hake's normalized gain (three decimals;
 * empty when the mean pre-score is 100%). See src/lib/report/gain.ts.
 */
export const gainCsv = (rows: GainRow[]) =>
  toCsv(
    rows.map((g) => ({
      module: g.moduleName,
      module_id: g.module,
      cohort: g.cohort,
      country: g.country,
      learners_with_both: g.learners,
      mean_pre_percent: pct(g.meanPre),
      mean_post_percent: pct(g.meanPost),
      normalized_gain: g.gain === null ? null : Math.round(g.gain * 1000) / 1000,
    })),
    ['module', 'module_id', 'cohort', 'country', 'learners_with_both', 'mean_pre_percent', 'mean_post_percent', 'normalized_gain'],
  );
