import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import type { LrsDatabase } from '../db/open.ts';
import type { Schema } from '../db/schema.ts';

/** Most batches stored in one write transaction. */
const MAX_GROUP = 64;

/** Work that writes inside a transaction it is given, and what it resolves to. */
type Work<T> = (trx: Transaction<Schema>) => Promise<T>;

interface Pending<T> {
  work: Work<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * A write queue with group commit: work that arrives while a write transaction runs is done
 * together in the next one, each piece inside its own savepoint, so that many small concurrent
 * POSTs share one commit (one fsync) instead of queueing for one each. A piece that fails is
 * rolled back to its savepoint and rejected alone; every piece is resolved only once the commit
 * succeeded, and all of a group are rejected when the commit fails. A group of one runs without a
 * savepoint and fails as a whole.
 * @param database the database whose writeTransaction runs each group
 * @returns `submit(work)`: queue the work, resolved with its result after its group committed
 */
export function createGroupCommit<T>(database: LrsDatabase): (work: Work<T>) => Promise<T> {
  const pending: Array<Pending<T>> = [];
  let draining = false;

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (pending.length > 0) {
        await commitGroup(database, pending.splice(0, MAX_GROUP));
      }
    } finally {
      draining = false;
    }
  }

  return (work) =>
    new Promise<T>((resolve, reject) => {
      pending.push({ work, resolve, reject });
      if (!draining) {
        // Let the event loop read the requests already waiting first, so that they join this group.
        draining = true;
        setImmediate(() => void drain());
      }
    });
}

/** Run one group in one write transaction, then settle each piece by its own outcome. */
async function commitGroup<T>(database: LrsDatabase, group: ReadonlyArray<Pending<T>>): Promise<void> {
  const outcomes: Array<{ value: T } | { error: unknown }> = [];
  try {
    await database.writeTransaction(async (trx) => {
      for (const [index, { work }] of group.entries()) {
        if (group.length === 1) {
          outcomes.push({ value: await work(trx) });
          continue;
        }
        const savepoint = sql.raw(`batch_${index}`);
        await sql`SAVEPOINT ${savepoint}`.execute(trx);
        try {
          outcomes.push({ value: await work(trx) });
          await sql`RELEASE SAVEPOINT ${savepoint}`.execute(trx);
        } catch (error) {
          await sql`ROLLBACK TO SAVEPOINT ${savepoint}`.execute(trx);
          outcomes.push({ error });
        }
      }
    });
  } catch (error) {
    group.forEach(({ reject }) => reject(error));
    return;
  }
  group.forEach(({ resolve, reject }, index) => {
    const outcome = outcomes[index];
    if (outcome !== undefined && 'value' in outcome) {
      resolve(outcome.value);
    } else {
      reject(outcome?.error);
    }
  });
}
