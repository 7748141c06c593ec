/**
 * `npm run bench:hostile [-- --bodies 24] [--rate 50] [--seconds 8] [--postgres URL]`
 *
 * The LRS's brakes, measured on the real server process (scripts/lrs-process.ts) serving a
 * small site of its own (one 85 KB page, like a lesson):
 *
 * (a) memory: the process's peak RSS (VmHWM of /proc/PID/status, Linux) while `--bodies`
 *     concurrent maximum-size (1 MiB, BODY_LIMIT of src/lrs/app.ts) hostile bodies arrive, in
 *     three rounds: arrays nested to the full size posted as statements, objects nested to the
 *     full size posted into a State document, and nested arrays as the content of an
 *     alternate-syntax form. Target: under 300 MB (issue 12). Then, on a fresh process, the same
 *     with valid maximum-size bodies (a batch of ~7,500 statements, a flat 1 MiB document),
 *     printed without a target.
 * (b) latency: the median latency of GET of the static page (sequential, keep-alive) while
 *     `--rate` wrong passwords a second arrive from one address, as a ratio to the median without
 *     them, measured in alternating seconds so that other load on the machine weighs on both.
 *     Target: under 2. The same again with the wrong passwords spread over 50 loopback
 *     addresses and random keys (a distributed guesser), printed beside it without a target.
 *
 * Prints each figure beside its target; exits 1 when a target is missed.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLrs } from '../scripts/lrs-process.ts';
import type { LrsProcess } from '../scripts/lrs-process.ts';

const USAGE = `usage: npm run bench:hostile [-- options]

Starts the LRS server process and measures, beside the targets of issue 12:
  (a) peak RSS under concurrent maximum-size hostile bodies (target < 300 MB)
  (b) median latency of a static page while wrong passwords arrive, as a ratio
      to the latency without them (target < 2)

options:
  --bodies N       concurrent 1 MiB bodies per round (default 24)
  --rate N         wrong passwords per second (default 50)
  --seconds N      length of each latency measurement in seconds (default 8)
  --postgres URL   run the LRS on this PostgreSQL database instead of a fresh SQLite file
  --help           print this and exit`;

interface Options {
  bodies: number;
  rate: number;
  seconds: number;
  postgres: string | undefined;
}

/** Parse the command line; undefined after printing usage or a one-line error. */
function readOptions(argv: string[]): Options | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        bodies: { type: 'string' },
        rate: { type: 'string' },
        seconds: { type: 'string' },
        postgres: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    console.error(`bench:hostile: ${(error as Error).message} (see --help)`);
    process.exitCode = 2;
    return undefined;
  }
  if (values.help === true) {
    console.log(USAGE);
    return undefined;
  }
  const positive = (name: 'bodies' | 'rate' | 'seconds', fallback: number): number | undefined => {
    const text = values[name];
    if (text === undefined) {
      return fallback;
    }
    if (!/^[1-9]\d*$/.test(text)) {
      console.error(`bench:hostile: --${name} must be a positive integer, not ${JSON.stringify(text)}`);
      process.exitCode = 2;
      return undefined;
    }
    return Number(text);
  };
  const bodies = positive('bodies', 24);
  const rate = positive('rate', 50);
  const seconds = positive('seconds', 8);
  if (bodies === undefined || rate === undefined || seconds === undefined) {
    return undefined;
  }
  return { bodies, rate, seconds, postgres: values.postgres };
}

const MIB = 1024 * 1024;
const XAPI = { 'x-experience-api-version': '1.0.3' };
const ADMIN = { key: 'bench-admin', secret: 'bench-admin-secret' };
const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

interface Answer {
  status: number;
  ms: number;
}

/** One HTTP request; resolves with the status (0 when the connection failed) and the time taken. */
function send(
  origin: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer; localAddress?: string; agent?: Agent | false } = {},
): Promise<Answer> {
  const start = performance.now();
  return new Promise((done) => {
    const req = request(
      `${origin}${path}`,
      {
        method: options.method ?? 'GET',
        headers: { ...options.headers, ...(options.body === undefined ? {} : { 'content-length': String(options.body.length) }) },
        agent: options.agent ?? keepAlive,
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      },
      (res) => {
        res.resume();
        res.on('end', () => done({ status: res.statusCode ?? 0, ms: performance.now() - start }));
        res.on('error', () => done({ status: 0, ms: performance.now() - start }));
      },
    );
    req.on('error', () => done({ status: 0, ms: performance.now() - start }));
    req.end(options.body);
  });
}

/** Peak and current resident set of a process, in MB (Linux /proc). */
function memory(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const read = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return { peak: read('VmHWM'), now: read('VmRSS') };
}

/** Bodies of exactly `bytes` bytes: arrays nested as deep as they fit. */
function nestedArrays(bytes: number): Buffer {
  const depth = Math.floor(bytes / 2);
  return Buffer.from('['.repeat(depth) + ']'.repeat(depth));
}

/** Objects {"a":{"a":...}} nested as deep as they fit in `bytes`. */
function nestedObjects(bytes: number): Buffer {
  const depth = Math.floor((bytes - 2) / 6);
  return Buffer.from('{"a":'.repeat(depth) + '{}' + '}'.repeat(depth));
}

/** A JSON array of small statements filling `bytes`. */
function manyStatements(bytes: number): Buffer {
  const one = JSON.stringify({
    actor: { mbox: 'mailto:bench@example.org' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
    object: { id: 'https://example.org/a' },
  });
  const count = Math.floor((bytes - 2) / (one.length + 1));
  return Buffer.from(`[${Array.from({ length: count }, () => one).join(',')}]`);
}

/** A JSON object of many short members filling `bytes` (a large, flat, valid document). */
function flatDocument(bytes: number): Buffer {
  const count = Math.floor((bytes - 2) / 20);
  return Buffer.from(`{${Array.from({ length: count }, (_, index) => `"k${String(index).padStart(7, '0')}":"value!"`).join(',')}}`);
}

const AUTHORIZATION = `Basic ${Buffer.from(`${ADMIN.key}:${ADMIN.secret}`).toString('base64')}`;
const STATE = `/xapi/activities/state?activityId=${encodeURIComponent('https://example.org/a')}&agent=${encodeURIComponent('{"mbox":"mailto:bench@example.org"}')}&stateId=s`;

/** The alternate request syntax's form carrying nested arrays as the content of a statement PUT, 1 MiB. */
function nestedForm(bytes: number): Buffer {
  const head = new URLSearchParams({
    Authorization: AUTHORIZATION,
    'X-Experience-API-Version': '1.0.3',
    statementId: '6f1d9a4e-2b7c-4d8e-9f0a-1b2c3d4e5f60',
  }).toString();
  const depth = Math.floor((bytes - head.length - 9) / 6);
  return Buffer.from(`${head}&content=${'%5B'.repeat(depth)}${'%5D'.repeat(depth)}`);
}

/** One round: `bodies` concurrent requests of one kind. */
type Round = [name: string, method: string, path: string, body: Buffer, contentType: string];

/** Hostile bodies, refused: the figure issue 12 sets a target for. */
const HOSTILE: Round[] = [
  ['nested arrays -> POST statements', 'POST', '/xapi/statements', nestedArrays(MIB), 'application/json'],
  ['nested objects -> POST State', 'POST', STATE, nestedObjects(MIB), 'application/json'],
  [
    'nested arrays in an alternate-syntax form',
    'POST',
    '/xapi/statements?method=PUT',
    nestedForm(MIB),
    'application/x-www-form-urlencoded',
  ],
];
/** Valid bodies of the largest size, accepted: what honest but heavy clients cost. */
const VALID: Round[] = [
  ['1 MiB of statements -> POST statements', 'POST', '/xapi/statements', manyStatements(MIB), 'application/json'],
  ['a flat 1 MiB JSON document -> PUT State', 'PUT', STATE, flatDocument(MIB), 'application/json'],
];

async function memoryRounds(lrs: LrsProcess, bodies: number, rounds: Round[]): Promise<{ before: number; peak: number; rounds: string[] }> {
  const pid = lrs.child.pid!;
  // Warm the credential cache, so every round measures bodies and not scrypt.
  await send(lrs.origin, '/xapi/statements?limit=1', { headers: { ...XAPI, authorization: AUTHORIZATION } });
  const before = memory(pid).now;
  const lines: string[] = [];
  for (const [name, method, path, body, contentType] of rounds) {
    const headers = { ...XAPI, authorization: AUTHORIZATION, 'content-type': contentType };
    // A fresh connection each: 24 clients, not 24 requests queued on one socket.
    const answers = await Promise.all(
      Array.from({ length: bodies }, () => send(lrs.origin, path, { method, headers, body, agent: false })),
    );
    const statuses = [...new Set(answers.map((answer) => answer.status))].join('/');
    lines.push(
      `  ${name.padEnd(40)} ${bodies} x ${(body.length / MIB).toFixed(2)} MiB: status ${statuses}, peak so far ${memory(pid).peak.toFixed(0)} MB`,
    );
  }
  return { before, peak: memory(pid).peak, rounds: lines };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Sequential GETs of the page for `seconds`, each latency in ms added to `times`. */
async function pageLatency(origin: string, seconds: number, times: number[]): Promise<void> {
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const answer = await send(origin, '/en/page/');
    if (answer.status !== 200) {
      throw new Error(`the static page answered ${answer.status}`);
    }
    times.push(answer.ms);
    await new Promise((wait) => setTimeout(wait, 20));
  }
}

/** Send `rate` wrong passwords a second until stopped; counts answers by status. */
function guesser(origin: string, rate: number, spread: boolean): { stop(): Promise<Map<number, number>> } {
  const counts = new Map<number, number>();
  const pending = new Set<Promise<void>>();
  let sent = 0;
  const timer = setInterval(() => {
    const key = spread ? randomBytes(9).toString('base64url') : 'site';
    const authorization = `Basic ${Buffer.from(`${key}:${randomBytes(12).toString('base64url')}`).toString('base64')}`;
    const localAddress = spread ? `127.0.0.${2 + (sent % 50)}` : undefined;
    sent += 1;
    const attempt = send(origin, '/xapi/statements', {
      headers: { ...XAPI, authorization },
      agent: false,
      ...(localAddress === undefined ? {} : { localAddress }),
    }).then(({ status }) => {
      counts.set(status, (counts.get(status) ?? 0) + 1);
    });
    pending.add(attempt);
    void attempt.finally(() => pending.delete(attempt));
  }, 1000 / rate);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(pending);
      return counts;
    },
  };
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  if (options === undefined) {
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'bench-hostile-'));
  const site = join(work, 'site');
  // An 85 KB page, about the size of a lesson's HTML.
  const paragraph = '<p>The Convention on the Protection and Promotion of the Diversity of Cultural Expressions.</p>\n';
  const page = join(site, 'en', 'page');
  mkdirSync(page, { recursive: true });
  writeFileSync(
    join(page, 'index.html'),
    `<!doctype html><html lang="en"><title>page</title><main>${paragraph.repeat(Math.ceil(85_000 / paragraph.length))}</main></html>`,
  );
  const env: Record<string, string> = {
    SITE_ROOT: site,
    LRS_ADMIN_KEY: ADMIN.key,
    LRS_ADMIN_SECRET: ADMIN.secret,
    ...(options.postgres === undefined ? { LRS_DB_PATH: join(work, 'lrs.sqlite') } : { LRS_DATABASE_URL: options.postgres }),
  };
  let failed = false;
  const report = (label: string, value: string, target: string, ok: boolean): void => {
    failed ||= !ok;
    console.log(`${label.padEnd(58)} ${value.padStart(12)}   target ${target.padEnd(10)} ${ok ? 'ok' : 'MISSED'}`);
  };

  let lrs = await startLrs(env);
  try {
    const { before, peak, rounds } = await memoryRounds(lrs, options.bodies, HOSTILE);
    console.log(`(a) ${options.bodies} concurrent maximum-size hostile bodies (RSS before: ${before.toFixed(0)} MB)`);
    rounds.forEach((line) => console.log(line));
    report('peak RSS of the LRS process, hostile bodies', `${peak.toFixed(0)} MB`, '< 300 MB', peak < 300);
  } finally {
    await lrs.stop();
  }
  lrs = await startLrs(env);
  try {
    const { before, peak, rounds } = await memoryRounds(lrs, options.bodies, VALID);
    console.log(`    ${options.bodies} concurrent maximum-size valid bodies, on a fresh process (RSS before: ${before.toFixed(0)} MB)`);
    rounds.forEach((line) => console.log(line));
    console.log(
      `${'peak RSS of the LRS process, valid bodies'.padEnd(58)} ${`${peak.toFixed(0)} MB`.padStart(12)}   (no target: issue 12 sets it for hostile bodies)`,
    );
  } finally {
    await lrs.stop();
  }

  console.log(
    `(b) static page latency while ${options.rate} wrong passwords a second arrive, ${options.seconds} s with and ${options.seconds} s without, in alternating seconds (other load on the machine then weighs on both alike)`,
  );
  for (const spread of [false, true]) {
    // A fresh process each time: no caches, heap or counters left from before.
    lrs = await startLrs(env);
    try {
      await pageLatency(lrs.origin, 1, []);
      const calm: number[] = [];
      const busy: number[] = [];
      const counts = new Map<number, number>();
      for (let second = 0; second < options.seconds; second += 1) {
        await pageLatency(lrs.origin, 1, calm);
        const attack = guesser(lrs.origin, options.rate, spread);
        await pageLatency(lrs.origin, 1, busy);
        for (const [status, count] of await attack.stop()) {
          counts.set(status, (counts.get(status) ?? 0) + count);
        }
      }
      const answered = [...counts]
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${count} x ${status}`)
        .join(', ');
      const who = spread ? 'from 50 addresses, random keys' : 'from one address, one key';
      console.log(
        `  guesses ${who}: median ${median(busy).toFixed(2)} ms (${busy.length} requests) against ${median(calm).toFixed(2)} ms without (${calm.length}); guesses answered ${answered}`,
      );
      const ratio = median(busy) / median(calm);
      if (spread) {
        console.log(
          `${`latency ratio, guesses ${who}`.padEnd(58)} ${ratio.toFixed(2).padStart(12)}   (no target: issue 12 measures one client)`,
        );
      } else {
        report(`latency ratio, guesses ${who}`, ratio.toFixed(2), '< 2', ratio < 2);
      }
    } finally {
      await lrs.stop();
    }
  }
  keepAlive.destroy();
  rmSync(work, { recursive: true, force: true });
  process.exitCode = failed ? 1 : 0;
}

await main();
