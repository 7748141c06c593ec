/**
 * `npm run bench:lrs [-- --postgres URL] [--sizes 100000,1000000] [--skip-ingest] [--skip-query]`
 *
 * The LRS's throughput and latency, on SQLite and (with --postgres or LRS_BENCH_DATABASE_URL,
 * an empty database that is wiped) on PostgreSQL. Figures are printed; nothing is asserted.
 *
 * Ingest: statements per second over HTTP (the real server process, 4 concurrent clients,
 * keep-alive) for batches of 1, 50 and 500, beside the raw insert rate of the same rows into the
 * same database (the same tables and indexes, the driver called directly in transactions of 100,
 * no HTTP, no validation) measured in the same run. The ratio HTTP / raw is the figure that matters.
 *
 * Query: p50 and p95 latency of GET /xapi/statements filtered by agent, verb, activity,
 * registration and since (default page of 100), at each size (default 100,000 and 1,000,000
 * statements, loaded through the store in batches of 500), 200 requests per filter.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { readCommandLine, usageError } from '../scripts/cli.ts';
import { startLrs } from '../scripts/lrs-process.ts';
import { openDatabase } from '../src/lrs/db/open.ts';
import { indexTerms } from '../src/lrs/statement-index.ts';
import { createStatementStore } from '../src/lrs/store/statements.ts';
import { parseStatementBody } from '../src/lrs/validate.ts';
import type { Statement } from '../src/lrs/validate.ts';

const command = {
  name: 'npm run bench:lrs',
  usage: `usage: npm run bench:lrs [-- options]

LRS ingest over HTTP (batches of 1, 50, 500) beside the raw insert rate, and query p50/p95 at
each size, on SQLite and (with --postgres or LRS_BENCH_DATABASE_URL) PostgreSQL.

options:
  --postgres URL        also on this PostgreSQL database (emptied: use one for benchmarks only)
  --sizes N,N           statement counts for the query part (default 100000,1000000)
  --skip-ingest         leave out the ingest part
  --skip-query          leave out the query part
  --help                print this and exit`,
};
const { values } = readCommandLine(command, {
  options: {
    postgres: { type: 'string' },
    sizes: { type: 'string' },
    'skip-ingest': { type: 'boolean' },
    'skip-query': { type: 'boolean' },
  },
});
const postgres = values.postgres ?? process.env['LRS_BENCH_DATABASE_URL'];
const sizesText = values.sizes ?? '100000,1000000';
if (!/^[1-9]\d*(,[1-9]\d*)*$/.test(sizesText))
  usageError(command, `--sizes must be positive whole numbers separated by commas, not "${sizesText}"`);
const sizes = sizesText.split(',').map(Number);
const WRITE = { key: 'bench-site', secret: 'bench-write-secret' };
const READ = { key: 'bench-reader', secret: 'bench-read-secret' };
const CLIENTS = 4;

// ~1.2 KB statements like the site's: a learner answering a question, with context and result.
const LEARNERS = 2_000;
const VERBS = ['answered', 'completed', 'passed', 'failed', 'experienced', 'attempted', 'progressed', 'attended'];
const ACTIVITIES = 600;
const REGISTRATIONS = Array.from({ length: 300 }, () => randomUUID());

function statement(index: number): Record<string, unknown> {
  const learner = index % LEARNERS;
  const activity = (index * 7) % ACTIVITIES;
  const module = activity % 6;
  return {
    id: randomUUID(),
    actor: {
      objectType: 'Agent',
      name: `Learner ${learner}`,
      account: { homePage: 'https://training.example', name: `learner-${learner}` },
    },
    verb: { id: `http://adlnet.gov/expapi/verbs/${VERBS[index % VERBS.length]}`, display: { en: VERBS[index % VERBS.length] } },
    object: {
      objectType: 'Activity',
      id: `https://w3id.org/dce-training/en/modules/m${module + 1}/quiz/q${activity}`,
      definition: {
        name: { en: `Question ${activity}`, fr: `Question ${activity}`, es: `Pregunta ${activity}` },
        type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
        interactionType: 'choice',
        correctResponsesPattern: ['b'],
      },
    },
    result: { success: index % 3 !== 0, response: 'b', score: { scaled: 0.8, raw: 8, min: 0, max: 10 }, duration: 'PT42S' },
    context: {
      registration: REGISTRATIONS[index % REGISTRATIONS.length],
      contextActivities: {
        parent: [{ id: `https://w3id.org/dce-training/en/modules/m${module + 1}/quiz`, objectType: 'Activity' }],
        grouping: [{ id: `https://w3id.org/dce-training/en/modules/m${module + 1}`, objectType: 'Activity' }],
        category: [{ id: 'https://w3id.org/xapi/cmi5/context/categories/cmi5', objectType: 'Activity' }],
      },
      language: 'en',
      platform: 'dce-training site',
      extensions: {
        'https://w3id.org/dce-training/extensions/cohort': 'cohort-2026-11',
        'https://w3id.org/dce-training/extensions/country': 'SN',
      },
    },
    timestamp: new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString(),
  };
}

const databases: Array<{ name: string; fresh: () => Promise<{ location: string; drop: () => Promise<void> }> }> = [
  {
    name: 'SQLite',
    fresh: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lrs-bench-'));
      return { location: join(dir, 'lrs.sqlite'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
];
if (postgres !== undefined && postgres !== '') {
  databases.push({
    name: 'PostgreSQL',
    fresh: async () => {
      await wipe(postgres);
      return { location: postgres, drop: () => wipe(postgres) };
    },
  });
} else {
  console.log('PostgreSQL: not measured (give --postgres URL or LRS_BENCH_DATABASE_URL, e.g. from `bash scripts/postgres.sh`)');
}

console.log(`LRS benchmark, ${new Date().toISOString()}; statement size ${Buffer.byteLength(JSON.stringify(statement(1)))} bytes of JSON`);
for (const database of databases) {
  if (values['skip-ingest'] !== true) {
    await ingest(database);
  }
  if (values['skip-query'] !== true) {
    for (const size of sizes) {
      await query(database, size);
    }
  }
}

async function ingest(database: (typeof databases)[number]): Promise<void> {
  console.log(`\n== Ingest, ${database.name}`);
  const raw = await database.fresh();
  const rawCount = 20_000;
  const rawRate = await rawInsert(raw.location, rawCount);
  await raw.drop();
  console.log(
    `raw insert (driver, transactions of 100${database.name === 'PostgreSQL' ? ', multi-row INSERTs' : ', prepared INSERTs'}): ${format(rawRate)} statements/s (${rawCount} statements)`,
  );
  for (const [batch, count] of [
    [1, 4_000],
    [50, 20_000],
    [500, 40_000],
  ] as const) {
    const target = await database.fresh();
    const server = await startServer(target.location);
    try {
      const rate = await postAll(server.url, batch, count);
      console.log(
        `HTTP POST, batches of ${String(batch).padStart(3)}: ${format(rate)} statements/s (${count} statements, ${CLIENTS} clients) = ${((rate / rawRate) * 100).toFixed(0)}% of raw`,
      );
    } finally {
      await server.stop();
      await target.drop();
    }
  }
}

/** The same rows the store writes, inserted with the driver in transactions of 100. */
async function rawInsert(location: string, count: number): Promise<number> {
  const migrated = await openDatabase(location);
  await migrated.close();
  const stored = new Date().toISOString();
  const rows = Array.from({ length: count }, (_, index) => {
    const [parsed] = parseStatementBody(statement(index)).statements as [Statement];
    const full = {
      ...parsed,
      stored,
      authority: { objectType: 'Agent' as const, account: { homePage: 'https://x', name: 'site' } },
      version: '1.0.0',
    };
    return { full, terms: indexTerms(full) };
  });
  const started = performance.now();
  if (location.startsWith('postgres')) {
    const client = new pg.Client({ connectionString: location });
    await client.connect();
    // Over the network round trips dominate: one multi-row INSERT per table per transaction.
    const values = (rowCount: number, width: number) =>
      Array.from(
        { length: rowCount },
        (_, row) => `(${Array.from({ length: width }, (_, column) => `$${row * width + column + 1}`).join(', ')})`,
      ).join(', ');
    for (let offset = 0; offset < count; offset += 100) {
      const part = rows.slice(offset, offset + 100);
      await client.query('BEGIN');
      const { rows: inserted } = await client.query<{ id: string; seq: string }>(
        `INSERT INTO statements (id, actor_ifi, verb_id, activity_id, registration, ref_id, voiding, voided, stored, timestamp, authority_key, statement)
         VALUES ${values(part.length, 12)} RETURNING id, seq`,
        part.flatMap(({ full, terms }) => [
          full.id,
          terms.actorIfi,
          terms.verbId,
          terms.activityId,
          terms.registration,
          terms.refId,
          0,
          0,
          stored,
          full.timestamp,
          'site',
          JSON.stringify(full),
        ]),
      );
      const seqs = new Map(inserted.map(({ id, seq }) => [id, seq]));
      const agents = part.flatMap(({ full, terms }) =>
        [...terms.agents].map(([ifi, direct]) => [ifi, direct ? 1 : 0, seqs.get(full.id ?? '')]),
      );
      const activities = part.flatMap(({ full, terms }) =>
        [...terms.activities].map(([id, direct]) => [id, direct ? 1 : 0, seqs.get(full.id ?? '')]),
      );
      await client.query(
        `INSERT INTO statement_agents (ifi, direct, seq) VALUES ${values(agents.length, 3)} ON CONFLICT DO NOTHING`,
        agents.flat(),
      );
      await client.query(
        `INSERT INTO statement_activities (activity_id, direct, seq) VALUES ${values(activities.length, 3)} ON CONFLICT DO NOTHING`,
        activities.flat(),
      );
      await client.query('COMMIT');
    }
    await client.end();
  } else {
    const db = new Database(location);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const insert =
      db.prepare(`INSERT INTO statements (id, actor_ifi, verb_id, activity_id, registration, ref_id, voiding, voided, stored, timestamp, authority_key, statement)
      VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, ?, 'site', ?)`);
    const agent = db.prepare('INSERT OR IGNORE INTO statement_agents (ifi, direct, seq) VALUES (?, ?, ?)');
    const activity = db.prepare('INSERT OR IGNORE INTO statement_activities (activity_id, direct, seq) VALUES (?, ?, ?)');
    const transaction = db.transaction((part: typeof rows) => {
      for (const { full, terms } of part) {
        const seq = insert.run(
          full.id,
          terms.actorIfi,
          terms.verbId,
          terms.activityId,
          terms.registration,
          terms.refId,
          stored,
          full.timestamp,
          JSON.stringify(full),
        ).lastInsertRowid;
        for (const [ifi, direct] of terms.agents) agent.run(ifi, direct ? 1 : 0, seq);
        for (const [id, direct] of terms.activities) activity.run(id, direct ? 1 : 0, seq);
      }
    });
    for (let offset = 0; offset < count; offset += 100) {
      transaction(rows.slice(offset, offset + 100));
    }
    db.close();
  }
  return count / ((performance.now() - started) / 1000);
}

async function postAll(url: string, batch: number, count: number): Promise<number> {
  const bodies = Array.from({ length: count / batch }, (_, index) =>
    JSON.stringify(Array.from({ length: batch }, (_, offset) => statement(index * batch + offset))),
  );
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let body = bodies[next++]; body !== undefined; body = bodies[next++]) {
        const response = await fetch(`${url}/xapi/statements`, {
          method: 'POST',
          headers: { authorization: basic(WRITE), 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' },
          body,
        });
        if (response.status !== 200) {
          throw new Error(`POST answered ${response.status}: ${await response.text()}`);
        }
        await response.arrayBuffer();
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function query(database: (typeof databases)[number], size: number): Promise<void> {
  console.log(`\n== Query, ${database.name}, ${format(size)} statements`);
  const target = await database.fresh();
  try {
    const loadStarted = performance.now();
    const lrs = await openDatabase(target.location);
    const store = createStatementStore(lrs);
    const storer = { authority: { objectType: 'Agent' as const, account: { homePage: 'https://x', name: WRITE.key } }, key: WRITE.key };
    const instants: string[] = [];
    for (let offset = 0; offset < size; offset += 500) {
      const batch = Array.from({ length: Math.min(500, size - offset) }, (_, index) => statement(offset + index));
      await store.save(parseStatementBody(batch).statements, storer);
      if (offset % 50_000 === 0) {
        instants.push(new Date().toISOString());
      }
    }
    if (lrs.dialect === 'postgres') {
      await sql`ANALYZE`.execute(lrs.db);
    } else {
      await sql`ANALYZE`.execute(lrs.db);
    }
    await lrs.close();
    console.log(`loaded through the store in ${((performance.now() - loadStarted) / 1000).toFixed(0)} s`);

    const server = await startServer(target.location);
    try {
      const filters: Record<string, () => string> = {
        agent: () =>
          `agent=${encodeURIComponent(JSON.stringify({ account: { homePage: 'https://training.example', name: `learner-${pick(LEARNERS)}` } }))}`,
        verb: () => `verb=${encodeURIComponent(`http://adlnet.gov/expapi/verbs/${VERBS[pick(VERBS.length)]}`)}`,
        activity: () => {
          const activity = pick(ACTIVITIES);
          return `activity=${encodeURIComponent(`https://w3id.org/dce-training/en/modules/m${(activity % 6) + 1}/quiz/q${activity}`)}`;
        },
        registration: () => `registration=${REGISTRATIONS[pick(REGISTRATIONS.length)]}`,
        since: () => `since=${encodeURIComponent(instants[pick(instants.length)] ?? '')}`,
      };
      for (const [name, parameter] of Object.entries(filters)) {
        const times: number[] = [];
        let returned = 0;
        for (let request = 0; request < 220; request += 1) {
          const started = performance.now();
          const response = await fetch(`${server.url}/xapi/statements?${parameter()}`, {
            headers: { authorization: basic(READ), 'x-experience-api-version': '1.0.3' },
          });
          const body = (await response.json()) as { statements: unknown[] };
          if (request >= 20) {
            // the first 20 warm the caches
            times.push(performance.now() - started);
            returned += body.statements.length;
          }
        }
        times.sort((a, b) => a - b);
        console.log(
          `GET statements?${name.padEnd(12)} p50 ${percentile(times, 0.5).toFixed(1).padStart(6)} ms   p95 ${percentile(times, 0.95).toFixed(1).padStart(6)} ms   (${(returned / times.length).toFixed(0)} statements per page)`,
        );
      }
    } finally {
      await server.stop();
    }
  } finally {
    await target.drop();
  }
}

async function startServer(location: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const lrs = await startLrs(
    {
      ...(location.startsWith('postgres') ? { LRS_DATABASE_URL: location } : { LRS_DB_PATH: location, LRS_DATABASE_URL: '' }),
      LRS_WRITE_KEY: WRITE.key,
      LRS_WRITE_SECRET: WRITE.secret,
      LRS_READ_KEY: READ.key,
      LRS_READ_SECRET: READ.secret,
    },
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return { url: lrs.origin, stop: lrs.stop };
}

/** Drop every table of the PostgreSQL database (the benchmark's own, empty one). */
async function wipe(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await client.end();
}

function basic(credential: { key: string; secret: string }): string {
  return `Basic ${Buffer.from(`${credential.key}:${credential.secret}`).toString('base64')}`;
}

function pick(count: number): number {
  return Math.floor(Math.random() * count);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

function format(value: number): string {
  return Math.round(value).toLocaleString('en');
}
