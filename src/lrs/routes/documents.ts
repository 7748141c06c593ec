import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isAlternateSyntax } from '../alternate-syntax.ts';
import { assertOwnAgent } from '../auth.ts';
import type { Access } from '../auth.ts';
import { XapiError, badRequest } from '../errors/xapi-error.ts';
import { documentHeaders } from '../security-headers.ts';
import { ifiKey } from '../statement-index.ts';
import { isJsonContentType } from '../store/documents.ts';
import type { DocumentKey, DocumentKind, DocumentScope, DocumentStore, IncomingDocument, Preconditions } from '../store/documents.ts';
import type { StatementStore } from '../store/statements.ts';
import { decodeUtf8, parseStrictJson } from '../strict-json.ts';
import { instantBound, isIri, isUuid, parseAgentParameter, parseTimestamp } from '../validate.ts';
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
interface DocumentResource {
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

// @xapi/xapi adds cachebuster=<time> to GETs when asked to defeat caches; it means nothing here
// (the statement routes ignore it too).
const IGNORED = 'cachebuster';

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
    if ((request.method === 'GET' || request.method === 'HEAD') && reply.statusCode === 200 && !reply.hasHeader('ETag') && typeof payload === 'string') {
      reply.header('ETag', `"${createHash('sha1').update(payload).digest('hex')}"`);
    }
    return payload;
  });

  // A learner credential uses the State of its own agent only (issue 11); the authorizer already
  // keeps it from every other document resource. A missing or malformed agent is left to the
  // route's own 400.
  app.addHook('preHandler', async (request) => {
    const agent = (request.query as Record<string, unknown>)['agent'];
    if (request.principal?.agent === undefined || typeof agent !== 'string') {
      return;
    }
    let ifi: string | null;
    try {
      ifi = ifiKey(parseAgentParameter(agent));
    } catch {
      return;
    }
    assertOwnAgent(request.principal, ifi, 'agent');
  });

  for (const resource of RESOURCES) {
    const read = authorize(resource.read);
    const write = authorize(resource.write);

    app.get(resource.path, { onRequest: read }, async (request, reply) => {
      const single = Object.hasOwn(request.query as object, resource.idName);
      const parameters = readParameters(
        request,
        single ? [...resource.scope, resource.idName, IGNORED] : [...resource.scope, 'since', IGNORED],
      );
      const scope = readScope(resource, parameters);
      if (!single) {
        const since = parameters.get('since');
        const instant = since === undefined ? undefined : parseTimestamp(since);
        if (since !== undefined && instant === undefined) {
          throw badRequest('since: must be an ISO 8601 timestamp, e.g. 2025-01-31T12:00:00Z');
        }
        const found = await documents.list(scope, instant === undefined ? undefined : instantBound(instant));
        const newest = found.reduce<string | undefined>((latest, { updated }) => (latest === undefined || updated > latest ? updated : latest), undefined);
        if (newest !== undefined) {
          reply.header('Last-Modified', new Date(newest).toUTCString());
        }
        return found.map(({ id }) => id);
      }
      const key = { ...scope, documentId: readId(resource, parameters) };
      const document = await documents.get(key);
      if (document === undefined) {
        throw new XapiError(404, `no ${describe(resource)} document with ${resource.idName} ${JSON.stringify(key.documentId)} here`);
      }
      reply.header('ETag', document.etag).header('Last-Modified', new Date(document.updated).toUTCString());
      const ifNoneMatch = request.headers['if-none-match'];
      if (typeof ifNoneMatch === 'string' && ifNoneMatch.split(',').some((tag) => [document.etag, `W/${document.etag}`, '*'].includes(tag.trim()))) {
        return reply.code(304).send();
      }
      // Whatever type it was stored with, a document never runs as a page on this origin.
      return reply.type(document.contentType).headers(documentHeaders(document.contentType)).send(document.content);
    });

    app.put(resource.path, { onRequest: write }, async (request, reply) => {
      const key = readKey(resource, readParameters(request, [...resource.scope, resource.idName]));
      await documents.put(key, incoming(request), { ...preconditions(request), required: resource.preconditionRequired });
      return reply.code(204).send();
    });

    app.post(resource.path, { onRequest: write }, async (request, reply) => {
      const key = readKey(resource, readParameters(request, [...resource.scope, resource.idName]));
      await documents.post(key, incoming(request), preconditions(request));
      return reply.code(204).send();
    });

    app.delete(resource.path, { onRequest: write }, async (request, reply) => {
      const parameters = readParameters(request, [...resource.scope, resource.idName]);
      if (resource.deleteAll && !parameters.has(resource.idName)) {
        const { activityId, agentIfi, registration } = readScope(resource, parameters);
        await documents.deleteStates({ activityId, agentIfi, registration });
      } else {
        await documents.delete(readKey(resource, parameters), preconditions(request));
      }
      return reply.code(204).send();
    });
  }

  app.get('/activities', { onRequest: authorize('activities/read') }, async (request) => {
    const activityId = readActivityId(readParameters(request, ['activityId', IGNORED]));
    const definition = await statements.definition(activityId);
    return definition === undefined ? { objectType: 'Activity', id: activityId } : { objectType: 'Activity', id: activityId, definition };
  });

  app.get('/agents', { onRequest: authorize('agents/read') }, async (request) => {
    const agent = readAgent(readParameters(request, ['agent', IGNORED]));
    const known = await documents.knownAgent(ifiKey(agent) ?? '');
    return person(agent, known?.names ?? []);
  });
}

/**
 * The Person object of an Agent: each property an array (Communication 2.4.s5). This LRS keys
 * what it knows of Agents by their one identifier, so the Person has that identifier, the names
 * the Agent was most recently given in statements (at most MAX_NAMES_PER_AGENT, see
 * src/lrs/store/statements.ts) and the name in the request.
 */
function person(agent: Agent, knownNames: readonly string[]): Record<string, unknown> {
  const names = [...new Set([...knownNames, ...(agent.name === undefined ? [] : [agent.name])])];
  const result: Record<string, unknown> = { objectType: 'Person' };
  if (names.length > 0) {
    result['name'] = names;
  }
  if (agent.mbox !== undefined) {
    result['mbox'] = [agent.mbox];
  } else if (agent.mbox_sha1sum !== undefined) {
    result['mbox_sha1sum'] = [agent.mbox_sha1sum];
  } else if (agent.openid !== undefined) {
    result['openid'] = [agent.openid];
  } else if (agent.account !== undefined) {
    result['account'] = [{ homePage: agent.account.homePage, name: agent.account.name }];
  }
  return result;
}

function describe(resource: DocumentResource): string {
  return resource.kind.replace('-', ' ');
}

/**
 * Read the query string as single values, rejecting unknown and repeated parameters.
 * Parameter names are case-sensitive, so "StateId" is unknown too (Communication 3.2.s3.b7, b8).
 */
function readParameters(request: FastifyRequest, allowed: readonly string[]): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const [name, value] of Object.entries(request.query as Record<string, unknown>)) {
    if (!allowed.includes(name)) {
      throw badRequest(
        `${name}: is not a parameter of ${request.method} ${request.routeOptions.url ?? ''} here; it takes ${allowed.filter((each) => each !== IGNORED).join(', ')}`,
      );
    }
    if (typeof value !== 'string') {
      throw badRequest(`${name}: is given more than once; give it once`);
    }
    parameters.set(name, value);
  }
  return parameters;
}

/** The scope of a resource's documents from its parameters; '' for a parameter it does not take. */
function readScope(resource: DocumentResource, parameters: Map<string, string>): DocumentScope {
  const scope: DocumentScope = { kind: resource.kind, activityId: '', agentIfi: '', registration: '' };
  if (resource.scope.includes('activityId')) {
    scope.activityId = readActivityId(parameters);
  }
  if (resource.scope.includes('agent')) {
    scope.agentIfi = ifiKey(readAgent(parameters)) ?? '';
  }
  const registration = parameters.get('registration');
  if (resource.scope.includes('registration') && registration !== undefined) {
    if (!isUuid(registration)) {
      throw badRequest('registration: must be a UUID such as 3b1c6a34-2f4e-4f8b-9a0e-6d2b9c1e7f10');
    }
    scope.registration = registration.toLowerCase();
  }
  return scope;
}

/** The full key of one document; its id parameter is required. */
function readKey(resource: DocumentResource, parameters: Map<string, string>): DocumentKey {
  const scope = readScope(resource, parameters);
  return { ...scope, documentId: readId(resource, parameters) };
}

function readId(resource: DocumentResource, parameters: Map<string, string>): string {
  const id = parameters.get(resource.idName);
  if (id === undefined) {
    throw badRequest(`${resource.idName}: is required, the document's id (any text), e.g. ${resource.idName}=progress`);
  }
  if (id === '') {
    throw badRequest(`${resource.idName}: must not be empty; give the document's id (any text), e.g. ${resource.idName}=progress`);
  }
  return id;
}

function readActivityId(parameters: Map<string, string>): string {
  const activityId = parameters.get('activityId');
  if (activityId === undefined) {
    throw badRequest('activityId: is required, the Activity\'s IRI, e.g. activityId=https%3A%2F%2Fexample.org%2Factivities%2F1');
  }
  if (!isIri(activityId)) {
    throw badRequest('activityId: must be an IRI with a scheme, e.g. https://example.org/activities/1');
  }
  return activityId;
}

/** The `agent` parameter: a JSON Agent with one identifier, not a Group (Communication 2.4.s2, 2.6.s3). */
function readAgent(parameters: Map<string, string>): Agent {
  const json = parameters.get('agent');
  if (json === undefined) {
    throw badRequest('agent: is required, a JSON Agent such as {"mbox":"mailto:a@example.org"}');
  }
  const actor = parseAgentParameter(json);
  if (actor.objectType === 'Group') {
    throw badRequest("agent: must be an Agent, not a Group; to use an identified Group, send its identifier in an Agent object");
  }
  return actor as Agent;
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
