import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, startLrs } from '../../scripts/lrs-process.ts';
import { BODY_LIMIT } from '../../src/lrs/app.ts';
import { TEST_DIALECT, createTestDatabase } from './database.ts';
import type { TestDatabase } from './database.ts';
import { READ, WRITE, answeredStatement, basic } from './helper.ts';

/**
 * The LRS as a real process (src/lrs/server.ts) over HTTP, killed without warning: what it
 * acknowledged must still be there after a restart, on SQLite and on PostgreSQL.
 */
let database: TestDatabase;
let port: number;
let server: ChildProcess | undefined;

beforeEach(async () => {
  database = await createTestDatabase();
  port = await freePort();
});
afterEach(async () => {
  server?.kill('SIGKILL');
  await new Promise((done) => setTimeout(done, 100));
  await database.drop();
});

async function start(): Promise<void> {
  const lrs = await startLrs(
    {
      LRS_DATABASE_URL: TEST_DIALECT === 'postgres' ? database.location : '',
      LRS_DB_PATH: TEST_DIALECT === 'sqlite' ? database.location : '',
      LRS_WRITE_KEY: WRITE.key,
      LRS_WRITE_SECRET: WRITE.secret,
      LRS_READ_KEY: READ.key,
      LRS_READ_SECRET: READ.secret,
    },
    { port },
  );
  server = lrs.child;
}

function post(body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/xapi/statements`, {
    method: 'POST',
    headers: { authorization: basic(WRITE), 'x-experience-api-version': '1.0.3', 'content-type': 'application/json', ...headers },
    body,
  });
}

async function storedIds(): Promise<Set<string>> {
  const ids = new Set<string>();
  let url: string | undefined = `/xapi/statements?limit=500&ascending=true`;
  while (url !== undefined && url !== '') {
    const response: Response = await fetch(`http://127.0.0.1:${port}${url}`, {
      headers: { authorization: basic(READ), 'x-experience-api-version': '1.0.3' },
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { statements: Array<{ id: string }>; more: string };
    result.statements.forEach(({ id }) => ids.add(id));
    url = result.more;
  }
  return ids;
}

describe(`the LRS process (${TEST_DIALECT})`, () => {
  it('keeps every acknowledged statement when killed with SIGKILL in the middle of a stream of batched POSTs', async () => {
    await start();
    const acknowledged: string[] = [];
    let sent = 0;
    // Four clients post batches of 50 without pause; the process is killed after 30 acknowledgements,
    // with requests in flight.
    const client = async (): Promise<void> => {
      for (;;) {
        const batch = Array.from({ length: 50 }, () => answeredStatement({ id: randomUUID() }));
        sent += 1;
        let response: Response;
        try {
          response = await post(JSON.stringify(batch));
        } catch {
          return; // the connection died with the process: not acknowledged
        }
        if (response.status !== 200) {
          return;
        }
        acknowledged.push(...((await response.json()) as string[]));
        if (acknowledged.length >= 30 * 50) {
          server?.kill('SIGKILL');
        }
      }
    };
    await Promise.all([client(), client(), client(), client()]);
    expect(server?.signalCode ?? 'SIGKILL').toBe('SIGKILL');
    expect(sent).toBeGreaterThan(acknowledged.length / 50);

    await start();
    const stored = await storedIds();
    const missing = acknowledged.filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    // Whole batches only: a batch is stored entirely or not at all.
    expect(stored.size % 50).toBe(0);
  }, 60_000);

  it('answers bad input with a 4xx, stores none of it and keeps serving', async () => {
    await start();
    const valid = answeredStatement();
    const cases: Array<[string, Promise<Response>]> = [
      ['oversized body', post(JSON.stringify([{ ...valid, padding: 'x'.repeat(BODY_LIMIT) }]))],
      ['malformed JSON', post('[{"actor": ')],
      [
        'a batch with one invalid statement',
        post(JSON.stringify([answeredStatement(), answeredStatement({ verb: { id: 'not an IRI' } })])),
      ],
      ['a wrong version', post(JSON.stringify(answeredStatement()), { 'x-experience-api-version': '0.9' })],
      [
        'an unknown parameter',
        fetch(`http://127.0.0.1:${port}/xapi/statements?colour=blue`, {
          method: 'POST',
          headers: { authorization: basic(WRITE), 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' },
          body: JSON.stringify(answeredStatement()),
        }),
      ],
      ['a wrong content type', post(JSON.stringify(answeredStatement()), { 'content-type': 'text/csv' })],
      ['JSON nested 10,000 deep', post(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)],
    ];
    for (const [label, pending] of cases) {
      const status = (await pending).status;
      expect(status, label).toBeGreaterThanOrEqual(400);
      expect(status, label).toBeLessThan(500);
    }
    expect(server?.exitCode).toBeNull();
    expect((await storedIds()).size).toBe(0);
    expect((await post(JSON.stringify(valid))).status).toBe(200);
  }, 60_000);

  it.runIf(TEST_DIALECT === 'postgres')(
    'serves one PostgreSQL database from two processes: a statement stored through one is read through the other',
    async () => {
      const env = {
        LRS_DATABASE_URL: database.location,
        LRS_WRITE_KEY: WRITE.key,
        LRS_WRITE_SECRET: WRITE.secret,
        LRS_READ_KEY: READ.key,
        LRS_READ_SECRET: READ.secret,
      };
      const [first, second] = await Promise.all([startLrs(env), startLrs(env)]);
      try {
        const send = (origin: string, body: unknown) =>
          fetch(`${origin}/xapi/statements`, {
            method: 'POST',
            headers: { authorization: basic(WRITE), 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
        // The same batches to both at once: each id is stored once, both answer 200.
        const batches = Array.from({ length: 20 }, () => Array.from({ length: 25 }, () => answeredStatement({ id: randomUUID() })));
        const responses = await Promise.all(batches.flatMap((batch) => [send(first.origin, batch), send(second.origin, batch)]));
        expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
        port = Number(new URL(second.origin).port);
        const stored = await storedIds();
        expect(stored.size).toBe(20 * 25);
        // Voided through one process, the statement is gone from the other's queries.
        const target = batches[0]?.[0]?.['id'] as string;
        expect(
          (
            await send(second.origin, {
              actor: { mbox: 'mailto:admin@example.org' },
              verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
              object: { objectType: 'StatementRef', id: target },
            })
          ).status,
        ).toBe(200);
        port = Number(new URL(first.origin).port);
        expect((await storedIds()).has(target)).toBe(false);
      } finally {
        await Promise.all([first.stop(), second.stop()]);
      }
    },
    60_000,
  );
});
