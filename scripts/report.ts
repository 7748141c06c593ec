import { languages, type Language } from '../src/i18n/languages.ts';
import { ReportBuilder } from '../src/lib/report/aggregate.ts';
import { readCatalogue } from '../src/lib/report/catalogue-files.ts';
import { gainCsv, groupsCsv, learnersCsv } from '../src/lib/report/csv.ts';
import { readStatementsWithAttachments } from '../src/lib/report/fetch.ts';
import { JWKS_PATH, createVerifier, fetchJwks, needsVerification, type Verifier } from '../src/lib/report/verify.ts';
import { readCommandLine, usageError } from './cli.ts';

// `npm run report -- --endpoint URL --since DATE [--until DATE] [--format csv|json]
//   [--view groups|learners|gain] [--lang en|fr|es] [--include-self-reported] [--jwks URL]`:
// the completion report of the review page, from the command line, for monthly reporting. The
// read credential comes from LRS_READ_KEY and LRS_READ_SECRET. Completions count only when
// verified against the site's published keys (--jwks, default the endpoint's origin +
// /.well-known/jwks.json) unless --include-self-reported. Names come from the content files
// (CONTENT_DIR, default ./content) in --lang. CSV gives the groups view (or --view learners, with
// a verification column, or --view gain, the learning gain per cohort and module); JSON the whole
// report, with its `gain` rows. Same code as the page (src/lib/report/).

const command = {
  name: 'npm run report',
  usage: `usage: npm run report -- --endpoint URL --since DATE [options]

The completion report of the review page, from any LRS: CSV (the groups view, the learners
view, or the learning gain per cohort and module) or JSON (the whole report) on stdout. The
read credential comes from LRS_READ_KEY and LRS_READ_SECRET; names from the content files
(CONTENT_DIR, default ./content).

options:
  --endpoint URL              the LRS's xAPI endpoint, e.g. https://lrs.example/xapi/ (required)
  --since DATE                statements stored after this date, e.g. 2026-11-01 (required)
  --until DATE                and at or before this date
  --format csv|json           default csv
  --view groups|learners|gain the CSV's view, default groups; gain: learners with both a
                              pre-test and a later final assessment (verified), mean scores
                              and Hake's normalized gain per module and cohort
  --lang ${languages.join('|')}             language of module and question names, default en
  --include-self-reported     count completions that are not signed by the site
  --jwks URL                  the site's public keys, default the endpoint's origin + ${JWKS_PATH}
  --help                      print this and exit`,
};
const { values } = readCommandLine(command, {
  options: {
    endpoint: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    format: { type: 'string', default: 'csv' },
    view: { type: 'string', default: 'groups' },
    lang: { type: 'string', default: 'en' },
    'include-self-reported': { type: 'boolean', default: false },
    jwks: { type: 'string' },
  },
});
const fail = (message: string, code = 2): never => {
  if (code === 2) {
    usageError(command, message);
  }
  console.error(message);
  process.exit(code);
};
const key = process.env['LRS_READ_KEY'];
const secret = process.env['LRS_READ_SECRET'];
if (!values.endpoint) fail('--endpoint URL is required, e.g. --endpoint https://lrs.example/xapi/');
if (!values.since) fail('--since DATE is required, e.g. --since 2026-11-01');
if (!['csv', 'json'].includes(values.format)) fail(`--format must be csv or json, not "${values.format}"`);
if (!['groups', 'learners', 'gain'].includes(values.view)) fail(`--view must be groups, learners or gain, not "${values.view}"`);
try {
  new URL(values.endpoint!);
} catch {
  fail(`--endpoint must be an http(s) URL such as https://lrs.example/xapi/, not "${values.endpoint}"`);
}
if (!languages.includes(values.lang as Language)) fail(`--lang must be one of ${languages.join(', ')}, not "${values.lang}"`);
const since = new Date(values.since!);
if (Number.isNaN(since.getTime())) fail(`--since "${values.since}" is not a date (use e.g. 2026-11-01)`);
const query: Record<string, string> = { since: since.toISOString() };
if (values.until) {
  const until = new Date(values.until);
  if (Number.isNaN(until.getTime())) fail(`--until "${values.until}" is not a date (use e.g. 2026-11-30)`);
  query['until'] = until.toISOString();
}
if (!key || !secret) fail('set LRS_READ_KEY and LRS_READ_SECRET to a credential that can read statements');

const jwksUrl = values.jwks ?? new URL(JWKS_PATH, values.endpoint).href;
let verify: Verifier | null = null;
try {
  verify = createVerifier(await fetchJwks(jwksUrl), new URL(jwksUrl).origin);
} catch (error) {
  console.error(
    `The site's signing keys could not be read (${error instanceof Error ? error.message : String(error)}): every completion counts as self-reported.`,
  );
}
const catalogue = readCatalogue(
  values.lang as Language,
  process.env['CONTENT_DIR'] ?? './content',
  process.env['PUBLIC_XAPI_ACTIVITY_BASE'],
);
const builder = new ReportBuilder({}, { catalogue });
try {
  for await (const { statement, parts } of readStatementsWithAttachments(
    { endpoint: values.endpoint!, key: key!, secret: secret! },
    query,
    { onPage: (n) => process.stderr.write(`\r${n} statements read`) },
  )) {
    builder.add(statement, needsVerification(statement) && verify ? (await verify(statement, parts)).status : undefined);
  }
} catch (error) {
  fail(`\n${error instanceof Error ? error.message : String(error)}`, 1);
}
process.stderr.write('\n');
const report = builder.result(values['include-self-reported']);
const csv =
  values.view === 'learners' ? learnersCsv(report.learners) : values.view === 'gain' ? gainCsv(report.gain) : groupsCsv(report.groups);
process.stdout.write(values.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : csv);
