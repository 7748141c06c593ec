import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { EARNED_VERB } from '../certificates/did.ts';
import { SIGNATURE_USAGE_TYPE, sameSignedContent } from '../xapi/signed-content.ts';

// Verified or self-reported: the Secretariat's report counts a completion or a pass as verified
// only when this site's server graded it and signed it. One module for the review page (browser)
// and `npm run report` (Node); jose works on WebCrypto in both.

/** How far a completion or pass can be trusted. */
export type Verification = 'verified' | 'self-reported';

/** A verification outcome and, for self-reported ones, why (for the detail view and tests). */
export interface VerificationResult {
  status: Verification;
  /** Empty when verified; otherwise the first rule the statement fails, in English. */
  reason: string;
}

/** The account name of the site's grader agent, the authority of server-graded statements. */
export const GRADER_ACCOUNT_NAME = 'site-grader';

/** Where a site publishes its signing keys (contract of issue 11, section 2). */
export const JWKS_PATH = '/.well-known/jwks.json';

/**
 * Checks statements against one site's published keys.
 * @param statement a statement as read from an LRS
 * @param parts attachment contents by lowercase hex SHA-2 (from GET statements?attachments=true);
 *   only signature parts are needed, as text
 */
export type Verifier = (statement: object, parts: ReadonlyMap<string, string>) => Promise<VerificationResult>;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether an agent is the site's grader: account { homePage: graderOrigin, name: "site-grader" }. */
function isGrader(agent: unknown, graderOrigin: string): boolean {
  if (!isObject(agent) || !isObject(agent['account'])) return false;
  const account = agent['account'];
  return (
    account['name'] === GRADER_ACCOUNT_NAME && typeof account['homePage'] === 'string' && sameOrigin(account['homePage'], graderOrigin)
  );
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

const selfReported = (reason: string): VerificationResult => ({ status: 'self-reported', reason });

/**
 * Make a verifier for one site. A statement is verified when all of these hold, and
 * self-reported otherwise:
 * 1. it has a signature attachment (usageType http://adlnet.gov/expapi/attachments/signature,
 *    contentType application/octet-stream) whose content came with it;
 * 2. that content is a compact JWS with alg RS256 and a `kid` naming a key of `jwks`, and its
 *    signature verifies with that key;
 * 3. its payload is the statement (Data 2.3.1 comparison, see src/lib/xapi/signed-content.ts),
 *    so a copy with a changed name, score or actor fails;
 * 4. the statement's authority, or the authority inside the signed payload (an LRS the statement
 *    was forwarded to sets its own), is the site's grader agent on `graderOrigin`.
 * @param jwks the site's published key set (GET /.well-known/jwks.json), RSA public keys
 * @param graderOrigin the site's public origin, the homePage of its grader's account, e.g.
 *   "https://training.example"
 * @returns the verifier; it never throws, a malformed signature is a reason
 * Sources: xAPI 1.0.3 Data 2.6 (signed statements), RFC 7515 (JWS), RFC 7517 (JWK Set).
 */
export function createVerifier(jwks: JSONWebKeySet, graderOrigin: string): Verifier {
  const keys = createLocalJWKSet(jwks);
  return async (statement, parts) => {
    const s = statement as Json;
    const attachments = Array.isArray(s['attachments']) ? (s['attachments'] as unknown[]) : [];
    const signature = attachments.find((a): a is Json => isObject(a) && a['usageType'] === SIGNATURE_USAGE_TYPE);
    if (!signature) return selfReported('not signed');
    if (
      String(signature['contentType'] ?? '')
        .split(';')[0]
        ?.trim()
        .toLowerCase() !== 'application/octet-stream'
    )
      return selfReported('signature attachment is not application/octet-stream');
    const jws = parts.get(String(signature['sha2'] ?? '').toLowerCase())?.trim();
    if (!jws) return selfReported('the signature content was not received');
    let payload: unknown;
    try {
      const header = decodeProtectedHeader(jws);
      if (header.alg !== 'RS256') return selfReported(`signature algorithm ${String(header.alg)} is not RS256`);
      if (typeof header.kid !== 'string' || header.kid === '') return selfReported('signature names no key (kid)');
      const { payload: bytes } = await compactVerify(jws, keys, { algorithms: ['RS256'] });
      payload = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      return selfReported(
        `signature does not verify with the site's published keys: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (!isObject(payload) || !sameSignedContent(payload, s)) return selfReported('the signed content differs from the statement');
    if (!isGrader(s['authority'], graderOrigin) && !isGrader(payload['authority'], graderOrigin))
      return selfReported('the authority is not the site grader');
    return { status: 'verified', reason: '' };
  };
}

/**
 * Fetch a site's published key set.
 * @param url the JWKS URL, e.g. "https://training.example/.well-known/jwks.json"
 * @param fetchImpl fetch, replaceable for Node programs
 * @returns the key set
 * @throws Error naming the URL when the answer is not 2xx or not a JWK Set ({ keys: [...] })
 */
export async function fetchJwks(url: string, fetchImpl: typeof fetch = fetch): Promise<JSONWebKeySet> {
  const response = await fetchImpl(url, { credentials: 'omit', headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  const body: unknown = await response.json();
  if (!isObject(body) || !Array.isArray(body['keys'])) throw new Error(`${url}: not a JWK Set ({ "keys": [...] })`);
  return body as unknown as JSONWebKeySet;
}

/**
 * Whether a statement's verb calls for verification: completions (of a module, or of a pre-test
 * with its score), passes, and fails (a failed final assessment is a post-test score for the
 * learning gain, src/lib/report/gain.ts), and certificates earned (src/lrs/certificates/service.ts).
 */
export function needsVerification(statement: { verb: { id: string } }): boolean {
  return (
    statement.verb.id === EARNED_VERB ||
    ['completed', 'passed', 'failed'].some((verb) => statement.verb.id === `http://adlnet.gov/expapi/verbs/${verb}`)
  );
}
