import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { assertOwnAgent, readsOnlyOwnStatements } from '../auth.ts';
import type { Access, Principal } from '../auth.ts';
import { XapiError, badRequest } from '../errors/xapi-error.ts';
import { ifiKey, indexTerms } from '../statement-index.ts';
import type { StatementFilter, StatementStore } from '../store/statements.ts';
import {
  isIri,
  isUuid,
  parseAgentParameter,
  parseStatementBody,
  parseTimestamp,
  instantBound,
} from '../validate.ts';
import type { Agent, Statement } from '../validate.ts';
import { formatStatement, parseAcceptLanguage } from '../statement-format.ts';
import { parseStatementJson } from '../strict-json.ts';
import { buildMultipartMixed, checkAttachments, parseStatementRequest } from '../multipart.ts';
import type { AttachmentPart, StatementRequest } from '../multipart.ts';
import { verifySignedStatement } from '../signature.ts';
import type { StatementFormat } from '../statement-format.ts';

/** Page size when a query gives no limit. */
export const DEFAULT_LIMIT = 100;
/** Largest page; a larger limit, or limit=0 ("the server's maximum"), gets this many. */
export const MAX_LIMIT = 500;
/**
 * Largest response page of GET statements, in bytes of statement JSON (and of attachment data with
 * attachments=true): a page that would be larger ends early with a `more` link, so a client gets
 * its statements in several pages rather than one huge body. A page always holds at least one
 * statement. The same bound caps the canonical definitions added to one statement (format=canonical).
 * A limit of this LRS (Communication 2.1.3 lets the LRS return fewer statements than `limit`).
 */
export const MAX_PAGE_BYTES = 1024 * 1024;

/** What the statement routes need from the app. */
export interface StatementRoutesOptions {
  /** Where statements live. */
  store: StatementStore;
  /** The hook that checks a request's credential grants an access (see createAuthorizer). */
  authorize: (access: Access) => (request: FastifyRequest) => Promise<void>;
}

const FORMATS = ['exact', 'ids', 'canonical'] as const;
/** The request bodies PUT and POST statements take, named by a 415 (see errors/handler.ts). */
const STATEMENT_BODIES =
  'application/json (a statement or an array of statements), multipart/mixed (statements with attachments, Communication 1.5.2) ' +
  'or application/x-www-form-urlencoded with ?method= (the alternate request syntax, Communication 1.3)';
// @xapi/xapi adds cachebuster=<time> to GETs when asked to defeat caches; it means nothing here.
const IGNORED = 'cachebuster';
const SINGLE_PARAMETERS = ['statementId', 'voidedStatementId', 'format', 'attachments', IGNORED];
const QUERY_PARAMETERS = [
  'agent',
  'verb',
  'activity',
  'registration',
  'related_activities',
  'related_agents',
  'since',
  'until',
  'limit',
  'format',
  'attachments',
  'ascending',
  IGNORED,
];
const MORE_PARAMETERS = ['cursor', IGNORED];

const filterSchema = z.strictObject({
  agent: z.string().optional(),
  relatedAgents: z.boolean().optional(),
  verb: z.string().optional(),
  activity: z.string().optional(),
  relatedActivities: z.boolean().optional(),
  registration: z.string().optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  ascending: z.boolean().optional(),
});
/** Everything needed to fetch the next page, carried in the `more` URL so nothing is kept server-side. */
const cursorSchema = z.strictObject({
  filter: filterSchema,
  // Storage sequence number of the last statement sent; 0 before the first page (seq starts at 1).
  after: z.int().nonnegative(),
  limit: z.int().min(1).max(MAX_LIMIT),
  attachments: z.boolean(),
  format: z.enum(FORMATS),
});
type Cursor = z.output<typeof cursorSchema>;

/**
 * Register the Statement Resource: PUT, POST, GET (and HEAD) `statements`.
 *
 * Every request must carry X-Experience-API-Version 1.0.x; writing needs the write credential,
 * reading the read credential. Responses carry X-Experience-API-Consistent-Through, and GET
 * responses an ETag (SHA-1 of the body).
 * @param app the Fastify scope mounted at the xAPI base (e.g. /xapi)
 * @param options the store, the authenticator and the authority of the write credential
 * Sources: xAPI 1.0.3, Communication 2.1 (Statement Resource), 3.1 (ETag), 3.3 (Versioning),
 * 3.2 (unknown parameters are a 400).
 */
export async function statementRoutes(app: FastifyInstance, options: StatementRoutesOptions): Promise<void> {
  const { store, authorize } = options;
  const statementsPath = `${app.prefix}/statements`;

  // Without this, Fastify would parse text/plain bodies into strings; statements are JSON only.
  app.removeContentTypeParser('text/plain');
  // Exact JSON from the raw bytes (strict-json.ts): Fastify's own parser would replace bad
  // UTF-8, keep lone surrogates and round numbers, and hide where the JSON broke.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseStatementJson(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  // Attachments come as multipart/mixed: the statements first, then one part per attachment
  // (Communication 1.5.2); multipart/form-data is not an xAPI request body.
  app.addContentTypeParser('multipart/mixed', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      done(null, new MultipartBody(parseStatementRequest(body as Buffer, request.headers['content-type'] ?? '')));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser('multipart/form-data', (_request, _payload, done) => {
    done(badRequest('Content-Type: statements with attachments are sent as multipart/mixed, not multipart/form-data'), undefined);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Experience-API-Consistent-Through', await store.consistentThrough());
    if ((request.method === 'GET' || request.method === 'HEAD') && reply.statusCode === 200 && typeof payload === 'string') {
      reply.header('ETag', `"${createHash('sha1').update(payload).digest('hex')}"`);
    }
    return payload;
  });

  const read = authorize('statements/read');
  const write = authorize('statements/write');

  app.put('/statements', { onRequest: write, config: { accepts: STATEMENT_BODIES } }, async (request, reply) => {
    const parameters = readParameters(request, ['statementId']);
    const statementId = parameters.get('statementId');
    if (statementId === undefined) {
      throw badRequest('statementId: is required with PUT, the UUID of the statement sent, e.g. ?statementId=3b1c6a34-2f4e-4f8b-9a0e-6d2b9c1e7f10');
    }
    requireUuid('statementId', statementId);
    const { json, parts } = statementRequest(request.body);
    if (Array.isArray(json)) {
      throw badRequest('statement: PUT stores one statement (a JSON object), not an array; send a batch with POST');
    }
    const [statement] = await checked(parseStatementBody(json).statements, parts);
    if (statement === undefined) {
      throw badRequest('statement: is required');
    }
    if (statement.id !== undefined && statement.id.toLowerCase() !== statementId.toLowerCase()) {
      throw badRequest(`statement.id: ${statement.id} differs from the statementId parameter ${statementId}`);
    }
    assertLearnerStatements(principalOf(request), [statement], 'statement');
    await store.save([{ ...statement, id: statement.id ?? statementId }], storer(request), parts);
    return reply.code(204).send();
  });

  app.post('/statements', { onRequest: write, config: { accepts: STATEMENT_BODIES } }, async (request) => {
    readParameters(request, []);
    const { json, parts } = statementRequest(request.body);
    const { statements, batch } = parseStatementBody(json);
    assertLearnerStatements(principalOf(request), statements, batch ? 'statements' : 'statement');
    return store.save(await checked(statements, parts), storer(request), parts);
  });

  app.get('/statements', { onRequest: read }, async (request, reply) => {
    const names = Object.keys(request.query as object);
    if (names.includes('statementId') || names.includes('voidedStatementId')) {
      return getOne(request, reply);
    }
    const cursor = names.includes('cursor')
      ? decodeCursor(readParameters(request, MORE_PARAMETERS).get('cursor') ?? '')
      : readQuery(readParameters(request, QUERY_PARAMETERS));
    const page = await store.query(ownOnly(request, cursor.filter), { after: cursor.after === 0 ? undefined : cursor.after, limit: cursor.limit });
    // The stored JSON is the exact format: send it as it is rather than parse and serialize it again.
    const statements =
      cursor.format === 'exact' && !cursor.attachments
        ? undefined
        : await format(request, page.json.map((text) => JSON.parse(text) as Statement), cursor.format);
    const texts = statements === undefined ? page.json : statements.map((statement) => JSON.stringify(statement));
    const sizes = texts.map((text) => Buffer.byteLength(text));
    const attachments = cursor.attachments && statements !== undefined ? await attachmentsWithin(statements, sizes) : undefined;
    const kept = attachments?.kept ?? fitPage(sizes);
    const last = kept < texts.length ? page.seqs[kept - 1] : page.last;
    const more =
      (kept < texts.length || page.more) && last !== undefined
        ? `${statementsPath}?cursor=${encodeCursor({ ...cursor, after: last })}`
        : '';
    if (attachments !== undefined && statements !== undefined) {
      const sent = statements.slice(0, kept);
      return respond(reply, { statements: sent, more }, sent, true, attachments.found);
    }
    reply.type('application/json; charset=utf-8');
    return `{"statements":[${texts.slice(0, kept).join(',')}],"more":${JSON.stringify(more)}}`;
  });

  /**
   * The attachment data of the first statements of a page whose JSON and attachment bytes fit
   * MAX_PAGE_BYTES (at least one statement), read statement by statement so that a page of large
   * attachments is never loaded whole.
   * @param statements the page's statements, formatted
   * @param sizes the bytes of each statement's JSON
   * @returns how many statements to send and the attachment data found for them, by sha2
   */
  async function attachmentsWithin(
    statements: readonly Statement[],
    sizes: readonly number[],
  ): Promise<{ kept: number; found: Map<string, { contentType: string; content: Buffer }> }> {
    const found = new Map<string, { contentType: string; content: Buffer }>();
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
    reply: FastifyReply,
    body: unknown,
    statements: readonly Statement[],
    attachments: boolean | undefined,
    given?: Map<string, { contentType: string; content: Buffer }>,
  ): Promise<unknown> {
    if (attachments !== true) {
      return body;
    }
    const found = given ?? (await store.attachments(attachmentHashes(statements)));
    const multipart = buildMultipartMixed(body, [...found].map(([sha2, part]) => ({ sha2, ...part })));
    reply.type(multipart.contentType);
    return multipart.body;
  }

  async function getOne(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const parameters = readParameters(request, SINGLE_PARAMETERS);
    const statementId = parameters.get('statementId');
    const voidedStatementId = parameters.get('voidedStatementId');
    if (statementId !== undefined && voidedStatementId !== undefined) {
      throw badRequest('statementId and voidedStatementId cannot be used together; give one of them');
    }
    const statementFormat = readFormat(parameters);
    const attachments = readBoolean(parameters, 'attachments');
    const voided = voidedStatementId !== undefined;
    const id = voidedStatementId ?? statementId ?? '';
    requireUuid(voided ? 'voidedStatementId' : 'statementId', id);
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
    const [statement] = await format(request, [found.statement], statementFormat);
    return respond(reply, statement, statement === undefined ? [] : [statement], attachments);
  }

  /**
   * Statements in the requested format; canonical reads each Activity's definition once, and adds
   * at most MAX_PAGE_BYTES of canonical definitions to one statement (past that, an Activity keeps
   * the definition it was stored with), so no statement grows without bound.
   */
  async function format(request: FastifyRequest, statements: Statement[], statementFormat: StatementFormat): Promise<Statement[]> {
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

/** A multipart/mixed request body, parsed (see parseStatementRequest). */
class MultipartBody {
  readonly request: StatementRequest;
  constructor(request: StatementRequest) {
    this.request = request;
  }
}

/** The statements' JSON and the attachment parts of a PUT or POST body. */
function statementRequest(body: unknown): { json: unknown; parts: Map<string, AttachmentPart> } {
  return body instanceof MultipartBody ? body.request : { json: body, parts: new Map() };
}

/**
 * Check attachments against their parts (every attachment without fileUrl has one; no part is
 * left over) and the signature of signed statements (Data 2.4.11, 2.6).
 * @throws XapiError 400 naming the statement and attachment
 */
async function checked(statements: Statement[], parts: Map<string, AttachmentPart>): Promise<Statement[]> {
  checkAttachments(statements, parts);
  for (const [index, statement] of statements.entries()) {
    await verifySignedStatement(statement as Record<string, unknown>, parts, statements.length === 1 ? 'statement' : `statements[${index}]`);
  }
  return statements;
}

function principalOf(request: FastifyRequest): Principal {
  if (request.principal === undefined) {
    throw new Error('statement route reached without the authorize hook');
  }
  return request.principal;
}

/**
 * The authority and credential key of the request's credential, and whether it may (re)define
 * Activities and Agents: only with the scope define or all (xAPI 1.0.3 Communication 4.2, "define":
 * without it the LRS "should not update its internal representation of any actors or
 * activities"; the statement itself is stored as sent).
 */
function storer(request: FastifyRequest): { authority: Agent; key: string; define: boolean } {
  const { authority, key, scopes } = principalOf(request);
  return { authority, key, define: scopes.has('define') || scopes.has('all') };
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

const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';

/**
 * Check the statements a learner credential stores: each actor must be its agent (the same
 * identifier, not a Group), and it voids nothing. Other credentials pass.
 * @param principal the request's principal
 * @param statements the validated statements
 * @param path "statement" (PUT or a single POST) or "statements" (a batch), for the message
 * @throws XapiError 403 naming the statement, its actor and the rule
 * Source: issue 11 (a learner credential writes only statements whose actor is its agent);
 * xAPI 1.0.3 Communication 3.2 (403: "not allowed to perform the given action").
 */
function assertLearnerStatements(principal: Principal, statements: readonly Statement[], path: 'statement' | 'statements'): void {
  if (principal.agent === undefined) {
    return;
  }
  const own = ifiKey(principal.agent);
  for (const [index, statement] of statements.entries()) {
    const where = path === 'statement' ? 'statement' : `statements[${index}]`;
    if (statement.actor.objectType === 'Group' || ifiKey(statement.actor) !== own) {
      throw new XapiError(
        403,
        `${where}.actor: ${JSON.stringify(statement.actor)} is not this learner credential's agent ${JSON.stringify(principal.agent)}; a learner credential stores only statements whose actor is its own agent`,
      );
    }
    if (statement.verb.id === VOIDED) {
      throw new XapiError(403, `${where}.verb: a learner credential cannot void statements`);
    }
  }
}

/**
 * Read the query string as single values, rejecting unknown and repeated parameters.
 * Parameter names are case-sensitive, so "StatementId" is unknown too (Communication 3.2).
 */
function readParameters(request: FastifyRequest, allowed: readonly string[]): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const [name, value] of Object.entries(request.query as Record<string, unknown>)) {
    if (!allowed.includes(name)) {
      const known = allowed.filter((parameter) => parameter !== IGNORED);
      throw badRequest(
        `${name}: is not a parameter of ${request.method} ${request.routeOptions.url ?? ''} here; ` +
          (known.length === 0 ? 'it takes none (names are case-sensitive)' : `it takes ${known.join(', ')} (names are case-sensitive)`),
      );
    }
    if (typeof value !== 'string') {
      throw badRequest(`${name}: is given more than once; give it once`);
    }
    parameters.set(name, value);
  }
  return parameters;
}

function readQuery(parameters: Map<string, string>): Cursor {
  const format = readFormat(parameters);
  const filter: StatementFilter = {
    relatedAgents: readBoolean(parameters, 'related_agents'),
    relatedActivities: readBoolean(parameters, 'related_activities'),
    ascending: readBoolean(parameters, 'ascending'),
  };
  const agent = parameters.get('agent');
  if (agent !== undefined) {
    filter.agent = ifiKey(parseAgentParameter(agent)) ?? undefined;
  }
  for (const name of ['verb', 'activity'] as const) {
    const value = parameters.get(name);
    if (value !== undefined && !isIri(value)) {
      throw badRequest(`${name}: must be an IRI with a scheme, e.g. ${name}=${encodeURIComponent(name === 'verb' ? 'http://adlnet.gov/expapi/verbs/completed' : 'https://example.org/activities/1')}`);
    }
    filter[name] = value;
  }
  const registration = parameters.get('registration');
  if (registration !== undefined) {
    requireUuid('registration', registration);
    filter.registration = registration.toLowerCase();
  }
  for (const name of ['since', 'until'] as const) {
    const value = parameters.get(name);
    if (value !== undefined) {
      const instant = parseTimestamp(value);
      if (instant === undefined) {
        throw badRequest(`${name}: must be an ISO 8601 timestamp, e.g. 2025-01-31T12:00:00Z`);
      }
      filter[name] = instantBound(instant);
    }
  }
  return {
    filter,
    after: 0,
    limit: readLimit(parameters.get('limit')),
    attachments: readBoolean(parameters, 'attachments') ?? false,
    format,
  };
}

function readLimit(value: string | undefined): number {
  if (value === undefined) {
    return DEFAULT_LIMIT;
  }
  if (!/^\d+$/.test(value)) {
    throw badRequest(`limit: must be a nonnegative integer, e.g. limit=100; 0 means this LRS's maximum, ${MAX_LIMIT}`);
  }
  const limit = Number(value);
  return limit === 0 ? MAX_LIMIT : Math.min(limit, MAX_LIMIT);
}

/** The `format` parameter: exact (the default), ids or canonical (Communication 2.1.3). */
function readFormat(parameters: Map<string, string>): StatementFormat {
  const format = parameters.get('format') ?? 'exact';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw badRequest(`format: must be one of ${FORMATS.join(', ')}`);
  }
  return format as StatementFormat;
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

function readBoolean(parameters: Map<string, string>, name: string): boolean | undefined {
  const value = parameters.get(name);
  if (value === undefined) {
    return undefined;
  }
  if (value !== 'true' && value !== 'false') {
    throw badRequest(`${name}: must be true or false`);
  }
  return value === 'true';
}

function requireUuid(name: string, value: string): void {
  if (!isUuid(value)) {
    throw badRequest(`${name}: must be a UUID such as 3b1c6a34-2f4e-4f8b-9a0e-6d2b9c1e7f10`);
  }
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(token: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
  } catch {
    throw badRequest('cursor: is not a cursor this LRS issued; start again from GET statements');
  }
}

