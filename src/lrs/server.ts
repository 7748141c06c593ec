import { existsSync } from 'node:fs';
import { buildApp } from './app.ts';
import { credentialsCommand } from './credentials-command.ts';
import type { AppOptions } from './app.ts';

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
 * | LRS_WRITE_KEY     | site                            | HTTP Basic user of the write credential (the public site)  |
 * | LRS_WRITE_SECRET  | site-write-secret               | its password                                               |
 * | LRS_READ_KEY      | reviewer                        | HTTP Basic user of the read credential (reviewers)         |
 * | LRS_READ_SECRET   | reviewer-read-secret            | its password                                               |
 * | LRS_ADMIN_KEY     | (none)                          | HTTP Basic user of an optional credential with scope "all" |
 * | LRS_ADMIN_SECRET  | (none)                          | its password (both or neither)                             |
 * | LRS_CORS_ORIGINS  | http://HOST:PORT                | comma-separated origins allowed to call /xapi/ from a page |
 * | SITE_ROOT         | ./dist                          | built site served at /, only if the folder exists          |
 * | LRS_PUBLIC_ORIGIN | http://HOST:PORT                | the LRS's public origin: homePage of the authorities it sets |
 *
 * The default secrets are for a machine of one's own: change both for anything reachable by others
 * (the write secret ships inside the public site's JavaScript anyway; the read secret guards the records).
 * @param env the environment, e.g. process.env; empty values count as unset
 * @returns the configuration; publicOrigin is http://HOST:PORT, logger is on
 * @throws Error when PORT is not an integer from 0 to 65535, LRS_POOL_SIZE not a positive integer,
 *   only one of LRS_ADMIN_KEY and LRS_ADMIN_SECRET is set, or an LRS_CORS_ORIGINS entry is not
 *   an http(s) origin
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): ServerConfig {
  const read = (name: string, fallback: string): string => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? fallback : value;
  };
  const host = read('HOST', '127.0.0.1');
  const portText = read('PORT', '4321');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new Error(`PORT must be an integer from 0 to 65535, not ${JSON.stringify(portText)}`);
  }
  const ownOrigin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const corsOrigins = read('LRS_CORS_ORIGINS', ownOrigin)
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => toOrigin(entry, 'LRS_CORS_ORIGINS'));
  const adminKey = read('LRS_ADMIN_KEY', '');
  const adminSecret = read('LRS_ADMIN_SECRET', '');
  if ((adminKey === '') !== (adminSecret === '')) {
    throw new Error('set both LRS_ADMIN_KEY and LRS_ADMIN_SECRET, or neither');
  }
  const poolText = read('LRS_POOL_SIZE', '10');
  if (!/^[1-9]\d*$/.test(poolText)) {
    throw new Error(`LRS_POOL_SIZE must be a positive integer, not ${JSON.stringify(poolText)}`);
  }
  return {
    host,
    port,
    database: read('LRS_DATABASE_URL', '') || read('LRS_DB_PATH', './data/lrs.sqlite'),
    poolSize: Number(poolText),
    credentials: {
      write: { key: read('LRS_WRITE_KEY', 'site'), secret: read('LRS_WRITE_SECRET', 'site-write-secret') },
      read: { key: read('LRS_READ_KEY', 'reviewer'), secret: read('LRS_READ_SECRET', 'reviewer-read-secret') },
      admin: adminKey === '' ? undefined : { key: adminKey, secret: adminSecret },
    },
    corsOrigins,
    siteRoot: read('SITE_ROOT', './dist'),
    logger: true,
    publicOrigin: toOrigin(read('LRS_PUBLIC_ORIGIN', ownOrigin), 'LRS_PUBLIC_ORIGIN'),
  };
}

/** Browsers send the Origin header as scheme://host[:port]; anything else would never match. */
function toOrigin(entry: string, variable: string): string {
  let url: URL | undefined;
  try {
    url = new URL(entry);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Error(`${variable}: ${JSON.stringify(entry)} is not an http(s) origin such as https://site.example`);
  }
  return url.origin;
}

/** Grace period for in-flight requests on shutdown before the process gives up waiting. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const siteRoot = existsSync(config.siteRoot) ? config.siteRoot : undefined;
  const app = buildApp({ ...config, siteRoot });

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
    await app.close();
    process.exitCode = 1;
  }
}

if (import.meta.main) {
  if (process.argv[2] === 'credentials') {
    process.exitCode = await credentialsCommand(process.argv.slice(3), loadConfig(process.env).database);
  } else {
    await main();
  }
}
