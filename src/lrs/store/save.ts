import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { REPEATED_ID_RULES, sameStatement } from '../../lib/xapi/statement-equivalence.ts';
import type { Schema } from '../db/schema.ts';
import { StatementConflictError } from '../errors/domain.ts';
import { indexTerms } from '../statement-index.ts';
import { parseTimestamp } from '../validate.ts';
import type { Statement } from '../validate.ts';
import { saveAgents } from './agents.ts';
import { saveAttachments } from './attachments.ts';
import type { AttachmentParts } from './attachments.ts';
import { CHUNK, chunks } from './chunks.ts';
import { saveDefinitions } from './definitions.ts';
import type { Storer, StatementStoreOptions } from './statements.ts';
import { checkVoidingTarget, voidTargets, voidedOnArrival } from './voiding.ts';
import type { Arriving } from './voiding.ts';

// Saving a batch of statements in a write transaction: ids, stored, authority; immutability;
// the statements table and its index rows; then voiding, attachments, definitions and agents.

/** A statement of the batch that is not stored yet, as it will be stored. */
interface Fresh extends Arriving {
  statement: Statement;
}

/**
 * Store a batch inside a write transaction: every statement or, by throwing, none.
 * @param trx the write transaction (a savepoint of a group commit, src/lrs/store/group-commit.ts)
 * @param statements validated statements; missing ids, stored, timestamp, version are filled in,
 *   authority is replaced by the storer's
 * @param storer authority, credential key, whether definitions and agents are recorded
 * @param attachments content of attachments sent with the batch (by sha2), stored once each
 * @param options onStored, called with the statements newly stored
 * @returns the statement ids, in the order given
 * @throws StatementConflictError when an id is stored with different content (a statement stored
 *   with the same content is left as it is); InvalidVoidingError when a statement voids a voiding
 *   statement
 * Sources: xAPI 1.0.3, Communication 2.1.1-2.1.2 (PUT, POST), Data 2.3.1 (immutability), 2.3.2
 * (voiding), 2.4.7-2.4.10 (timestamp, stored, authority, version), 2.4.11 (attachments).
 */
export async function saveBatch(
  trx: Transaction<Schema>,
  statements: readonly Statement[],
  storer: Storer,
  attachments: AttachmentParts | undefined,
  options: StatementStoreOptions,
): Promise<string[]> {
  const withIds = statements.map((statement) => ({ statement, id: statement.id ?? randomUUID() }));
  const fresh = await freshStatements(trx, withIds, storer);
  if (fresh.length > 0) {
    const seqs = await insertStatements(trx, fresh, storer.key);
    await voidTargets(trx, fresh);
    await insertIndexRows(trx, fresh, seqs);
    const stored = fresh.map(({ statement }) => statement);
    await saveAttachments(trx, stored, attachments);
    if (storer.define !== false) {
      await saveDefinitions(trx, stored);
      await saveAgents(trx, stored);
    }
    await options.onStored?.(trx, stored);
  }
  return withIds.map(({ id }) => id);
}

/**
 * The statements of a batch not stored yet, completed as they will be stored; those stored with
 * the same content (Data 2.3.1, REPEATED_ID_RULES) are left out.
 * @throws StatementConflictError, InvalidVoidingError (see saveBatch)
 */
async function freshStatements(
  trx: Transaction<Schema>,
  withIds: ReadonlyArray<{ statement: Statement; id: string }>,
  storer: Storer,
): Promise<Fresh[]> {
  const stored = await nextStored(trx);
  const referenced = withIds.flatMap(({ statement }) =>
    statement.object.objectType === 'StatementRef' ? [statement.object.id.toLowerCase()] : [],
  );
  const known = new Map<string, { statement: string; voiding: number }>();
  for (const ids of chunks([...new Set([...withIds.map(({ id }) => id.toLowerCase()), ...referenced])], CHUNK)) {
    const rows = await trx.selectFrom('statements').select(['id', 'statement', 'voiding']).where('id', 'in', ids).execute();
    rows.forEach((row) => known.set(row.id, row));
  }
  const fresh: Fresh[] = [];
  for (const { statement: incoming, id } of withIds) {
    const key = id.toLowerCase();
    const existing = known.get(key);
    if (existing !== undefined) {
      if (!sameStatement(JSON.parse(existing.statement) as Record<string, unknown>, incoming, REPEATED_ID_RULES)) {
        throw new StatementConflictError(id);
      }
      continue;
    }
    // id first: reviewers read the stored JSON; incoming.id, when present, is this same id.
    const statement: Statement = {
      id,
      ...incoming,
      timestamp: incoming.timestamp === undefined ? stored : toUtc(incoming.timestamp),
      stored,
      authority: storer.authority,
      version: incoming.version ?? '1.0.0',
    };
    const terms = indexTerms(statement);
    checkVoidingTarget(id, terms, known);
    fresh.push({ statement, key, terms });
  }
  return fresh;
}

/** The stored instant of a new batch: now, but never before the last one, so its order agrees with seq. */
async function nextStored(trx: Transaction<Schema>): Promise<string> {
  const previous = await trx.selectFrom('statements').select('stored').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return new Date(Math.max(Date.now(), previous === undefined ? 0 : Date.parse(previous.stored))).toISOString();
}

/** Insert the statements rows; returns each statement's seq by lowercase id. */
async function insertStatements(trx: Transaction<Schema>, fresh: readonly Fresh[], authorityKey: string): Promise<Map<string, number>> {
  const voided = await voidedOnArrival(trx, fresh);
  const seqs = new Map<string, number>();
  for (const part of chunks(fresh, CHUNK)) {
    const rows = await trx
      .insertInto('statements')
      .values(
        part.map(({ statement, key, terms }) => ({
          id: key,
          actor_ifi: terms.actorIfi,
          verb_id: terms.verbId,
          activity_id: terms.activityId,
          registration: terms.registration,
          ref_id: terms.refId,
          voiding: terms.voiding ? 1 : 0,
          voided: voided.has(key) ? 1 : 0,
          stored: statement.stored ?? '',
          timestamp: statement.timestamp ?? statement.stored ?? '',
          authority_key: authorityKey,
          statement: JSON.stringify(statement),
        })),
      )
      .returning(['id', 'seq'])
      .execute();
    rows.forEach((row) => seqs.set(row.id, Number(row.seq)));
  }
  return seqs;
}

/** The rows of statement_agents and statement_activities that the agent and activity filters read. */
async function insertIndexRows(trx: Transaction<Schema>, fresh: readonly Fresh[], seqs: ReadonlyMap<string, number>): Promise<void> {
  const agentRows = fresh.flatMap(({ key, terms }) =>
    [...terms.agents].map(([ifi, direct]) => ({ ifi, direct: direct ? 1 : 0, seq: seqs.get(key) ?? 0 })),
  );
  for (const part of chunks(agentRows, CHUNK)) {
    await trx
      .insertInto('statement_agents')
      .values(part)
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }
  const activityRows = fresh.flatMap(({ key, terms }) =>
    [...terms.activities].map(([activityId, direct]) => ({ activity_id: activityId, direct: direct ? 1 : 0, seq: seqs.get(key) ?? 0 })),
  );
  for (const part of chunks(activityRows, CHUNK)) {
    await trx
      .insertInto('statement_activities')
      .values(part)
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }
}

/** An instant in the UTC ISO form the LRS returns (Data 4.5: "SHOULD* return the Timestamp in UTC"). */
function toUtc(timestamp: string): string {
  return parseTimestamp(timestamp)?.toISOString() ?? timestamp;
}
