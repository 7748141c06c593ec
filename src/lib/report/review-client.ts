import type { Statement } from '@xapi/xapi';
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { LrsError } from '../xapi/lrs-error.ts';
import { fillTable, renderGroupTables, renderPeopleTables, type TableFormats } from './review-tables.ts';
import { defaultLanguage, isLanguage, type Language } from '../../i18n/languages.ts';
import { fill, intlLocale, type FillValues } from '../../i18n/format.ts';
import { ReportBuilder, type Report } from './aggregate.ts';
import { nameOf, type Catalogue } from './catalogue.ts';
import { gainCsv, groupsCsv, learnersCsv, questionsCsv, toCsv } from './csv.ts';
import { readStatementsWithAttachments } from './fetch.ts';
import { JWKS_PATH, createVerifier, fetchJwks, needsVerification, type Verification, type Verifier } from './verify.ts';

// The review page's program (src/pages/[lang]/review.astro): reads statements from the LRS the
// reviewer names, checks each completion and pass against this site's published keys, aggregates
// as statements stream in, and fills the tables. Every string from a statement or the catalogue
// goes in as text (textContent), never as markup.

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

/** Statements kept for the detail view: memory stays bounded. */
const RECENT = 200;
/** sessionStorage key of the endpoint and the read key; the secret is never stored. */
const SESSION = 'dce.review.connection';

/** The page's review.* strings, from the form's data-strings. */
type Strings = Record<string, string>;

/** The page's formats, in its language: percentages, numbers, Hake's gain, times and days. */
type Formats = TableFormats;

/** A statement kept for the detail view, with its verification ('' when none is needed). */
interface Recent {
  statement: Statement;
  verification: Verification | '';
}

/** What the review page holds between a load and the next: the aggregation and what it shows. */
interface ReviewState {
  builder: ReportBuilder | null;
  report: Report | null;
  recent: Recent[];
  catalogue: Catalogue | undefined;
  controller: AbortController | null;
}

/** Fill the {{name}} placeholders of one of the page's strings. */
/** The page's language (its <html lang>), the default when it is not one of the registry's. */
const pageLanguage = (): Language => (isLanguage(document.documentElement.lang) ? document.documentElement.lang : defaultLanguage);

const fillString = (s: Strings, k: string, v: FillValues) => fill(s[k] ?? '', v, pageLanguage());

/**
 * Start the review page. Expects the form `[data-review-form]` with data-strings (the page's
 * review.* strings, JSON), data-catalogue (the URL of /{lang}/catalogue.json) and
 * data-site-endpoint (this site's own xAPI endpoint, PUBLIC_LRS_ENDPOINT: the server that grades,
 * signs and publishes its keys), and the tables and canvases of review.astro.
 */
export function startReview(): void {
  const form = document.querySelector<HTMLFormElement>('[data-review-form]');
  if (!form) return;
  const s = JSON.parse(form.dataset['strings'] ?? '{}') as Strings;
  const include = document.querySelector<HTMLInputElement>('[data-review-include]')!;
  const state: ReviewState = { builder: null, report: null, recent: [], catalogue: undefined, controller: null };
  const render = reportRenderer(s, formats(intlLocale(pageLanguage())), include, state);

  // This site's server: its keys sign the completions it graded, whichever LRS is read.
  const siteEndpoint = new URL(form.dataset['siteEndpoint'] ?? '/xapi/', location.href);
  const saved = JSON.parse(sessionStorage.getItem(SESSION) ?? 'null') as { endpoint?: unknown; key?: unknown } | null;
  form.querySelector<HTMLInputElement>('[name=endpoint]')!.value = typeof saved?.endpoint === 'string' ? saved.endpoint : siteEndpoint.href;
  if (typeof saved?.key === 'string') form.querySelector<HTMLInputElement>('[name=key]')!.value = saved.key;

  document.querySelectorAll<HTMLButtonElement>('[data-export]').forEach((b) =>
    b.addEventListener('click', () => {
      if (!state.report) return;
      const view = b.dataset['export']!;
      download(`completion-report-${view}.csv`, csvOf(state.report, view));
    }),
  );
  include.addEventListener('change', render);
  form.querySelector<HTMLButtonElement>('[data-review-cancel]')!.addEventListener('click', () => state.controller?.abort());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load(form, s, siteEndpoint, state, render);
  });
}

/** The page's formats in `lang` (Intl). */
function formats(lang: string): Formats {
  // Times in the reviewer's language and time zone, which is named; the statement's own ISO 8601
  // timestamp stays in its JSON (details) and in the CSV export. A day of the timeline is a UTC date.
  const moment = new Intl.DateTimeFormat(lang, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  const calendarDay = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  return {
    percent: (v) => (v === null ? '' : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(v)),
    number: (v) => new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(v),
    // Hake's gain, two decimals in the page's language; undefined (mean pre-score 100%) is a dash.
    gain: (v) => (v === null ? '—' : new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v)),
    dateTime: (iso) => (Number.isNaN(Date.parse(iso)) ? iso : moment.format(new Date(iso))),
    day: (ymd) => (Number.isNaN(Date.parse(`${ymd}T00:00:00Z`)) ? ymd : calendarDay.format(new Date(`${ymd}T00:00:00Z`))),
  };
}

/**
 * Read the form, then stream the statements from the LRS it names into a new aggregation, each
 * completion checked against this site's keys, and show the result (or why there is none).
 */
async function load(form: HTMLFormElement, s: Strings, siteEndpoint: URL, state: ReviewState, render: () => void): Promise<void> {
  const status = form.querySelector<HTMLElement>('[data-review-status]')!;
  const notice = form.querySelector<HTMLElement>('[data-review-notice]')!;
  const progress = form.querySelector<HTMLProgressElement>('[data-review-progress]')!;
  const cancel = form.querySelector<HTMLButtonElement>('[data-review-cancel]')!;
  const { reader, query, filter } = readForm(form);
  sessionStorage.setItem(SESSION, JSON.stringify({ endpoint: reader.endpoint, key: reader.key }));
  state.controller = new AbortController();
  cancel.hidden = false;
  progress.hidden = false;
  status.textContent = fillString(s, 'review.progress', { count: 0 });
  const [loaded, { verify, problem }] = await Promise.all([
    state.catalogue ? Promise.resolve(state.catalogue) : loadCatalogue(form.dataset['catalogue'] ?? ''),
    loadVerifier(siteEndpoint),
  ]);
  state.catalogue = loaded;
  notice.textContent = [
    state.catalogue ? '' : (s['review.noCatalogue'] ?? ''),
    verify ? '' : fillString(s, 'review.noKeys', { message: problem }),
  ]
    .filter(Boolean)
    .join(' ');
  state.builder = new ReportBuilder(filter, { catalogue: state.catalogue });
  state.recent = [];
  try {
    const onPage = (count: number) => (status.textContent = fillString(s, 'review.progress', { count }));
    for await (const { statement, parts } of readStatementsWithAttachments(reader, query, { signal: state.controller.signal, onPage })) {
      const verification: Verification | '' = needsVerification(statement)
        ? verify
          ? (await verify(statement, parts)).status
          : 'self-reported'
        : '';
      state.builder.add(statement, verification || undefined);
      if (state.recent.length < RECENT) state.recent.push({ statement, verification });
    }
    render();
    status.textContent = fillString(s, 'review.done', { count: state.report?.statements ?? 0 });
  } catch (error) {
    if ((error as Error).name === 'AbortError') status.textContent = s['review.cancelled'] ?? '';
    else if (error instanceof LrsError && error.status === 401) status.textContent = s['review.unauthorized'] ?? '';
    else if (error instanceof LrsError && error.status === 403) status.textContent = s['review.forbidden'] ?? '';
    else if (error instanceof LrsError) status.textContent = fillString(s, 'review.failed', { message: error.message });
    else status.textContent = s['review.unreachable'] ?? '';
  } finally {
    cancel.hidden = true;
    progress.hidden = true;
    state.controller = null;
  }
}

/**
 * The LRS to read (endpoint and read credential), the xAPI query (since and until as whole UTC
 * days, the module with its related activities, the registration) and the report's filter.
 */
function readForm(form: HTMLFormElement) {
  const data = new FormData(form);
  const get = (k: string) => String(data.get(k) ?? '').trim();
  const reader = { endpoint: get('endpoint'), key: get('key'), secret: String(data.get('secret') ?? '') };
  const query: Record<string, string> = {};
  if (get('since')) query['since'] = new Date(`${get('since')}T00:00:00Z`).toISOString();
  if (get('until')) query['until'] = new Date(`${get('until')}T23:59:59.999Z`).toISOString();
  if (get('module')) Object.assign(query, { activity: get('module'), related_activities: 'true' });
  if (get('registration')) query['registration'] = get('registration');
  const filter = { module: get('module'), language: get('language'), cohort: get('cohort'), country: get('country').toUpperCase() };
  return { reader, query, filter };
}

/**
 * The function that shows the aggregation so far: every table and both charts, with the
 * self-reported column when the reviewer asks for self-reported completions too.
 */
function reportRenderer(s: Strings, f: Formats, include: HTMLInputElement, state: ReviewState): () => void {
  const charts = new Map<string, Chart>();
  const results = document.querySelector<HTMLElement>('[data-review-results]')!;
  const label = (v: Verification | '') =>
    v === 'verified' ? s['review.verified']! : v === 'self-reported' ? s['review.selfReported']! : '';
  return () => {
    if (!state.builder) return;
    const all = include.checked;
    const r = (state.report = state.builder.result(all));
    renderGroupTables(s, f, r, all);
    renderPeopleTables(s, f, r, label);
    renderRecent(s, f, label, state);
    results.hidden = false;
    bars(
      charts,
      'passRate',
      r.groups.map((g) => `${g.moduleName} (${g.language}${g.cohort ? `, ${g.cohort}` : ''})`),
      r.groups.map((g) => Math.round((g.passRate ?? 0) * 100)),
      100,
    );
    bars(
      charts,
      'timeline',
      r.timeline.map((d) => f.day(d.day)),
      r.timeline.map((d) => d.completions),
    );
  };
}

/** The latest statements, each with its verification and its full JSON as text in a disclosure. */
function renderRecent(s: Strings, f: Formats, label: (v: Verification | '') => string, state: ReviewState): void {
  fillTable(
    'recent',
    [
      s['review.col.time']!,
      s['review.col.name']!,
      s['review.col.verb']!,
      s['review.col.object']!,
      s['review.col.verification']!,
      s['review.col.details']!,
    ],
    [],
    '',
  );
  const tbody = document.querySelector<HTMLTableElement>('table[data-view=recent]')!.tBodies[0]!;
  tbody.replaceChildren();
  for (const { statement: st, verification } of state.recent) {
    const row = tbody.insertRow();
    const actor = st.actor as { name?: string; mbox?: string; account?: { name: string } };
    const object = st.object as { id?: string };
    for (const text of [
      st.timestamp ? f.dateTime(st.timestamp) : '',
      actor.name ?? actor.mbox ?? actor.account?.name ?? '',
      st.verb.id.split('/').at(-1) ?? '',
      nameOf(state.catalogue, object.id ?? ''),
      label(verification),
    ])
      row.insertCell().textContent = text;
    const details = document.createElement('details');
    details.append(
      Object.assign(document.createElement('summary'), { textContent: s['review.show'] ?? '' }),
      Object.assign(document.createElement('pre'), { textContent: JSON.stringify(st, null, 2) }),
    );
    row.insertCell().append(details);
  }
}

/** Draw a bar chart; its figures are also in the table above it, for screen readers. */
function bars(charts: Map<string, Chart>, name: string, labels: string[], values: number[], max?: number): void {
  charts.get(name)?.destroy();
  const canvas = document.querySelector<HTMLCanvasElement>(`canvas[data-chart=${name}]`)!;
  charts.set(
    name,
    new Chart(canvas, {
      type: 'bar',
      data: { labels, datasets: [{ data: values, backgroundColor: '#0b4f8a' }] },
      options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ...(max ? { max } : {}) } } },
    }),
  );
}

/** One view of the report as CSV (src/lib/report/csv.ts). */
function csvOf(report: Report, view: string): string {
  if (view === 'groups') return groupsCsv(report.groups);
  if (view === 'gain') return gainCsv(report.gain);
  if (view === 'learners') return learnersCsv(report.learners);
  if (view === 'questions') return questionsCsv(report.questions);
  return toCsv(report.timeline, ['day', 'completions']);
}

/** Save a CSV file through a temporary link. */
function download(name: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/** This site's catalogue in the page's language; undefined (IRIs shown) when it cannot be read. */
async function loadCatalogue(url: string): Promise<Catalogue | undefined> {
  try {
    const response = await fetch(url, { credentials: 'omit' });
    if (!response.ok) throw new Error(String(response.status));
    return (await response.json()) as Catalogue;
  } catch {
    return undefined;
  }
}

/** This site's verifier, from its published keys; null (all self-reported) when they cannot be read. */
async function loadVerifier(siteEndpoint: URL): Promise<{ verify: Verifier | null; problem: string }> {
  try {
    return { verify: createVerifier(await fetchJwks(new URL(JWKS_PATH, siteEndpoint).href), siteEndpoint.origin), problem: '' };
  } catch (error) {
    return { verify: null, problem: error instanceof Error ? error.message : String(error) };
  }
}
