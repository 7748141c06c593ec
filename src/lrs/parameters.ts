import type { FastifySchemaValidationError } from 'fastify';
import { z } from 'zod';
import { XapiError, badRequest } from './errors/xapi-error.ts';
import { instantBound, isIri, isSupportedVersion, isUuid, parseAgentParameter, parseTimestamp } from './validate.ts';
import type { Actor, Agent } from './validate.ts';

/**
 * The query parameters and headers of the LRS routes, as zod schemas for the routes' `schema`
 * option (fastify-type-provider-zod validates them before the handler runs; see app.ts).
 *
 * Every rule gives the xAPI reason a client can act on: an issue's message is the text after
 * "<parameter>: " (schemaError joins them), or, when its `params.full` is true, the whole message.
 * A query is checked in two steps, as xAPI 1.0.3 Communication 3.2 asks: first the names (an
 * unknown or case-changed name, or one given twice, is a 400), then each value in the order of
 * the shape, and the first issue is the one answered.
 */

/** Page size when a query gives no limit. */
export const DEFAULT_LIMIT = 100;
/** Largest page; a larger limit, or limit=0 ("the server's maximum"), gets this many. */
export const MAX_LIMIT = 500;
/** The statement formats of GET statements (Communication 2.1.3). */
export const FORMATS = ['exact', 'ids', 'canonical'] as const;
/** @xapi/xapi adds cachebuster=<time> to GETs when asked to defeat caches; it means nothing here. */
export const IGNORED = 'cachebuster';

const EXAMPLE_UUID = '3b1c6a34-2f4e-4f8b-9a0e-6d2b9c1e7f10';
const TIMESTAMP_RULE = 'must be an ISO 8601 timestamp, e.g. 2025-01-31T12:00:00Z';

/** Add an issue whose message is already complete (names its parameter); see schemaError. */
function fail(context: z.RefinementCtx, message: string, path: string[] = []): void {
  context.addIssue({ code: 'custom', message, path, params: { full: true } });
}

/**
 * The 400 of a request that fails its route's schema: the first issue, as "<path>: <rule>", or
 * its message alone when it names the parameter itself (params.full). Set as the xAPI scope's
 * schemaErrorFormatter (app.ts), so the error handler answers it like every other XapiError.
 * @param errors the issues, as fastify-type-provider-zod reports them (instancePath "/limit")
 * @param part "querystring", "headers", "body" or "params": the path of an issue on the whole part
 * @returns the XapiError 400 to answer with
 * Source: xAPI 1.0.3, Communication 3.2 ("a message in the response explaining the cause").
 */
export function schemaError(errors: readonly FastifySchemaValidationError[], part: string): XapiError {
  const first = errors[0];
  if (first === undefined) {
    return badRequest(`${part}: is not valid`);
  }
  const full = (first.params as { params?: { full?: unknown } } | undefined)?.params?.full === true;
  const message = first.message ?? 'is not valid';
  const path = first.instancePath.slice(1).replaceAll('/', '.');
  return badRequest(full ? message : `${path === '' ? part : path}: ${message}`);
}

/** How a route names itself when it refuses a parameter, e.g. "GET /xapi/statements". */
export interface QueryRoute {
  /** The route's method and full path, e.g. "GET /xapi/statements". */
  name: string;
  /** The reply to an unknown name after "is not a parameter of <name>"; default: nothing more. */
  takes?: ((allowed: readonly string[]) => string) | undefined;
  /** Whether a name may be repeated (its values are then not read); default false. */
  repeatable?: boolean | undefined;
  /** The names listed in that reply, when not the shape's order (the order values are checked in). */
  listed?: readonly string[] | undefined;
  /** A rule on the names given, checked after them and before the values: the complete message, or undefined. */
  check?: ((input: Record<string, unknown>) => string | undefined) | undefined;
}

/** The statement routes' hint: " here; it takes a, b (names are case-sensitive)" (Communication 3.2). */
export const TAKES_CASE_SENSITIVE = (allowed: readonly string[]): string =>
  allowed.length === 0
    ? ' here; it takes none (names are case-sensitive)'
    : ` here; it takes ${allowed.join(', ')} (names are case-sensitive)`;
/** The document routes' hint: " here; it takes a, b". */
export const TAKES = (allowed: readonly string[]): string => ` here; it takes ${allowed.join(', ')}`;

type Shape = Record<string, z.ZodType>;

/**
 * A querystring schema: the names first (only those of `shape`, each once; cachebuster is never
 * named in the answer), then the shape's values, checked in its order.
 * @param shape one schema per parameter, each receiving the parameter's text or undefined
 * @param route how the route names itself in the answer to an unknown parameter
 * @returns the schema; its output has the shape's outputs
 */
export function query<S extends Shape>(shape: S, route: QueryRoute): z.ZodType<z.output<z.ZodObject<S>>> {
  const allowed = Object.keys(shape);
  const named = (route.listed ?? allowed).filter((name) => name !== IGNORED);
  return names(allowed, route, named).pipe(z.object(shape)) as unknown as z.ZodType<z.output<z.ZodObject<S>>>;
}

/** The first step of a query: every name is known and given once (Communication 3.2.s3.b7, b8). */
function names(allowed: readonly string[], route: QueryRoute, named: readonly string[]): z.ZodType<Record<string, unknown>> {
  // z.custom keeps the query object as it is: a "__proto__" name stays an own key and is refused.
  return z
    .custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null)
    .superRefine((input, context) => {
      for (const [name, value] of Object.entries(input)) {
        if (!allowed.includes(name)) {
          return fail(context, `${name}: is not a parameter of ${route.name}${route.takes?.(named) ?? ''}`);
        }
        if (typeof value !== 'string' && route.repeatable !== true) {
          return fail(context, `${name}: is given more than once; give it once`);
        }
      }
      const problem = route.check?.(input);
      return problem === undefined ? undefined : fail(context, problem);
    });
}

/**
 * A querystring with variants, chosen by the names it holds (e.g. GET statements: one statement,
 * a query, or the next page of a `more` link). The output carries the chosen variant's `mode`.
 * @param pick the variant for a query object
 */
export function variants<V extends Record<string, z.ZodType>>(
  schemas: V,
  pick: (query: Record<string, unknown>) => keyof V & string,
): z.ZodType<{ [K in keyof V & string]: { mode: K; value: z.output<V[K]> } }[keyof V & string]> {
  return z
    .custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null)
    .transform((input, context) => {
      const mode = pick(input);
      const result = (schemas[mode] as z.ZodType).safeParse(input);
      if (!result.success) {
        result.error.issues.forEach((issue) =>
          context.addIssue({ ...issue, code: 'custom', params: (issue as { params?: unknown }).params } as never),
        );
        return z.NEVER;
      }
      return { mode, value: result.data } as never;
    });
}

/** An optional parameter that is absent or given. */
const text = z.string().optional();

/** The parameter the request repeats under another name: accepted, never read. */
export const ignored = z.unknown().optional();

/** A boolean parameter, "true" or "false" (Communication 2.1.3: ascending, attachments, related_*). */
export const booleanParameter = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .optional()
  .transform((value) => (value === undefined ? undefined : value === 'true'));

/** `format`: exact (the default), ids or canonical (Communication 2.1.3). */
export const formatParameter = z.enum(FORMATS, { error: `must be one of ${FORMATS.join(', ')}` }).default('exact');

/**
 * `limit`: a nonnegative integer; 0 is this LRS's maximum, MAX_LIMIT, which also caps larger
 * values; DEFAULT_LIMIT when absent (Communication 2.1.3).
 */
export const limitParameter = z
  .string()
  .regex(/^\d+$/, `must be a nonnegative integer, e.g. limit=100; 0 means this LRS's maximum, ${MAX_LIMIT}`)
  .optional()
  .transform((value) => {
    if (value === undefined) {
      return DEFAULT_LIMIT;
    }
    const limit = Number(value);
    return limit === 0 ? MAX_LIMIT : Math.min(limit, MAX_LIMIT);
  });

/** A UUID parameter (statementId, voidedStatementId), kept as written. */
export const uuidParameter = z.string().refine(isUuid, `must be a UUID such as ${EXAMPLE_UUID}`);

/** `registration`: a UUID, lowercased (the store keys registrations in lowercase). */
export const registrationParameter = uuidParameter.transform((value) => value.toLowerCase()).optional();

/**
 * `since` or `until`: an ISO 8601 timestamp (validate.ts parseTimestamp: offsets -12:00..+14:00,
 * real dates), as the instant bound the store compares (instantBound).
 */
export const instantParameter = z
  .string()
  .optional()
  .transform((value, context) => {
    if (value === undefined) {
      return undefined;
    }
    const instant = parseTimestamp(value);
    if (instant === undefined) {
      context.addIssue({ code: 'custom', message: TIMESTAMP_RULE });
      return z.NEVER;
    }
    return instantBound(instant);
  });

/** `verb` or `activity` of GET statements: an IRI with a scheme; the example names the parameter. */
export function iriFilter(name: 'verb' | 'activity'): z.ZodType<string | undefined> {
  const example = name === 'verb' ? 'http://adlnet.gov/expapi/verbs/completed' : 'https://example.org/activities/1';
  return z
    .string()
    .refine(isIri, `must be an IRI with a scheme, e.g. ${name}=${encodeURIComponent(example)}`)
    .optional();
}

/** `activityId` of the document, Activities and Activity Profile resources: a required IRI (Communication 2.3, 2.5, 2.7). */
export const activityIdParameter = z
  .string({
    error: (issue) =>
      issue.input === undefined ? "is required, the Activity's IRI, e.g. activityId=https%3A%2F%2Fexample.org%2Factivities%2F1" : undefined,
  })
  .refine(isIri, 'must be an IRI with a scheme, e.g. https://example.org/activities/1');

/** Parse the JSON of an `agent` parameter; a failure is the complete message of parseAgentParameter. */
function parsedActor(json: string, context: z.RefinementCtx): Actor | typeof z.NEVER {
  try {
    return parseAgentParameter(json);
  } catch (error) {
    if (error instanceof XapiError) {
      fail(context, error.message);
      return z.NEVER;
    }
    throw error;
  }
}

/** `agent` of GET statements: a JSON Agent or identified Group, optional (Communication 2.1.3). */
export const actorFilter = text.transform((json, context) => (json === undefined ? undefined : parsedActor(json, context)));

/** `agent` of the State, Agent Profile and Agents resources: a required JSON Agent, not a Group (Communication 2.3, 2.4.s2, 2.6.s3). */
export const agentParameter = z
  .string({
    error: (issue) => (issue.input === undefined ? 'is required, a JSON Agent such as {"mbox":"mailto:a@example.org"}' : undefined),
  })
  .transform((json, context): Agent => {
    const actor = parsedActor(json, context);
    if (actor !== z.NEVER && actor.objectType === 'Group') {
      fail(context, 'agent: must be an Agent, not a Group; to use an identified Group, send its identifier in an Agent object');
      return z.NEVER;
    }
    return actor as Agent;
  });

/** `stateId` or `profileId`: a document's id, any nonempty text (Communication 2.3, 2.6, 2.7). */
export function documentIdParameter(name: 'stateId' | 'profileId'): z.ZodType<string> {
  return z
    .string({
      error: (issue) => (issue.input === undefined ? `is required, the document's id (any text), e.g. ${name}=progress` : undefined),
    })
    .min(1, `must not be empty; give the document's id (any text), e.g. ${name}=progress`);
}

/**
 * The answer to a request without a usable X-Experience-API-Version header (a 1.0.x version,
 * Communication 3.3), or undefined when the header is one. installProtocol (routes/protocol.ts)
 * checks it on every request but those to `about`, before credentials; the routes' header
 * schemas (xapiHeaders) declare the same rule.
 * @param value the header as received
 */
export function versionProblem(value: unknown): string | undefined {
  return typeof value === 'string' && isSupportedVersion(value)
    ? undefined
    : `X-Experience-API-Version: must be a 1.0.x version such as 1.0.3; got ${value === undefined ? 'none' : JSON.stringify(value)}`;
}

/** The X-Experience-API-Version header: 1.0.x (Communication 3.3); the answer of versionProblem. */
export const versionHeader = z.unknown().transform((value, context): string => {
  const problem = versionProblem(value);
  if (problem !== undefined) {
    fail(context, problem);
    return z.NEVER;
  }
  return value as string;
});

/**
 * The headers an xAPI route reads; others pass untouched (looseObject). Names are lowercase, as
 * Node gives them.
 * @param extra the route's own headers beyond X-Experience-API-Version
 */
export function xapiHeaders<S extends Shape>(extra: S): z.ZodType<{ 'x-experience-api-version': string } & z.output<z.ZodObject<S>>> {
  return z.looseObject({
    'x-experience-api-version': versionHeader,
    ...extra,
  }) as never;
}

/** Optional text headers: If-Match, If-None-Match, Accept-Language, Content-Type. */
export const optionalHeader = text;

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
/** Everything needed to fetch the next page of GET statements, carried in the `more` URL so nothing is kept server-side. */
const cursorSchema = z.strictObject({
  filter: filterSchema,
  // Storage sequence number of the last statement sent; 0 before the first page (seq starts at 1).
  after: z.int().nonnegative(),
  limit: z.int().min(1).max(MAX_LIMIT),
  attachments: z.boolean(),
  format: z.enum(FORMATS),
});
/** A page request of GET statements: its filter (the store's StatementFilter), position, size and form. */
export type Cursor = z.output<typeof cursorSchema>;

/**
 * The `cursor` of a `more` link (Communication 2.1.3 StatementResult.more).
 * @param cursor the next page's request
 * @returns base64url of its JSON
 */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** `cursor`: a token this LRS issued in a `more` link (encodeCursor), decoded. */
export const cursorParameter = z.string().transform((token, context): Cursor => {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
  } catch {
    context.addIssue({ code: 'custom', message: 'is not a cursor this LRS issued; start again from GET statements' });
    return z.NEVER;
  }
});
