import { decodeJwt, decodeProtectedHeader, errors, importJWK, jwtVerify, type JWTPayload } from 'jose';
import { STATUS_LIST_PATH, type DidDocument } from './did.ts';

// Checks an Open Badges 3.0 certificate of this site (a VC-JWT) against the issuer's published
// DID document and revocation status list, in the browser (src/pages/[lang]/verify.astro) or in
// Node: no network here, the caller fetches (src/lib/certificates/verify-client.ts).

/** What a valid, revoked or expired certificate says, for the page to show. */
export interface CertificateSummary {
  /** "urn:uuid:…" */
  id: string;
  /** The learner's name as the credential states it. */
  name: string;
  /** The achievement's (module's) name, in the credential's language. */
  achievement: string;
  /** Score and pass mark, in percent, when stated. */
  score?: number | undefined;
  passMark?: number | undefined;
  /** ISO 8601 instant of issuance (validFrom). */
  issued: string;
  /** ISO 8601 instant of expiry (validUntil), when there is one. */
  expires?: string | undefined;
  issuerName: string;
  /** The workshop cohort and country code, when the completion came from a workshop. */
  workshop?: { cohort: string; country: string } | undefined;
}

/** Why a certificate is not valid: the page words each one. */
export type InvalidReason = 'malformed' | 'issuer' | 'unknown-key' | 'signature' | 'not-yet-valid' | 'status-list';

/** The outcome of a check. */
export type Verification =
  | { status: 'valid'; certificate: CertificateSummary }
  | { status: 'revoked'; certificate: CertificateSummary }
  | { status: 'expired'; certificate: CertificateSummary }
  | { status: 'invalid'; reason: InvalidReason };

/** What the check needs from the issuer's site, fetched by the caller (kept for offline use). */
export interface IssuerDocuments {
  /** The site's origin, e.g. "https://training.example.org": the status list must be its own. */
  origin: string;
  /** GET /.well-known/did.json of that origin: the issuer is its id. */
  didDocument: DidDocument;
  /** GET /api/certificates/status/revocation: the revocation status list, a VC-JWT. */
  statusList: string;
}

type Claims = JWTPayload & {
  issuer?: { id?: string; name?: string };
  name?: string;
  validFrom?: string;
  validUntil?: string;
  credentialSubject?: {
    identifier?: { identityHash?: string }[];
    achievement?: { name?: string; resultDescription?: { requiredValue?: string }[] };
    result?: { value?: string }[];
  };
  evidence?: { name?: string; audience?: string }[];
  credentialStatus?: { statusListIndex?: string; statusListCredential?: string; statusPurpose?: string };
};

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The key of the DID document that `kid` names, when it may sign assertions (DID Core 1.0, section 5.3.2). */
async function keyOf(kid: string | undefined, did: DidDocument) {
  if (kid === undefined || !did.assertionMethod.includes(kid)) return undefined;
  const method = did.verificationMethod.find((m) => m.id === kid && m.controller === did.id);
  return method === undefined ? undefined : importJWK({ ...method.publicKeyJwk }, 'ES256');
}

/**
 * Verify a JWT signed by the issuer (ES256, key named by `kid` in the DID document), with its
 * claims iss = the DID and, unless `ignoreExpiry`, nbf and exp (RFC 7519 section 4.1).
 * @returns the claims, or why they cannot be trusted
 */
async function verified(
  jwt: string,
  did: DidDocument,
): Promise<{ claims: Claims } | { reason: InvalidReason | 'expired'; claims?: Claims }> {
  if (!COMPACT_JWS.test(jwt)) return { reason: 'malformed' };
  let header;
  let claims: Claims;
  try {
    header = decodeProtectedHeader(jwt);
    claims = decodeJwt(jwt) as Claims;
  } catch {
    return { reason: 'malformed' };
  }
  if (claims.iss !== did.id || (claims.issuer?.id !== undefined && claims.issuer.id !== did.id)) return { reason: 'issuer' };
  const key = header.alg === 'ES256' ? await keyOf(header.kid, did) : undefined;
  if (key === undefined) return { reason: 'unknown-key' };
  try {
    await jwtVerify(jwt, key, { algorithms: ['ES256'], issuer: did.id, clockTolerance: 300 });
    return { claims };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { reason: 'expired', claims };
    if (error instanceof errors.JWTClaimValidationFailed) return { reason: 'not-yet-valid' };
    return { reason: 'signature' };
  }
}

/**
 * The bit at `index` of a Bitstring Status List's encodedList: multibase "u" (base64url, no
 * padding) of the GZIP-compressed bits, index 0 the left-most bit of the first byte (W3C
 * Bitstring Status List v1.0, sections 2.1 and 3.2). Uses the platform's DecompressionStream.
 * @throws Error when the list is not in that encoding or the index is past its end
 */
export async function statusBit(encodedList: string, index: number): Promise<boolean> {
  if (!encodedList.startsWith('u')) throw new Error('encodedList must start with the multibase prefix "u"');
  const base64 = encodedList.slice(1).replace(/-/g, '+').replace(/_/g, '/');
  const gzipped = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
  const stream = new Blob([gzipped]).stream().pipeThrough(new DecompressionStream('gzip'));
  const bits = new Uint8Array(await new Response(stream).arrayBuffer());
  const byte = bits[index >> 3];
  if (byte === undefined || index < 0) throw new Error(`status list index ${index} is past the list's ${bits.length * 8} bits`);
  return ((byte >> (7 - (index & 7))) & 1) === 1;
}

function summary(claims: Claims): CertificateSummary {
  const subject = claims.credentialSubject ?? {};
  const number = (text: string | undefined) => (text === undefined || !/^\d+(\.\d+)?$/.test(text) ? undefined : Number(text));
  const evidence = claims.evidence?.[0];
  return {
    id: String(claims.jti ?? ''),
    name: subject.identifier?.[0]?.identityHash ?? '',
    achievement: subject.achievement?.name ?? claims.name ?? '',
    score: number(subject.result?.[0]?.value),
    passMark: number(subject.achievement?.resultDescription?.[0]?.requiredValue),
    issued: claims.validFrom ?? '',
    expires: claims.validUntil,
    issuerName: claims.issuer?.name ?? '',
    workshop: evidence === undefined ? undefined : { cohort: evidence.name ?? '', country: evidence.audience ?? '' },
  };
}

/**
 * Check a certificate of this site: the signature (ES256, against the key its header names in the
 * issuer's DID document), the issuer (iss and issuer.id are that DID), the revocation status (its
 * bit in the issuer's own status list, itself signed by the issuer) and expiry (exp), in that order.
 * @param jwt the credential as a compact JWS (the .jwt file, surrounding white space allowed)
 * @param documents the issuer's DID document and status list (see IssuerDocuments)
 * @returns valid, revoked or expired with what the certificate says; or invalid with the reason
 * Sources: issue 14 ("The verification page"); Open Badges 3.0 section 8.2 (VC-JWT) and its
 * verification steps; W3C Bitstring Status List v1.0 section 3.2 (validate algorithm).
 */
export async function verifyCertificate(jwt: string, documents: IssuerDocuments): Promise<Verification> {
  const result = await verified(jwt.trim(), documents.didDocument);
  if ('reason' in result && result.reason !== 'expired') return { status: 'invalid', reason: result.reason };
  const claims = result.claims as Claims;
  const status = claims.credentialStatus;
  const listUrl = `${documents.origin}${STATUS_LIST_PATH}`;
  if (status !== undefined) {
    const index = Number(status.statusListIndex);
    if (status.statusListCredential !== listUrl || status.statusPurpose !== 'revocation' || !Number.isInteger(index))
      return { status: 'invalid', reason: 'status-list' };
    const list = await verified(documents.statusList, documents.didDocument);
    const subject = 'reason' in list ? undefined : (list.claims as { credentialSubject?: { encodedList?: string } }).credentialSubject;
    if (subject?.encodedList === undefined) return { status: 'invalid', reason: 'status-list' };
    try {
      if (await statusBit(subject.encodedList, index)) return { status: 'revoked', certificate: summary(claims) };
    } catch {
      return { status: 'invalid', reason: 'status-list' };
    }
  }
  if ('reason' in result) return { status: 'expired', certificate: summary(claims) };
  return { status: 'valid', certificate: summary(claims) };
}
