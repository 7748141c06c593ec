/**
 * `npm run conformance [-- --database URL] [--grep PATTERN]`: run ADL's LRS conformance test
 * suite (xAPI 1.0.3, 1,365 tests) against this project's LRS.
 *
 * The suite is not part of this project (none of its code is ever copied here): get it beside
 * the project, install its dependencies, then run this script:
 *
 *     git clone https://github.com/adlnet/lrs-conformance-test-suite ../lrs-conformance-test-suite
 *     (cd ../lrs-conformance-test-suite && npm install)
 *     npm run conformance                                   # a fresh SQLite database
 *     npm run conformance -- --database postgres://lrs:lrs@127.0.0.1:5432/lrs_conformance
 *
 * Where the suite is looked for: $LRS_CONFORMANCE_SUITE, ../lrs-conformance-test-suite,
 * ../conformance/lrs-conformance-test-suite. The script starts the LRS (src/lrs/server.ts) on a
 * free port of 127.0.0.1 with a fresh SQLite file (or the PostgreSQL database given, which
 * should be empty: the suite's statements are never voided) and a credential with scope "all",
 * runs the suite, prints passed / total and every failing test with its error, and exits 1 when
 * a test failed, 2 when the suite or the LRS could not be run.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readCommandLine } from './cli.ts';
import { startLrs } from './lrs-process.ts';
import type { LrsProcess } from './lrs-process.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = readCommandLine(
  {
    name: 'npm run conformance',
    usage: `usage: npm run conformance [-- --database URL] [--grep PATTERN]

Runs ADL's LRS conformance test suite (xAPI 1.0.3, 1,365 tests) against this LRS, started on a
free port of 127.0.0.1, and prints passed / total and each failing test. The suite is looked for
in $LRS_CONFORMANCE_SUITE, ../lrs-conformance-test-suite, ../conformance/lrs-conformance-test-suite.
Exit code: 0 all passed, 1 a test failed, 2 the suite or the LRS could not be run.

options:
  --database URL     an empty PostgreSQL database, e.g. postgres://lrs:lrs@127.0.0.1:5432/lrs_conformance,
                     or a SQLite file path (default: a fresh SQLite file)
  --grep PATTERN     run only the tests whose names match (the suite's mocha --grep)
  --help             print this and exit`,
  },
  { options: { database: { type: 'string' }, grep: { type: 'string' } } },
);

const candidates = [process.env['LRS_CONFORMANCE_SUITE'], '../lrs-conformance-test-suite', '../conformance/lrs-conformance-test-suite']
  .filter((path): path is string => path !== undefined && path !== '')
  .map((path) => resolve(root, path));
const suite = candidates.find((path) => existsSync(join(path, 'bin', 'console_runner.js')));
if (suite === undefined) {
  console.error(`ADL's LRS conformance test suite was not found; looked in:\n  ${candidates.join('\n  ')}
Get it beside the project (it is not part of it):
  git clone https://github.com/adlnet/lrs-conformance-test-suite ${resolve(root, '../lrs-conformance-test-suite')}
  (cd ${resolve(root, '../lrs-conformance-test-suite')} && npm install)
or set LRS_CONFORMANCE_SUITE to where it is.`);
  process.exit(2);
}
if (!existsSync(join(suite, 'node_modules'))) {
  console.error(`The suite at ${suite} has no node_modules: run (cd ${suite} && npm install)`);
  process.exit(2);
}

const admin = { key: 'conformance', secret: `conformance-${process.pid}-${Date.now()}` };
const scratch = mkdtempSync(join(tmpdir(), 'lrs-conformance-'));
const database = values.database ?? join(scratch, 'lrs.sqlite');
let status = 2;
let lrs: LrsProcess | undefined;
try {
  lrs = await startLrs(
    {
      ...(database.startsWith('postgres') ? { LRS_DATABASE_URL: database } : { LRS_DB_PATH: database, LRS_DATABASE_URL: '' }),
      LRS_ADMIN_KEY: admin.key,
      LRS_ADMIN_SECRET: admin.secret,
    },
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const endpoint = `${lrs.origin}/xapi`;
  console.log(
    `conformance: ADL suite at ${suite}\nconformance: LRS at ${endpoint} on ${database.startsWith('postgres') ? 'PostgreSQL' : `SQLite ${database}`}`,
  );
  const before = new Set(logs(suite));
  const args = ['bin/console_runner.js', '-e', endpoint, '-a', '-u', admin.key, '-p', admin.secret, '-x', '1.0.3', '-z'];
  if (values.grep !== undefined) {
    args.push('-g', values.grep);
  }
  await run(process.execPath, args, suite);
  const log = logs(suite).find((name) => !before.has(name));
  if (log === undefined) {
    throw new Error('the suite wrote no log');
  }
  status = report(JSON.parse(readFileSync(join(suite, 'logs', log), 'utf8')) as RunLog, join(suite, 'logs', log));
} catch (error) {
  console.error(`conformance: ${(error as Error).message}`);
} finally {
  await lrs?.stop();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(status);

interface LogNode {
  title?: string;
  status?: string;
  error?: string;
  tests?: LogNode[];
  suites?: LogNode[];
}
interface RunLog {
  summary: { total: number; passed: number; failed: number };
  /** Only the failing tests (-z); absent when none failed. */
  log?: LogNode;
}

/** Print the totals and each failing test; returns the exit status. */
function report(run: RunLog, path: string): number {
  const failures: string[] = [];
  const walk = (node: LogNode, trail: string[]): void => {
    const children = [...(node.suites ?? []), ...(node.tests ?? [])];
    if (children.length === 0 && node.status === 'failed') {
      failures.push(`- ${trail.join(' > ')}\n    ${String(node.error ?? '').split('\n')[0]}`);
    }
    for (const child of children) {
      walk(child, [...trail, child.title ?? '']);
    }
  };
  if (run.log !== undefined) {
    walk(run.log, []);
  }
  const { total, passed, failed } = run.summary;
  console.log(
    `${failures.length === 0 ? '' : `failing tests:\n${failures.join('\n')}\n`}conformance: ${passed} / ${total} passed, ${failed} failed (full log: ${path})`,
  );
  return failed === 0 && failures.length === 0 ? 0 : 1;
}

function logs(suitePath: string): string[] {
  const folder = join(suitePath, 'logs');
  return existsSync(folder)
    ? readdirSync(folder)
        .filter((name) => name.endsWith('.log'))
        .sort((a, b) => statSync(join(folder, b)).mtimeMs - statSync(join(folder, a)).mtimeMs)
    : [];
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', fail);
    child.on('exit', () => done());
  });
}
