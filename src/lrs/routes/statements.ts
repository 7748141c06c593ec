import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Access } from '../auth.ts';
import { badRequest } from '../errors/xapi-error.ts';
import {
  IGNORED,
  TAKES_CASE_SENSITIVE,
  actorFilter,
  booleanParameter,
  cursorParameter,
  formatParameter,
  ignored,
  instantParameter,
  iriFilter,
  limitParameter,
  optionalHeader,
  query,
  registrationParameter,
  uuidParameter,
  variants,
  xapiHeaders,
} from '../parameters.ts';
import type { Cursor } from '../parameters.ts';
import { noContent, statementGetResponse, statementIdsResponse } from '../responses.ts';
import { ifiKey } from '../statement-index.ts';
import type { StatementStore } from '../store/statements.ts';
import { parseStatementBody } from '../validate.ts';
import { statementReader } from './statement-reads.ts';
import {
  STATEMENT_BODIES,
  assertLearnerStatements,
  checked,
  installStatementParsers,
  principalOf,
  statementRequest,
  storer,
} from './statement-writes.ts';

export { DEFAULT_LIMIT, MAX_LIMIT } from '../parameters.ts';
export { MAX_PAGE_BYTES } from './statement-reads.ts';

/** What the statement routes need from the app. */
export interface StatementRoutesOptions {
  /** Where statements live. */
  store: StatementStore;
  /** The hook that checks a request's credential grants an access (see createAuthorizer). */
  authorize: (access: Access) => (request: FastifyRequest) => Promise<void>;
}

const EXAMPLE_UUID = '3b1c6a34-2f4e-4f8b-9a0e-6d2b9c1e7f10';

/**
 * The query strings of the Statement Resource (Communication 2.1). GET has three forms, told apart
 * by the names given: one statement (statementId or voidedStatementId), the next page of a `more`
 * link (cursor), or a query. Each checks its names, then its values in the order listed.
 * @param path the resource's full path, e.g. "/xapi/statements", for the answers
 */
export function statementQueries(path: string) {
  const put = query(
    {
      statementId: z
        .string({
          error: (issue) =>
            issue.input === undefined
              ? `is required with PUT, the UUID of the statement sent, e.g. ?statementId=${EXAMPLE_UUID}`
              : undefined,
        })
        .pipe(uuidParameter),
    },
    { name: `PUT ${path}`, takes: TAKES_CASE_SENSITIVE },
  );
  const post = query({}, { name: `POST ${path}`, takes: TAKES_CASE_SENSITIVE });
  const get = { name: `GET ${path}`, takes: TAKES_CASE_SENSITIVE };
  const one = query(
    {
      format: formatParameter,
      attachments: booleanParameter,
      statementId: uuidParameter.optional(),
      voidedStatementId: uuidParameter.optional(),
      [IGNORED]: ignored,
    },
    {
      ...get,
      listed: ['statementId', 'voidedStatementId', 'format', 'attachments'],
      check: (input) =>
        'statementId' in input && 'voidedStatementId' in input
          ? 'statementId and voidedStatementId cannot be used together; give one of them'
          : undefined,
    },
  );
  const filters = query(
    {
      format: formatParameter,
      related_agents: booleanParameter,
      related_activities: booleanParameter,
      ascending: booleanParameter,
      agent: actorFilter,
      verb: iriFilter('verb'),
      activity: iriFilter('activity'),
      registration: registrationParameter,
      since: instantParameter,
      until: instantParameter,
      limit: limitParameter,
      attachments: booleanParameter,
      [IGNORED]: ignored,
    },
    {
      ...get,
      listed: [
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
      ],
    },
  );
  const more = query({ cursor: cursorParameter, [IGNORED]: ignored }, get);
  const pick = (input: Record<string, unknown>): 'one' | 'more' | 'query' =>
    'statementId' in input || 'voidedStatementId' in input ? 'one' : 'cursor' in input ? 'more' : 'query';
  return { put, post, get: variants({ one, more, query: filters }, pick) };
}

/** The first page's cursor of a query (GET statements without statementId or cursor). */
function firstPage(parameters: z.output<ReturnType<typeof statementQueries>['get']> & { mode: 'query' }): Cursor {
  const { value } = parameters;
  const agent = value.agent === undefined ? undefined : (ifiKey(value.agent) ?? undefined);
  return {
    filter: {
      relatedAgents: value.related_agents,
      relatedActivities: value.related_activities,
      ascending: value.ascending,
      ...(agent === undefined ? {} : { agent }),
      verb: value.verb,
      activity: value.activity,
      ...(value.registration === undefined ? {} : { registration: value.registration }),
      ...(value.since === undefined ? {} : { since: value.since }),
      ...(value.until === undefined ? {} : { until: value.until }),
    },
    after: 0,
    limit: value.limit,
    attachments: value.attachments ?? false,
    format: value.format,
  };
}

/**
 * X-Experience-API-Consistent-Through on every response of the scope, and an ETag (SHA-1 of the
 * body) on a 200 GET or HEAD (xAPI 1.0.3 Communication 2.1.3, 3.1).
 */
function addConsistencyHeaders(app: FastifyInstance, store: StatementRoutesOptions['store']): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Experience-API-Consistent-Through', await store.consistentThrough());
    if ((request.method === 'GET' || request.method === 'HEAD') && reply.statusCode === 200 && typeof payload === 'string') {
      reply.header('ETag', `"${createHash('sha1').update(payload).digest('hex')}"`);
    }
    return payload;
  });
}

/**
 * Register the Statement Resource: PUT, POST, GET (and HEAD) `statements`.
 *
 * Every request must carry X-Experience-API-Version 1.0.x; writing needs the write credential,
 * reading the read credential. Responses carry X-Experience-API-Consistent-Through, and GET
 * responses an ETag (SHA-1 of the body). Query strings, headers and responses are declared as
 * zod schemas (statementQueries, src/lrs/parameters.ts, src/lrs/responses.ts).
 * @param app the Fastify scope mounted at the xAPI base (e.g. /xapi)
 * @param options the store and the authenticator
 * Sources: xAPI 1.0.3, Communication 2.1 (Statement Resource), 3.1 (ETag), 3.3 (Versioning),
 * 3.2 (unknown parameters are a 400).
 */
export async function statementRoutes(app: FastifyInstance, options: StatementRoutesOptions): Promise<void> {
  const { store, authorize } = options;
  const path = `${app.prefix}/statements`;
  const queries = statementQueries(path);
  const reader = statementReader(store, path);
  installStatementParsers(app);
  addConsistencyHeaders(app, store);
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const read = authorize('statements/read');
  const write = authorize('statements/write');
  const writeHeaders = xapiHeaders({ 'content-type': optionalHeader });

  routes.put(
    '/statements',
    {
      onRequest: write,
      config: { accepts: STATEMENT_BODIES },
      schema: { querystring: queries.put, headers: writeHeaders, response: { 204: noContent } },
    },
    async (request, reply) => {
      const { statementId } = request.query;
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
    },
  );

  routes.post(
    '/statements',
    {
      onRequest: write,
      config: { accepts: STATEMENT_BODIES },
      schema: { querystring: queries.post, headers: writeHeaders, response: { 200: statementIdsResponse } },
    },
    async (request) => {
      const { json, parts } = statementRequest(request.body);
      const { statements, batch } = parseStatementBody(json);
      assertLearnerStatements(principalOf(request), statements, batch ? 'statements' : 'statement');
      return store.save(await checked(statements, parts), storer(request), parts);
    },
  );

  routes.get(
    '/statements',
    {
      onRequest: read,
      schema: {
        querystring: queries.get,
        headers: xapiHeaders({ 'accept-language': optionalHeader }),
        response: { 200: statementGetResponse },
      },
    },
    async (request, reply) => {
      const parameters = request.query;
      switch (parameters.mode) {
        case 'one': {
          const { statementId, voidedStatementId, format, attachments } = parameters.value;
          const voided = voidedStatementId !== undefined;
          return reader.one(request, reply, { id: voidedStatementId ?? statementId ?? '', voided, format, attachments });
        }
        case 'more':
          return reader.page(request, reply, parameters.value.cursor);
        case 'query':
          return reader.page(request, reply, firstPage(parameters));
      }
    },
  );
}
