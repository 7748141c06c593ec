import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCommandLine } from '../scripts/cli.ts';
import { startLrs } from '../scripts/lrs-process.ts';

const USAGE = `usage: npm run bench:hostile-corpus [-- options]

Starts the LRS server process (a fresh SQLite file, or --postgres) and fires a fixed corpus of
hostile requests at it, grouped by category (issue 12, "Exact data"): invalid UTF-8, lone
surrogates, numbers a double cannot hold, impossible timestamps, prototype keys, deep nesting,
NUL and control characters, bad percent-encoding, and valid but awkward data that must be kept.
Prints one row per category: requests tried, refused with a 4xx that gives its reason, kept
exactly (valid data read back), 5xx, stored wrongly (a defect accepted, or data read back
changed); then the server's peak RSS. Exits 1 when any 5xx or wrong storage is seen.

options:
  --postgres URL   run the LRS on this PostgreSQL database instead of a fresh SQLite file
  --help           print this and exit`;

const ADMIN = { key: 'corpus-admin', secret: 'corpus-admin-secret' };
const AUTH = `Basic ${Buffer.from(`${ADMIN.key}:${ADMIN.secret}`).toString('base64')}`;
const VERSION = { 'x-experience-api-version': '1.0.3' };
const ACTIVITY = 'https://example.org/activities/corpus';
const AGENT = JSON.stringify({ mbox: 'mailto:corpus@example.org' });
const STATE = `/xapi/activities/state?activityId=${encodeURIComponent(ACTIVITY)}&agent=${encodeURIComponent(AGENT)}`;

/** One request of the corpus and what a correct LRS does with it. */
interface Case {
  category: string;
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  contentType?: string;
  body?: string | Buffer;
  /** refuse: a 4xx with a reason; keep: accepted and read back exactly; count: a 2xx whose statements count is checked. */
  expect: 'refuse' | 'keep' | { statements: number };
}

/** A statement's JSON text with extra top-level properties (JSON text) and another actor. */
function statement(extra = '', actor = '{"mbox":"mailto:corpus@example.org"}'): string {
  return `{"actor":${actor},"verb":{"id":"http://adlnet.gov/expapi/verbs/answered","display":{"en-US":"answered"}},"object":{"id":"${ACTIVITY}"}${extra}}`;
}
/** Bytes of `text` with `MARK` replaced by raw bytes. */
function withBytes(text: string, bytes: number[]): Buffer {
  const [before = '', after = ''] = text.split('MARK');
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
}
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const postStatement = (category: string, body: string | Buffer, expect: Case['expect'] = 'refuse'): Case => ({
  category,
  method: 'POST',
  path: '/xapi/statements',
  contentType: 'application/json',
  body,
  expect,
});
const putDocument = (category: string, body: string | Buffer, expect: Case['expect'] = 'refuse', method: 'PUT' | 'POST' = 'PUT'): Case => ({
  category,
  method,
  path: `${STATE}&stateId=${randomUUID()}`,
  contentType: 'application/json',
  body,
  expect,
});
const alternate = (category: string, encodedContent: string): Case => ({
  category,
  method: 'POST',
  path: '/xapi/statements?method=POST',
  contentType: 'application/x-www-form-urlencoded',
  body: `content=${encodedContent}&X-Experience-API-Version=1.0.3&Content-Type=application%2Fjson&Authorization=${encodeURIComponent(AUTH)}`,
  expect: 'refuse',
});
const query = (category: string, search: string, expect: Case['expect'] = 'refuse'): Case => ({
  category,
  method: 'GET',
  path: `/xapi/statements?${search}`,
  expect,
});

const BAD_UTF8 = [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80]];
const INEXACT = ['1e309', '-1e309', '1e-400', '12345678901234567890', '0.10000000000000000001', '9007199254740993'];

const CORPUS: Case[] = [
  ...BAD_UTF8.map((bytes) => postStatement('invalid UTF-8', withBytes(statement(',"result":{"response":"MARK"}'), bytes))),
  ...BAD_UTF8.map((bytes) => putDocument('invalid UTF-8', withBytes('{"a":"MARK"}', bytes))),
  ...BAD_UTF8.map((bytes) =>
    alternate(
      'invalid UTF-8',
      encodeURIComponent(statement(',"result":{"response":"MARK"}')).replace(
        'MARK',
        bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join(''),
      ),
    ),
  ),
  postStatement('lone surrogates', statement('', '{"mbox":"mailto:a\\ud800@example.org"}')),
  postStatement('lone surrogates', statement('', '{"mbox":"mailto:a\\udc00@example.org"}')),
  postStatement('lone surrogates', statement(',"result":{"response":"\\udfff"}')),
  postStatement('lone surrogates', statement(',"result":{"extensions":{"https://example.org/x":{"\\ud83d":1}}}')),
  postStatement('lone surrogates', `[${statement(',"context":{"platform":"x\\ud800"}')}]`),
  putDocument('lone surrogates', '{"a":"\\ud800"}'),
  putDocument('lone surrogates', '{"a":"\\ud800"}', 'refuse', 'POST'),
  query(
    'lone surrogates',
    `agent=${encodeURIComponent('{"mbox":"mailto:a').replace(/$/, '')}%5Cud800${encodeURIComponent('@example.org"}')}`,
  ),
  ...INEXACT.map((number) => postStatement('inexact numbers', statement(`,"result":{"score":{"raw":${number}}}`))),
  ...INEXACT.map((number) => postStatement('inexact numbers', statement(`,"result":{"extensions":{"https://example.org/n":[${number}]}}`))),
  ...INEXACT.map((number) => putDocument('inexact numbers', `{"n":${number}}`)),
  ...INEXACT.map((number) => putDocument('inexact numbers', `{"n":${number}}`, 'refuse', 'POST')),
  ...[
    '10000-01-01T00:00:00Z',
    '+010000-01-01T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '2025-01-01T00:00:00+99:99',
    '2025-01-01T00:00:00-14:00',
    '2025-01-01T00:00:00+14:01',
    '2025-01-01T00:00:00+05:60',
    '2025-01-01T00:00:00-00:00',
    '9999-12-31T23:59:59-12:00',
    '0000-01-01T00:00:00+01:00',
    '2025-02-30T00:00:00Z',
  ].flatMap((timestamp) => [
    postStatement('timestamps', statement(`,"timestamp":"${timestamp}"`)),
    postStatement('timestamps', statement(`,"stored":"${timestamp}"`)),
  ]),
  query('timestamps', 'since=2025-01-01T00%3A00%3A00%2B99%3A99'),
  query('timestamps', 'until=10000-01-01T00%3A00%3A00Z'),
  query('timestamps', `since=${encodeURIComponent('9999-12-31T23:59:59-12:00')}&agent=${encodeURIComponent(AGENT)}`, { statements: 0 }),
  query('timestamps', `since=${encodeURIComponent('0000-01-01T00:00:00+14:00')}&agent=${encodeURIComponent(AGENT)}&limit=1`, {
    statements: 1,
  }),
  query('timestamps', `until=${encodeURIComponent('0000-01-01T00:00:00+14:00')}&agent=${encodeURIComponent(AGENT)}`, { statements: 0 }),
  postStatement(
    'prototype keys',
    statement('').replace('"display":{"en-US":"answered"}', '"display":{"en-US":"answered","__proto__":"x"}'),
  ),
  postStatement('prototype keys', statement(',"result":{"extensions":{"__proto__":{"a":1}}}')),
  postStatement('prototype keys', statement(',"result":{"extensions":{"https://example.org/x":{"__proto__":{"admin":true}}}}')),
  postStatement(
    'prototype keys',
    statement(',"context":{"extensions":{"https://example.org/x":{"constructor":{"prototype":{"admin":true}}}}}'),
  ),
  postStatement('prototype keys', statement('').replace('"object":{', '"object":{"__proto__":{"id":"x"},')),
  putDocument('prototype keys', '{"__proto__":{"admin":true}}'),
  putDocument('prototype keys', '{"__proto__":{"admin":true}}', 'refuse', 'POST'),
  putDocument('prototype keys', '{"constructor":{"prototype":{"admin":true}}}', 'refuse', 'POST'),
  ...[101, 1000, 100_000, 400_000].map((depth) =>
    postStatement('deep nesting', statement(`,"result":{"extensions":{"https://example.org/d":${nested(depth)}}}`)),
  ),
  ...[101, 1000, 100_000, 400_000].map((depth) => putDocument('deep nesting', `{"d":${nested(depth)}}`)),
  ...[101, 100_000].map((depth) => putDocument('deep nesting', `{"d":${nested(depth)}}`, 'refuse', 'POST')),
  { category: 'NUL and controls', method: 'PUT', path: `${STATE}&stateId=a%00b`, contentType: 'text/plain', body: 'x', expect: 'refuse' },
  {
    category: 'NUL and controls',
    method: 'GET',
    path: `/xapi/activities/state?activityId=${encodeURIComponent(ACTIVITY)}%00&agent=${encodeURIComponent(AGENT)}`,
    expect: 'refuse',
  },
  postStatement('NUL and controls', statement('', '{"mbox":"mailto:a\\u0000@example.org"}')),
  postStatement('NUL and controls', statement().replace('verbs/answered"', 'verbs/answered\\u0000"')),
  postStatement('NUL and controls', statement().replace(`${ACTIVITY}"`, `${ACTIVITY}\\u0007"`)),
  query('percent-encoding', 'registration=%FF'),
  query('percent-encoding', 'verb=http%3A%2F%2Fexample.org%2F%ED%A0%80'),
  query('percent-encoding', `agent=%7B%22mbox%22%3A%22mailto%3Aa%C0%AF%40example.org%22%7D`),
  { category: 'percent-encoding', method: 'GET', path: `${STATE}&stateId=%FF%FE`, expect: 'refuse' },
  ...['1.0', '1E2', '-0', '5e-324', '1.7976931348623157e308', '0.30000000000000004', '1e20', '123456789012345678'.slice(0, 15)].map(
    (number) =>
      postStatement(
        'valid but awkward',
        statement(`,"result":{"score":{"raw":${number}},"extensions":{"https://example.org/n":[${number}]}}`),
        'keep',
      ),
  ),
  postStatement('valid but awkward', statement(',"result":{"response":"😀 e\u0301 \u202Eevil \uFEFF \\u0000 </script> İ"}'), 'keep'),
  postStatement('valid but awkward', statement(',"result":{"extensions":{"https://example.org/k":{"k":1,"k":2}}}'), 'keep'),
  postStatement(
    'valid but awkward',
    statement(`,"result":{"extensions":{"https://example.org/d":${'{"d":'.repeat(90)}0${'}'.repeat(90)}}}`),
    'keep',
  ),
  ...[
    '2013-05-18T05:32:34.804+00:00',
    '2025-06-01T00:00:00+14:00',
    '2025-06-01T00:00:00-12:00',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '2025-06-01T00:00:00.123456789+0530',
  ].map((timestamp) => postStatement('valid but awkward', statement(`,"timestamp":"${timestamp}"`), 'keep')),
  putDocument('valid but awkward', '{"a":1.50,"b":1e20,"c":"😀","constructor":1,"k":1,"k":2}', 'keep'),
  {
    category: 'valid but awkward',
    method: 'PUT',
    path: `${STATE}&stateId=${randomUUID()}`,
    contentType: 'application/octet-stream',
    body: Buffer.from([0xff, 0xfe, 0x00, 0xed, 0xa0, 0x80]),
    expect: 'keep',
  },
];

interface Row {
  tried: number;
  refusedWithReason: number;
  keptExactly: number;
  serverErrors: number;
  storedWrongly: number;
  /** 4xx without a reason, or a valid request refused. */
  other: number;
}

/** The JSON value with LRS-set statement properties (Data 2.4.7-2.4.10) set aside. */
function statementBody(value: Record<string, unknown>): { rest: unknown; timestamp: unknown } {
  const { id: _id, stored: _stored, authority: _authority, version: _version, timestamp, ...rest } = value;
  return { rest: JSON.parse(JSON.stringify(rest)) as unknown, timestamp };
}

/** Keys sorted at every level, so that two JSON values compare as text. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sorted);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, child]) => [key, sorted(child)]),
    );
  }
  return value;
}

/** Whether a 'keep' request reads back as sent: statements by value, documents byte for byte. */
async function readsBack(origin: string, test: Case, response: Response): Promise<boolean> {
  const headers = { authorization: AUTH, ...VERSION };
  const body = Buffer.isBuffer(test.body) ? test.body : Buffer.from(test.body ?? '');
  if (test.path.startsWith('/xapi/statements')) {
    const [id] = (await response.json()) as string[];
    const read = await fetch(`${origin}/xapi/statements?statementId=${id}&format=exact`, { headers });
    const stored = (await read.json()) as Record<string, unknown>;
    const sent = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const a = statementBody(stored);
    const b = statementBody(sent);
    const sameTime =
      b.timestamp === undefined ||
      Date.parse(String(a.timestamp)) ===
        Math.trunc(
          Date.parse(
            String(b.timestamp)
              .replace(/(\.\d{3})\d+/, '$1')
              .replace(/([+-]\d{2})(\d{2})$/, '$1:$2'),
          ),
        );
    return sameTime && JSON.stringify(sorted(a.rest)) === JSON.stringify(sorted(b.rest));
  }
  const read = await fetch(`${origin}${test.path}`, { headers });
  return Buffer.from(await read.arrayBuffer()).equals(body);
}

async function main(): Promise<void> {
  const { values } = readCommandLine({ name: 'npm run bench:hostile-corpus', usage: USAGE }, { options: { postgres: { type: 'string' } } });
  const work = mkdtempSync(join(tmpdir(), 'bench-hostile-corpus-'));
  const lrs = await startLrs({
    LRS_ADMIN_KEY: ADMIN.key,
    LRS_ADMIN_SECRET: ADMIN.secret,
    ...(values.postgres === undefined ? { LRS_DB_PATH: join(work, 'lrs.sqlite') } : { LRS_DATABASE_URL: values.postgres }),
  });
  const rows = new Map<string, Row>();
  let failed: boolean;
  try {
    // One statement of the corpus agent first, for the since/until checks.
    await fetch(`${lrs.origin}/xapi/statements`, {
      method: 'POST',
      headers: { authorization: AUTH, ...VERSION, 'content-type': 'application/json' },
      body: statement(),
    });
    for (const test of CORPUS) {
      const row = rows.get(test.category) ?? {
        tried: 0,
        refusedWithReason: 0,
        keptExactly: 0,
        serverErrors: 0,
        storedWrongly: 0,
        other: 0,
      };
      rows.set(test.category, row);
      row.tried += 1;
      const response = await fetch(`${lrs.origin}${test.path}`, {
        method: test.method,
        headers: { authorization: AUTH, ...VERSION, ...(test.contentType === undefined ? {} : { 'content-type': test.contentType }) },
        ...(test.body === undefined ? {} : { body: typeof test.body === 'string' ? test.body : new Uint8Array(test.body) }),
      });
      const status = response.status;
      const what = `${test.category}: ${test.method} ${test.path.slice(0, 80)}`;
      if (status >= 500) {
        row.serverErrors += 1;
        console.error(`5xx ${status} ${what}`);
      } else if (test.expect === 'refuse') {
        if (status >= 400) {
          const message = ((await response.json().catch(() => ({}))) as { message?: string }).message ?? '';
          if (message.trim() !== '') {
            row.refusedWithReason += 1;
          } else {
            row.other += 1;
            console.error(`4xx without a reason: ${what}`);
          }
        } else {
          row.storedWrongly += 1;
          console.error(`accepted (${status}) what must be refused: ${what}`);
        }
      } else if (test.expect === 'keep') {
        if (status >= 200 && status < 300 && (await readsBack(lrs.origin, test, response))) {
          row.keptExactly += 1;
        } else if (status >= 200 && status < 300) {
          row.storedWrongly += 1;
          console.error(`read back changed: ${what}`);
        } else {
          row.other += 1;
          console.error(`valid request refused (${status}): ${what} ${(await response.text()).slice(0, 200)}`);
        }
      } else {
        const found = status === 200 ? ((await response.json()) as { statements: unknown[] }).statements.length : -1;
        if (found === test.expect.statements) {
          row.keptExactly += 1;
        } else {
          row.storedWrongly += 1;
          console.error(`${what}: ${status}, ${found} statements instead of ${test.expect.statements}`);
        }
      }
    }
    const status = readFileSync(`/proc/${lrs.child.pid}/status`, 'utf8');
    const peak = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    const header = ['category', 'requests', '4xx with a reason', 'kept exactly', '5xx', 'stored wrongly', 'other'];
    const widths = [20, 9, 18, 13, 5, 15, 6];
    const line = (cells: Array<string | number>) =>
      `| ${cells.map((cell, index) => String(cell).padEnd(widths[index] ?? 8)).join(' | ')} |`;
    console.log(`hostile corpus against the LRS process (${values.postgres === undefined ? 'SQLite' : 'PostgreSQL'})`);
    console.log(line(header));
    console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
    const total: Row = { tried: 0, refusedWithReason: 0, keptExactly: 0, serverErrors: 0, storedWrongly: 0, other: 0 };
    for (const [category, row] of rows) {
      console.log(line([category, row.tried, row.refusedWithReason, row.keptExactly, row.serverErrors, row.storedWrongly, row.other]));
      for (const key of Object.keys(total) as Array<keyof Row>) {
        total[key] += row[key];
      }
    }
    console.log(
      line(['total', total.tried, total.refusedWithReason, total.keptExactly, total.serverErrors, total.storedWrongly, total.other]),
    );
    console.log(`peak RSS of the LRS process: ${peak.toFixed(0)} MB`);
    failed = total.serverErrors > 0 || total.storedWrongly > 0 || total.other > 0;
  } finally {
    await lrs.stop();
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
