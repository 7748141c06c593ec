import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { ensureChromium } from './chromium.ts';

// `npm test`: the type check, the format check and the linter, then every test runner in turn
// (vitest for unit and LRS tests, then a fresh build and Playwright against it), then one plain line "N passed, N failed, N skipped" totalled over
// all of them. Exits non-zero when anything failed or a runner could not run.

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
let broken = false;
mkdirSync('test-results', { recursive: true });

function run(label: string, command: string, args: string[]): boolean {
  console.log(`\n== ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  return result.status === 0;
}

function readJson(path: string): unknown {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

/** Add the totals of a vitest JSON report (Jest-compatible) to the tally. */
function addVitest(path: string): void {
  const report = readJson(path) as
    { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; success: boolean } | undefined;
  if (!report) {
    broken = true;
    return;
  }
  total.passed += report.numPassedTests;
  total.failed += report.numFailedTests;
  total.skipped += report.numPendingTests + report.numTodoTests;
  if (!report.success && report.numFailedTests === 0) broken = true;
}

// Types first (`astro check` runs with zero errors, docs/stack-notes.md "Type checking"); a type error fails the run.
if (!run('Type check', 'npx', ['astro', 'check'])) broken = true;
// Layout (prettier.config.mjs) and lint rules with zero warnings (eslint.config.js); either failing fails the run.
if (!run('Format check', 'npm', ['run', '--silent', 'format:check'])) broken = true;
if (!run('Lint', 'npm', ['run', '--silent', 'lint'])) broken = true;

// Vitest's JSON reporter (Jest-compatible totals). The first run uses SQLite for the LRS tests.
let postgresUrl = process.env['LRS_TEST_DATABASE_URL'];
delete process.env['LRS_TEST_DATABASE_URL'];
run('Unit and LRS tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=test-results/unit.json']);
addVitest('test-results/unit.json');

// The LRS tests again on PostgreSQL (tests/lrs/database.ts reads LRS_TEST_DATABASE_URL): .ci/run
// sets it; otherwise scripts/postgres.sh finds, or as root installs and starts, Debian's postgresql.
if (postgresUrl === undefined || postgresUrl === '') {
  const found = spawnSync('bash', ['scripts/postgres.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  postgresUrl = found.status === 0 ? found.stdout.trim() : undefined;
}
if (postgresUrl === undefined) {
  console.error('\nNo PostgreSQL for the LRS tests (see above): they ran on SQLite only.');
  broken = true;
} else {
  process.env['LRS_TEST_DATABASE_URL'] = postgresUrl;
  run('LRS tests on PostgreSQL', 'npx', [
    'vitest',
    'run',
    'tests/lrs',
    '--reporter=default',
    '--reporter=json',
    '--outputFile=test-results/lrs-postgres.json',
  ]);
  delete process.env['LRS_TEST_DATABASE_URL'];
  addVitest('test-results/lrs-postgres.json');
}

try {
  process.env['CHROMIUM_PATH'] = ensureChromium();
  // The release build, so the PDF files are built and tested too.
  if (!run('Build', 'npm', ['run', 'build:release'])) broken = true;
  else {
    run('Browser tests', 'npx', ['playwright', 'test']);
    const e2e = readJson('test-results/e2e.json') as
      { stats: { expected: number; unexpected: number; flaky: number; skipped: number } } | undefined;
    if (!e2e) broken = true;
    else {
      total.passed += e2e.stats.expected + e2e.stats.flaky;
      total.failed += e2e.stats.unexpected;
      total.skipped += e2e.stats.skipped;
    }
  }
} catch (error) {
  console.error(String(error instanceof Error ? error.message : error));
  broken = true;
}

if (broken) console.log('\nA check failed or a test runner could not run to the end (see above).');
console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 || broken ? 1 : 0);
