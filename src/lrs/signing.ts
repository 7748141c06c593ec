import { createHash } from 'node:crypto';
import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { LrsDatabase } from './db/open.ts';
import { SIGNATURE_USAGE_TYPE } from './signature.ts';

/** The one algorithm the site signs with: RSASSA-PKCS1-v1_5 with SHA-256 (xAPI 1.0.3 Data 2.6 "RSA + SHA"). */
export const SIGNING_ALGORITHM = 'RS256';
/** RSA modulus length of a new key, in bits. */
export const SIGNING_KEY_BITS = 2048;

/** A public key as published in the JWK Set. */
export interface PublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  alg: typeof SIGNING_ALGORITHM;
  use: 'sig';
}

/** The site's signing key: its id, the private key to sign with, and the public JWK. */
export interface SigningKey {
  /** RFC 7638 thumbprint of the public key; the `kid` of every JWS header. */
  kid: string;
  privateKey: CryptoKey | Uint8Array;
  publicJwk: PublicJwk;
}

/** The signature attachment's content and its entry in statement.attachments (Data 2.4.11, 2.6). */
export interface Signature {
  /** The JWS in compact serialization, as bytes (the multipart part's content). */
  content: Buffer;
  /** Lowercase hex SHA-256 of `content`. */
  sha2: string;
  /** The statement's attachments entry: usageType signature, application/octet-stream. */
  attachment: { usageType: string; display: Record<string, string>; contentType: string; length: number; sha2: string };
}

/**
 * The signing key kept in the database: the oldest in signing_keys (migration 004), made on first
 * start when there is none. Two processes starting together on one PostgreSQL database may each
 * make one; both are stored, both are published, and both then sign with the same oldest one.
 * @param database an open, migrated database
 * @returns the key
 * Source: issue 11 ("The signing key is made on first start and kept with the database");
 * xAPI 1.0.3 Data 2.6 (RS256); RFC 7638 (kid as thumbprint).
 */
export async function loadSigningKey(database: LrsDatabase): Promise<SigningKey> {
  let row = await oldestKey(database);
  if (row === undefined) {
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { modulusLength: SIGNING_KEY_BITS, extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    await database.db
      .insertInto('signing_keys')
      .values({
        kid,
        private_jwk: JSON.stringify(await exportJWK(privateKey)),
        public_jwk: JSON.stringify(publishable(publicJwk, kid)),
        created: new Date().toISOString(),
      })
      .onConflict((conflict) => conflict.doNothing())
      .execute();
    row = await oldestKey(database);
  }
  if (row === undefined) throw new Error('no signing key could be stored in signing_keys');
  return {
    kid: row.kid,
    privateKey: await importJWK(JSON.parse(row.private_jwk) as JWK, SIGNING_ALGORITHM),
    publicJwk: JSON.parse(row.public_jwk) as PublicJwk,
  };
}

async function oldestKey(database: LrsDatabase) {
  return database.db.selectFrom('signing_keys').selectAll().orderBy('created').orderBy('kid').limit(1).executeTakeFirst();
}

function publishable(jwk: JWK, kid: string): PublicJwk {
  if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') throw new Error('the signing key is not an RSA key');
  return { kty: 'RSA', n: jwk.n, e: jwk.e, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
}

/**
 * Every public key in signing_keys as a JWK Set (RFC 7517 section 5), oldest first.
 * @param database an open, migrated database
 * @returns `{ keys: [{ kty, n, e, kid, alg: "RS256", use: "sig" }] }`
 */
export async function jwks(database: LrsDatabase): Promise<{ keys: PublicJwk[] }> {
  const rows = await database.db.selectFrom('signing_keys').select('public_jwk').orderBy('created').orderBy('kid').execute();
  return { keys: rows.map((row) => JSON.parse(row.public_jwk) as PublicJwk) };
}

/**
 * Sign a statement as xAPI 1.0.3 Data 2.6 asks: a JWS (compact, RS256, header `kid`) whose payload
 * is the JSON of the statement before the signature is attached.
 * @param statement the complete statement (id, timestamp, version set as they will be stored), no
 *   signature attachment yet
 * @param key the signing key
 * @returns the JWS bytes, their SHA-256 and the attachments entry to add to the statement
 */
export async function signStatement(statement: Record<string, unknown>, key: SigningKey): Promise<Signature> {
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(statement)))
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid })
    .sign(key.privateKey);
  const content = Buffer.from(jws, 'utf8');
  const sha2 = createHash('sha256').update(content).digest('hex');
  return {
    content,
    sha2,
    attachment: {
      usageType: SIGNATURE_USAGE_TYPE,
      display: { 'en-US': 'Signature of the site grader' },
      contentType: 'application/octet-stream',
      length: content.length,
      sha2,
    },
  };
}
