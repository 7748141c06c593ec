import type { Report } from './aggregate.ts';
import type { Verification } from './verify.ts';

// The review page's tables (src/lib/report/review-client.ts renders them): text only, since
// statement strings are untrusted.

type Strings = Record<string, string>;

/** The page's number and date formats (review-client.ts formats). */
export interface TableFormats {
  percent: (v: number | null) => string;
  number: (v: number) => string;
  gain: (v: number | null) => string;
  dateTime: (iso: string) => string;
  day: (ymd: string) => string;
}

export /** Fill a table with text only (statement strings are untrusted); `empty` fills the one row of an empty table. */
function fillTable(view: string, head: string[], rows: (string | number)[][], empty: string): void {
  const el = document.querySelector<HTMLTableElement>(`table[data-view=${view}]`)!;
  const thead = document.createElement('thead');
  const tr = document.createElement('tr');
  for (const h of head) tr.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: h }));
  thead.append(tr);
  const tbody = document.createElement('tbody');
  if (rows.length === 0) {
    const row = tbody.insertRow();
    Object.assign(row.insertCell(), { colSpan: head.length, textContent: empty });
  }
  for (const r of rows) {
    const row = tbody.insertRow();
    for (const c of r) row.insertCell().textContent = String(c);
  }
  el.replaceChildren(thead, tbody);
}

/** The groups table (completions, passes, certificates per module, language, cohort and country) and the learning gain table. */
export function renderGroupTables(s: Strings, f: TableFormats, r: Report, all: boolean): void {
  const none = s['review.none'] ?? '';
  const table = (view: string, head: string[], rows: (string | number)[][]) => fillTable(view, head, rows, s['review.empty'] ?? '');
  const selfColumn = all ? [s['review.col.selfReported']!] : [];
  table(
    'groups',
    [
      s['review.module']!,
      s['review.language']!,
      s['review.cohort']!,
      s['review.country']!,
      s['review.col.learners']!,
      s['review.col.completed']!,
      ...selfColumn,
      s['review.col.attempts']!,
      s['review.col.passed']!,
      s['review.col.passRate']!,
      s['review.col.average']!,
      s['review.col.certificates']!,
    ],
    r.groups.map((g) => [
      g.moduleName,
      g.language,
      g.cohort || none,
      g.country || none,
      g.learners,
      g.completed,
      ...(all ? [g.completedSelfReported] : []),
      g.attempts,
      g.passed,
      f.percent(g.passRate),
      g.averageScaled === null ? '' : f.percent(g.averageScaled),
      g.certificates,
    ]),
  );
  table(
    'gain',
    [
      s['review.module']!,
      s['review.cohort']!,
      s['review.country']!,
      s['review.col.bothScores']!,
      s['review.col.meanPre']!,
      s['review.col.meanPost']!,
      s['review.col.gain']!,
    ],
    r.gain.map((g) => [
      g.moduleName,
      g.cohort || none,
      g.country || none,
      g.learners,
      f.percent(g.meanPre),
      f.percent(g.meanPost),
      f.gain(g.gain),
    ]),
  );
}

/** The learners, questions and timeline tables. */
export function renderPeopleTables(s: Strings, f: TableFormats, r: Report, label: (v: Verification | '') => string): void {
  const table = (view: string, head: string[], rows: (string | number)[][]) => fillTable(view, head, rows, s['review.empty'] ?? '');
  table(
    'learners',
    [
      s['review.col.name']!,
      s['review.col.learner']!,
      s['review.module']!,
      s['review.col.status']!,
      s['review.col.verification']!,
      s['review.col.attempts']!,
      s['review.col.passed']!,
      s['review.col.last']!,
    ],
    r.learners.map((l) => [
      l.name,
      l.learner,
      l.moduleName,
      l.status === 'completed' ? s['review.status.completed']! : s['review.status.progress']!,
      label(l.verification),
      l.attempts,
      l.passed,
      f.dateTime(l.lastActivity),
    ]),
  );
  table(
    'questions',
    [s['review.col.question']!, s['review.col.answered']!, s['review.col.correct']!, s['review.col.wrong']!],
    r.questions.map((q) => [
      q.name,
      q.answered,
      f.percent(q.correctShare),
      q.commonWrongResponse ? `${q.commonWrongResponse} (${f.number(q.commonWrongCount)})` : '',
    ]),
  );
  table(
    'timeline',
    [s['review.col.day']!, s['review.col.completions']!],
    r.timeline.map((d) => [f.day(d.day), d.completions]),
  );
}
