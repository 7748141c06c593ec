import type { FastifyReply, FastifyRequest } from 'fastify';
import { assertOwnAgent, readsOnlyOwnStatements } from '../auth.ts';
import { XapiError } from '../errors/xapi-error.ts';
import { buildMultipartMixed } from '../multipart.ts';
import { encodeCursor } from '../parameters.ts';
import type { Cursor } from '../parameters.ts';
import type { StatementGetBody } from '../responses.ts';
import { formatStatement, parseAcceptLanguage } from '../statement-format.ts';
import type { StatementFormat } from '../statement-format.ts';
import { ifiKey, indexTerms } from '../statement-index.ts';
import type { StatementFilter, StatementStore } from '../store/statements.ts';
import type { Statement } from '../validate.ts';
import { principalOf } from './statement-writes.ts';

/**
 * Largest response page of GET statements, in bytes of statement JSON (and of attachment data with
 * attachments=true): a page that would be larger ends early with a `more` link, so a client gets
 * its statements in several pages rather than one huge body. A page always holds at least one
 * statement. The same bound caps the canonical definitions added to one statement (format=canonical).
 * A limit of this LRS (Communication 2.1.3 lets the LRS return fewer statements than `limit`).
 */
export const MAX_PAGE_BYTES = 1024 * 1024;

type Parts = Map<string, { contentType: string; content: Buffer }>;

/** One statement asked for by id (GET statements with statementId or voidedStatementId). */
export interface OneStatement {
  /** The id, as given; voided tells which parameter gave it. */
  id: string;
  voided: boolean;
  format: StatementFormat;
  attachments: boolean | undefined;
}

/** What GET statements answers with, given its parsed query (see statementReader). */
export interface StatementReader {
  /** A page of statements for a query or a cursor: the StatementResult, as JSON text or multipart/mixed. */
  page(request: FastifyRequest, reply: FastifyReply, cursor: Cursor): Promise<StatementGetBody>;
  /** One statement, or a 404 XapiError (Communication 2.1.3, statementId and voidedStatementId). */
  one(request: FastifyRequest, reply: FastifyReply, wanted: OneStatement): Promise<StatementGetBody>;
}

/**
 * The reading half of the Statement Resource: pages of statements within MAX_PAGE_BYTES, the
 * requested format, attachments as multipart/mixed, and what each credential may read.
 * @param store where statements live
 * @param statementsPath the full path of the resource, e.g. "/xapi/statements", for `more` links
 * Source: xAPI 1.0.3, Communication 2.1.3 (GET statements), 1.5.2 (multipart/mixed).
 */
export function statementReader(store: StatementStore, statementsPath: string): StatementReader {
  return {
    page: (request, reply, cursor) => page(store, statementsPath, request, reply, cursor),
    one: (request, reply, wanted) => one(store, request, reply, wanted),
  };
}

/**
 * The attachment data of the first statements of a page whose JSON and attachment bytes fit
 * MAX_PAGE_BYTES (at least one statement), read statement by statement so that a page of large
 * attachments is never loaded whole.
 */
async function attachmentsWithin(
  store: StatementStore,
  statements: readonly Statement[],
  sizes: readonly number[],
): Promise<{ kept: number; found: Parts }> {
  const found: Parts = new Map();
  let total = 0;
  for (const [index, statement] of statements.entries()) {
    const wanted = attachmentHashes([statement]).filter((sha2) => !found.has(sha2));
    const fresh = await store.attachments(wanted);
    const bytes = (sizes[index] ?? 0) + [...fresh.values()].reduce((sum, part) => sum + part.content.length, 0);
    if (index > 0 && total + bytes > MAX_PAGE_BYTES) {
      return { kept: index, found };
    }
    total += bytes;
    fresh.forEach((part, sha2) => found.set(sha2, part));
  }
  return { kept: statements.length, found };
}

/**
 * Send JSON, or with attachments=true the multipart/mixed form: the JSON first, then the
 * content of every attachment of the statements that this LRS holds (Communication 2.1.3,
 * "attachments"; 1.5.2).
 */
async function respond(
  store: StatementStore,
  reply: FastifyReply,
  body: Record<string, unknown>,
  statements: readonly Statement[],
  attachments: boolean | undefined,
  given?: Parts,
): Promise<StatementGetBody> {
  if (attachments !== true) {
    return body;
  }
  const found = given ?? (await store.attachments(attachmentHashes(statements)));
  const multipart = buildMultipartMixed(
    body,
    [...found].map(([sha2, part]) => ({ sha2, ...part })),
  );
  reply.type(multipart.contentType);
  return multipart.body;
}

/**
 * Statements in the requested format; canonical reads each Activity's definition once, and adds
 * at most MAX_PAGE_BYTES of canonical definitions to one statement (past that, an Activity keeps
 * the definition it was stored with), so no statement grows without bound.
 */
async function format(
  store: StatementStore,
  request: FastifyRequest,
  statements: Statement[],
  statementFormat: StatementFormat,
): Promise<Statement[]> {
  if (statementFormat === 'exact') {
    return statements;
  }
  const definitions = new Map<string, { definition: Record<string, unknown>; bytes: number }>();
  if (statementFormat === 'canonical') {
    for (const id of activityIds(statements)) {
      const definition = await store.definition(id);
      if (definition !== undefined) {
        definitions.set(id, { definition, bytes: Buffer.byteLength(JSON.stringify(definition)) });
      }
    }
  }
  let added = 0;
  const options = {
    languages: parseAcceptLanguage(request.headers['accept-language']),
    definitionOf: (id: string) => {
      const known = definitions.get(id);
      if (known === undefined || added + known.bytes > MAX_PAGE_BYTES) {
        return undefined;
      }
      added += known.bytes;
      return known.definition;
    },
  };
  return statements.map((statement) => {
    added = 0;
    return formatStatement(statement, statementFormat, options);
  });
}

/** The page of GET statements for a query or cursor (StatementReader.page). */
async function page(
  store: StatementStore,
  statementsPath: string,
  request: FastifyRequest,
  reply: FastifyReply,
  cursor: Cursor,
): Promise<StatementGetBody> {
  const found = await store.query(ownOnly(request, cursor.filter), {
    after: cursor.after === 0 ? undefined : cursor.after,
    limit: cursor.limit,
  });
  // The stored JSON is the exact format: send it as it is rather than parse and serialize it again.
  const statements =
    cursor.format === 'exact' && !cursor.attachments
      ? undefined
      : await format(
          store,
          request,
          found.json.map((text) => JSON.parse(text) as Statement),
          cursor.format,
        );
  const texts = statements === undefined ? found.json : statements.map((statement) => JSON.stringify(statement));
  const sizes = texts.map((text) => Buffer.byteLength(text));
  const attachments = cursor.attachments && statements !== undefined ? await attachmentsWithin(store, statements, sizes) : undefined;
  const kept = attachments?.kept ?? fitPage(sizes);
  const last = kept < texts.length ? found.seqs[kept - 1] : found.last;
  const more =
    (kept < texts.length || found.more) && last !== undefined ? `${statementsPath}?cursor=${encodeCursor({ ...cursor, after: last })}` : '';
  if (attachments !== undefined && statements !== undefined) {
    const sent = statements.slice(0, kept);
    return respond(store, reply, { statements: sent, more }, sent, true, attachments.found);
  }
  // Already JSON (a string with a JSON type skips the response serializer): the statements'
  // stored text, byte for byte.
  reply.type('application/json; charset=utf-8');
  return `{"statements":[${texts.slice(0, kept).join(',')}],"more":${JSON.stringify(more)}}`;
}

/** One statement by id (StatementReader.one). */
async function one(store: StatementStore, request: FastifyRequest, reply: FastifyReply, wanted: OneStatement): Promise<StatementGetBody> {
  const { id, voided } = wanted;
  const own = ownOnly(request, {});
  const found = await store.get(id, voided, own.authorityKey);
  // A learner credential gets only statements its agent takes part in; others are "not found".
  if (found === undefined || (own.agent !== undefined && !indexTerms(found.statement).agents.has(own.agent))) {
    throw new XapiError(
      404,
      voided
        ? `no voided statement with id ${id}`
        : `no statement with id ${id} (a voided statement is only returned through voidedStatementId)`,
    );
  }
  reply.header('Last-Modified', new Date(found.stored).toUTCString());
  // format answers one statement for one statement.
  const [statement = found.statement] = await format(store, request, [found.statement], wanted.format);
  return respond(store, reply, statement, [statement], wanted.attachments);
}

/** How many of a page's statements, of these JSON sizes in bytes, fit MAX_PAGE_BYTES; at least one. */
function fitPage(sizes: readonly number[]): number {
  let total = 0;
  for (const [index, size] of sizes.entries()) {
    total += size + 1; // and its comma
    if (index > 0 && total > MAX_PAGE_BYTES) {
      return index;
    }
  }
  return sizes.length;
}

/** The lowercase sha2 of every attachment of statements, their SubStatements' included. */
function attachmentHashes(statements: readonly Statement[]): string[] {
  return statements
    .flatMap((statement) => [
      ...(statement.attachments ?? []),
      ...(statement.object.objectType === 'SubStatement' ? (statement.object.attachments ?? []) : []),
    ])
    .map((attachment) => attachment.sha2.toLowerCase());
}

/**
 * The filter, restricted to what the credential may read: a learner credential to its own agent
 * (an `agent` filter, from the query or a cursor, naming another agent is a 403), a
 * statements/read/mine credential to the statements it stored.
 */
function ownOnly(request: FastifyRequest, filter: StatementFilter): StatementFilter {
  const principal = principalOf(request);
  if (principal.agent !== undefined) {
    const own = ifiKey(principal.agent) ?? undefined;
    assertOwnAgent(principal, filter.agent, 'agent');
    return { ...filter, agent: own };
  }
  return readsOnlyOwnStatements(principal) ? { ...filter, authorityKey: principal.key } : filter;
}

/** Ids of the Activities of statements: objects, SubStatement objects and context activities. */
function activityIds(statements: readonly Statement[]): Set<string> {
  const ids = new Set<string>();
  const addObject = (object: { objectType?: string | undefined; id?: unknown }): void => {
    if ((object.objectType === undefined || object.objectType === 'Activity') && typeof object.id === 'string') {
      ids.add(object.id);
    }
  };
  const addContext = (context: Statement['context']): void => {
    for (const list of Object.values(context?.contextActivities ?? {})) {
      (list ?? []).forEach(addObject);
    }
  };
  for (const statement of statements) {
    addObject(statement.object);
    addContext(statement.context);
    if (statement.object.objectType === 'SubStatement') {
      addObject(statement.object.object);
      addContext(statement.object.context);
    }
  }
  return ids;
}
