import type { Transaction } from 'kysely';
import type { LrsDatabase } from '../db/open.ts';
import type { Schema } from '../db/schema.ts';
import type { Agent, Statement } from '../validate.ts';
import { readAttachments } from './attachments.ts';
import type { AttachmentParts } from './attachments.ts';
import { readDefinition } from './definitions.ts';
import { createGroupCommit } from './group-commit.ts';
import { consistentThrough, queryStatements, readStatement } from './query.ts';
import { saveBatch } from './save.ts';

// The statement store, composed of one module per concern:
// - group-commit.ts: the write queue, many batches per transaction;
// - save.ts: saving a batch (ids, stored, authority, immutability, index rows), with voiding.ts
//   (Data 2.3.2) and the equivalence rule of src/lib/xapi/statement-equivalence.ts (Data 2.3.1);
// - query.ts: the reads of GET /xapi/statements;
// - definitions.ts: the canonical Activity definitions (the activities table);
// - agents.ts: the Agents seen in statements (the agents table);
// - attachments.ts: attachment content.

export type { AttachmentParts } from './attachments.ts';
export { MAX_NAMES_PER_AGENT } from './agents.ts';

/** Filters of GET /xapi/statements, already validated; every field is optional. */
export interface StatementFilter {
  /** Identifier key of an Agent or identified Group (see ifiKey). */
  agent?: string | undefined;
  /** Match the agent as authority, instructor, team or inside a SubStatement too. */
  relatedAgents?: boolean | undefined;
  /** Verb IRI. */
  verb?: string | undefined;
  /** Activity IRI. */
  activity?: string | undefined;
  /** Match the activity as a context activity or inside a SubStatement too. */
  relatedActivities?: boolean | undefined;
  /** Registration UUID, lowercased. */
  registration?: string | undefined;
  /** Only statements stored after this instant (ISO 8601 UTC, exclusive). */
  since?: string | undefined;
  /** Only statements stored at or before this instant (ISO 8601 UTC, inclusive). */
  until?: string | undefined;
  /** Oldest first instead of newest first. */
  ascending?: boolean | undefined;
  /** Only statements stored with this credential key (the statements/read/mine scope). */
  authorityKey?: string | undefined;
}

/** One page of a statement query. */
export interface StatementPage {
  /** The statements' JSON as stored (format=exact), in the requested order of storage. */
  json: string[];
  /** The storage sequence number of the last statement, to continue after; undefined when empty. */
  last: number | undefined;
  /** The storage sequence number of each statement of `json`, in the same order (to cut a page short). */
  seqs: number[];
  /** Whether more statements match after this page. */
  more: boolean;
}

/** Who stores a batch: the authority set on its statements and the credential's key. */
export interface Storer {
  /** The Agent that becomes each statement's authority (Data 2.4.9). */
  authority: Agent;
  /** The credential's key, kept beside the statement for statements/read/mine. */
  key: string;
  /**
   * false when the credential lacks the scope define (or all): the statements are stored as sent
   * but the canonical Activity definitions and the known Agents do not change (xAPI 1.0.3
   * Communication 4.2, "define"). Default true.
   */
  define?: boolean | undefined;
}

/** Persistence of statements with the xAPI rules that need the stored data: duplicates, voiding. */
export interface StatementStore {
  /**
   * Store a batch in one write transaction: all statements or none.
   * @param statements validated statements; missing ids, stored, timestamp, version are filled in,
   *   authority is replaced by the storer's
   * @param storer authority and credential key
   * @param attachments content of attachments sent with the batch (by sha2), stored once each
   * @returns the statement ids, in the order given
   * @throws StatementConflictError when an id is stored with different content (Data 2.3.1);
   *   InvalidVoidingError when a statement voids a voiding statement (Data 2.3.2): both from
   *   src/lrs/errors/domain.ts, answered 409 and 400 by src/lrs/errors/handler.ts
   */
  save(statements: readonly Statement[], storer: Storer, attachments?: AttachmentParts): Promise<string[]>;
  /**
   * Read one statement by id.
   * @param id statement UUID, any case
   * @param voided false to find it only when not voided (statementId), true only when voided
   *   (voidedStatementId)
   * @param authorityKey when given, find it only if stored with this credential key
   * @returns the statement and its stored time, or undefined
   */
  get(id: string, voided: boolean, authorityKey?: string): Promise<{ statement: Statement; stored: string } | undefined>;
  /**
   * Find statements matching a filter, one page at a time, voided statements excluded.
   * @param filter the validated filter
   * @param page `after`: continue after this sequence number; `limit`: page size (1 or more)
   * @returns the page
   */
  query(filter: StatementFilter, page: { after?: number | undefined; limit: number }): Promise<StatementPage>;
  /**
   * The attachments cited by statements, for GET with attachments=true.
   * @param sha2s lowercase hex hashes
   * @returns the content found, by hash (attachments sent by fileUrl only have none)
   */
  attachments(sha2s: readonly string[]): Promise<Map<string, { contentType: string; content: Buffer }>>;
  /**
   * The instant up to which every statement is visible to queries: the X-Experience-API-
   * Consistent-Through header (Communication 2.1.3).
   * @returns ISO 8601 UTC
   */
  consistentThrough(): Promise<string>;
  /**
   * The canonical definition of an Activity: the merge of every definition stored for it.
   * @param activityId the Activity's IRI
   * @returns the definition, or undefined when none was ever given
   */
  definition(activityId: string): Promise<Record<string, unknown> | undefined>;
}

/** What else happens when statements are stored. */
export interface StatementStoreOptions {
  /**
   * Called inside the storing transaction with the statements newly stored (as stored, duplicates
   * left out): what it writes commits or rolls back with them (src/lrs/forward.ts queues them).
   */
  onStored?: ((trx: Transaction<Schema>, statements: readonly Statement[]) => Promise<void>) | undefined;
}

/**
 * Create the statement store over an open, migrated database (see openDatabase).
 * @param database the database; the caller keeps ownership and closes it
 * @param options see StatementStoreOptions
 * @returns the store
 * Sources: xAPI 1.0.3, Communication 2.1.1-2.1.4 (PUT, POST, GET, voided statements), Data 2.3
 * (comparison, voiding), Data 2.4.7-2.4.10 (timestamp, stored, authority, version), Data 2.4.11
 * (attachments), Communication 2.5 (the canonical Activity definition).
 */
export function createStatementStore(database: LrsDatabase, options: StatementStoreOptions = {}): StatementStore {
  const { db } = database;
  const submit = createGroupCommit<string[]>(database);
  return {
    save: (statements, storer, attachments) => submit((trx) => saveBatch(trx, statements, storer, attachments, options)),
    get: (id, voided, authorityKey) => readStatement(db, id, voided, authorityKey),
    query: (filter, page) => queryStatements(db, filter, page),
    attachments: (sha2s) => readAttachments(db, sha2s),
    consistentThrough: () => consistentThrough(database),
    definition: (activityId) => readDefinition(db, activityId),
  };
}
