import { existsSync } from 'node:fs';
import { buildApp } from './app.ts';
import type { AppOptions } from './app.ts';
import { readEnvironment } from '../config/env.ts';
import { REVIEWER_COMMAND } from './configured-credentials.ts';
import { certificatesCommand } from './certificates-command.ts';
import { credentialsCommand } from './credentials-command.ts';
import { ISSUE_LIMIT } from './routes/learners.ts';
import { readCommandLine, usageError } from '../../scripts/cli.ts';

/** What server.ts needs: the app's options plus where to listen. */
export interface ServerConfig extends AppOptions {
  /** Interface to listen on, e.g. "127.0.0.1", "0.0.0.0", "::1". */
  host: string;
  /** TCP port, 0 to 65535 (0 picks a free one). */
  port: number;
  /** Folder of the built site; served only if it exists when the server starts. */
  siteRoot: string;
}

/**
 * Read the server configuration from environment variables; no side effects.
 *
 * | Variable          | Default                         | Meaning                                                    |
 * |-------------------|---------------------------------|------------------------------------------------------------|
 * | HOST              | 127.0.0.1                       | interface to listen on                                     |
 * | PORT              | 4321                            | TCP port                                                   |
 * | LRS_DATABASE_URL  | (none)                          | PostgreSQL URL, postgres://user:pass@host:5432/db; wins over LRS_DB_PATH |
 * | LRS_DB_PATH       | ./data/lrs.sqlite               | SQLite file of the LRS; its folder is created              |
 * | LRS_POOL_SIZE     | 10                              | PostgreSQL connections per process                         |
 * | LRS_WRITE_KEY     | (none)                          | HTTP Basic user of an optional statements/write + state credential |
 * | LRS_WRITE_SECRET  | (none)                          | its password (both or neither)                             |
 * | LRS_READ_KEY      | (none)                          | HTTP Basic user of an optional read credential (reviewers) |
 * | LRS_READ_SECRET   | (none)                          | its password (both or neither)                             |
 * | LRS_ADMIN_KEY     | (none)                          | HTTP Basic user of an optional credential with scope "all" |
 * | LRS_ADMIN_SECRET  | (none)                          | its password (both or neither)                             |
 * | LRS_CORS_ORIGINS  | http://HOST:PORT                | comma-separated origins allowed to call /xapi/ from a page |
 * | SITE_ROOT         | ./dist                          | built site served at /, only if the folder exists          |
 * | LRS_PUBLIC_ORIGIN | http://HOST:PORT                | the LRS's public origin: homePage of the authorities it sets |
 * | LRS_TRUST_PROXY   | (none)                          | the reverse proxies in front: comma-separated addresses, CIDRs or "loopback"; their X-Forwarded-For gives the client address the rate limits count |
 * | CONTENT_DIR       | ./content                       | content whose final assessments the server grades          |
 * | LRS_LEARNERS_PER_HOUR | 120                         | learner credentials issued per client address per hour (POST /api/learners); raise it for a large workshop behind one NAT address |
 * | LRS_FORWARD_ENDPOINT | (none)                       | another LRS's xAPI base URL: accepted statements are forwarded there (src/lrs/forward.ts) |
 * | LRS_FORWARD_KEY   | (none)                          | HTTP Basic user of this server's write credential on that LRS (all three or none) |
 * | LRS_FORWARD_SECRET | (none)                         | its password; stays on the server, never in a page          |
 *
 * No credential has a default (issue 11 section 4): on a first start the server makes an admin
 * credential and prints its secret once; a credential set here replaces the one set for its
 * role before (see setUpCredentials in src/lrs/configured-credentials.ts).
 * The variables are read and checked by one zod schema, shared with the build: readEnvironment of
 * src/config/env.ts.
 * @param env the environment, e.g. process.env; empty values count as unset
 * @returns the configuration; publicOrigin is http://HOST:PORT, listenHost is HOST, logger is on
 * @throws Error, its message starting with the variable at fault, when PORT is not an integer from 0 to 65535, LRS_POOL_SIZE not a positive integer,
 *   only one of a KEY/SECRET pair (LRS_WRITE_*, LRS_READ_*, LRS_ADMIN_*) is set, or an
 *   LRS_CORS_ORIGINS entry is not an http(s) origin, or LRS_FORWARD_ENDPOINT, _KEY and _SECRET are
 *   not all set or all unset, or the endpoint is not an http(s) URL
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): ServerConfig {
  const environment = readEnvironment(env);
  return {
    host: environment.host,
    port: environment.port,
    database: environment.database,
    poolSize: environment.poolSize,
    credentials: environment.credentials,
    listenHost: environment.host,
    corsOrigins: environment.corsOrigins,
    siteRoot: environment.siteRoot,
    logger: true,
    publicOrigin: environment.publicOrigin,
    trustProxy: environment.trustProxy,
    contentDir: environment.contentDir,
    learnerLimits: { issue: { max: environment.learnersPerHour ?? ISSUE_LIMIT.max, timeWindow: ISSUE_LIMIT.timeWindow } },
    forward: environment.forward,
  };
}

/** Grace period for in-flight requests on shutdown before the process gives up waiting. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

async function main(config: ServerConfig): Promise<void> {
  const siteRoot = existsSync(config.siteRoot) ? config.siteRoot : undefined;
  const app = buildApp({
    ...config,
    siteRoot,
    onAdminCreated: ({ key, secret }) => {
      console.log(
        [
          'First start: made an administrator credential (scope "all"). Its secret is shown this once and stored only as a hash:',
          `  key:    ${key}`,
          `  secret: ${secret}`,
          'Create a read credential for reviewers (the review page, npm run report) with:',
          `  ${REVIEWER_COMMAND}`,
        ].join('\n'),
      );
    },
  });

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) {
      return;
    }
    closing = true;
    app.log.info(`${signal}: closing the server and the database`);
    setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref();
    app.close().then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  try {
    const address = await app.listen({ host: config.host, port: config.port });
    console.log(`LRS endpoint ${address}/xapi/ (site ${siteRoot === undefined ? `not served: no ${config.siteRoot}` : `at ${address}/`})`);
  } catch (error) {
    app.log.error({ err: error }, 'could not start');
    // The log line is JSON; say it plainly too, for whoever started the server by hand.
    console.error(`could not start: ${(error as Error).message}`);
    await app.close();
    process.exitCode = 1;
  }
}

const COMMAND = {
  name: 'npm run lrs',
  usage: `usage: npm run lrs                 serve the LRS (and the built site, if any) until stopped
       npm run lrs -- credentials ...  manage the LRS's credentials (npm run lrs -- credentials --help)
       npm run lrs -- certificates ... list or revoke certificates (npm run lrs -- certificates --help)

Configuration comes from environment variables, each with a local default:
  HOST (127.0.0.1), PORT (4321), LRS_DATABASE_URL (PostgreSQL, postgres://user:pass@host:5432/db)
  or LRS_DB_PATH (SQLite, ./data/lrs.sqlite), LRS_POOL_SIZE (10), LRS_CORS_ORIGINS (http://HOST:PORT),
  LRS_PUBLIC_ORIGIN (http://HOST:PORT), LRS_TRUST_PROXY (none), SITE_ROOT (./dist), CONTENT_DIR (./content),
  LRS_WRITE_KEY/_SECRET, LRS_READ_KEY/_SECRET, LRS_ADMIN_KEY/_SECRET (optional credentials).
See docs/lrs.md and docs/deploy.md.

options:
  --help   print this and exit`,
};

if (import.meta.main) {
  // A wrong environment variable is a usage error too: one line naming it, exit code 2.
  const config = (): ServerConfig => {
    try {
      return loadConfig(process.env);
    } catch (error) {
      return usageError(COMMAND, (error as Error).message);
    }
  };
  const [first, ...rest] = process.argv.slice(2);
  if (first === 'credentials') {
    process.exitCode = await credentialsCommand(rest, () => config().database);
  } else if (first === 'certificates') {
    process.exitCode = await certificatesCommand(rest, () => config());
  } else {
    readCommandLine(COMMAND, { options: {} });
    await main(config());
  }
}
