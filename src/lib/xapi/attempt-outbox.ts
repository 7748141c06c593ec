import type { Language } from '../../i18n/languages.ts';
import type { Grade, QuestionResponse } from '../grading.ts';
import { LrsError } from './lrs-error.ts';
import type { OutboxStorage } from './outbox.ts';

/**
 * The body of POST /api/assessments/{quizId}/attempts (docs/lrs.md, src/lrs/routes/assessments.ts).
 */
export interface AttemptBody {
  /** The attempt's UUID, made on the device: the server grades each attempt once. */
  attempt: string;
  /** When the learner submitted, ISO 8601 with time zone. */
  timestamp: string;
  /** The page's language (src/i18n/languages.ts). */
  language: Language;
  /** context.registration of the statements the server writes. */
  registration: string;
  /** The workshop joined through a link, if any. */
  workshop?: { cohort: string; country: string };
  /** The learner's response per question id. */
  responses: Record<string, QuestionResponse>;
  /** Time from the first view of the assessment to submission, in ms. */
  durationMs?: number;
}

/** One attempt waiting to be graded. */
export interface QueuedAttempt {
  /** The quiz id (content/quizzes/{quizKey}.yaml). */
  quizKey: string;
  /** The module's activity IRI, to record its completion on a pass. */
  moduleIri: string;
  body: AttemptBody;
}

/**
 * Sends one attempt to the server and resolves with its grade; rejects with an LrsError carrying
 * the HTTP status (none when the server cannot be reached), or any other error to retry later.
 */
export type AttemptTransport = (attempt: QueuedAttempt) => Promise<Grade>;

/** Options of an AttemptOutbox. */
export interface AttemptOutboxOptions {
  storage: OutboxStorage;
  transport: AttemptTransport;
  /** Key prefix in storage. Default "dce.attempts". */
  prefix?: string;
  /** First retry delay after a failure, in ms (doubles each time, with jitter). Default 2,000. */
  baseDelayMs?: number;
  /** Longest retry delay, in ms. Default 300,000 (5 minutes). */
  maxDelayMs?: number;
  /** Called when the server graded an attempt (also for a retry of one it had graded). */
  onGraded?: (attempt: QueuedAttempt, grade: Grade) => void;
  /** Called when the server refused an attempt for good (4xx other than 401, 403, 408, 429). */
  onRejected?: (attempt: QueuedAttempt, reason: string) => void;
  /**
   * Called with the number of attempts waiting whenever it may have changed: after each enqueue
   * and at the end of every flush, whoever started it (a caller, the `online` event, the retry
   * timer), so that a count shown to the learner never goes stale (issue 13).
   */
  onChange?: (pending: number) => void;
}

/** What one flush did. */
export interface AttemptFlushResult {
  graded: number;
  rejected: number;
  pending: number;
}

/**
 * A durable queue of final assessment attempts waiting for the server's grade, beside the
 * statement outbox (src/lib/xapi/outbox.ts) and built the same way: an attempt is written to
 * storage under its own key before anything is sent ("{prefix}.q.{timestamp}.{attempt}"), and
 * leaves the queue only when the server answered with its grade, kept under
 * "{prefix}.graded.{attempt}". Retrying is safe: the server grades an attempt id once and answers
 * a retry with the same grade. Offline, unreachable, 401/403 (no usable credential yet), 408, 429
 * and 5xx: the attempt waits and is retried with exponential backoff. Any other 4xx means the
 * server will never grade it as it is: it moves to "{prefix}.rejected.{attempt}" with the reason,
 * kept for inspection, never deleted. Source: issue 11 ("An assessment taken offline waits in the
 * outbox and is graded when the connection returns").
 */
export class AttemptOutbox {
  readonly #storage: OutboxStorage;
  readonly #options: AttemptOutboxOptions;
  readonly #prefix: string;
  #failures = 0;
  #flushing: Promise<AttemptFlushResult> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: AttemptOutboxOptions) {
    this.#storage = options.storage;
    this.#options = options;
    this.#prefix = options.prefix ?? 'dce.attempts';
  }

  /**
   * Store an attempt durably until it is graded.
   * @throws Error when storage is full or unavailable (the caller must tell the learner)
   */
  enqueue(attempt: QueuedAttempt): void {
    this.#storage.setItem(`${this.#prefix}.q.${attempt.body.timestamp}.${attempt.body.attempt}`, JSON.stringify(attempt));
    this.#options.onChange?.(this.pending());
  }

  /** Attempts waiting to be graded, oldest first. */
  waiting(): QueuedAttempt[] {
    return this.#keys('.q.')
      .sort()
      .flatMap((k) => parse<QueuedAttempt>(this.#storage.getItem(k)) ?? []);
  }

  /** How many attempts wait to be graded. */
  pending(): number {
    return this.#keys('.q.').length;
  }

  /** The server's grade of an attempt, once it came; else null. */
  grade(attempt: string): Grade | null {
    return parse<{ grade: Grade }>(this.#storage.getItem(`${this.#prefix}.graded.${attempt}`))?.grade ?? null;
  }

  /** Why the server refused an attempt for good; else null. */
  rejection(attempt: string): string | null {
    return parse<{ reason: string }>(this.#storage.getItem(`${this.#prefix}.rejected.${attempt}`))?.reason ?? null;
  }

  /** Send every waiting attempt, oldest first; concurrent calls share one flush. */
  flush(): Promise<AttemptFlushResult> {
    this.#flushing ??= this.#flush().finally(() => {
      this.#flushing = undefined;
      this.#options.onChange?.(this.pending());
    });
    return this.#flushing;
  }

  /** The delay before the next retry, in ms, after `failures` failures in a row. */
  retryDelay(failures: number): number {
    const base = this.#options.baseDelayMs ?? 2000;
    const exp = Math.min(this.#options.maxDelayMs ?? 300000, base * 2 ** Math.max(0, failures - 1));
    return Math.round(exp / 2 + (Math.random() * exp) / 2);
  }

  /** Stop the pending retry timer (for tests and page teardown). */
  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #flush(): Promise<AttemptFlushResult> {
    let graded = 0;
    let rejected = 0;
    // Keys are read again after each attempt: one queued during this flush is sent by it too.
    const tried = new Set<string>();
    for (;;) {
      const key = this.#keys('.q.')
        .sort()
        .find((k) => !tried.has(k));
      if (key === undefined) break;
      tried.add(key);
      const queued = parse<QueuedAttempt>(this.#storage.getItem(key));
      if (queued === null) continue;
      const id = queued.body.attempt;
      try {
        const grade = await this.#options.transport(queued);
        this.#storage.setItem(`${this.#prefix}.graded.${id}`, JSON.stringify({ quizKey: queued.quizKey, grade }));
        this.#storage.removeItem(key);
        graded++;
        this.#options.onGraded?.(queued, grade);
      } catch (error) {
        if (!isRefusal(error)) {
          this.#scheduleRetry();
          break;
        }
        const reason = error instanceof Error ? error.message : String(error);
        this.#storage.setItem(`${this.#prefix}.rejected.${id}`, JSON.stringify({ attempt: queued, reason }));
        this.#storage.removeItem(key);
        rejected++;
        this.#options.onRejected?.(queued, reason);
      }
    }
    if (this.pending() === 0) this.#failures = 0;
    return { graded, rejected, pending: this.pending() };
  }

  #scheduleRetry(): void {
    this.#failures++;
    this.stop();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.retryDelay(this.#failures));
  }

  #keys(kind: '.q.'): string[] {
    const keys: string[] = [];
    for (let i = 0; i < this.#storage.length; i++) {
      const key = this.#storage.key(i);
      if (key?.startsWith(this.#prefix + kind)) keys.push(key);
    }
    return keys;
  }
}

function parse<T>(json: string | null): T | null {
  try {
    return json === null ? null : (JSON.parse(json) as T);
  } catch {
    return null;
  }
}

/** A refusal for good: a 4xx the server will answer again for the same attempt. */
function isRefusal(error: unknown): boolean {
  const status = error instanceof LrsError ? error.status : undefined;
  return status !== undefined && status >= 400 && status < 500 && ![401, 403, 408, 429].includes(status);
}
