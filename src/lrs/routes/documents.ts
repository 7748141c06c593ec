import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isAlternateSyntax } from '../alternate-syntax.ts';
import { assertOwnAgent } from '../auth.ts';
import type { Access } from '../auth.ts';
import { XapiError } from '../errors/xapi-error.ts';
import {
  IGNORED,
  TAKES,
  activityIdParameter,
  agentParameter,
  documentIdParameter,
  ignored,
  instantParameter,
  optionalHeader,
  query,
  registrationParameter,
  variants,
  xapiHeaders,
} from '../parameters.ts';
import { activityResponse, documentGetResponse, noContent, personResponse } from '../responses.ts';
import { documentHeaders } from '../security-headers.ts';
import { ifiKey } from '../statement-index.ts';
import { isJsonContentType } from '../store/documents.ts';
import type { DocumentKind, DocumentScope, DocumentStore, IncomingDocument, Preconditions } from '../store/documents.ts';
import type { StatementStore } from '../store/statements.ts';
import { decodeUtf8, parseStrictJson } from '../strict-json.ts';
import type { Agent } from '../validate.ts';

/** What the document routes need from the app. */
export interface DocumentRoutesOptions {
  /** Where State, Activity Profile and Agent Profile documents live (see createDocumentStore). */
  documents: DocumentStore;
  /** The statement store, for the canonical Activity definitions of the Activities Resource. */
  statements: Pick<StatementStore, 'definition'>;
  /** The hook that checks a request's credential grants an access (see createAuthorizer). */
  authorize: (access: Access) => (request: FastifyRequest) => Promise<void>;
}

/** One Document Resource: its path, what keys its documents, and who may use it. */
export interface DocumentResource {
  path: string;
  kind: DocumentKind;
  /** The parameter naming one document. */
  idName: 'stateId' | 'profileId';
  /** The parameters that scope its documents, in the order they are checked. */
  scope: ReadonlyArray<'activityId' | 'agent' | 'registration'>;
  read: Access;
  write: Access;
  /** PUT must carry If-Match or If-None-Match (Communication 3.1.s3: profiles, not State). */
  preconditionRequired: boolean;
  /** DELETE without the id deletes every document of the scope (State only, Communication 2.3.s5). */
  deleteAll: boolean;
}

const RESOURCES: readonly DocumentResource[] = [
  {
    path: '/activities/state',
    kind: 'state',
    idName: 'stateId',
    scope: ['activityId', 'agent', 'registration'],
    read: 'state/read',
    write: 'state/write',
    preconditionRequired: false,
    deleteAll: true,
  },
  {
    path: '/activities/profile',
    kind: 'activity-profile',
    idName: 'profileId',
    scope: ['activityId'],
    read: 'profile/read',
    write: 'profile/write',
    preconditionRequired: true,
    deleteAll: false,
  },
  {
    path: '/agents/profile',
    kind: 'agent-profile',
    idName: 'profileId',
    scope: ['agent'],
    read: 'profile/read',
    write: 'profile/write',
    preconditionRequired: true,
    deleteAll: false,
  },
];

/** The parameters that scope a resource's documents, in the order they are checked. */
function scopeShape(resource: DocumentResource) {
  return {
    ...(resource.scope.includes('activityId') ? { activityId: activityIdParameter } : {}),
    ...(resource.scope.includes('agent') ? { agent: agentParameter } : {}),
    ...(resource.scope.includes('registration') ? { registration: registrationParameter } : {}),
  } as { activityId?: typeof activityIdParameter; agent?: typeof agentParameter; registration?: typeof registrationParameter };
}

/**
 * The query strings of one Document Resource (Communication 2.2-2.7): the scope, then the id or,
 * on a GET of ids, `since`; DELETE of State may leave out the id (every State document of the scope).
 * @param resource the resource
 * @param path its full path, e.g. "/xapi/activities/state", for the answers
 */
export function documentQueries(resource: DocumentResource, path: string) {
  const scope = scopeShape(resource);
  const id = documentIdParameter(resource.idName);
  const named = (method: string) => ({ name: `${method} ${path}`, takes: TAKES });
  const one = query({ ...scope, [resource.idName]: id, [IGNORED]: ignored }, named('GET'));
  const list = query({ ...scope, since: instantParameter, [IGNORED]: ignored }, named('GET'));
  const pick = (input: Record<string, unknown>): 'one' | 'list' => (resource.idName in input ? 'one' : 'list');
  // The shape depends on the resource, so the outputs are typed here, as DocumentParameters.
  type Parsed = z.ZodType<DocumentParameters>;
  return {
    get: variants({ one, list }, pick) as z.ZodType<{ mode: 'one' | 'list'; value: DocumentParameters }>,
    put: query({ ...scope, [resource.idName]: id }, named('PUT')) as Parsed,
    post: query({ ...scope, [resource.idName]: id }, named('POST')) as Parsed,
    delete: query({ ...scope, [resource.idName]: resource.deleteAll ? id.optional() : id }, named('DELETE')) as Parsed,
  };
}

/** A query's parameters once parsed: the scope's and the document id's, each when the resource takes it. */
interface DocumentParameters {
  activityId?: string | undefined;
  agent?: Agent | undefined;
  registration?: string | undefined;
  stateId?: string | undefined;
  profileId?: string | undefined;
  /** GET of ids only: the instant bound of `since`. */
  since?: string | undefined;
}

/**
 * The scope of a resource's documents from its parsed parameters ('' for a parameter it does not
 * take). A learner credential uses the State of its own agent only (issue 11): another agent is a
 * 403 (the authorizer already keeps it from every other document resource).
 */
function scopeOf(resource: DocumentResource, parameters: DocumentParameters, request: FastifyRequest): DocumentScope {
  if (request.principal !== undefined && parameters.agent !== undefined) {
    assertOwnAgent(request.principal, ifiKey(parameters.agent), 'agent');
  }
  return {
    kind: resource.kind,
    activityId: parameters.activityId ?? '',
    agentIfi: parameters.agent === undefined ? '' : (ifiKey(parameters.agent) ?? ''),
    registration: parameters.registration ?? '',
  };
}

/** The document id of parsed parameters ('' only where the schema let it be absent). */
function idOf(resource: DocumentResource, parameters: DocumentParameters): string {
  return parameters[resource.idName] ?? '';
}

/** The headers of a document write: its type and the preconditions (Communication 3.1). */
const WRITE_HEADERS = xapiHeaders({ 'content-type': optionalHeader, 'if-match': optionalHeader, 'if-none-match': optionalHeader });

/**
 * Register the Document Resources and the Activities and Agents Resources:
 *
 * - `activities/state` GET | PUT | POST | DELETE (activityId, agent, registration?, stateId?; since? on GET
 *   of ids); access state/read for GET, state/write otherwise;
 * - `activities/profile` GET | PUT | POST | DELETE (activityId, profileId?; since? on GET of ids) and
 *   `agents/profile` (agent, profileId?; since?); access profile/read or profile/write;
 * - `activities` GET (activityId): the Activity with its canonical definition (activities/read);
 * - `agents` GET (agent): the Person object for an Agent (agents/read).
 *
 * GET of one document answers its bytes with the Content-Type it was stored with, ETag (quoted
 * SHA-1) and Last-Modified (304 when If-None-Match names its ETag), sandboxed and, unless its
 * type is inert, as an attachment (documentHeaders of security-headers.ts); GET without the id answers
 * the JSON array of ids (updated after `since` when given) and the Last-Modified of the newest;
 * 404 when the document is missing. PUT, POST and DELETE answer 204. POST merges JSON objects
 * (Communication 2.2.s7). If-Match / If-None-Match are honoured on every write (412 when they fail);
 * a profile PUT without either gets 409 when the document exists, 400 when it does not.
 * Query strings, headers and responses are declared as zod schemas (documentQueries,
 * src/lrs/parameters.ts, src/lrs/responses.ts).
 * Bodies of any content type arrive as raw bytes: this plugin replaces the scope's body parsers
 * with one that keeps every body as a Buffer (Fastify encapsulation keeps it out of sibling
 * plugins), except the form body of the alternate request syntax, kept as a string for the replay.
 * The X-Experience-API-Version check and the alternate syntax are the enclosing scope's
 * (installProtocol), which covers these routes as it covers every other.
 * @param app the Fastify scope mounted at the xAPI base (e.g. /xapi)
 * @param options the document store, the statement store (definitions) and the authorizer
 * @throws (as responses) XapiError 400 for a missing, repeated, malformed or unknown parameter
 *   (names are case-sensitive), a POST of something other than a JSON object or onto one, or a
 *   body whose content does not match its application/json type; 401/403 from the authorizer;
 *   404, 409 and 412 as above
 * Sources: xAPI 1.0.3, Communication 2.2 (Document Resources), 2.3 (State), 2.4 (Agents),
 * 2.5 (Activities), 2.6 (Agent Profile), 2.7 (Activity Profile), 3.1 (Concurrency), 3.2 (Error
 * Codes: unknown parameters are a 400), 1.1 (HEAD), 1.5 (documents can have any content type).
 */
export async function documentRoutes(app: FastifyInstance, options: DocumentRoutesOptions): Promise<void> {
  const { documents, statements, authorize } = options;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    // The alternate request syntax's form is replayed from its text (see installProtocol).
    try {
      done(null, isAlternateSyntax(request) ? decodeUtf8(body as Buffer, 'body') : body);
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (
      (request.method === 'GET' || request.method === 'HEAD') &&
      reply.statusCode === 200 &&
      !reply.hasHeader('ETag') &&
      typeof payload === 'string'
    ) {
      reply.header('ETag', `"${createHash('sha1').update(payload).digest('hex')}"`);
    }
    return payload;
  });

  for (const resource of RESOURCES) {
    documentResource(app, resource, documents, authorize);
  }
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const activityQuery = query(
    { activityId: activityIdParameter, [IGNORED]: ignored },
    { name: `GET ${app.prefix}/activities`, takes: TAKES },
  );
  const agentQuery = query({ agent: agentParameter, [IGNORED]: ignored }, { name: `GET ${app.prefix}/agents`, takes: TAKES });
  const headers = xapiHeaders({});

  routes.get(
    '/activities',
    { onRequest: authorize('activities/read'), schema: { querystring: activityQuery, headers, response: { 200: activityResponse } } },
    async (request) => {
      const { activityId } = request.query;
      const definition = await statements.definition(activityId);
      return definition === undefined
        ? { objectType: 'Activity' as const, id: activityId }
        : { objectType: 'Activity' as const, id: activityId, definition };
    },
  );

  routes.get(
    '/agents',
    { onRequest: authorize('agents/read'), schema: { querystring: agentQuery, headers, response: { 200: personResponse } } },
    async (request) => {
      const { agent } = request.query;
      const known = await documents.knownAgent(ifiKey(agent) ?? '');
      return person(agent, known?.names ?? []);
    },
  );
}

/**
 * Register one Document Resource's GET, PUT, POST and DELETE (see documentRoutes).
 * @param app the xAPI scope of documentRoutes
 * @param resource which resource
 * @param documents the document store
 * @param authorize the authorizer
 */
function documentResource(
  app: FastifyInstance,
  resource: DocumentResource,
  documents: DocumentStore,
  authorize: DocumentRoutesOptions['authorize'],
): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const queries = documentQueries(resource, `${app.prefix}${resource.path}`);
  const read = authorize(resource.read);
  const write = authorize(resource.write);
  const readHeaders = xapiHeaders({ 'if-none-match': optionalHeader });

  routes.get(
    resource.path,
    { onRequest: read, schema: { querystring: queries.get, headers: readHeaders, response: { 200: documentGetResponse, 304: noContent } } },
    async (request, reply) => {
      const { mode, value } = request.query;
      const scope = scopeOf(resource, value, request);
      if (mode === 'list') {
        return listDocuments(documents, scope, value.since, reply);
      }
      const key = { ...scope, documentId: idOf(resource, value) };
      const document = await documents.get(key);
      if (document === undefined) {
        throw new XapiError(404, `no ${describe(resource)} document with ${resource.idName} ${JSON.stringify(key.documentId)} here`);
      }
      reply.header('ETag', document.etag).header('Last-Modified', new Date(document.updated).toUTCString());
      const ifNoneMatch = request.headers['if-none-match'];
      if (
        typeof ifNoneMatch === 'string' &&
        ifNoneMatch.split(',').some((tag) => [document.etag, `W/${document.etag}`, '*'].includes(tag.trim()))
      ) {
        return reply.code(304).send();
      }
      // Whatever type it was stored with, a document never runs as a page on this origin.
      return reply.type(document.contentType).headers(documentHeaders(document.contentType)).send(document.content);
    },
  );

  const writes = { onRequest: write, schema: { headers: WRITE_HEADERS, response: { 204: noContent } } };
  routes.put(resource.path, { ...writes, schema: { ...writes.schema, querystring: queries.put } }, async (request, reply) => {
    const key = { ...scopeOf(resource, request.query, request), documentId: idOf(resource, request.query) };
    await documents.put(key, incoming(request), { ...preconditions(request), required: resource.preconditionRequired });
    return reply.code(204).send();
  });

  routes.post(resource.path, { ...writes, schema: { ...writes.schema, querystring: queries.post } }, async (request, reply) => {
    const key = { ...scopeOf(resource, request.query, request), documentId: idOf(resource, request.query) };
    await documents.post(key, incoming(request), preconditions(request));
    return reply.code(204).send();
  });

  routes.delete(resource.path, { ...writes, schema: { ...writes.schema, querystring: queries.delete } }, async (request, reply) => {
    const parameters: DocumentParameters = request.query;
    const scope = scopeOf(resource, parameters, request);
    if (resource.deleteAll && parameters[resource.idName] === undefined) {
      const { activityId, agentIfi, registration } = scope;
      await documents.deleteStates({ activityId, agentIfi, registration });
    } else {
      await documents.delete({ ...scope, documentId: idOf(resource, parameters) }, preconditions(request));
    }
    return reply.code(204).send();
  });
}

/** The ids of a scope's documents updated after `since`, with the Last-Modified of the newest (Communication 2.2). */
async function listDocuments(
  documents: DocumentStore,
  scope: DocumentScope,
  since: string | undefined,
  reply: FastifyReply,
): Promise<string[]> {
  const found = await documents.list(scope, since);
  const newest = found.reduce<string | undefined>(
    (latest, { updated }) => (latest === undefined || updated > latest ? updated : latest),
    undefined,
  );
  if (newest !== undefined) {
    reply.header('Last-Modified', new Date(newest).toUTCString());
  }
  return found.map(({ id }) => id);
}

/**
 * The Person object of an Agent: each property an array (Communication 2.4.s5). This LRS keys
 * what it knows of Agents by their one identifier, so the Person has that identifier, the names
 * the Agent was most recently given in statements (at most MAX_NAMES_PER_AGENT, see
 * src/lrs/store/statements.ts) and the name in the request.
 */
function person(agent: Agent, knownNames: readonly string[]): z.output<typeof personResponse> {
  const names = [...new Set([...knownNames, ...(agent.name === undefined ? [] : [agent.name])])];
  const result: z.output<typeof personResponse> = { objectType: 'Person' };
  if (names.length > 0) {
    result.name = names;
  }
  if (agent.mbox !== undefined) {
    result.mbox = [agent.mbox];
  } else if (agent.mbox_sha1sum !== undefined) {
    result.mbox_sha1sum = [agent.mbox_sha1sum];
  } else if (agent.openid !== undefined) {
    result.openid = [agent.openid];
  } else if (agent.account !== undefined) {
    result.account = [{ homePage: agent.account.homePage, name: agent.account.name }];
  }
  return result;
}

function describe(resource: DocumentResource): string {
  return resource.kind.replace('-', ' ');
}

/**
 * The request's document: its bytes and Content-Type. A document that says it is JSON must be
 * exact JSON (strict-json.ts: UTF-8, no lone surrogates, exact numbers, no "__proto__", at most
 * MAX_DEPTH levels), so that a later POST can merge it without changing a value.
 */
function incoming(request: FastifyRequest): IncomingDocument {
  const content = Buffer.isBuffer(request.body)
    ? request.body
    : typeof request.body === 'string'
      ? Buffer.from(request.body, 'utf8')
      : Buffer.alloc(0);
  const contentType = request.headers['content-type'] ?? 'application/octet-stream';
  if (isJsonContentType(contentType)) {
    parseStrictJson(content, 'document');
  }
  return { content, contentType };
}

/** The request's If-Match and If-None-Match headers (Communication 3.1). */
function preconditions(request: FastifyRequest): Preconditions {
  const ifMatch = request.headers['if-match'];
  const ifNoneMatch = request.headers['if-none-match'];
  return { ifMatch, ifNoneMatch };
}
