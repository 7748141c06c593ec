import { statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { createAuthorizer } from './auth.ts';
import { requireCorsPreflight } from './cors-preflight.ts';
import { createAuthBrakes } from './auth-brakes.ts';
import type { AuthLimits } from './auth-brakes.ts';
import { assertUsableCredentials, setUpCredentials } from './configured-credentials.ts';
import type { Credential, Credentials } from './configured-credentials.ts';
import { openDatabase } from './db/open.ts';
import { gateLargeBodies } from './body-gate.ts';
import { errorHandler } from './errors/handler.ts';
import { enqueueForwarding, startForwarder } from './forward.ts';
import type { ForwardTarget, Forwarder, ForwarderTiming } from './forward.ts';
import { jsonDepthGuard } from './json-depth-guard.ts';
import { loadFinalAssessments } from './final-assessments.ts';
import { schemaError } from './parameters.ts';
import { aboutRoutes } from './routes/about.ts';
import { certificateRoutes } from './routes/certificates.ts';
import { loadIssuer } from './certificates/issuer.ts';
import { loadModuleFacts } from './certificates/modules.ts';
import { createCertificateService } from './certificates/service.ts';
import { courseName } from '../lib/xapi/activities.ts';
import { assessmentRoutes, type AssessmentRoutesOptions } from './routes/assessments.ts';
import { documentRoutes } from './routes/documents.ts';
import { learnerRoutes } from './routes/learners.ts';
import type { RateLimit } from './routes/learners.ts';
import { installProtocol } from './routes/protocol.ts';
import { siteNotFoundHandler } from './routes/site.ts';
import { apiSecurityHeaders, registerSecurityHeaders, setApiHeaders } from './security-headers.ts';
import { MAX_DEPTH, parseStrictJson } from './strict-json.ts';
import { statementRoutes } from './routes/statements.ts';
import { createCredentialStore } from './store/credentials.ts';
import { createDocumentStore } from './store/documents.ts';
import { createLearnerStore } from './store/learners.ts';
import { loadSigningKey } from './signing.ts';
import { createStatementStore } from './store/statements.ts';

export { CONFIGURED_SCOPES, assertUsableCredentials } from './configured-credentials.ts';
export type { Credential, Credentials } from './configured-credentials.ts';

/** Where the xAPI resources are mounted: the LRS endpoint is `${origin}/xapi/`. */
export const API_PREFIX = '/xapi';
/** The xAPI version every response announces (Communication 3.3: "the latest patch version"). */
export const XAPI_VERSION = '1.0.3';
/** Largest request body: 1 MiB is thousands of statements, far above what the site batches. */
export const BODY_LIMIT = 1024 * 1024;
/** The content folder read when AppOptions.contentDir is not given: ./content of the working folder. */
export const DEFAULT_CONTENT_DIR = 'content';
/** The origin assumed for the authority when none is given: the server's default address. */
export const DEFAULT_PUBLIC_ORIGIN = 'http://127.0.0.1:4321';

/** How long one connection may take over each part of a request, in milliseconds. */
export interface Timeouts {
  /** From connection (or the end of the previous request) to the end of the headers (Node server.headersTimeout). */
  headersMs: number;
  /** From connection to the end of the whole request, body included (Node server.requestTimeout). */
  requestMs: number;
  /** A socket with no byte in either direction for this long is closed (Node server.timeout). */
  idleMs: number;
  /** How long a keep-alive connection waits for its next request (Node server.keepAliveTimeout). */
  keepAliveMs: number;
}

/**
 * The defaults (docs/deploy.md). The whole request gets 240 s: a 1 MiB body (BODY_LIMIT) over
 * a 2G uplink of 50 kbit/s (Chrome's "2G" throttling) takes ~170 s. Headers get 30 s (a few
 * hundred bytes, even at 2G). A connection silent for 60 s is closed, so one that stops sending
 * its body is gone within a minute, and one that trickles it within 240 s (Node checks every
 * 30 s). Keep-alive lasts 72 s, Fastify's default, longer than the 60 s idle timeout of common
 * proxies and load balancers in front.
 */
export const DEFAULT_TIMEOUTS: Timeouts = { headersMs: 30_000, requestMs: 240_000, idleMs: 60_000, keepAliveMs: 72_000 };

/** Everything buildApp needs; server.ts's loadConfig builds it from the environment. */
export interface AppOptions {
  /**
   * Where statements and documents live: a SQLite file (its folder is created), ":memory:", or a
   * PostgreSQL connection URL (postgres://user:password@host:5432/database).
   */
  database: string;
  /** PostgreSQL pool size per process (default 10). */
  poolSize?: number | undefined;
  /** The configured credentials, each optional (see setUpCredentials). */
  credentials: Credentials;
  /**
   * The address the server will listen on: when it is not loopback, the app refuses to start
   * while a valid credential has a secret printed in the docs (DOCUMENTED_SECRETS). Unset in tests.
   */
  listenHost?: string | undefined;
  /** Called with the admin credential made on a first start (empty credentials table), to print it once. */
  onAdminCreated?: ((admin: Credential) => void) | undefined;
  /** Rate limits of the learner routes per client address (defaults in src/lrs/routes/learners.ts). */
  learnerLimits?: { issue?: RateLimit | undefined; claim?: RateLimit | undefined; transfer?: RateLimit | undefined } | undefined;
  /** Limits on failed authentications per client address and per key (DEFAULT_AUTH_LIMITS of src/lrs/auth-brakes.ts). */
  authLimits?: AuthLimits | undefined;
  /** Connection time limits (DEFAULT_TIMEOUTS). */
  timeouts?: Partial<Timeouts> | undefined;
  /**
   * The reverse proxies in front, whose X-Forwarded-For names the client (Fastify trustProxy):
   * their addresses, CIDRs or proxy-addr names such as "loopback". Without it every client behind
   * a proxy is the proxy's address to the rate limits. Default none.
   */
  trustProxy?: string[] | undefined;
  /** Origins allowed to call the xAPI from a browser, e.g. ["http://127.0.0.1:4321"]. */
  corsOrigins: string[];
  /** Folder of the built site, served at /; nothing is served at / when absent. */
  siteRoot?: string | undefined;
  /**
   * Log requests with Fastify's logger (pino, JSON lines on stdout), or to the given stream (tests
   * read the failed-authentication lines). Default false.
   */
  logger?: boolean | { stream: { write(line: string): void } } | undefined;
  /**
   * This LRS's own origin, e.g. "http://127.0.0.1:4321": the account homePage of the authority
   * set on stored statements. Default DEFAULT_PUBLIC_ORIGIN.
   */
  publicOrigin?: string | undefined;
  /**
   * The content folder whose final assessments the server grades (quizzes/*.yaml and the module
   * titles in {en,fr,es}/modules/). Default DEFAULT_CONTENT_DIR.
   */
  contentDir?: string | undefined;
  /**
   * Another LRS that every accepted statement is forwarded to, with this server's credential
   * there (src/lrs/forward.ts); none by default.
   */
  forward?: ForwardTarget | undefined;
  /** Timing of the forwarding sender (tests shorten it); see ForwarderTiming. */
  forwardTiming?: ForwarderTiming | undefined;
}

/**
 * Build the LRS and site server without listening, so tests can call `app.inject()`.
 *
 * The database opens and is migrated during `app.ready()` (or listen) and closes with
 * `app.close()`. Routes: the xAPI resources under /xapi/, the learner credential routes
 * under /api/ (see learnerRoutes), the built site at / and its per-language 404 pages.
 * @fastify/rate-limit is registered with `global: false`: a route opts in with
 * `config: { rateLimit: { max, timeWindow } }`.
 * @param options see AppOptions
 * @returns the Fastify instance, plugins registered but not yet ready
 * @throws Error when the credentials are unusable (see assertUsableCredentials), when siteRoot is
 *   not a folder, or (from ready/listen) when the database cannot be opened or migrated, or a
 *   documented secret is still valid on a non-loopback listenHost (see setUpCredentials)
 * Source: xAPI 1.0.3, Communication 3.3 (X-Experience-API-Version on every response), 2.0
 * (resources under one base endpoint), 3.2 (413 beyond the size limit); model: fastify/demo src/app.ts.
 */
export function buildApp(options: AppOptions): FastifyInstance {
  assertUsableCredentials(options.credentials);
  const siteRoot = options.siteRoot === undefined ? undefined : resolve(options.siteRoot);
  if (siteRoot !== undefined && !statSync(siteRoot, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`siteRoot ${siteRoot} is not a folder`);
  }
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    connectionTimeout: timeouts.idleMs,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    trustProxy: options.trustProxy ?? false,
    // Errors found before routing (a malformed URL) skip the hooks: give them the same body and
    // headers as all others here.
    frameworkErrors: (error, request, reply) => {
      reply.header('X-Experience-API-Version', XAPI_VERSION);
      setApiHeaders(reply);
      errorHandler(error, request, reply);
    },
  });
  app.server.headersTimeout = timeouts.headersMs;
  app.setErrorHandler(errorHandler);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('X-Experience-API-Version', XAPI_VERSION);
    return payload;
  });

  // Content-Security-Policy, nosniff, Referrer-Policy, frame-ancestors... on every response.
  registerSecurityHeaders(app, siteRoot);
  // gzip or brotli for clients that ask: a lesson page is about 85 KB of HTML and 18 KB
  // compressed, which decides how fast it shows on a slow mobile connection.
  app.register(compress, { global: true, threshold: 1024 });
  // Routes opt in (config.rateLimit): learner issuing and claims, failed authentications.
  app.register(rateLimit, { global: false });
  const publicOrigin = options.publicOrigin ?? DEFAULT_PUBLIC_ORIGIN;
  const corsOptions = corsOptionsFor(options.corsOrigins);
  // One scope owns the database; the xAPI (/xapi) and the site's API (/api) are registered inside it.
  app.register(async (lrs) => lrsScope(lrs, options, publicOrigin, corsOptions));

  if (siteRoot !== undefined) {
    serveSite(app, siteRoot);
  }
  app.setNotFoundHandler(siteNotFoundHandler(siteRoot, API_PREFIX));
  return app;
}

/** The CORS options of the xAPI and the site's API: the origins given, the xAPI headers (Communication 1.4, CORS). */
function corsOptionsFor(origins: string[]) {
  return {
    origin: origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Experience-API-Version', 'If-Match', 'If-None-Match'],
    exposedHeaders: ['X-Experience-API-Version', 'X-Experience-API-Consistent-Through', 'ETag', 'Last-Modified'],
    // Browsers then skip the preflight for ten minutes of statement sending.
    maxAge: 600,
    // requireCorsPreflight answers an incomplete preflight with a message that says what it needs.
    strictPreflight: false,
  };
}

/**
 * The scope that owns the database: its body parsers, hooks and stores, the xAPI under /xapi,
 * the site's API under /api and the final assessments (see buildApp).
 */
async function lrsScope(
  lrs: FastifyInstance,
  options: AppOptions,
  publicOrigin: string,
  corsOptions: ReturnType<typeof corsOptionsFor>,
): Promise<void> {
  // Routes declare their query strings, headers and responses as zod schemas (src/lrs/parameters.ts,
  // src/lrs/responses.ts); a request that fails one is a 400 with the xAPI reason (schemaError).
  lrs.setValidatorCompiler(validatorCompiler);
  lrs.setSerializerCompiler(serializerCompiler);
  lrs.setSchemaErrorFormatter(schemaError);
  lrs.addHook('onRequest', requireCorsPreflight);
  const database = await openDatabase(options.database, { poolSize: options.poolSize });
  let forwarder: Forwarder | undefined;
  // The sender stops (its POST under way finishes) before the database closes.
  lrs.addHook('onClose', async () => {
    await forwarder?.stop();
    await database.close();
  });
  apiSecurityHeaders(lrs);
  // A few large bodies at a time, so memory stays bounded whatever arrives at once (issue 12).
  gateLargeBodies(lrs);
  // Refuse JSON nested past the limit while it arrives, before JSON.parse builds it (issue 12).
  lrs.addHook('preParsing', jsonDepthGuard(MAX_DEPTH));
  // Exact JSON for every JSON body here, the site's API included (strict-json.ts): a learner's
  // name with bad UTF-8 or a lone surrogate is refused with a 400, not stored changed. The
  // statement routes parse with their own labels ("statement", "statements").
  lrs.removeContentTypeParser('application/json');
  lrs.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseStrictJson(body as Buffer, 'body'));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  const credentials = createCredentialStore(database);
  await setUpCredentials(credentials, options, lrs.log);
  const authorize = createAuthorizer(credentials, publicOrigin, createAuthBrakes(lrs, options.authLimits));
  const store = createStatementStore(database, { onStored: options.forward === undefined ? undefined : enqueueForwarding });
  if (options.forward !== undefined) {
    forwarder = startForwarder(database, store, options.forward, lrs.log, options.forwardTiming);
  }
  await lrs.register(
    async (xapi) => {
      await xapi.register(cors, corsOptions);
      installProtocol(xapi);
      await xapi.register(aboutRoutes);
      await xapi.register(statementRoutes, { store, authorize });
      await xapi.register(documentRoutes, { documents: createDocumentStore(database), statements: store, authorize });
    },
    { prefix: API_PREFIX },
  );
  await lrs.register(
    async (api) => {
      await api.register(cors, corsOptions);
      await api.register(learnerRoutes, {
        credentials,
        learners: createLearnerStore(database),
        publicOrigin,
        limits: options.learnerLimits,
      });
    },
    { prefix: '/api' },
  );
  await gradingRoutes(lrs, { database, store, authorize, publicOrigin, contentDir: options.contentDir ?? DEFAULT_CONTENT_DIR });
}

/**
 * The routes of the site's grader: final assessments graded by the server (/api/assessments/...)
 * and its statement keys (/.well-known/jwks.json); the Open Badges 3.0 certificates of verified
 * completions (/api/certificates/..., /.well-known/did.json; docs/certificates.md).
 */
async function gradingRoutes(
  lrs: FastifyInstance,
  context: Pick<AssessmentRoutesOptions, 'database' | 'store' | 'authorize' | 'publicOrigin'> & { contentDir: string },
): Promise<void> {
  const { database, store, authorize, publicOrigin } = context;
  const assessments = loadFinalAssessments(context.contentDir);
  const signingKey = await loadSigningKey(database);
  await lrs.register(assessmentRoutes, { assessments, authorize, database, store, signingKey, publicOrigin });
  const issuer = await loadIssuer(database, publicOrigin, courseName.en);
  const modules = loadModuleFacts(context.contentDir);
  const service = createCertificateService({ database, store, issuer, signingKey, assessments, modules, publicOrigin });
  await lrs.register(certificateRoutes, { service, issuer, modules, authorize, publicOrigin });
}

/** Serve the built site at /, with long caching for Astro's fingerprinted files. */
function serveSite(app: FastifyInstance, siteRoot: string): void {
  app.register(fastifyStatic, {
    root: siteRoot,
    prefix: '/',
    index: ['index.html'],
    // Astro builds /en/lesson/index.html for trailingSlash 'always': /en/lesson -> /en/lesson/.
    redirect: true,
    setHeaders: (reply, path) => {
      // Astro fingerprints everything under _astro/, so those files never change.
      if (path.includes(`${sep}_astro${sep}`)) {
        reply.header('Cache-Control', 'public, max-age=31536000, immutable');
      }
    },
  });
}
