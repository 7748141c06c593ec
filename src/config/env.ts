import { z } from 'zod';

/**
 * The environment variables of the site and its LRS, as one zod schema shared by the server
 * (src/lrs/server.ts loadConfig) and the build (astro.config.mjs, src/lib/lrs-settings.ts).
 * docs/deploy.md lists them for whoever deploys. Empty values count as unset; every error message
 * starts with the variable's name.
 */

/** The interface and port the server listens on, and that the build's default site URL names. */
const LISTEN_DEFAULTS = { HOST: '127.0.0.1', PORT: '4321' };

/** A variable's text: trimmed, undefined when unset or empty. */
const variable = z
  .string()
  .optional()
  .transform((value) => {
    const text = value?.trim();
    return text === undefined || text === '' ? undefined : text;
  });

/** A positive integer variable, fallback when unset; the message names it. */
function positiveInteger<F extends number | undefined>(name: string, fallback: F) {
  return variable.transform((text, context): number | F => {
    if (text === undefined) return fallback;
    if (!/^[1-9]\d*$/.test(text)) {
      context.addIssue({ code: 'custom', message: `${name} must be a positive integer, not ${JSON.stringify(text)}` });
      return z.NEVER;
    }
    return Number(text);
  });
}

/** PORT: an integer from 0 to 65535 (0 picks a free one). */
const port = variable.transform((text, context) => {
  const value = text ?? LISTEN_DEFAULTS.PORT;
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    context.addIssue({ code: 'custom', message: `PORT must be an integer from 0 to 65535, not ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return Number(value);
});

/**
 * The raw variables, each read and checked on its own. The derived defaults (an origin from HOST
 * and PORT) and the rules across variables (a KEY needs its SECRET) are readEnvironment's.
 */
export const environmentSchema = z.object({
  HOST: variable.transform((text) => text ?? LISTEN_DEFAULTS.HOST),
  PORT: port,
  // Build: the public address of the site (hreflang, canonical URLs); default http://HOST:PORT.
  SITE_URL: variable,
  // Build: the LRS's xAPI base URL the pages use, absolute or relative to the site.
  PUBLIC_LRS_ENDPOINT: variable.transform((text) => text ?? '/xapi/'),
  // Server: the database; a PostgreSQL URL wins over the SQLite file.
  LRS_DATABASE_URL: variable,
  LRS_DB_PATH: variable.transform((text) => text ?? './data/lrs.sqlite'),
  LRS_POOL_SIZE: positiveInteger('LRS_POOL_SIZE', 10),
  LRS_WRITE_KEY: variable,
  LRS_WRITE_SECRET: variable,
  LRS_READ_KEY: variable,
  LRS_READ_SECRET: variable,
  LRS_ADMIN_KEY: variable,
  LRS_ADMIN_SECRET: variable,
  LRS_CORS_ORIGINS: variable,
  SITE_ROOT: variable.transform((text) => text ?? './dist'),
  LRS_PUBLIC_ORIGIN: variable,
  LRS_TRUST_PROXY: variable,
  CONTENT_DIR: variable.transform((text) => text ?? './content'),
  // Unset: the server's default (ISSUE_LIMIT of src/lrs/routes/learners.ts).
  LRS_LEARNERS_PER_HOUR: positiveInteger('LRS_LEARNERS_PER_HOUR', undefined),
  LRS_FORWARD_ENDPOINT: variable,
  LRS_FORWARD_KEY: variable,
  LRS_FORWARD_SECRET: variable,
});
type Variables = z.output<typeof environmentSchema>;

/** A credential from a KEY/SECRET pair of variables. */
export interface CredentialPair {
  key: string;
  secret: string;
}

/** The configuration the environment gives, every default applied. */
export interface Environment {
  /** Interface to listen on, e.g. "127.0.0.1", "0.0.0.0", "::1". */
  host: string;
  /** TCP port, 0 to 65535. */
  port: number;
  /** http://HOST:PORT (IPv6 hosts in brackets): the default site URL, CORS origin and public origin. */
  ownOrigin: string;
  /** The site's public URL (SITE_URL, default ownOrigin). */
  siteUrl: string;
  /** The xAPI base URL built into the pages (PUBLIC_LRS_ENDPOINT, default "/xapi/"). */
  lrsEndpoint: string;
  /** LRS_DATABASE_URL, else LRS_DB_PATH. */
  database: string;
  poolSize: number;
  credentials: { write: CredentialPair | undefined; read: CredentialPair | undefined; admin: CredentialPair | undefined };
  /** The origins allowed to call the xAPI from a page (LRS_CORS_ORIGINS, default [ownOrigin]). */
  corsOrigins: string[];
  siteRoot: string;
  /** LRS_PUBLIC_ORIGIN as an origin, default ownOrigin. */
  publicOrigin: string;
  /** LRS_TRUST_PROXY split on commas, undefined when unset. */
  trustProxy: string[] | undefined;
  contentDir: string;
  /** Learner credentials issued per client address per hour; undefined: the server's default. */
  learnersPerHour: number | undefined;
  /** LRS_FORWARD_ENDPOINT (normalized URL) with LRS_FORWARD_KEY and _SECRET, or undefined. */
  forward: ({ endpoint: string } & CredentialPair) | undefined;
}

/**
 * Read and check the environment.
 * @param env e.g. process.env; empty values count as unset
 * @returns the configuration (see Environment and docs/deploy.md for the defaults)
 * @throws Error whose message starts with the variable at fault: PORT not an integer from 0 to
 *   65535, LRS_POOL_SIZE or LRS_LEARNERS_PER_HOUR not a positive integer, one of a KEY/SECRET
 *   pair without the other, an LRS_CORS_ORIGINS entry or LRS_PUBLIC_ORIGIN not an http(s) origin,
 *   LRS_FORWARD_ENDPOINT, _KEY and _SECRET not all set or all unset, or the endpoint not an
 *   http(s) URL or holding a credential
 */
export function readEnvironment(env: Readonly<Record<string, string | undefined>>): Environment {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(parsed.error.issues[0]?.message ?? 'the environment is not valid');
  }
  const vars = parsed.data;
  const ownOrigin = `http://${vars.HOST.includes(':') ? `[${vars.HOST}]` : vars.HOST}:${vars.PORT}`;
  return {
    host: vars.HOST,
    port: vars.PORT,
    ownOrigin,
    siteUrl: vars.SITE_URL ?? ownOrigin,
    lrsEndpoint: vars.PUBLIC_LRS_ENDPOINT,
    database: vars.LRS_DATABASE_URL ?? vars.LRS_DB_PATH,
    poolSize: vars.LRS_POOL_SIZE,
    credentials: { write: pair(vars, 'LRS_WRITE'), read: pair(vars, 'LRS_READ'), admin: pair(vars, 'LRS_ADMIN') },
    corsOrigins: list(vars.LRS_CORS_ORIGINS ?? ownOrigin).map((entry) => toOrigin(entry, 'LRS_CORS_ORIGINS')),
    siteRoot: vars.SITE_ROOT,
    publicOrigin: toOrigin(vars.LRS_PUBLIC_ORIGIN ?? ownOrigin, 'LRS_PUBLIC_ORIGIN'),
    trustProxy: vars.LRS_TRUST_PROXY === undefined ? undefined : list(vars.LRS_TRUST_PROXY),
    contentDir: vars.CONTENT_DIR,
    learnersPerHour: vars.LRS_LEARNERS_PER_HOUR,
    forward: forwardTarget(vars.LRS_FORWARD_ENDPOINT, pair(vars, 'LRS_FORWARD')),
  };
}

/**
 * What the build needs, read with the same schema: the site URL and where the pages find the LRS.
 * The server's variables are not checked here, so a build never fails on them.
 * @param env e.g. process.env
 * @throws Error naming HOST or PORT when they are not valid
 */
export function readBuildEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Pick<Environment, 'host' | 'port' | 'siteUrl' | 'lrsEndpoint'> {
  const parsed = environmentSchema.pick({ HOST: true, PORT: true, SITE_URL: true, PUBLIC_LRS_ENDPOINT: true }).safeParse(env);
  if (!parsed.success) {
    throw new Error(parsed.error.issues[0]?.message ?? 'the environment is not valid');
  }
  const { HOST, PORT, SITE_URL, PUBLIC_LRS_ENDPOINT } = parsed.data;
  return {
    host: HOST,
    port: PORT,
    siteUrl: SITE_URL ?? `http://${HOST.includes(':') ? `[${HOST}]` : HOST}:${PORT}`,
    lrsEndpoint: PUBLIC_LRS_ENDPOINT,
  };
}

/** A comma-separated list, entries trimmed, empty ones dropped. */
function list(text: string): string[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** A KEY/SECRET pair: both or neither. */
function pair(vars: Variables, prefix: 'LRS_WRITE' | 'LRS_READ' | 'LRS_ADMIN' | 'LRS_FORWARD'): CredentialPair | undefined {
  const key = vars[`${prefix}_KEY`];
  const secret = vars[`${prefix}_SECRET`];
  if ((key === undefined) !== (secret === undefined)) {
    throw new Error(`set both ${prefix}_KEY and ${prefix}_SECRET, or neither`);
  }
  return key === undefined || secret === undefined ? undefined : { key, secret };
}

/** The LRS that statements are forwarded to: all of LRS_FORWARD_ENDPOINT, _KEY and _SECRET, or none. */
function forwardTarget(endpoint: string | undefined, credential: CredentialPair | undefined): Environment['forward'] {
  if ((endpoint === undefined) !== (credential === undefined)) {
    throw new Error('set LRS_FORWARD_ENDPOINT together with LRS_FORWARD_KEY and LRS_FORWARD_SECRET, or none of them');
  }
  if (endpoint === undefined || credential === undefined) {
    return undefined;
  }
  const url = URL.parse(endpoint);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Error(`LRS_FORWARD_ENDPOINT: ${JSON.stringify(endpoint)} is not an http(s) URL such as https://lrs.example/xapi/`);
  }
  if (url.username !== '' || url.password !== '') {
    // The URL is logged with every delivery; the credential goes in its own variables.
    throw new Error('LRS_FORWARD_ENDPOINT: put the credential in LRS_FORWARD_KEY and LRS_FORWARD_SECRET, not in the URL');
  }
  return { endpoint: url.href, ...credential };
}

/** Browsers send the Origin header as scheme://host[:port]; anything else would never match. */
function toOrigin(entry: string, name: string): string {
  const url = URL.parse(entry);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Error(`${name}: ${JSON.stringify(entry)} is not an http(s) origin such as https://site.example`);
  }
  return url.origin;
}
