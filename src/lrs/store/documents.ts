import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { LrsDatabase } from '../db/open.ts';
import type { Schema } from '../db/schema.ts';
import {
  DocumentConflictError,
  DocumentTooLargeError,
  InvalidDocumentError,
  PreconditionFailedError,
  PreconditionRequiredError,
} from '../errors/domain.ts';
import { XapiError } from '../errors/xapi-error.ts';
import { parseStrictJson } from '../strict-json.ts';
import { readKnownAgent } from './agents.ts';
import type { KnownAgent } from './agents.ts';

export type { KnownAgent } from './agents.ts';

/** The three Document Resources (Communication 2.3, 2.6, 2.7), as stored in documents.kind. */
export type DocumentKind = 'state' | 'activity-profile' | 'agent-profile';

/**
 * Where a set of documents lives. Empty strings stand for "not part of the key": a state has an
 * activity, an agent and maybe a registration; an activity profile only an activity; an agent
 * profile only an agent.
 */
export interface DocumentScope {
  kind: DocumentKind;
  /** activityId (state, activity profile) or ''. */
  activityId: string;
  /** Identifier key of the agent, see ifiKey (state, agent profile) or ''. */
  agentIfi: string;
  /** registration UUID, lowercased (state only) or '' when none was given. */
  registration: string;
}

/** One document's full key: its scope and its stateId or profileId. */
export interface DocumentKey extends DocumentScope {
  /** stateId or profileId. */
  documentId: string;
}

/** A stored document. */
export interface StoredDocument {
  /** The bytes as sent (or, after a JSON merge, the merged object serialized). */
  content: Buffer;
  /** The Content-Type it was sent with, e.g. "application/json" or "text/plain; charset=utf-8". */
  contentType: string;
  /** Quoted lowercase hex SHA-1 of content, e.g. "\"2fd4e1c6...\"" (Communication 3.1). */
  etag: string;
  /** ISO 8601 UTC instant of the last change. */
  updated: string;
}

/** A document as received with PUT or POST. */
export interface IncomingDocument {
  content: Buffer;
  /** The request's Content-Type; application/octet-stream when it sent none. */
  contentType: string;
}

/**
 * The concurrency headers of a write (Communication 3.1), as sent: lists of entity tags or "*".
 * `required` makes a write without either header an error: 409 when the document exists (the
 * client overwrites something it has not seen), 400 when it does not (the client broke 3.1.s3.b1).
 */
export interface Preconditions {
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
  required?: boolean | undefined;
}

/** Persistence of the State, Activity Profile and Agent Profile documents. */
export interface DocumentStore {
  /**
   * Read one document.
   * @returns the document, or undefined when there is none at this key
   */
  get(key: DocumentKey): Promise<StoredDocument | undefined>;
  /**
   * The ids of the documents of a scope, each once, in id order. For the State Resource an
   * empty registration means every registration (Communication 2.3.s4: "Activity + Agent
   * [+ registration if specified]").
   * @param since ISO 8601 UTC: only documents updated strictly after it
   * @returns the ids and, for each, when it was last updated (the latest when an id repeats
   *   across registrations)
   */
  list(scope: DocumentScope, since?: string): Promise<Array<{ id: string; updated: string }>>;
  /**
   * Store a document, replacing any at this key (PUT).
   * @returns the stored document
   * @throws PreconditionFailedError when a precondition fails; DocumentConflictError or
   *   PreconditionRequiredError when `required` and neither header is given (see Preconditions);
   *   nothing is written then (src/lrs/errors/domain.ts)
   */
  put(key: DocumentKey, document: IncomingDocument, conditions?: Preconditions): Promise<StoredDocument>;
  /**
   * Merge a JSON object into the document at this key, or store it when there is none (POST):
   * top-level properties of the posted object replace those of the stored one.
   * @returns the stored document
   * @throws InvalidDocumentError when the posted document is not an application/json JSON object,
   *   or the stored one is not; PreconditionFailedError when a precondition fails;
   *   DocumentTooLargeError when the merge would pass MAX_DOCUMENT_BYTES; nothing is written then
   * Source: xAPI 1.0.3, Communication 2.2 (JSON Procedure with Requirements, 2.2.s7 and 2.2.s8).
   */
  post(key: DocumentKey, document: IncomingDocument, conditions?: Preconditions): Promise<StoredDocument>;
  /**
   * Delete one document; deleting a missing document is not an error.
   * @returns whether a document was deleted
   * @throws PreconditionFailedError when a precondition fails (If-Match on a missing document fails too)
   */
  delete(key: DocumentKey, conditions?: Preconditions): Promise<boolean>;
  /**
   * Delete every state document of an Activity and Agent: of one registration when `registration`
   * is not '', else of every registration (Communication 2.3.s5).
   * @returns how many were deleted
   */
  deleteStates(scope: Omit<DocumentScope, 'kind'>): Promise<number>;
  /**
   * What statements told of an Agent, for the Person object of the Agents Resource.
   * @param ifi the Agent's identifier key (see ifiKey)
   * @returns the Agent last seen and its names, or undefined when no statement involved it
   */
  knownAgent(ifi: string): Promise<KnownAgent | undefined>;
}

/**
 * Largest document a POST may make by merging (1 MiB, the request body limit of app.ts's
 * BODY_LIMIT): each request is bounded by the body limit, and this keeps a series of merges
 * from growing one document without bound. A limit of this LRS.
 */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

/**
 * The ETag of document content: the quoted lowercase hex SHA-1 of its bytes.
 * @param content the document's bytes
 * @returns e.g. "\"da39a3ee5e6b4b0d3255bfef95601890afd80709\"" for no bytes
 * Source: xAPI 1.0.3, Communication 3.1 (3.1.s4.b2, 3.1.s4.b4).
 */
export function documentEtag(content: Buffer): string {
  return `"${createHash('sha1').update(content).digest('hex')}"`;
}

/**
 * Tell whether a Content-Type names JSON.
 * @param contentType a Content-Type header value, parameters allowed
 * @returns true for "application/json" and "Application/JSON; charset=utf-8"
 */
export function isJsonContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** The primary key columns of a document, for `where((eb) => eb.and(keyColumns(key)))`. */
function keyColumns(key: DocumentKey): { kind: string; activity_id: string; agent_ifi: string; registration: string; document_id: string } {
  return {
    kind: key.kind,
    activity_id: key.activityId,
    agent_ifi: key.agentIfi,
    registration: key.registration,
    document_id: key.documentId,
  };
}

/**
 * Create the document store over an open, migrated database (see openDatabase). Every write runs
 * in `database.writeTransaction`, so the precondition checks and the write are one atomic step
 * even with several LRS processes on PostgreSQL.
 * @param database the database; the caller keeps ownership and closes it
 * @returns the store
 * Sources: xAPI 1.0.3, Communication 2.2-2.7 (Document, State, Agents, Activity and Agent Profile
 * Resources), 3.1 (Concurrency).
 */
export function createDocumentStore(database: LrsDatabase): DocumentStore {
  const { db } = database;
  return {
    get: (key) => read(db, key),
    list: (scope, since) => list(db, scope, since),
    put: (key, document, conditions = {}) =>
      database.writeTransaction(async (trx) => {
        check(await read(trx, key), conditions);
        return write(trx, key, document);
      }),
    post: (key, document, conditions = {}) => database.writeTransaction((trx) => merge(trx, key, document, conditions)),
    delete: (key, conditions = {}) =>
      database.writeTransaction(async (trx) => {
        const existing = await read(trx, key);
        check(existing, { ...conditions, required: false });
        if (existing === undefined) {
          return false;
        }
        await trx
          .deleteFrom('documents')
          .where((eb) => eb.and(keyColumns(key)))
          .execute();
        return true;
      }),
    deleteStates: (scope) => database.writeTransaction((trx) => deleteStates(trx, scope)),
    knownAgent: (ifi) => readKnownAgent(db, ifi),
  };
}

/** The document at a key, or undefined. */
async function read(trx: Kysely<Schema>, key: DocumentKey): Promise<StoredDocument | undefined> {
  const row = await trx
    .selectFrom('documents')
    .select(['content', 'content_type', 'etag', 'updated'])
    .where((eb) => eb.and(keyColumns(key)))
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { content: Buffer.from(row.content), contentType: row.content_type, etag: row.etag, updated: row.updated };
}

/** Store a document at a key, replacing any; returns it as stored (ETag, updated now). */
async function write(trx: Transaction<Schema>, key: DocumentKey, document: IncomingDocument): Promise<StoredDocument> {
  const stored: StoredDocument = {
    content: document.content,
    contentType: document.contentType,
    etag: documentEtag(document.content),
    updated: new Date().toISOString(),
  };
  const changes = { content: stored.content, content_type: stored.contentType, etag: stored.etag, updated: stored.updated };
  await trx
    .insertInto('documents')
    .values({
      kind: key.kind,
      activity_id: key.activityId,
      agent_ifi: key.agentIfi,
      registration: key.registration,
      document_id: key.documentId,
      ...changes,
    })
    .onConflict((conflict) => conflict.columns(['kind', 'activity_id', 'agent_ifi', 'registration', 'document_id']).doUpdateSet(changes))
    .execute();
  return stored;
}

/** The ids of a scope's documents (see DocumentStore.list). */
async function list(db: Kysely<Schema>, scope: DocumentScope, since: string | undefined): Promise<Array<{ id: string; updated: string }>> {
  let query = db
    .selectFrom('documents')
    .select((eb) => ['document_id', eb.fn.max('updated').as('updated')])
    .where('kind', '=', scope.kind)
    .where('activity_id', '=', scope.activityId)
    .where('agent_ifi', '=', scope.agentIfi);
  if (scope.kind !== 'state' || scope.registration !== '') {
    query = query.where('registration', '=', scope.registration);
  }
  if (since !== undefined) {
    query = query.where('updated', '>', since);
  }
  const rows = await query.groupBy('document_id').orderBy('document_id').execute();
  return rows.map((row) => ({ id: row.document_id, updated: String(row.updated) }));
}

/** POST: merge a JSON object into the document at a key, or store it (see DocumentStore.post). */
async function merge(
  trx: Transaction<Schema>,
  key: DocumentKey,
  document: IncomingDocument,
  conditions: Preconditions,
): Promise<StoredDocument> {
  const posted = jsonObject(document, 'the posted document');
  const existing = await read(trx, key);
  check(existing, conditions);
  if (existing === undefined) {
    return write(trx, key, document);
  }
  const merged = Buffer.from(JSON.stringify({ ...jsonObject(existing, 'the stored document'), ...posted }), 'utf8');
  if (merged.length > MAX_DOCUMENT_BYTES) {
    throw new DocumentTooLargeError(
      `document: merged with the stored one it would be ${merged.length} bytes, above this LRS's limit of ${MAX_DOCUMENT_BYTES}; PUT a smaller document or remove properties first`,
    );
  }
  return write(trx, key, { content: merged, contentType: document.contentType });
}

/** Delete the state documents of an Activity and Agent (see DocumentStore.deleteStates). */
async function deleteStates(trx: Transaction<Schema>, scope: Omit<DocumentScope, 'kind'>): Promise<number> {
  let query = trx
    .deleteFrom('documents')
    .where('kind', '=', 'state')
    .where('activity_id', '=', scope.activityId)
    .where('agent_ifi', '=', scope.agentIfi);
  if (scope.registration !== '') {
    query = query.where('registration', '=', scope.registration);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Apply If-Match and If-None-Match to the document found (RFC 9110 13.1.1 and 13.1.2: If-Match
 * compares strongly, If-None-Match weakly; "*" matches any existing document).
 * @throws PreconditionFailedError, DocumentConflictError or PreconditionRequiredError (see Preconditions)
 */
function check(existing: StoredDocument | undefined, conditions: Preconditions): void {
  const { ifMatch, ifNoneMatch, required } = conditions;
  if (ifMatch !== undefined) {
    const tags = entityTags(ifMatch);
    const matched = existing !== undefined && (tags.includes('*') || tags.includes(existing.etag));
    if (!matched) {
      throw new PreconditionFailedError(
        existing === undefined
          ? `If-Match: ${ifMatch} names a document that does not exist; GET it again or send If-None-Match: * to create it`
          : `If-Match: ${ifMatch} does not match the document's current ETag ${existing.etag}; it changed since you read it: GET it again`,
      );
    }
  }
  if (ifNoneMatch !== undefined) {
    const tags = entityTags(ifNoneMatch).map(weak);
    if (existing !== undefined && (tags.includes('*') || tags.includes(weak(existing.etag)))) {
      throw new PreconditionFailedError(
        `If-None-Match: ${ifNoneMatch} failed: the document exists (ETag ${existing.etag}); GET it and send If-Match with its ETag to replace it`,
      );
    }
  }
  if (required === true && ifMatch === undefined && ifNoneMatch === undefined) {
    if (existing !== undefined) {
      throw new DocumentConflictError(
        `the document already exists and this PUT has neither If-Match nor If-None-Match: GET the document to check its current state, then PUT again with If-Match: ${existing.etag} (its current ETag) to replace it`,
      );
    }
    throw new PreconditionRequiredError(
      'If-Match or If-None-Match: a PUT to a profile document needs one of them; send If-None-Match: * to create the document, or If-Match with its ETag to replace it',
    );
  }
}

/** The entity tags of an If-Match or If-None-Match header: "*" or quoted tags (quotes kept). */
function entityTags(header: string): string[] {
  return header
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '')
    .map((tag) => (tag === '*' || tag.startsWith('"') || tag.startsWith('W/') ? tag : `"${tag}"`));
}

/** An entity tag without its weakness indicator, for the weak comparison. */
function weak(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/** The JSON object a document holds; InvalidDocumentError naming which document is not one. */
function jsonObject(document: { content: Buffer; contentType: string }, which: string): Record<string, unknown> {
  if (!isJsonContentType(document.contentType)) {
    throw new InvalidDocumentError(
      `${which} has Content-Type ${document.contentType}; POST merges JSON objects only, both documents must be application/json (use PUT to replace the document)`,
    );
  }
  // Exact JSON (strict-json.ts): a stored document from before these rules may nest too deep
  // to serialise again, or hold numbers a merge would change; it is then refused, not merged.
  let value: unknown;
  try {
    value = parseStrictJson(document.content, which);
  } catch (error) {
    // The parser answers for requests (a 400 XapiError); here its reason names a stored document.
    throw error instanceof XapiError ? new InvalidDocumentError(error.message) : error;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidDocumentError(
      `${which} is JSON but not a JSON object; POST merges JSON objects only (use PUT to replace the document)`,
    );
  }
  return value as Record<string, unknown>;
}
