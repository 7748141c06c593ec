import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { readsOnlyOwnStatements } from '../auth.ts';
import type { Access, Principal } from '../auth.ts';
import { XapiError, badRequest } from '../errors/xapi-error.ts';
import { ifiKey } from '../statement-index.ts';
import type { StatementFilter, StatementStore } from '../store/statements.ts';
import {
  isIri,
  isUuid,
  parseAgentParameter,
  parseStatementBody,
  parseTimestamp,
} from '../validate.ts';
import type { Agent, Statement } from '../validate.ts';
import { formatStatement, parseAcceptLanguage } from '../statement-format.ts';
import { buildMultipartMixed, checkAttachments, parseStatementRequest } from '../multipart.ts';
import type { AttachmentPart, StatementRequest } from '../multipart.ts';
import { verifySignedStatement } from '../signature.ts';
import type { StatementFormat } from '../statement-format.ts';

/** Page size when a query gives no limit. */
export const DEFAULT_LIMIT = 100;
/** Largest page; a larger limit, or limit=0 ("the server's maximum"), gets this many. */
export const MAX_LIMIT = 500;

/** What the statement routes need from the app. */
export interface StatementRoutesOptions {
  /** Where statements live. */
  store: StatementStore;
  /** The hook that checks a request's credential grants an access (see createAuthorizer). */
  authorize: (access: Access) => (request: FastifyRequest) => Promise<void>;
}

const FORMATS = ['exact', 'ids', 'canonical'] as const;
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
  // Fastify's own JSON parser hides where the JSON broke; the client deserves the position.
  // Keys such as "__proto__" stay own properties and are then refused by the validator.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(String(body)));
    } catch (error) {
      done(badRequest(`body: is not valid JSON: ${(error as Error).message}`), undefined);
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

  app.put('/statements', { onRequest: write }, async (request, reply) => {
    const parameters = readParameters(request, ['statementId']);
    const statementId = parameters.get('statementId');
    if (statementId === undefined) {
      throw badRequest('statementId: is required with PUT');
    }
    requireUuid('statementId', statementId);
    const { json, parts } = statementRequest(request.body);
    if (Array.isArray(json)) {
      throw badRequest('statement: PUT stores one statement; send a batch with POST');
    }
    const [statement] = await checked(parseStatementBody(json).statements, parts);
    if (statement === undefined) {
      throw badRequest('statement: is required');
    }
    if (statement.id !== undefined && statement.id.toLowerCase() !== statementId.toLowerCase()) {
      throw badRequest(`statement.id: ${statement.id} differs from the statementId parameter ${statementId}`);
    }
    await store.save([{ ...statement, id: statement.id ?? statementId }], storer(request), parts);
    return reply.code(204).send();
  });

  app.post('/statements', { onRequest: write }, async (request) => {
    readParameters(request, []);
    const { json, parts } = statementRequest(request.body);
    return store.save(await checked(parseStatementBody(json).statements, parts), storer(request), parts);
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
    const more =
      page.more && page.last !== undefined
        ? `${statementsPath}?cursor=${encodeCursor({ ...cursor, after: page.last })}`
        : '';
    if (cursor.format === 'exact' && !cursor.attachments) {
      // The stored JSON is the exact format: send it as it is rather than parse and serialize it again.
      reply.type('application/json; charset=utf-8');
      return `{"statements":[${page.json.join(',')}],"more":${JSON.stringify(more)}}`;
    }
    const parsed = page.json.map((text) => JSON.parse(text) as Statement);
    const statements = await format(request, parsed, cursor.format);
    return respond(reply, { statements, more }, statements, cursor.attachments);
  });

  /**
   * Send JSON, or with attachments=true the multipart/mixed form: the JSON first, then the
   * content of every attachment of the statements that this LRS holds (Communication 2.1.3,
   * "attachments"; 1.5.2).
   */
  async function respond(reply: FastifyReply, body: unknown, statements: readonly Statement[], attachments: boolean | undefined): Promise<unknown> {
    if (attachments !== true) {
      return body;
    }
    const hashes = statements.flatMap((statement) => [
      ...(statement.attachments ?? []),
      ...(statement.object.objectType === 'SubStatement' ? (statement.object.attachments ?? []) : []),
    ]).map((attachment) => attachment.sha2.toLowerCase());
    const found = await store.attachments(hashes);
    const multipart = buildMultipartMixed(body, [...found].map(([sha2, part]) => ({ sha2, ...part })));
    reply.type(multipart.contentType);
    return multipart.body;
  }

  async function getOne(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const parameters = readParameters(request, SINGLE_PARAMETERS);
    const statementId = parameters.get('statementId');
    const voidedStatementId = parameters.get('voidedStatementId');
    if (statementId !== undefined && voidedStatementId !== undefined) {
      throw badRequest('statementId and voidedStatementId cannot be used together');
    }
    const statementFormat = readFormat(parameters);
    const attachments = readBoolean(parameters, 'attachments');
    const voided = voidedStatementId !== undefined;
    const id = voidedStatementId ?? statementId ?? '';
    requireUuid(voided ? 'voidedStatementId' : 'statementId', id);
    const found = await store.get(id, voided, ownOnly(request, {}).authorityKey);
    if (found === undefined) {
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

  /** Statements in the requested format; canonical reads each Activity's definition once. */
  async function format(request: FastifyRequest, statements: Statement[], statementFormat: StatementFormat): Promise<Statement[]> {
    if (statementFormat === 'exact') {
      return statements;
    }
    const definitions = new Map<string, Record<string, unknown> | undefined>();
    if (statementFormat === 'canonical') {
      for (const id of activityIds(statements)) {
        definitions.set(id, await store.definition(id));
      }
    }
    const options = {
      languages: parseAcceptLanguage(request.headers['accept-language']),
      definitionOf: (id: string) => definitions.get(id),
    };
    return statements.map((statement) => formatStatement(statement, statementFormat, options));
  }
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

/** The authority and credential key of the request's credential. */
function storer(request: FastifyRequest): { authority: Agent; key: string } {
  const { authority, key } = principalOf(request);
  return { authority, key };
}

/** The filter, restricted to the credential's own statements under statements/read/mine. */
function ownOnly(request: FastifyRequest, filter: StatementFilter): StatementFilter {
  const principal = principalOf(request);
  return readsOnlyOwnStatements(principal) ? { ...filter, authorityKey: principal.key } : filter;
}

/**
 * Read the query string as single values, rejecting unknown and repeated parameters.
 * Parameter names are case-sensitive, so "StatementId" is unknown too (Communication 3.2).
 */
function readParameters(request: FastifyRequest, allowed: readonly string[]): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const [name, value] of Object.entries(request.query as Record<string, unknown>)) {
    if (!allowed.includes(name)) {
      throw badRequest(`${name}: is not a parameter of ${request.method} ${request.routeOptions.url ?? ''} here`);
    }
    if (typeof value !== 'string') {
      throw badRequest(`${name}: is given more than once`);
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
      throw badRequest(`${name}: must be an IRI with a scheme`);
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
      filter[name] = instant.toISOString();
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
    throw badRequest('limit: must be a nonnegative integer');
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
    throw badRequest(`${name}: must be a UUID`);
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

