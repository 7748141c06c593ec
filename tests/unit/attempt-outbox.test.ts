import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AttemptOutbox, type AttemptTransport, type QueuedAttempt } from '../../src/lib/xapi/attempt-outbox.ts';
import type { OutboxStorage } from '../../src/lib/xapi/outbox.ts';
import { LrsError } from '../../src/lib/xapi/lrs-error.ts';
import { correctResponse, type Grade } from '../../src/lib/grading.ts';
import { loadFinalAssessments } from '../../src/lrs/final-assessments.ts';
import { adminHeaders, basic, createTestLrs, type TestLrs } from '../lrs/helper.ts';

// The attempt outbox against the real server (built without a socket, called through
// app.inject, on a real SQLite file). Only the network's availability is simulated: "offline"
// makes the transport fail before it reaches the server, as a browser's fetch does.

class MemoryStorage implements OutboxStorage {
  readonly #map = new Map<string, string>();
  get length() {
    return this.#map.size;
  }
  key(i: number) {
    return [...this.#map.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.#map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.#map.set(k, v);
  }
  removeItem(k: string) {
    this.#map.delete(k);
  }
}

const QUIZ = 'm1-final-assessment';
const quiz = loadFinalAssessments('content').get(QUIZ)?.quiz;
if (!quiz) throw new Error('no final assessment m1');

let lrs: TestLrs;
let credential: { key: string; secret: string; agent: unknown };
let online = true;
let storage: MemoryStorage;
let box: AttemptOutbox;
const graded: Grade[] = [];
const refused: string[] = [];

const transport: AttemptTransport = async ({ quizKey, body }) => {
  if (!online) throw new LrsError('Failed to fetch');
  const res = await lrs.inject({
    method: 'POST',
    url: `/api/assessments/${quizKey}/attempts`,
    headers: { authorization: basic(credential), 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  if (res.statusCode !== 200) throw new LrsError(res.json().message, res.statusCode);
  return res.json();
};

const attempt = (responses = Object.fromEntries(quiz.questions.map((q) => [q.id, correctResponse(q)]))): QueuedAttempt => ({
  quizKey: QUIZ,
  moduleIri: 'https://w3id.org/dce-training/modules/understanding-the-convention',
  body: {
    attempt: randomUUID(),
    timestamp: new Date().toISOString(),
    language: 'en',
    registration: randomUUID(),
    responses,
    durationMs: 1000,
  },
});

async function storedCount(): Promise<number> {
  const res = await lrs.inject({ method: 'GET', url: '/xapi/statements?limit=500', headers: adminHeaders });
  return res.json().statements.length;
}

beforeEach(async () => {
  lrs = await createTestLrs();
  const res = await lrs.inject({
    method: 'POST',
    url: '/api/learners',
    headers: { 'content-type': 'application/json' },
    payload: { name: 'Kofi' },
  });
  credential = res.json();
  online = true;
  storage = new MemoryStorage();
  graded.length = 0;
  refused.length = 0;
  box = new AttemptOutbox({
    storage,
    transport,
    baseDelayMs: 60_000,
    onGraded: (_a, g) => graded.push(g),
    onRejected: (_a, r) => refused.push(r),
  });
});
afterEach(async () => {
  box.stop();
  await lrs.close();
});

describe('AttemptOutbox', () => {
  it('keeps an attempt taken offline and has it graded once back online', async () => {
    online = false;
    const a = attempt();
    box.enqueue(a);
    expect(await box.flush()).toEqual({ graded: 0, rejected: 0, pending: 1 });
    expect(box.grade(a.body.attempt)).toBeNull();
    expect(await storedCount()).toBe(0);
    online = true;
    expect(await box.flush()).toEqual({ graded: 1, rejected: 0, pending: 0 });
    expect(box.grade(a.body.attempt)).toMatchObject({ raw: quiz.questions.length, passed: true });
    expect(graded).toHaveLength(1);
    expect(await storedCount()).toBe(quiz.questions.length + 2);
  });

  it('announces the waiting count after every change, also when its own retry timer has the attempt graded', async () => {
    box.stop();
    const counts: number[] = [];
    box = new AttemptOutbox({ storage, transport, baseDelayMs: 20, maxDelayMs: 40, onChange: (n) => counts.push(n) });
    online = false;
    box.enqueue(attempt());
    await box.flush();
    expect(counts).toEqual([1, 1]);
    // Back online: nobody calls flush; the retry timer does, and its end is announced (issue 13).
    online = true;
    await expect.poll(() => counts.at(-1), { timeout: 5000 }).toBe(0);
    expect(box.pending()).toBe(0);
  });

  it('sends an attempt queued while a flush is under way in that same flush', async () => {
    const first = attempt();
    const second = attempt();
    box.enqueue(first);
    const flushing = box.flush();
    box.enqueue(second);
    expect(await flushing).toEqual({ graded: 2, rejected: 0, pending: 0 });
  });

  it("keeps a refused attempt aside with the server's reason, and never retries it", async () => {
    const bad = attempt({ nope: true } as never);
    box.enqueue(bad);
    expect(await box.flush()).toEqual({ graded: 0, rejected: 1, pending: 0 });
    expect(box.rejection(bad.body.attempt)).toMatch(/^responses\.nope: /);
    expect(refused).toHaveLength(1);
    expect(await storedCount()).toBe(0);
  });

  it('keeps waiting when the credential is refused (401), losing nothing', async () => {
    credential = { ...credential, secret: 'wrong' };
    const a = attempt();
    box.enqueue(a);
    expect(await box.flush()).toMatchObject({ graded: 0, rejected: 0, pending: 1 });
    expect(box.waiting()).toEqual([a]);
  });
});
