import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { CompactSign, generateKeyPair } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { correctResponse } from '../../src/lib/grading.ts';
import { readStatementsWithAttachments } from '../../src/lib/report/fetch.ts';
import { JWKS_PATH, createVerifier, fetchJwks, needsVerification } from '../../src/lib/report/verify.ts';
import { DEFAULT_PUBLIC_ORIGIN, buildApp } from '../../src/lrs/app.ts';
import type { AppOptions } from '../../src/lrs/app.ts';
import { openDatabase } from '../../src/lrs/db/open.ts';
import { loadFinalAssessments } from '../../src/lrs/final-assessments.ts';
import { loadConfig } from '../../src/lrs/server.ts';
import { SIGNATURE_USAGE_TYPE } from '../../src/lrs/signature.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { ADMIN, READ, SITE_ORIGIN, WRITE, answeredStatement, basic, writeHeaders } from './helper.ts';

// Forwarding for real: two LRS apps on real ports, the second the other LRS the first forwards
// to (src/lrs/forward.ts), on SQLite or, under LRS_TEST_DATABASE_URL, PostgreSQL.

const timing = { pollMs: 50, baseDelayMs: 100, maxDelayMs: 400 };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An LRS app over `db`, listening on 127.0.0.1:`port` (0: any free port). */
async function start(db: TestDatabase, port: number, extra: Partial<AppOptions> = {}): Promise<{ app: FastifyInstance; port: number }> {
  const app = buildApp({
    database: db.location,
    credentials: { write: WRITE, read: READ, admin: ADMIN },
    corsOrigins: [SITE_ORIGIN],
    ...extra,
  });
  await app.listen({ host: '127.0.0.1', port });
  return { app, port: (app.server.address() as AddressInfo).port };
}

/** The site's database: SQLite, or PostgreSQL under LRS_TEST_DATABASE_URL. */
async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return db;
}

/** The other LRS's database: always a SQLite file (what runs there is not under test). */
function otherDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'lrs-forward-target-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return { location: join(dir, 'lrs.sqlite'), drop: async () => undefined };
}

/** The statement ids the LRS at `port` holds, read over HTTP. */
async function idsAt(port: number): Promise<string[]> {
  const response = await fetch(`http://127.0.0.1:${port}/xapi/statements?limit=500`, {
    headers: { Authorization: basic(READ), 'X-Experience-API-Version': '1.0.3' },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { statements: Array<{ id: string }> }).statements.map((s) => s.id);
}

async function post(port: number, body: unknown): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/xapi/statements`, { method: 'POST', headers: writeHeaders, body: JSON.stringify(body) });
}

/** Rows waiting in the forwarding queue of a database, read beside the running app. */
async function queued(db: TestDatabase): Promise<number> {
  const open = await openDatabase(db.location);
  try {
    const row = await open.db
      .selectFrom('forward_queue')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('rejected', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await open.close();
  }
}

// Each test starts up to three servers on a shared, loaded machine.
vi.setConfig({ testTimeout: 30_000 });
const eventually = (check: () => Promise<unknown>, timeout = 10_000) => expect.poll(check, { timeout, interval: 100 });

describe('forwarding accepted statements to another LRS', () => {
  it('delivers statements posted to the site to the other LRS, under the site credential there, with their signatures', async () => {
    const targetDb = otherDatabase();
    const target = await start(targetDb, 0);
    cleanups.push(() => target.app.close());
    const sourceDb = await database();
    const source = await start(sourceDb, 0, {
      forward: { endpoint: `http://127.0.0.1:${target.port}/xapi/`, key: WRITE.key, secret: WRITE.secret },
      forwardTiming: timing,
    });
    cleanups.push(() => source.app.close());

    const batch = [answeredStatement(), answeredStatement(), answeredStatement()];
    expect((await post(source.port, batch)).status).toBe(200);

    // A signed statement goes with its JWS, as multipart/mixed (Data 2.6).
    const { privateKey } = await generateKeyPair('RS256');
    const signedBody = answeredStatement();
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(signedBody)))
      .setProtectedHeader({ alg: 'RS256', kid: 'k' })
      .sign(privateKey);
    const sha2 = createHash('sha256').update(jws).digest('hex');
    const signed: Record<string, unknown> = {
      ...signedBody,
      attachments: [
        {
          usageType: SIGNATURE_USAGE_TYPE,
          display: { en: 'Signature' },
          contentType: 'application/octet-stream',
          length: jws.length,
          sha2,
        },
      ],
    };
    const boundary = 'forwardtestboundary';
    const multipart = `--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(signed)}\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${sha2}\r\n\r\n${jws}\r\n--${boundary}--\r\n`;
    const sent = await fetch(`http://127.0.0.1:${source.port}/xapi/statements`, {
      method: 'POST',
      headers: { ...writeHeaders, 'content-type': `multipart/mixed; boundary=${boundary}` },
      body: multipart,
    });
    expect(sent.status, await sent.text()).toBe(200);

    const expected = [...batch, signed].map((s) => String(s['id']));
    await eventually(async () => (await idsAt(target.port)).sort()).toEqual([...expected].sort());
    await eventually(() => queued(sourceDb)).toBe(0);

    const there = await fetch(`http://127.0.0.1:${target.port}/xapi/statements?statementId=${signedBody['id']}&attachments=true`, {
      headers: { Authorization: basic(READ), 'X-Experience-API-Version': '1.0.3' },
    });
    expect(there.headers.get('content-type')).toMatch(/^multipart\/mixed/);
    expect(await there.text()).toContain(jws);
  });

  it("forwards the grader's signed completion so that it verifies at the other LRS against the site's keys", async () => {
    const target = await start(otherDatabase(), 0);
    cleanups.push(() => target.app.close());
    const source = await start(await database(), 0, {
      forward: { endpoint: `http://127.0.0.1:${target.port}/xapi/`, key: WRITE.key, secret: WRITE.secret },
      forwardTiming: timing,
    });
    cleanups.push(() => source.app.close());
    const site = `http://127.0.0.1:${source.port}`;
    const learner = (await (
      await fetch(`${site}/api/learners`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Awa' }),
      })
    ).json()) as { key: string; secret: string };
    const questions = loadFinalAssessments('content').get('m1-final-assessment')!.quiz.questions;
    const graded = await fetch(`${site}/api/assessments/m1-final-assessment/attempts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(learner) },
      body: JSON.stringify({
        attempt: randomUUID(),
        timestamp: new Date().toISOString(),
        language: 'en',
        registration: randomUUID(),
        responses: Object.fromEntries(questions.map((q) => [q.id, correctResponse(q)])),
      }),
    });
    expect(graded.status, await graded.text()).toBe(200);

    // At the other LRS: its own authority on the statements, the site's grader inside the signature.
    // The grader's homePage is the site's public origin: DEFAULT_PUBLIC_ORIGIN in these apps.
    const verify = createVerifier(await fetchJwks(`${site}${JWKS_PATH}`), DEFAULT_PUBLIC_ORIGIN);
    const checked = async () => {
      const out: string[] = [];
      for await (const { statement, parts } of readStatementsWithAttachments({
        endpoint: `http://127.0.0.1:${target.port}/xapi/`,
        ...READ,
      })) {
        if (needsVerification(statement)) out.push(`${statement.verb.id.split('/').at(-1)} ${(await verify(statement, parts)).status}`);
      }
      return out.sort();
    };
    await eventually(checked).toEqual(['completed verified', 'passed verified']);
  });

  it('keeps statements queued while the other LRS is down, across a restart of the site, and delivers them once it is back', async () => {
    const targetDb = otherDatabase();
    const first = await start(targetDb, 0);
    const targetPort = first.port;
    await first.app.close();

    const sourceDb = await database();
    const forward = { endpoint: `http://127.0.0.1:${targetPort}/xapi/`, key: WRITE.key, secret: WRITE.secret };
    const source = await start(sourceDb, 0, { forward, forwardTiming: timing });
    const statements = Array.from({ length: 5 }, () => answeredStatement());
    expect((await post(source.port, statements)).status).toBe(200);
    // Several attempts fail against the closed port; the statements stay queued.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await queued(sourceDb)).toBe(5);
    await source.app.close();

    const target = await start(targetDb, targetPort);
    cleanups.push(() => target.app.close());
    expect(await idsAt(targetPort)).toEqual([]);
    const restarted = await start(sourceDb, 0, { forward, forwardTiming: timing });
    cleanups.push(() => restarted.app.close());
    await eventually(async () => (await idsAt(targetPort)).sort()).toEqual(statements.map((s) => String(s['id'])).sort());
    await eventually(() => queued(sourceDb)).toBe(0);
  });

  it('sends a batch one by one when one statement conflicts there, and drops only that one (already there with its id)', async () => {
    const targetDb = otherDatabase();
    const target = await start(targetDb, 0);
    cleanups.push(() => target.app.close());
    const clash = answeredStatement();
    expect((await post(target.port, [{ ...clash, result: { success: false, response: 'a' } }])).status).toBe(200);

    const sourceDb = await database();
    const source = await start(sourceDb, 0, {
      forward: { endpoint: `http://127.0.0.1:${target.port}/xapi`, key: WRITE.key, secret: WRITE.secret },
      forwardTiming: timing,
    });
    cleanups.push(() => source.app.close());
    const others = [answeredStatement(), answeredStatement()];
    expect((await post(source.port, [others[0], clash, others[1]])).status).toBe(200);
    await eventually(async () => (await idsAt(target.port)).sort()).toEqual([clash, ...others].map((s) => String(s['id'])).sort());
    await eventually(() => queued(sourceDb)).toBe(0);
  });

  it('queues nothing when no other LRS is configured', async () => {
    const db = await database();
    const alone = await start(db, 0);
    expect((await post(alone.port, [answeredStatement()])).status).toBe(200);
    await alone.app.close();
    expect(await queued(db)).toBe(0);
  });
});

describe('LRS_FORWARD_* configuration', () => {
  it('reads the other LRS and its credential, all three or none, from the environment', () => {
    expect(loadConfig({}).forward).toBeUndefined();
    expect(
      loadConfig({ LRS_FORWARD_ENDPOINT: 'https://lrs.example/xapi/', LRS_FORWARD_KEY: 'site', LRS_FORWARD_SECRET: 's' }).forward,
    ).toEqual({ endpoint: 'https://lrs.example/xapi/', key: 'site', secret: 's' });
    expect(() => loadConfig({ LRS_FORWARD_ENDPOINT: 'https://lrs.example/xapi/' })).toThrow(
      'set LRS_FORWARD_ENDPOINT together with LRS_FORWARD_KEY and LRS_FORWARD_SECRET',
    );
    expect(() => loadConfig({ LRS_FORWARD_KEY: 'site', LRS_FORWARD_SECRET: 's' })).toThrow('LRS_FORWARD_ENDPOINT');
    expect(() => loadConfig({ LRS_FORWARD_ENDPOINT: 'ftp://lrs.example/', LRS_FORWARD_KEY: 'site', LRS_FORWARD_SECRET: 's' })).toThrow(
      'LRS_FORWARD_ENDPOINT: "ftp://lrs.example/" is not an http(s) URL',
    );
    expect(() =>
      loadConfig({ LRS_FORWARD_ENDPOINT: 'https://site:s@lrs.example/xapi/', LRS_FORWARD_KEY: 'site', LRS_FORWARD_SECRET: 's' }),
    ).toThrow('not in the URL');
  });
});
