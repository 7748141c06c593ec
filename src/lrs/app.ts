import { statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { createAuthorizer } from './auth.ts';
import { openDatabase } from './db/open.ts';
import { errorHandler } from './errors/handler.ts';
import { aboutRoutes } from './routes/about.ts';
import { documentRoutes } from './routes/documents.ts';
import { installProtocol } from './routes/protocol.ts';
import { siteNotFoundHandler } from './routes/site.ts';
import { statementRoutes } from './routes/statements.ts';
import { createCredentialStore } from './store/credentials.ts';
import { createDocumentStore } from './store/documents.ts';
import type { Scope } from './store/credentials.ts';
import { createStatementStore } from './store/statements.ts';

/** Where the xAPI resources are mounted: the LRS endpoint is `${origin}/xapi/`. */
export const API_PREFIX = '/xapi';
/** The xAPI version every response announces (Communication 3.3: "the latest patch version"). */
export const XAPI_VERSION = '1.0.3';
/** Largest request body: 1 MiB is thousands of statements, far above what the site batches. */
export const BODY_LIMIT = 1024 * 1024;
/** The origin assumed for the authority when none is given: the server's default address. */
export const DEFAULT_PUBLIC_ORIGIN = 'http://127.0.0.1:4321';

/** One HTTP Basic credential. */
export interface Credential {
  /** The user name of HTTP Basic; no colon (RFC 7617). */
  key: string;
  /** The password of HTTP Basic. */
  secret: string;
}

/**
 * The credentials set by configuration, created or updated in the database at start; more are
 * managed with `npm run lrs -- credentials create|list|revoke`.
 */
export interface Credentials {
  /** The public site's: statements/write and state (it ships in the site's JavaScript). */
  write: Credential;
  /** The reviewers' (the Secretariat's review page, `npm run report`): statements/read. */
  read: Credential;
  /** Optional administrator's: all (e.g. for the conformance suite). */
  admin?: Credential | undefined;
}

/** The scopes of each configured credential. */
export const CONFIGURED_SCOPES: Record<keyof Credentials, Scope[]> = {
  write: ['statements/write', 'state'],
  read: ['statements/read'],
  admin: ['all'],
};

/** Everything buildApp needs; server.ts's loadConfig builds it from the environment. */
export interface AppOptions {
  /**
   * Where statements and documents live: a SQLite file (its folder is created), ":memory:", or a
   * PostgreSQL connection URL (postgres://user:password@host:5432/database).
   */
  database: string;
  /** PostgreSQL pool size per process (default 10). */
  poolSize?: number | undefined;
  /** The configured credentials. */
  credentials: Credentials;
  /** Origins allowed to call the xAPI from a browser, e.g. ["http://127.0.0.1:4321"]. */
  corsOrigins: string[];
  /** Folder of the built site, served at /; nothing is served at / when absent. */
  siteRoot?: string | undefined;
  /** Log requests with Fastify's logger (pino, JSON lines on stdout). Default false. */
  logger?: boolean | undefined;
  /**
   * This LRS's own origin, e.g. "http://127.0.0.1:4321": the account homePage of the authority
   * set on stored statements. Default DEFAULT_PUBLIC_ORIGIN.
   */
  publicOrigin?: string | undefined;
}

/**
 * Check the configured credentials can be told apart and used with HTTP Basic.
 * @param credentials the configured credentials
 * @throws Error when a key or secret is empty, a key holds a colon, or two keys are equal
 */
export function assertUsableCredentials(credentials: Credentials): void {
  const given = (['write', 'read', 'admin'] as const).flatMap((role) => {
    const credential = credentials[role];
    return credential === undefined ? [] : [{ role, ...credential }];
  });
  for (const { role, key, secret } of given) {
    if (key === '' || secret === '' || key.includes(':')) {
      throw new Error(`the ${role} credential needs a non-empty key without ":" and a non-empty secret`);
    }
  }
  if (new Set(given.map(({ key }) => key)).size !== given.length) {
    throw new Error('the write, read and admin credentials must have different keys');
  }
}

/**
 * Build the LRS and site server without listening, so tests can call `app.inject()`.
 *
 * The database opens and is migrated during `app.ready()` (or listen) and closes with
 * `app.close()`. Routes: the xAPI resources under /xapi/, the built site at / and its per-language
 * 404 pages.
 * @param options see AppOptions
 * @returns the Fastify instance, plugins registered but not yet ready
 * @throws Error when the credentials are unusable (see assertUsableCredentials), when siteRoot is
 *   not a folder, or when the database cannot be opened or migrated
 * Source: xAPI 1.0.3, Communication 3.3 (X-Experience-API-Version on every response), 2.0
 * (resources under one base endpoint), 3.2 (413 beyond the size limit); model: fastify/demo src/app.ts.
 */
export function buildApp(options: AppOptions): FastifyInstance {
  assertUsableCredentials(options.credentials);
  const siteRoot = options.siteRoot === undefined ? undefined : resolve(options.siteRoot);
  if (siteRoot !== undefined && !statSync(siteRoot, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`siteRoot ${siteRoot} is not a folder`);
  }
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // Errors found before routing (a malformed URL) skip the hooks: give them the same body and
    // version header as all others here.
    frameworkErrors: (error, request, reply) => {
      reply.header('X-Experience-API-Version', XAPI_VERSION);
      errorHandler(error, request, reply);
    },
  });
  app.setErrorHandler(errorHandler);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('X-Experience-API-Version', XAPI_VERSION);
    return payload;
  });

  // gzip or brotli for clients that ask: a lesson page is about 85 KB of HTML and 18 KB
  // compressed, which decides how fast it shows on a slow mobile connection.
  app.register(compress, { global: true, threshold: 1024 });
  app.register(
    async (xapi) => {
      const database = await openDatabase(options.database, { poolSize: options.poolSize });
      xapi.addHook('onClose', () => database.close());
      const credentials = createCredentialStore(database);
      for (const role of ['write', 'read', 'admin'] as const) {
        const credential = options.credentials[role];
        if (credential !== undefined) {
          await credentials.ensure(credential.key, credential.secret, CONFIGURED_SCOPES[role], `configured ${role} credential`);
        }
      }
      const authorize = createAuthorizer(credentials, options.publicOrigin ?? DEFAULT_PUBLIC_ORIGIN);
      const store = createStatementStore(database);
      await xapi.register(cors, {
        origin: options.corsOrigins,
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
        allowedHeaders: ['Authorization', 'Content-Type', 'X-Experience-API-Version', 'If-Match', 'If-None-Match'],
        exposedHeaders: ['X-Experience-API-Version', 'X-Experience-API-Consistent-Through', 'ETag', 'Last-Modified'],
        // Browsers then skip the preflight for ten minutes of statement sending.
        maxAge: 600,
      });
      installProtocol(xapi);
      await xapi.register(aboutRoutes);
      await xapi.register(statementRoutes, { store, authorize });
      await xapi.register(documentRoutes, { documents: createDocumentStore(database), statements: store, authorize });
    },
    { prefix: API_PREFIX },
  );

  if (siteRoot !== undefined) {
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
  app.setNotFoundHandler(siteNotFoundHandler(siteRoot, API_PREFIX));
  return app;
}
