import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import pLimit from 'p-limit';
import type { LrsDatabase } from '../db/open.ts';
import type { Agent } from '../validate.ts';

/**
 * The xAPI scopes a credential can hold, as the xAPI 1.0.3 specification names them for OAuth
 * (Communication 4.2, "OAuth Authorization Scope"); this LRS applies them to HTTP Basic
 * credentials too. "all/read" reads every resource; "all" does everything.
 */
export const SCOPES = [
  'statements/write',
  'statements/read',
  'statements/read/mine',
  'state',
  'profile',
  'define',
  'all/read',
  'all',
] as const;
/** One xAPI scope. */
export type Scope = (typeof SCOPES)[number];

/** A credential as listed: never its secret. */
export interface CredentialInfo {
  key: string;
  scopes: Scope[];
  label: string;
  /** ISO 8601 UTC. */
  created: string;
  /** ISO 8601 UTC, or null while the credential is valid. */
  revoked: string | null;
  /** The Agent a learner credential is bound to (it acts only as this Agent); null otherwise. */
  agent: Agent | null;
  /** The configuration role ('write', 'read', 'admin') it was set for from the environment; null otherwise. */
  role: ConfiguredRole | null;
}

/** The roles whose credential comes from the environment (LRS_WRITE_*, LRS_READ_*, LRS_ADMIN_*). */
export type ConfiguredRole = 'write' | 'read' | 'admin';

/** What ensure did with a configured credential. */
export type EnsureOutcome = 'created' | 'updated' | 'unchanged' | 'revoked';

/** Stored HTTP Basic credentials with their scopes; secrets are kept as scrypt hashes only. */
export interface CredentialStore {
  /**
   * Create a credential with a random key and secret (18 random bytes each, base64url).
   * @param scopes one or more scopes
   * @param label who or what it is for
   * @param agent for a learner credential, the Agent it is bound to (see Principal.agent)
   * @returns the key and the secret: the secret is shown this once and never stored in clear
   * @throws Error when a scope is unknown or none is given
   */
  create(scopes: readonly string[], label: string, agent?: Agent): Promise<{ key: string; secret: string }>;
  /**
   * Create or update the credential configured for a role from the environment, and revoke every
   * other valid credential configured for that role earlier (changing LRS_READ_KEY revokes the
   * previous read credential). A revoked credential stays revoked: it is neither re-enabled nor
   * updated (issue 11, section 4).
   * @returns 'revoked' when this key was revoked earlier (it stays so), otherwise what was done
   * @throws Error when a scope is unknown, the key holds ":" or key or secret is empty
   */
  ensure(key: string, secret: string, scopes: readonly string[], label: string, role: ConfiguredRole): Promise<EnsureOutcome>;
  /** Whether the database holds no credential at all, revoked ones included (a first start). */
  isEmpty(): Promise<boolean>;
  /**
   * The keys of valid credentials not bound to a learner whose secret is one of the given ones
   * (learner secrets are made by the server, so they are not checked: one scrypt per candidate).
   * @param secrets secrets to look for, e.g. DOCUMENTED_SECRETS
   */
  keysWithSecret(secrets: readonly string[]): Promise<string[]>;
  /** Every credential, revoked ones included, oldest first. */
  list(): Promise<CredentialInfo[]>;
  /**
   * Revoke a credential: it stops working at once in this process (within CACHE_MS in others).
   * @returns false when no valid credential has this key
   */
  revoke(key: string): Promise<boolean>;
  /**
   * Check a key and secret.
   * @returns the credential when they match a valid one, otherwise null; never throws for bad input
   */
  verify(key: string, secret: string): Promise<CredentialInfo | null>;
  /**
   * What verify answered for this key and secret within the last CACHE_MS, without hashing.
   * @returns the credential, null for a refused pair, undefined when verify would have to hash
   */
  known(key: string, secret: string): CredentialInfo | null | undefined;
}

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  length: number,
  options: { N: number; r: number; p: number },
) => Promise<Buffer>;
/** scrypt cost: 2^14 x 8 x 1 takes ~40 ms and 16 MiB, as OWASP suggests as a minimum. */
const COST = { N: 16384, r: 8, p: 1 };
const HASH_BYTES = 32;
/**
 * scrypt runs in libuv's threadpool (4 threads), which also reads the site's static files: one
 * hash at a time per two cores leaves the other threads, and a core, to honest traffic while
 * wrong passwords arrive (issue 12; the failed ones are also rate-limited, src/lrs/auth.ts).
 */
const scryptSlots = pLimit(Math.max(1, Math.floor(availableParallelism() / 2)));
/**
 * How long a verified key and secret are trusted without hashing again. scrypt is slow on
 * purpose; the site sends a statement batch every few seconds per learner, so results are kept
 * (by a SHA-256 of key and secret, never the secret itself) for a minute.
 */
export const CACHE_MS = 60_000;

/**
 * Create the credential store over an open, migrated database.
 * @param database the LRS database
 * @returns the store
 */
export function createCredentialStore(database: LrsDatabase): CredentialStore {
  const { db } = database;
  const cache = new Map<string, { info: CredentialInfo | null; until: number }>();

  return {
    create: (scopes, label, agent) => createCredential(database, scopes, label, agent),

    async ensure(key, secret, scopes, label, role) {
      const outcome = await ensureCredential(database, key, secret, scopes, label, role);
      if (outcome.changed) {
        cache.clear();
      }
      return outcome.result;
    },

    async isEmpty() {
      const row = await db.selectFrom('credentials').select('key').limit(1).executeTakeFirst();
      return row === undefined;
    },

    async keysWithSecret(secrets) {
      const rows = await db
        .selectFrom('credentials')
        .select(['key', 'secret_hash'])
        .where('revoked', 'is', null)
        .where('agent', 'is', null)
        .execute();
      // scrypt runs on libuv's thread pool: check every pair at once rather than one by one.
      const checks = await Promise.all(
        rows.map(async (row) => (await Promise.all(secrets.map((secret) => matches(secret, row.secret_hash)))).some(Boolean)),
      );
      return rows.filter((_row, index) => checks[index] === true).map((row) => row.key);
    },

    async list() {
      const rows = await db.selectFrom('credentials').selectAll().orderBy('created').orderBy('key').execute();
      return rows.map(toInfo);
    },

    async revoke(key) {
      const result = await db
        .updateTable('credentials')
        .set({ revoked: new Date().toISOString() })
        .where('key', '=', key)
        .where('revoked', 'is', null)
        .executeTakeFirst();
      cache.clear();
      return Number(result.numUpdatedRows) > 0;
    },

    known(key, secret) {
      const cached = cache.get(createHash('sha256').update(`${key}:${secret}`).digest('base64'));
      return cached !== undefined && cached.until > Date.now() ? cached.info : undefined;
    },

    async verify(key, secret) {
      const cacheKey = createHash('sha256').update(`${key}:${secret}`).digest('base64');
      const cached = cache.get(cacheKey);
      if (cached !== undefined && cached.until > Date.now()) {
        return cached.info;
      }
      const row = await db.selectFrom('credentials').selectAll().where('key', '=', key).executeTakeFirst();
      // Hash even when the key is unknown, so the time taken does not tell which keys exist.
      const ok = await matches(secret, row?.secret_hash ?? UNKNOWN_KEY_HASH);
      const info = row !== undefined && ok && row.revoked === null ? toInfo(row) : null;
      if (cache.size > 10_000) {
        cache.clear();
      }
      cache.set(cacheKey, { info, until: Date.now() + CACHE_MS });
      return info;
    },
  };
}

/** A credentials row as a CredentialInfo. */
function toInfo(row: {
  key: string;
  scopes: string;
  label: string;
  created: string;
  revoked: string | null;
  agent: string | null;
  role: string | null;
}): CredentialInfo {
  return {
    key: row.key,
    scopes: JSON.parse(row.scopes) as Scope[],
    label: row.label,
    created: row.created,
    revoked: row.revoked,
    agent: row.agent === null ? null : (JSON.parse(row.agent) as Agent),
    role: row.role as ConfiguredRole | null,
  };
}

/** CredentialStore.create: a new random key and secret, stored as a scrypt hash. */
async function createCredential(
  database: LrsDatabase,
  scopes: readonly string[],
  label: string,
  agent: Agent | undefined,
): Promise<{ key: string; secret: string }> {
  const key = commandLineSafeKey();
  const secret = randomBytes(18).toString('base64url');
  await database.db
    .insertInto('credentials')
    .values({
      key,
      secret_hash: await hashSecret(secret),
      scopes: JSON.stringify(checkScopes(scopes)),
      label,
      created: new Date().toISOString(),
      revoked: null,
      agent: agent === undefined ? null : JSON.stringify(agent),
      role: null,
    })
    .execute();
  return { key, secret };
}

/**
 * CredentialStore.ensure, and whether it changed rows that cached verifications may have read
 * (the caller then empties its cache).
 */
async function ensureCredential(
  database: LrsDatabase,
  key: string,
  secret: string,
  scopes: readonly string[],
  label: string,
  role: ConfiguredRole,
): Promise<{ result: EnsureOutcome; changed: boolean }> {
  const { db } = database;
  if (key === '' || secret === '' || key.includes(':')) {
    throw new Error(`credential "${label}": needs a non-empty key without ":" and a non-empty secret`);
  }
  const checked = JSON.stringify(checkScopes(scopes));
  const now = new Date().toISOString();
  const row = await db.selectFrom('credentials').selectAll().where('key', '=', key).executeTakeFirst();
  // Checked first: a process still started with an old, revoked key (a rolling restart of
  // several processes) must not revoke the key that replaced it.
  if (row !== undefined && row.revoked !== null) {
    return { result: 'revoked', changed: false };
  }
  const replaced = await db
    .updateTable('credentials')
    .set({ revoked: now })
    .where('role', '=', role)
    .where('key', '!=', key)
    .where('revoked', 'is', null)
    .executeTakeFirst();
  const revokedOthers = Number(replaced.numUpdatedRows) > 0;
  if (
    row !== undefined &&
    row.scopes === checked &&
    row.label === label &&
    row.role === role &&
    row.agent === null &&
    (await matches(secret, row.secret_hash))
  ) {
    return { result: 'unchanged', changed: revokedOthers };
  }
  const values = { secret_hash: await hashSecret(secret), scopes: checked, label, agent: null, role };
  await db
    .insertInto('credentials')
    .values({ key, created: now, revoked: null, ...values })
    .onConflict((conflict) => conflict.column('key').doUpdateSet(values))
    .execute();
  return { result: row === undefined ? 'created' : 'updated', changed: true };
}

function checkScopes(scopes: readonly string[]): Scope[] {
  if (scopes.length === 0) {
    throw new Error(`a credential needs at least one scope: ${SCOPES.join(', ')}`);
  }
  for (const scope of scopes) {
    if (!(SCOPES as readonly string[]).includes(scope)) {
      throw new Error(`unknown scope "${scope}"; the scopes are ${SCOPES.join(', ')}`);
    }
  }
  return [...new Set(scopes)] as Scope[];
}

const UNKNOWN_KEY_HASH = `scrypt$${COST.N}$${COST.r}$${COST.p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(HASH_BYTES).toString('base64url')}`;

/**
 * A random key (18 bytes, base64url) that does not start with "-": an administrator types it on
 * the command line (`npm run lrs -- credentials revoke KEY`), where a leading "-" reads as an
 * option (one key in 64 did, and could not be revoked that way).
 */
function commandLineSafeKey(): string {
  for (;;) {
    const key = randomBytes(18).toString('base64url');
    if (!key.startsWith('-')) return key;
  }
}

/** "scrypt$N$r$p$salt$hash", salt and hash in base64url. */
async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptSlots(() => scryptAsync(secret, salt, HASH_BYTES, COST));
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

async function matches(secret: string, stored: string): Promise<boolean> {
  const [name, n, r, p, salt, hash] = stored.split('$');
  if (name !== 'scrypt' || salt === undefined || hash === undefined) {
    return false;
  }
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptSlots(() =>
    scryptAsync(secret, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) }),
  );
  return timingSafeEqual(actual, expected);
}
