import { parseArgs } from 'node:util';
import { ReportBuilder } from '../src/lib/report/aggregate.ts';
import { groupsCsv } from '../src/lib/report/csv.ts';
import { readStatements } from '../src/lib/report/fetch.ts';

// `npm run report -- --endpoint URL --since DATE [--until DATE] [--format csv|json]`: the
// completion report of the review page, from the command line, for monthly reporting. The read
// credential comes from LRS_READ_KEY and LRS_READ_SECRET. CSV gives the groups view; JSON the
// whole report. The same aggregation code as the page (src/lib/report/aggregate.ts).

const usage = 'usage: npm run report -- --endpoint URL --since DATE [--until DATE] [--format csv|json]';
const { values } = parseArgs({
  options: { endpoint: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, format: { type: 'string', default: 'csv' } },
});
const key = process.env['LRS_READ_KEY'];
const secret = process.env['LRS_READ_SECRET'];
if (!values.endpoint || !values.since || !['csv', 'json'].includes(values.format ?? '')) {
  console.error(usage);
  process.exit(2);
}
if (!key || !secret) {
  console.error('Set LRS_READ_KEY and LRS_READ_SECRET to a credential that can read statements.');
  process.exit(2);
}
const since = new Date(values.since);
if (Number.isNaN(since.getTime())) {
  console.error(`--since "${values.since}" is not a date (use e.g. 2026-11-01)`);
  process.exit(2);
}
const query: Record<string, string> = { since: since.toISOString() };
if (values.until) query['until'] = new Date(values.until).toISOString();

const builder = new ReportBuilder();
try {
  for await (const s of readStatements({ endpoint: values.endpoint, key, secret }, query, { onPage: (n) => process.stderr.write(`\r${n} statements read`) })) builder.add(s);
} catch (error) {
  console.error(`\n${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
process.stderr.write('\n');
const report = builder.result();
process.stdout.write(values.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : groupsCsv(report.groups));
