import { isIP } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { ConfiguredRole, CredentialStore, Scope } from './store/credentials.ts';

/**
 * Secrets printed in this repository's docs, tests and browser-test configuration. Anyone can read
 * them, so the server refuses to listen beyond loopback while a valid credential has one
 * (issue 11 section 4). Add here any secret a new doc or test prints.
 */
export const DOCUMENTED_SECRETS: readonly string[] = [
  'site-write-secret',
  'reviewer-read-secret',
  'admin-secret',
  'bench-write-secret',
  'bench-read-secret',
  'bench-admin-secret',
];

/** The command that makes a read credential for reviewers, printed with the first admin secret. */
export const REVIEWER_COMMAND = 'npm run lrs -- credentials create statements/read --label reviewer';

/** One HTTP Basic credential. */
export interface Credential {
  /** The user name of HTTP Basic; no colon (RFC 7617). */
  key: string;
  /** The password of HTTP Basic. */
  secret: string;
}

/**
 * The credentials set by configuration (each optional), created or updated in the database at
 * start; more are managed with `npm run lrs -- credentials create|list|revoke`.
 */
export interface Credentials {
  /** A plain statements/write and state credential, e.g. for an external tool (LRS_WRITE_KEY). */
  write?: Credential | undefined;
  /** The reviewers' (review page, `npm run report`): statements/read (LRS_READ_KEY). */
  read?: Credential | undefined;
  /** An administrator's: all (e.g. the conformance suite) (LRS_ADMIN_KEY). */
  admin?: Credential | undefined;
}

/** The scopes of each configured credential. */
export const CONFIGURED_SCOPES: Record<ConfiguredRole, Scope[]> = {
  write: ['statements/write', 'state'],
  read: ['statements/read'],
  admin: ['all'],
};

const ROLES: readonly ConfiguredRole[] = ['write', 'read', 'admin'];

/**
 * Check the configured credentials can be told apart and used with HTTP Basic.
 * @param credentials the configured credentials
 * @throws Error when a key or secret is empty, a key holds a colon, or two keys are equal
 */
export function assertUsableCredentials(credentials: Credentials): void {
  const given = ROLES.flatMap((role) => {
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
 * Whether an address to listen on reaches only this machine.
 * @param host a host name or IP address, e.g. "127.0.0.1", "::1", "localhost", "0.0.0.0"
 * @returns true for localhost, 127.0.0.0/8 and ::1 (and ::ffff:127.x); false for anything else,
 *   "0.0.0.0" and "::" included (they listen on every interface)
 */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') {
    return true;
  }
  if (isIP(bare) === 4) {
    return bare.startsWith('127.');
  }
  return bare === '::1' || bare.startsWith('::ffff:127.');
}

/** What setUpCredentials needs. */
export interface CredentialSetup {
  credentials: Credentials;
  /** The address the server will listen on; undefined when it does not listen (tests). */
  listenHost?: string | undefined;
  /** Called once with the admin credential made on a first start, to show its secret. */
  onAdminCreated?: ((admin: Credential) => void) | undefined;
}

/**
 * Bring the stored credentials in line with the configuration at start:
 *
 * 1. first start (no credential at all) without a configured admin: make an admin credential
 *    (scope all) with a random secret, stored as a hash only, and hand it to onAdminCreated once;
 * 2. each configured credential is created or updated for its role, revoking the one configured
 *    for that role before (rotation); a revoked one stays revoked (logged);
 * 3. on a non-loopback listenHost, refuse when a valid credential has a DOCUMENTED_SECRETS secret.
 * @param store the credential store
 * @param setup configuration, listen address and the first-start callback
 * @param log where warnings go
 * @throws Error naming the keys and the variables to change when step 3 refuses
 * Source: issue 11 section 4.
 */
export async function setUpCredentials(store: CredentialStore, setup: CredentialSetup, log: FastifyBaseLogger): Promise<void> {
  const exposed = setup.listenHost !== undefined && !isLoopback(setup.listenHost);
  // A documented secret in the environment is refused before anything is written.
  const documented = ROLES.filter((role) => {
    const secret = setup.credentials[role]?.secret;
    return secret !== undefined && DOCUMENTED_SECRETS.includes(secret);
  });
  if (exposed && documented.length > 0) {
    throw new Error(
      `refusing to listen on ${setup.listenHost ?? ''}: ${documented.map((role) => `LRS_${role.toUpperCase()}_SECRET`).join(', ')} ` +
        "is a secret printed in this project's docs or tests; set a secret of your own, or listen on 127.0.0.1.",
    );
  }
  if (setup.credentials.admin === undefined && (await store.isEmpty())) {
    const created = await store.create(CONFIGURED_SCOPES.admin, 'admin (made on first start)');
    setup.onAdminCreated?.(created);
  }
  for (const role of ROLES) {
    const credential = setup.credentials[role];
    if (credential === undefined) {
      continue;
    }
    const outcome = await store.ensure(credential.key, credential.secret, CONFIGURED_SCOPES[role], `configured ${role} credential`, role);
    if (outcome === 'revoked') {
      log.warn(
        { key: credential.key, role },
        `the configured ${role} credential ${credential.key} was revoked and stays revoked; set a new key to replace it`,
      );
    }
  }
  if (!exposed) {
    return;
  }
  const keys = await store.keysWithSecret(DOCUMENTED_SECRETS);
  if (keys.length > 0) {
    throw new Error(
      `refusing to listen on ${setup.listenHost}: the credential(s) ${keys.join(', ')} still have a secret printed in this project's docs or tests. ` +
        'Set new secrets (LRS_READ_SECRET, LRS_WRITE_SECRET, LRS_ADMIN_SECRET, with new keys to revoke the old ones) ' +
        'or revoke them with `npm run lrs -- credentials revoke KEY`, or listen on 127.0.0.1.',
    );
  }
}
