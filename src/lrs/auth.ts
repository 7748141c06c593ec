import type { FastifyRequest } from 'fastify';
import { isAlternateSyntax } from './alternate-syntax.ts';
import { XapiError } from './errors/xapi-error.ts';
import type { CredentialStore, Scope } from './store/credentials.ts';
import type { Agent } from './validate.ts';

/** Who sent a request: the credential's key, its scopes and the authority it sets. */
export interface Principal {
  key: string;
  scopes: ReadonlySet<Scope>;
  /** The Agent set as authority on the statements this credential stores (Data 2.4.9). */
  authority: Agent;
}

/**
 * What a route needs. "statements/read" is granted in full by statements/read, all/read and all,
 * and restricted to the credential's own statements by statements/read/mine; "state" and "profile"
 * reads are granted by all/read too; "activities/read" and "agents/read" by any read scope.
 */
export type Access =
  | 'statements/write'
  | 'statements/read'
  | 'state/read'
  | 'state/write'
  | 'profile/read'
  | 'profile/write'
  | 'activities/read'
  | 'agents/read';

/** The scopes that grant each access (Communication 4.2, "OAuth Authorization Scope"). */
const GRANTED_BY: Record<Access, readonly Scope[]> = {
  'statements/write': ['statements/write', 'all'],
  'statements/read': ['statements/read', 'statements/read/mine', 'all/read', 'all'],
  'state/read': ['state', 'all/read', 'all'],
  'state/write': ['state', 'all'],
  'profile/read': ['profile', 'all/read', 'all'],
  'profile/write': ['profile', 'all'],
  'activities/read': ['statements/read', 'all/read', 'all', 'profile', 'define', 'state'],
  'agents/read': ['statements/read', 'all/read', 'all', 'profile', 'define', 'state'],
};

/**
 * Whether a credential may read only the statements it stored itself.
 * @param principal the request's principal
 * @returns true when statements/read/mine is its only statement-reading scope
 */
export function readsOnlyOwnStatements(principal: Principal): boolean {
  return !['statements/read', 'all/read', 'all'].some((scope) => principal.scopes.has(scope as Scope));
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authenticate hook for every request to a protected route. */
    principal?: Principal;
  }
}

const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="xAPI LRS", charset="UTF-8"' };

/**
 * Build the onRequest hook factory that checks HTTP Basic credentials against the credential store
 * and the scopes a route needs, and sets request.principal.
 * @param credentials the credential store (scrypt hashes; see createCredentialStore)
 * @param authorityHomePage the account homePage of the authorities, e.g. "http://127.0.0.1:4321"
 * @returns a function from the access a route needs to its hook; the hook throws XapiError 401
 *   with a WWW-Authenticate challenge when no valid credential is sent, and 403 when the
 *   credential lacks every scope granting the access
 * Source: xAPI 1.0.3, Communication 4.0 (HTTP Basic), 4.2 (scopes), 3.2 (401 "credentials have
 * been refused", 403 "not allowed to perform the given action"); RFC 7617, RFC 7235.
 */
export function createAuthorizer(
  credentials: CredentialStore,
  authorityHomePage: string,
): (access: Access) => (request: FastifyRequest) => Promise<void> {
  return (access) => async (request) => {
    if (isAlternateSyntax(request)) {
      // Its credentials are in the form: the replayed request is authorized (see installProtocol).
      return;
    }
    const principal = await authenticate(credentials, authorityHomePage, request.headers.authorization);
    if (principal === null) {
      throw new XapiError(401, 'send valid HTTP Basic credentials in the Authorization header', CHALLENGE);
    }
    if (!GRANTED_BY[access].some((scope) => principal.scopes.has(scope))) {
      throw new XapiError(403, `this credential's scopes (${[...principal.scopes].join(', ')}) do not allow ${access}`);
    }
    request.principal = principal;
  };
}

async function authenticate(
  credentials: CredentialStore,
  homePage: string,
  authorization: string | undefined,
): Promise<Principal | null> {
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(authorization ?? '');
  if (match?.[1] === undefined) {
    return null;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) {
    return null;
  }
  const key = decoded.slice(0, colon);
  const info = await credentials.verify(key, decoded.slice(colon + 1));
  if (info === null) {
    return null;
  }
  return { key, scopes: new Set(info.scopes), authority: { objectType: 'Agent', account: { homePage, name: key } } };
}
