import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { XapiError } from './errors/xapi-error.ts';

/** What a credential may do: the site writes statements, reviewers read them. */
export type Role = 'write' | 'read';

/** One HTTP Basic credential. */
export interface Credential {
  /** The user name of HTTP Basic; no colon (RFC 7617). */
  key: string;
  /** The password of HTTP Basic. */
  secret: string;
}

/** The LRS's two credentials. */
export type Credentials = Record<Role, Credential>;

const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="xAPI LRS", charset="UTF-8"' };

/**
 * Check the two credentials can be told apart and used with HTTP Basic.
 * @param credentials the write and read credentials
 * @throws Error when a key or secret is empty, a key holds a colon, or both keys are equal
 */
export function assertUsableCredentials(credentials: Credentials): void {
  for (const role of ['write', 'read'] as const) {
    const { key, secret } = credentials[role];
    if (key === '' || secret === '' || key.includes(':')) {
      throw new Error(`the ${role} credential needs a non-empty key without ":" and a non-empty secret`);
    }
  }
  if (credentials.write.key === credentials.read.key) {
    throw new Error('the write and read credentials must have different keys');
  }
}

/**
 * Build the function that tells which role an Authorization header grants.
 *
 * The decoded "key:secret" is hashed and compared with timingSafeEqual against every credential,
 * so the time taken reveals neither which part was wrong nor how much of it matched.
 * @param credentials the write and read credentials (see assertUsableCredentials)
 * @returns a function from an Authorization header value (or undefined) to a role, or null when
 *   the header is missing, malformed or matches no credential; it never throws
 * Source: xAPI 1.0.3, Communication 4.0 (Authentication: HTTP Basic); RFC 7617.
 */
export function createAuthenticator(credentials: Credentials): (authorization: string | undefined) => Role | null {
  const expected = (['write', 'read'] as const).map((role) => ({
    role,
    digest: sha256(`${credentials[role].key}:${credentials[role].secret}`),
  }));
  return (authorization) => {
    const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(authorization ?? '');
    const given = sha256(match?.[1] === undefined ? '' : Buffer.from(match[1], 'base64').toString('utf8'));
    let granted: Role | null = null;
    for (const { role, digest } of expected) {
      if (timingSafeEqual(given, digest) && match !== null) {
        granted = role;
      }
    }
    return granted;
  };
}

/**
 * Build an onRequest hook that lets a request through only with the credential of `role`.
 * @param authenticate the function from createAuthenticator
 * @param role the role the route needs
 * @returns the hook
 * @throws (from the hook) XapiError 401 with a WWW-Authenticate challenge when no valid
 *   credential is sent; 403 when a valid credential of the other role is sent
 * Source: xAPI 1.0.3, Communication 3.2 (401 "credentials have been refused", 403 "not allowed to
 * perform the given action"); RFC 7235 (a 401 carries WWW-Authenticate).
 */
export function requireRole(
  authenticate: (authorization: string | undefined) => Role | null,
  role: Role,
): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const granted = authenticate(request.headers.authorization);
    if (granted === null) {
      throw new XapiError(401, 'send valid HTTP Basic credentials in the Authorization header', CHALLENGE);
    }
    if (granted !== role) {
      throw new XapiError(403, `this credential cannot ${role} statements`);
    }
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
