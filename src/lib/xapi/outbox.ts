import type { Statement } from '@xapi/xapi';
import { LrsError } from './lrs-error.ts';

/** The part of the Web Storage API the outbox needs (window.localStorage satisfies it). */
export interface OutboxStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Sends a batch of statements to the LRS (POST /statements, xAPI 1.0.3 Communication 2.1.2).
 * Resolves when the LRS accepted all of them; rejects with an LrsError otherwise.
 */
export type Transport = (statements: Statement[]) => Promise<void>;

/** What one flush did. */
export interface FlushResult {
  /** Statements the LRS acknowledged and that left the outbox. */
  sent: number;
  /** Statements the LRS refused as invalid (400/409); kept aside, never deleted. */
  rejected: number;
  /** Statements still waiting (LRS unreachable or failing); retried later. */
  pending: number;
  /** The error that stopped this flush, when one did (e.g. an LrsError with status 403). */
  stoppedBy?: Error;
}

/** Options of an Outbox. */
export interface OutboxOptions {
  storage: OutboxStorage;
  transport: Transport;
  /** Key prefix in storage; one entry per statement. Default "dce.outbox". */
  prefix?: string;
  /** Statements per POST. Default 25. */
  batchSize?: number;
  /** First retry delay after a failure, in ms (doubles each time, with jitter). Default 2,000. */
  baseDelayMs?: number;
  /** Longest retry delay, in ms. Default 300,000 (5 minutes). */
  maxDelayMs?: number;
  /**
   * Called with the number of statements waiting whenever it may have changed: after each
   * enqueue and at the end of every flush, whoever started it (a caller, the `online` event, or
   * the retry timer), so that a count shown to the learner never goes stale (issue 13).
   */
  onChange?: (pending: number) => void;
}

/**
 * A durable queue of statements waiting for the LRS. A statement is written to storage
 * synchronously when the event happens (so closing the tab loses nothing) under its own key
 * (so two tabs never overwrite each other's entries), and removed only after the LRS has
 * acknowledged it. Retrying a batch is safe because each statement carries its id: the LRS
 * stores a statement it already has only once (xAPI 1.0.3 Communication 2.1.2, Data 2.4.1).
 *
 * A 400 or 409 answer means the LRS will never accept the statement as it is; the batch is
 * then retried one by one, and only the refused statement is moved aside under
 * "{prefix}.rejected." with the LRS's reason, where it stays for inspection.
 */
export class Outbox {
  readonly #storage: OutboxStorage;
  readonly #transport: Transport;
  readonly #prefix: string;
  readonly #batchSize: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #onChange: ((pending: number) => void) | undefined;
  #failures = 0;
  #flushing: Promise<FlushResult> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: OutboxOptions) {
    this.#storage = options.storage;
    this.#transport = options.transport;
    this.#prefix = options.prefix ?? 'dce.outbox';
    this.#batchSize = options.batchSize ?? 25;
    this.#baseDelayMs = options.baseDelayMs ?? 2000;
    this.#maxDelayMs = options.maxDelayMs ?? 300000;
    this.#onChange = options.onChange;
  }

  /**
   * Store a statement durably until it is sent.
   * @param statement a complete statement with `id` and `timestamp` already set
   * @throws Error when the statement has no id (it could not be de-duplicated on retry), or
   *   when storage is full or unavailable (the caller must know the event was not recorded)
   */
  enqueue(statement: Statement): void {
    if (!statement.id) throw new Error('a statement needs its id before it enters the outbox');
    const key = `${this.#prefix}.q.${statement.timestamp ?? ''}.${statement.id}`;
    this.#storage.setItem(key, JSON.stringify(statement));
    this.#onChange?.(this.pending());
  }

  /** Statements waiting to be sent, oldest first. */
  waiting(): Statement[] {
    return this.#keys('.q.')
      .sort()
      .map((k) => JSON.parse(this.#storage.getItem(k) ?? 'null') as Statement | null)
      .filter((s): s is Statement => s !== null);
  }

  /** How many statements wait to be sent. */
  pending(): number {
    return this.#keys('.q.').length;
  }

  /** How many statements the LRS refused; they are kept, never deleted. */
  rejectedCount(): number {
    return this.#keys('.rejected.').length;
  }

  /**
   * Send everything waiting, in batches, oldest first. Concurrent calls share one flush.
   * On a network error or a 5xx/401/403/429 answer it stops and schedules a retry with
   * exponential backoff; the statements stay in storage.
   */
  flush(): Promise<FlushResult> {
    this.#flushing ??= this.#flush().finally(() => {
      this.#flushing = undefined;
      this.#onChange?.(this.pending());
    });
    return this.#flushing;
  }

  /** The delay before the next retry, in ms, after `failures` failures in a row. */
  retryDelay(failures: number): number {
    const exp = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** Math.max(0, failures - 1));
    return Math.round(exp / 2 + (Math.random() * exp) / 2);
  }

  async #flush(): Promise<FlushResult> {
    let sent = 0;
    let rejected = 0;
    let stoppedBy: Error | undefined;
    for (;;) {
      const keys = this.#keys('.q.').sort().slice(0, this.#batchSize);
      if (keys.length === 0) break;
      const batch = keys.map((k) => ({ key: k, statement: JSON.parse(this.#storage.getItem(k) ?? 'null') as Statement }));
      try {
        await this.#transport(batch.map((b) => b.statement));
        batch.forEach((b) => this.#storage.removeItem(b.key));
        sent += batch.length;
      } catch (error) {
        if (!isRefusal(error)) {
          stoppedBy = asError(error);
          this.#scheduleRetry();
          break;
        }
        const outcome = await this.#sendOneByOne(batch);
        sent += outcome.sent;
        rejected += outcome.rejected;
        if (outcome.stoppedBy) {
          stoppedBy = outcome.stoppedBy;
          this.#scheduleRetry();
          break;
        }
      }
    }
    if (this.pending() === 0) this.#failures = 0;
    return { sent, rejected, pending: this.pending(), ...(stoppedBy ? { stoppedBy } : {}) };
  }

  async #sendOneByOne(batch: { key: string; statement: Statement }[]): Promise<{ sent: number; rejected: number; stoppedBy?: Error }> {
    let sent = 0;
    let rejected = 0;
    for (const { key, statement } of batch) {
      try {
        await this.#transport([statement]);
        this.#storage.removeItem(key);
        sent++;
      } catch (error) {
        if (!isRefusal(error)) return { sent, rejected, stoppedBy: asError(error) };
        const reason = error instanceof Error ? error.message : String(error);
        this.#storage.setItem(key.replace('.q.', '.rejected.'), JSON.stringify({ statement, reason }));
        this.#storage.removeItem(key);
        rejected++;
      }
    }
    return { sent, rejected };
  }

  #scheduleRetry(): void {
    this.#failures++;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.retryDelay(this.#failures));
  }

  /** Stop the pending retry timer (for tests and page teardown). */
  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #keys(kind: '.q.' | '.rejected.'): string[] {
    const keys: string[] = [];
    for (let i = 0; i < this.#storage.length; i++) {
      const key = this.#storage.key(i);
      if (key?.startsWith(this.#prefix + kind)) keys.push(key);
    }
    return keys;
  }
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

function isRefusal(error: unknown): boolean {
  return error instanceof LrsError && (error.status === 400 || error.status === 409);
}
