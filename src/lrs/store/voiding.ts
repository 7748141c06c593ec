import type { Transaction } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { InvalidVoidingError } from '../errors/domain.ts';
import type { IndexTerms } from '../statement-index.ts';
import { CHUNK, chunks } from './chunks.ts';

// Voiding (xAPI 1.0.3, Data 2.3.2): which statements a batch voids, which of its statements are
// voided on arrival, and the statements that cannot be voided.

/** A statement about to be stored: its id lowercased and its index terms. */
export interface Arriving {
  key: string;
  terms: IndexTerms;
}

/**
 * Refuse a statement that voids a voiding statement.
 * @param id the statement's id as sent
 * @param terms its index terms
 * @param known the stored statements the batch cites, by lowercase id (`voiding` 1 or 0)
 * @throws InvalidVoidingError when its target is a stored voiding statement
 * Source: xAPI 1.0.3, Data 2.3.2 ("Any Statement that voids another cannot itself be voided").
 */
export function checkVoidingTarget(id: string, terms: IndexTerms, known: ReadonlyMap<string, { voiding: number }>): void {
  if (terms.voiding && terms.refId !== null && known.get(terms.refId)?.voiding === 1) {
    throw new InvalidVoidingError(id, terms.refId);
  }
}

/**
 * The statements of a batch that are voided as they are stored: a voiding statement may arrive
 * before its target (Data 2.3.2.s2.b5 forbids rejecting it), so a new statement is voided at once
 * when a stored voiding statement, or one of the same batch, targets it.
 * @param trx the storing transaction
 * @param arriving the batch's new statements
 * @returns their lowercase ids that are voided on arrival (voiding statements never are)
 */
export async function voidedOnArrival(trx: Transaction<Schema>, arriving: readonly Arriving[]): Promise<Set<string>> {
  const targeted = new Set<string>();
  for (const ids of chunks(
    arriving.map(({ key }) => key),
    CHUNK,
  )) {
    const rows = await trx.selectFrom('statements').select('ref_id').where('voiding', '=', 1).where('ref_id', 'in', ids).execute();
    rows.forEach((row) => row.ref_id !== null && targeted.add(row.ref_id));
  }
  arriving.forEach(({ terms }) => terms.voiding && targeted.add(terms.refId ?? ''));
  return new Set(arriving.filter(({ key, terms }) => !terms.voiding && targeted.has(key)).map(({ key }) => key));
}

/**
 * Mark as voided the stored statements the batch's voiding statements target (a voiding statement
 * itself is never voided, Data 2.3.2.s2.b3).
 * @param trx the storing transaction
 * @param arriving the batch's new statements
 */
export async function voidTargets(trx: Transaction<Schema>, arriving: readonly Arriving[]): Promise<void> {
  const targets = arriving.flatMap(({ terms }) => (terms.voiding && terms.refId !== null ? [terms.refId] : []));
  for (const ids of chunks(targets, CHUNK)) {
    await trx.updateTable('statements').set({ voided: 1 }).where('id', 'in', ids).where('voiding', '=', 0).execute();
  }
}
