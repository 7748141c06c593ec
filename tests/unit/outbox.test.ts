import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Statement } from '@xapi/xapi';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/lrs/app.ts';
import { Outbox, type OutboxStorage, type Transport } from '../../src/lib/xapi/outbox.ts';
import { LrsError } from '../../src/lib/xapi/lrs-error.ts';
import { lessonExperienced } from '../../src/lib/xapi/statements.ts';

// The outbox against the real LRS (built without a socket, called through app.inject, with a
// real SQLite file), and an in-memory implementation of the Web Storage interface, which Node
// does not provide. Only the network's availability is simulated: "offline" makes the
// transport fail before it reaches the LRS, as a browser's fetch does.

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

const write = `Basic ${Buffer.from('site:site-write-secret').toString('base64')}`;
const read = `Basic ${Buffer.from('reviewer:reviewer-read-secret').toString('base64')}`;
let app: ReturnType<typeof buildApp>;
let online = true;
let posts = 0;

const transport: Transport = async (statements) => {
  if (!online) throw new LrsError('Network Error');
  posts++;
  const res = await app.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers: { authorization: write, 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' },
    payload: JSON.stringify(statements),
  });
  if (res.statusCode !== 200) throw new LrsError(res.body, res.statusCode);
};

async function stored(): Promise<Statement[]> {
  const res = await app.inject({
    method: 'GET',
    url: '/xapi/statements?limit=500',
    headers: { authorization: read, 'x-experience-api-version': '1.0.3' },
  });
  return (res.json() as { statements: Statement[] }).statements;
}

let n = 0;
function statement(): Statement {
  n++;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const name = { en: 'L', fr: 'L', es: 'L' };
  return lessonExperienced(
    {
      id,
      timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
      actor: { objectType: 'Agent', mbox: 'mailto:learner@example.org' },
      registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7',
      language: 'en',
    },
    {
      module: { id: 'https://w3id.org/dce-training/modules/m', name },
      lesson: { id: 'https://w3id.org/dce-training/modules/m/lessons/l', name },
    },
  );
}

beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dce-outbox-'));
  app = buildApp({
    database: join(dir, 'lrs.sqlite'),
    credentials: { write: { key: 'site', secret: 'site-write-secret' }, read: { key: 'reviewer', secret: 'reviewer-read-secret' } },
    corsOrigins: [],
    logger: false,
  });
  online = true;
  posts = 0;
});
afterEach(async () => {
  await app.close();
});

describe('Outbox', () => {
  it('keeps statements while the LRS is unreachable and sends each exactly once when it returns', async () => {
    const storage = new MemoryStorage();
    const box = new Outbox({ storage, transport, batchSize: 2, baseDelayMs: 60_000 });
    online = false;
    const sent = [statement(), statement(), statement()];
    sent.forEach((s) => box.enqueue(s));
    // The flush says what stopped it: here the network, before the LRS was reached.
    expect(await box.flush()).toEqual({ sent: 0, rejected: 0, pending: 3, stoppedBy: new LrsError('Network Error') });
    box.stop();
    online = true;
    expect(await box.flush()).toEqual({ sent: 3, rejected: 0, pending: 0 });
    expect(posts).toBe(2); // batches of two
    expect((await stored()).map((s) => s.id).sort()).toEqual(sent.map((s) => s.id).sort());
  });

  it('survives a reload: a new outbox on the same storage sends what the old one held', async () => {
    const storage = new MemoryStorage();
    online = false;
    const first = new Outbox({ storage, transport, baseDelayMs: 60_000 });
    const s = statement();
    first.enqueue(s);
    await first.flush();
    first.stop();
    online = true;
    const second = new Outbox({ storage, transport });
    expect(second.pending()).toBe(1);
    await second.flush();
    expect((await stored()).map((x) => x.id)).toEqual([s.id]);
  });

  it('stores a statement once when a batch is sent again after a lost acknowledgement', async () => {
    const storage = new MemoryStorage();
    const s = statement();
    await transport([s]); // the LRS stored it, but the device never heard back
    const box = new Outbox({ storage, transport });
    box.enqueue(s);
    expect(await box.flush()).toEqual({ sent: 1, rejected: 0, pending: 0 });
    expect((await stored()).filter((x) => x.id === s.id)).toHaveLength(1);
  });

  it('sets aside a statement the LRS refuses, with its reason, and still sends the rest of its batch', async () => {
    const storage = new MemoryStorage();
    const box = new Outbox({ storage, transport });
    const good = statement();
    const bad = { ...statement(), verb: { id: 'not an IRI' } } as Statement;
    box.enqueue(good);
    box.enqueue(bad);
    expect(await box.flush()).toEqual({ sent: 1, rejected: 1, pending: 0 });
    expect(box.rejectedCount()).toBe(1);
    const kept = storage.getItem(storage.key(0)!)!;
    expect(JSON.parse(kept)).toMatchObject({ statement: { id: bad.id } });
    expect(JSON.parse(kept).reason).toMatch(/verb/);
    expect((await stored()).map((x) => x.id)).toEqual([good.id]);
  });

  it('sends oldest first and refuses a statement without an id', () => {
    const box = new Outbox({ storage: new MemoryStorage(), transport });
    const [a, b] = [statement(), statement()];
    box.enqueue(b);
    box.enqueue(a);
    expect(box.waiting().map((s) => s.id)).toEqual([a.id, b.id]);
    expect(() => box.enqueue({ ...a, id: undefined } as unknown as Statement)).toThrow(/id/);
  });

  it('announces the waiting count after every change, also when its own retry timer delivers', async () => {
    const counts: number[] = [];
    const box = new Outbox({ storage: new MemoryStorage(), transport, baseDelayMs: 20, maxDelayMs: 40, onChange: (n) => counts.push(n) });
    online = false;
    box.enqueue(statement());
    box.enqueue(statement());
    await box.flush();
    expect(counts).toEqual([1, 2, 2]);
    // Back online: nobody calls flush; the retry timer does, and its end is announced (issue 13).
    online = true;
    await expect.poll(() => counts.at(-1), { timeout: 5000 }).toBe(0);
    expect(box.pending()).toBe(0);
    box.stop();
  });

  it('backs off exponentially, up to the ceiling', () => {
    const box = new Outbox({ storage: new MemoryStorage(), transport, baseDelayMs: 1000, maxDelayMs: 8000 });
    expect(box.retryDelay(1)).toBeGreaterThanOrEqual(500);
    expect(box.retryDelay(1)).toBeLessThanOrEqual(1000);
    expect(box.retryDelay(3)).toBeGreaterThanOrEqual(2000);
    expect(box.retryDelay(3)).toBeLessThanOrEqual(4000);
    expect(box.retryDelay(10)).toBeLessThanOrEqual(8000);
  });
});
