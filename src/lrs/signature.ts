import { X509Certificate } from 'node:crypto';
import { base64url, compactVerify, decodeProtectedHeader } from 'jose';
import { badRequest } from './errors/xapi-error.ts';
import type { AttachmentPart } from './multipart.ts';
import { parseTimestamp } from './validate.ts';
import { SIGNATURE_USAGE_TYPE, SIGNED_PAYLOAD_RULES, sameStatement } from '../lib/xapi/statement-equivalence.ts';

/** The usageType of the attachment that carries a statement's signature (Data 2.6); one definition, in src/lib/xapi/statement-equivalence.ts. */
export { SIGNATURE_USAGE_TYPE };

/** The JWS algorithms a statement signature may use: "RSA + SHA" (Data 2.6.s4.b4). */
export const SIGNATURE_ALGORITHMS: readonly string[] = ['RS256', 'RS384', 'RS512'];

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

type Json = Record<string, unknown>;

/**
 * Check the signature of a signed statement, if it has one.
 *
 * A statement is signed when one of its attachments has usageType
 * `http://adlnet.gov/expapi/attachments/signature`; a statement without one passes untouched.
 * For each such attachment: its contentType must be application/octet-stream; a multipart part
 * must carry its data (found by its sha2); that data must be a JWS in compact serialization
 * whose protected header names alg RS256, RS384 or RS512; its payload must be a JSON object, the
 * statement as it was before the signature was added, the same statement as `statement` by
 * sameStatement under SIGNED_PAYLOAD_RULES (src/lib/xapi/statement-equivalence.ts): `authority`
 * and `stored` ignored, `id`, `version` and `timestamp` compared only when both sides have them,
 * signature attachments left out of both sides.
 * When the JWS header has an `x5c` certificate chain, the signature is verified against the public
 * key of its first certificate (the chain itself is not validated, nor the certificate's dates:
 * the spec means this check to catch mistakes, not to authenticate). Without x5c the LRS has no key
 * to check against, so only the structure, the algorithm and the payload are checked.
 * @param statement the statement as received (JSON, or parseStatementBody's output)
 * @param parts the request's attachment parts by lowercase SHA-2 (see parseStatementRequest)
 * @param label how messages name the statement, e.g. `statements[2]`
 * @returns a promise resolved when every signature passes
 * @throws XapiError 400 naming the attachment and the rule at fault, e.g.
 *   `statement.attachments[0]: the JWS algorithm must be RS256, RS384 or RS512, not "HS256"`
 * Sources: xAPI 1.0.3, Data 2.6 (Signed Statements: s4 signature requirements, s5 LRS
 * requirements "MUST reject ... malformed signatures, with 400 Bad Request"), Data 2.3.1 (statement
 * comparison and immutability exceptions), RFC 7515 (JWS).
 */
export async function verifySignedStatement(
  statement: Record<string, unknown>,
  parts: ReadonlyMap<string, AttachmentPart>,
  label = 'statement',
): Promise<void> {
  const attachments = Array.isArray(statement['attachments']) ? (statement['attachments'] as unknown[]) : [];
  for (const [index, attachment] of attachments.entries()) {
    if (isObject(attachment) && attachment['usageType'] === SIGNATURE_USAGE_TYPE) {
      await verifySignature(statement, attachment, parts, `${label}.attachments[${index}]`);
    }
  }
}

async function verifySignature(
  statement: Json,
  attachment: Json,
  parts: ReadonlyMap<string, AttachmentPart>,
  label: string,
): Promise<void> {
  const contentType = typeof attachment['contentType'] === 'string' ? attachment['contentType'] : '';
  if (contentType.split(';')[0]?.trim().toLowerCase() !== 'application/octet-stream') {
    throw badRequest(`${label}.contentType: a signature must be application/octet-stream (Data 2.6)`);
  }
  const sha2 = typeof attachment['sha2'] === 'string' ? attachment['sha2'].toLowerCase() : '';
  const part = parts.get(sha2);
  if (part === undefined) {
    throw badRequest(`${label}: a signature attachment needs its JWS sent as a multipart/mixed part (Data 2.6)`);
  }
  let jws: string;
  try {
    jws = new TextDecoder('utf-8', { fatal: true }).decode(part.content).trim();
  } catch {
    jws = '';
  }
  if (!COMPACT_JWS.test(jws)) {
    throw badRequest(`${label}: the signature must be a JWS in compact serialization (Data 2.6, RFC 7515)`);
  }
  let algorithm: unknown;
  let chain: unknown;
  try {
    const header = decodeProtectedHeader(jws);
    algorithm = header.alg;
    chain = header.x5c;
  } catch {
    throw badRequest(`${label}: the JWS protected header is not a base64url JSON object (RFC 7515)`);
  }
  if (typeof algorithm !== 'string' || !SIGNATURE_ALGORITHMS.includes(algorithm)) {
    throw badRequest(`${label}: the JWS algorithm must be RS256, RS384 or RS512, not ${JSON.stringify(algorithm ?? null)} (Data 2.6)`);
  }
  const payload = decodePayload(jws.split('.')[1] ?? '');
  if (payload === undefined) {
    throw badRequest(`${label}: the JWS payload must be the JSON serialization of the statement (Data 2.6)`);
  }
  if (chain !== undefined) {
    await verifyAgainstCertificate(jws, algorithm, chain, label);
  }
  if (!sameStatement(payload, statement, { ...SIGNED_PAYLOAD_RULES, instant: (text) => parseTimestamp(text)?.getTime() })) {
    throw badRequest(`${label}: the JWS payload is not the statement that was signed; they differ (Data 2.6, 2.3.1)`);
  }
}

/** Verify a JWS with the key of the first certificate of its x5c chain (base64 DER, RFC 7515 4.1.6). */
async function verifyAgainstCertificate(jws: string, algorithm: string, chain: unknown, label: string): Promise<void> {
  const first: unknown = Array.isArray(chain) ? chain[0] : undefined;
  if (typeof first !== 'string' || first === '') {
    throw badRequest(`${label}: the JWS x5c header must be a non-empty array of base64 certificates (RFC 7515)`);
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(first, 'base64'));
  } catch {
    throw badRequest(`${label}: x5c[0] of the JWS header is not an X.509 certificate (RFC 7515)`);
  }
  try {
    await compactVerify(jws, certificate.publicKey, { algorithms: [algorithm] });
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'verification failed';
    throw badRequest(`${label}: the signature does not verify with the x5c certificate: ${reason} (Data 2.6)`);
  }
}

function decodePayload(segment: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64url.decode(segment)));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
