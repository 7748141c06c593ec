import type { Transaction } from 'kysely';
import type { LrsDatabase } from './db/open.ts';
import type { Schema } from './db/schema.ts';
import { buildMultipartMixed } from './multipart.ts';
import type { StatementStore } from './store/statements.ts';
import type { Statement } from './validate.ts';

// Forwarding to another LRS: when the site records into an LRS of the Secretariat's, this server
// sends every statement it accepted there, with its own credential (LRS_FORWARD_*), so that no
// browser ever holds that LRS's secret. Statements are queued in the same transaction that stores
// them (table forward_queue, migration 005-forwarding), so nothing accepted is lost to a crash or a
// restart; a background sender posts them in batches and retries with backoff. Delivery is at
// least once: statement ids make a repeat harmless (xAPI 1.0.3 Communication 2.1.2).

/** Another LRS and the credential this server writes there with. */
export interface ForwardTarget {
  /** Its xAPI base URL, e.g. "https://lrs.example/xapi/" (with or without the final slash). */
  endpoint: string;
  /** HTTP Basic user and password of a credential allowed to write statements there. */
  key: string;
  secret: string;
}

/** Timing of the sender; defaults suit production, tests shorten them. */
export interface ForwarderTiming {
  /** Most statements per POST (default 100). */
  batchSize?: number;
  /** Pause when the queue is empty, in ms (default 1,000). */
  pollMs?: number;
  /** First retry delay after a failure, in ms, doubled at each further failure (default 1,000). */
  baseDelayMs?: number;
  /** Longest retry delay, in ms (default 300,000: five minutes). */
  maxDelayMs?: number;
  /** Give up on one POST after this many ms (default 30,000). */
  timeoutMs?: number;
}

/** What the sender logs through (Fastify's logger). */
interface Log {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** A running sender. */
export interface Forwarder {
  /** Stop after the POST under way, if any; statements not yet sent stay queued. */
  stop(): Promise<void>;
}

/**
 * Queue statements for forwarding, inside the transaction that stores them.
 * @param trx the storing transaction (see createStatementStore's onStored)
 * @param statements the statements as stored; `authority` and `stored` are left out, since the
 *   other LRS sets its own (xAPI 1.0.3 Data 2.4.9, 2.4.8)
 */
export async function enqueueForwarding(trx: Transaction<Schema>, statements: readonly Statement[]): Promise<void> {
  const now = new Date().toISOString();
  for (let i = 0; i < statements.length; i += 200) {
    const rows = statements.slice(i, i + 200).map((statement) => {
      const { authority: _authority, stored: _stored, ...rest } = statement;
      return {
        statement_id: String(statement.id),
        statement: JSON.stringify(rest),
        attempts: 0,
        next_attempt: now,
        last_error: null,
        rejected: 0,
      };
    });
    await trx.insertInto('forward_queue').values(rows).execute();
  }
}

/** Statuses that mean "this request will never succeed as it is": try statements one by one, then set aside. */
const permanent = (status: number) => status >= 400 && status < 500 && ![401, 403, 408, 425, 429].includes(status);

/** What the sender's steps share: where to send, how, and where to log. */
interface Sender {
  db: LrsDatabase['db'];
  store: StatementStore;
  log: Log;
  /** The target's statements resource. */
  url: string;
  /** The HTTP Basic Authorization header for the target. */
  authorization: string;
  timeoutMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Whether stop() was called: a round in progress ends early. */
  stopped: () => boolean;
}

/** An answer of the target: the HTTP status and the start of its body, or 0 and the error's message. */
interface Answer {
  status: number;
  text: string;
}

/** POST statements, with their attachments' contents as multipart/mixed when the store has any. */
async function post(sender: Sender, statements: Statement[]): Promise<Answer> {
  const hashes = statements.flatMap((s) => (s.attachments ?? []).filter((a) => a.fileUrl === undefined).map((a) => a.sha2.toLowerCase()));
  const found = hashes.length === 0 ? new Map() : await sender.store.attachments([...new Set(hashes)]);
  const body =
    found.size === 0
      ? { contentType: 'application/json', body: Buffer.from(JSON.stringify(statements)) }
      : buildMultipartMixed(
          statements,
          [...found].map(([sha2, part]) => ({ sha2, ...part })),
        );
  try {
    const response = await fetch(sender.url, {
      method: 'POST',
      headers: { Authorization: sender.authorization, 'X-Experience-API-Version': '1.0.3', 'Content-Type': body.contentType },
      body: new Uint8Array(body.body),
      signal: AbortSignal.timeout(sender.timeoutMs),
    });
    return { status: response.status, text: (await response.text()).slice(0, 500) };
  } catch (error) {
    return { status: 0, text: error instanceof Error ? error.message : String(error) };
  }
}

/** Keep queued rows for a later try, after baseDelayMs doubled per attempt, up to maxDelayMs. */
async function retryLater(sender: Sender, seqs: number[], attempts: number, error: string): Promise<void> {
  const delay = Math.min(sender.maxDelayMs, sender.baseDelayMs * 2 ** Math.min(attempts, 30));
  await sender.db
    .updateTable('forward_queue')
    .set({ attempts: attempts + 1, next_attempt: new Date(Date.now() + delay).toISOString(), last_error: error })
    .where('seq', 'in', seqs)
    .execute();
}

/** Mark a queued statement rejected, with the target's answer, and log it as an error. */
async function reject(sender: Sender, seq: number, id: string, answer: Answer): Promise<void> {
  await sender.db
    .updateTable('forward_queue')
    .set({ rejected: 1, last_error: `${answer.status} ${answer.text}` })
    .where('seq', '=', seq)
    .execute();
  sender.log.error(
    { statement: id, status: answer.status, answer: answer.text, to: sender.url },
    'the other LRS refused a statement; it stays in forward_queue marked rejected',
  );
}

/**
 * Send a refused batch's statements one by one (a batch is all or none, Communication 2.1.2):
 * each accepted or already there (409) leaves the queue, each refused is rejected, the others retry.
 */
async function sendOneByOne(
  sender: Sender,
  rows: ReadonlyArray<{ seq: number; statement_id: string; statement: string; attempts: number }>,
): Promise<void> {
  for (const row of rows) {
    if (sender.stopped()) break;
    const single = await post(sender, [JSON.parse(row.statement) as Statement]);
    if ((single.status >= 200 && single.status < 300) || single.status === 409)
      await sender.db.deleteFrom('forward_queue').where('seq', '=', row.seq).execute();
    else if (permanent(single.status)) await reject(sender, row.seq, row.statement_id, single);
    else {
      await retryLater(sender, [Number(row.seq)], row.attempts, `${single.status} ${single.text}`);
    }
  }
}

/** Send one due batch of at most batchSize statements; true when there may be more to send now. */
async function sendBatch(sender: Sender, batchSize: number): Promise<boolean> {
  const { db, log, url } = sender;
  const rows = await db
    .selectFrom('forward_queue')
    .selectAll()
    .where('rejected', '=', 0)
    .where('next_attempt', '<=', new Date().toISOString())
    .orderBy('seq')
    .limit(batchSize)
    .execute();
  if (rows.length === 0) return false;
  const seqs = rows.map((r) => Number(r.seq));
  const attempts = Math.max(...rows.map((r) => r.attempts));
  const { status, text } = await post(
    sender,
    rows.map((r) => JSON.parse(r.statement) as Statement),
  );
  if ((status >= 200 && status < 300) || (status === 409 && rows.length === 1)) {
    await db.deleteFrom('forward_queue').where('seq', 'in', seqs).execute();
    log.info({ forwarded: rows.length, status, to: url }, 'statements forwarded');
    return rows.length === batchSize;
  }
  if ((permanent(status) || status === 409) && rows.length > 1) {
    await sendOneByOne(sender, rows);
    return true;
  }
  if (permanent(status)) {
    await reject(sender, rows[0]!.seq, rows[0]!.statement_id, { status, text });
    return true;
  }
  log.warn({ status, error: text, statements: rows.length, attempts: attempts + 1, to: url }, 'forwarding failed; will retry');
  await retryLater(sender, seqs, attempts, `${status} ${text}`);
  return false;
}

/**
 * Start the background sender: it posts due statements in `forward_queue` to the target, oldest
 * first. A 2xx, or a 409 for a single statement (already stored there with that id), removes
 * them from the queue. A network error, a timeout, 401, 403, 408, 429 or 5xx keeps them and
 * retries after baseDelayMs, doubling up to maxDelayMs. Any other 4xx for a batch sends its
 * statements one by one; one refused alone is kept in the queue marked rejected, with the
 * answer, and logged as an error (nothing is deleted unsent).
 * @param database the LRS database (migrated)
 * @param store the statement store, for attachment contents (signatures travel with their statement)
 * @param target the other LRS
 * @param log where deliveries and failures are logged
 * @param timing see ForwarderTiming
 * @returns the running sender
 * Sources: xAPI 1.0.3 Communication 2.1.2 (POST statements), 1.5.2 (multipart/mixed with
 * attachments), 3.3 (X-Experience-API-Version), Data 2.6 (signed statements keep their JWS).
 */
export function startForwarder(
  database: LrsDatabase,
  store: StatementStore,
  target: ForwardTarget,
  log: Log,
  timing: ForwarderTiming = {},
): Forwarder {
  const { batchSize = 100, pollMs = 1000, baseDelayMs = 1000, maxDelayMs = 300_000, timeoutMs = 30_000 } = timing;
  const url = new URL('statements', target.endpoint.endsWith('/') ? target.endpoint : `${target.endpoint}/`).href;
  const { db } = database;
  let stopped = false;
  const sender: Sender = {
    db,
    store,
    log,
    url,
    authorization: `Basic ${Buffer.from(`${target.key}:${target.secret}`).toString('base64')}`,
    timeoutMs,
    baseDelayMs,
    maxDelayMs,
    stopped: () => stopped,
  };
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();

  async function run(): Promise<void> {
    try {
      while (!stopped && (await sendBatch(sender, batchSize)));
    } catch (error) {
      if (!stopped) log.error({ err: error }, 'forwarding round failed');
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      round = run().then(schedule);
    }, pollMs);
  }
  round = run().then(schedule);

  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
