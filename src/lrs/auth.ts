import type { FastifyRequest } from 'fastify';
import { isAlternateSyntax } from './alternate-syntax.ts';
import type { AuthBrakes } from './auth-brakes.ts';
import { XapiError } from './errors/xapi-error.ts';
import { ifiKey } from './statement-index.ts';
import type { CredentialStore, Scope } from './store/credentials.ts';
import type { Agent } from './validate.ts';

/** Who sent a request: the credential's key, its scopes and the authority it sets. */
export interface Principal {
  key: string;
  scopes: ReadonlySet<Scope>;
  /** The Agent set as authority on the statements this credential stores (Data 2.4.9). */
  authority: Agent;
  /**
   * For a learner credential, the one Agent it acts as (POST /api/learners): it writes only
   * statements with this actor, reads only this Agent's statements and State (issue 11).
   */
  agent?: Agent | undefined;
}

/** What a learner credential (one bound to an Agent) may do; every other access is a 403. */
const LEARNER_ACCESS: ReadonlySet<Access> = new Set<Access>(['statements/write', 'statements/read', 'state/read', 'state/write']);

/**
 * Check that a learner credential names its own Agent where a request names one (the `agent`
 * parameter of statements and State); other credentials pass.
 * @param principal the request's principal
 * @param ifi the identifier key of the Agent the request names (see ifiKey), or null/undefined
 *   when none is named
 * @param what the parameter, for the message, e.g. "agent"
 * @throws XapiError 403 naming the bound Agent when they differ
 * Source: issue 11 (a learner credential reads only its own statements and State).
 */
export function assertOwnAgent(principal: Principal, ifi: string | null | undefined, what: string): void {
  if (principal.agent === undefined || ifi === undefined) {
    return;
  }
  if (ifi !== ifiKey(principal.agent)) {
    throw new XapiError(
      403,
      `${what}: a learner credential may only use its own agent ${JSON.stringify(principal.agent)}, not another agent`,
    );
  }
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
 * @param brakes the limits on failed authentications (see createAuthBrakes); none when omitted
 * @returns a function from the access a route needs to its hook; the hook throws XapiError 401
 *   with a WWW-Authenticate challenge when no valid credential is sent, 429 when the client's
 *   address or key failed too often lately, and 403 when the credential lacks every scope
 *   granting the access, or is a learner credential and the access is not in LEARNER_ACCESS
 *   (statements and State only)
 * Source: xAPI 1.0.3, Communication 4.0 (HTTP Basic), 4.2 (scopes), 3.2 (401 "credentials have
 * been refused", 403 "not allowed to perform the given action"); RFC 7617, RFC 7235.
 */
export function createAuthorizer(
  credentials: CredentialStore,
  authorityHomePage: string,
  brakes?: AuthBrakes,
): (access: Access) => (request: FastifyRequest) => Promise<void> {
  return (access) => async (request) => {
    if (isAlternateSyntax(request)) {
      // Its credentials are in the form: the replayed request is authorized (see installProtocol).
      return;
    }
    const principal = await authenticate(credentials, authorityHomePage, request, brakes);
    if (principal === null) {
      throw new XapiError(401, 'send valid HTTP Basic credentials in the Authorization header', CHALLENGE);
    }
    if (principal.agent !== undefined && !LEARNER_ACCESS.has(access)) {
      throw new XapiError(403, `a learner credential may only write and read its own statements and State, not ${access}`);
    }
    if (!GRANTED_BY[access].some((scope) => principal.scopes.has(scope))) {
      throw new XapiError(403, `this credential's scopes (${[...principal.scopes].join(', ')}) do not allow ${access}`);
    }
    request.principal = principal;
  };
}

/**
 * Check a request's HTTP Basic credentials.
 * @param credentials the credential store
 * @param homePage the account homePage of the authority, e.g. "http://127.0.0.1:4321"
 * @param request the request: its Authorization header is read; a failed attempt (a key sent with
 *   a wrong secret, or a revoked credential) is logged at warn level with the key and the client
 *   address, never the secret
 * @param brakes when given, a pair not verified in the last minute is first checked against the
 *   failure limits (429 before any scrypt), and a failed verification is counted
 * @returns the principal, or null when no valid credential is sent
 * @throws XapiError 429 from brakes.begin
 * Source: RFC 7617 (Basic), issue 11 section 4 (failed authentications are logged).
 */
export async function authenticate(
  credentials: CredentialStore,
  homePage: string,
  request: FastifyRequest,
  brakes?: AuthBrakes,
): Promise<Principal | null> {
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(request.headers.authorization ?? '');
  if (match?.[1] === undefined) {
    return null;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) {
    request.log.warn({ ip: request.ip, url: request.url }, 'authentication failed: malformed Basic credentials');
    return null;
  }
  const key = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  // A pair verified lately costs no scrypt, so it passes even while its address is braked.
  const known = credentials.known(key, secret);
  let info = known;
  if (info === undefined) {
    await brakes?.begin(request, key);
    try {
      info = await credentials.verify(key, secret);
    } finally {
      await brakes?.end(request, key, info === null);
    }
  }
  if (info === null) {
    request.log.warn({ key, ip: request.ip, url: request.url }, 'authentication failed: unknown key, wrong secret or revoked credential');
    return null;
  }
  return {
    key,
    scopes: new Set(info.scopes),
    authority: { objectType: 'Agent', account: { homePage, name: key } },
    ...(info.agent === null ? {} : { agent: info.agent }),
  };
}
