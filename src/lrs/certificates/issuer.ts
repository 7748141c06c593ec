import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { LrsDatabase } from '../db/open.ts';
import { didOfOrigin, type DidDocument, type IssuerProfile } from '../../lib/certificates/did.ts';

/** The algorithm certificates are signed with: ECDSA P-256 with SHA-256 (RFC 7518 section 3.4). */
export const CERTIFICATE_ALGORITHM = 'ES256';

/** The certificate issuer: its DID, its profile and the key that signs for it. */
export interface Issuer {
  /** did:web of the LRS's public origin, e.g. "did:web:training.example.org". */
  did: string;
  /** The DID URL of the signing key, the `kid` of every VC-JWT header: "{did}#{thumbprint}". */
  keyId: string;
  privateKey: CryptoKey | Uint8Array;
  /** The public keys, newest last: every key ever used, so that older certificates still verify. */
  publicJwks: { kid: string; jwk: JWK }[];
  profile: IssuerProfile;
}

/**
 * The issuer of this LRS's certificates, with the oldest key in issuer_keys (migration 006), made
 * on first start when there is none (as the statement signing key is, src/lrs/signing.ts).
 * @param database an open, migrated database
 * @param publicOrigin the LRS's public origin, e.g. "https://training.example.org"; its did:web is
 *   the issuer's id (W3C did:web method, "Create (Register)": a port is written "%3A")
 * @param name the issuer's name shown in certificates
 * @returns the issuer
 * Source: issue 14 ("signed with the site's key as a VC-JWT (JOSE)"; "The issuer profile and the
 * public keys are published at stable URLs"); Open Badges 3.0 section 8.2 (VC-JWT).
 */
export async function loadIssuer(database: LrsDatabase, publicOrigin: string, name: string): Promise<Issuer> {
  let rows = await keys(database);
  if (rows.length === 0) {
    const { privateKey, publicKey } = await generateKeyPair(CERTIFICATE_ALGORITHM, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    await database.db
      .insertInto('issuer_keys')
      .values({
        kid,
        private_jwk: JSON.stringify(await exportJWK(privateKey)),
        public_jwk: JSON.stringify(publicJwk),
        created: new Date().toISOString(),
      })
      .onConflict((conflict) => conflict.doNothing())
      .execute();
    rows = await keys(database);
  }
  const signing = rows[0];
  if (signing === undefined) throw new Error('no certificate key could be stored in issuer_keys');
  const did = didOfOrigin(publicOrigin);
  return {
    did,
    keyId: `${did}#${signing.kid}`,
    privateKey: await importJWK(JSON.parse(signing.private_jwk) as JWK, CERTIFICATE_ALGORITHM),
    publicJwks: rows.map((row) => ({ kid: row.kid, jwk: JSON.parse(row.public_jwk) as JWK })),
    profile: { id: did, type: ['Profile'], name, url: `${publicOrigin}/` },
  };
}

function keys(database: LrsDatabase) {
  return database.db.selectFrom('issuer_keys').selectAll().orderBy('created').orderBy('kid').execute();
}

/**
 * The issuer's DID document (W3C DID Core 1.0): every public key as a JsonWebKey2020 verification
 * method, each usable for assertions (signing credentials).
 * @param issuer the loaded issuer
 * @returns the document served at /.well-known/did.json
 */
export function didDocument(issuer: Issuer): DidDocument {
  const methods = issuer.publicJwks.map(({ kid, jwk }) => ({
    id: `${issuer.did}#${kid}`,
    type: 'JsonWebKey2020' as const,
    controller: issuer.did,
    publicKeyJwk: { kty: jwk.kty ?? 'EC', crv: jwk.crv ?? 'P-256', x: jwk.x ?? '', y: jwk.y ?? '' },
  }));
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: issuer.did,
    verificationMethod: methods,
    assertionMethod: methods.map((method) => method.id),
  };
}
