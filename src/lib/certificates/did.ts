// Names and shapes shared by the server that issues certificates (src/lrs/certificates/) and the
// pages and programs that check them (src/lib/certificates/verify.ts): no Node or DOM APIs here.

/** The verb of the statement that records a certificate: "earned" of the Open Badges xAPI recipe (docs/xapi-profile.md). */
export const EARNED_VERB = 'http://specification.openbadges.org/xapi/verbs/earned';

/** Where the issuer's DID document is served (W3C did:web method: a did:web without a path resolves there). */
export const DID_PATH = '/.well-known/did.json';
/** Where the issuer's Open Badges 3.0 Profile is served. */
export const ISSUER_PATH = '/api/certificates/issuer';
/** Where the revocation status list is served, as a VC-JWT (W3C Bitstring Status List v1.0). */
export const STATUS_LIST_PATH = '/api/certificates/status/revocation';
/** Bits in the status list: 131,072, the minimum the Bitstring Status List recommends for herd privacy (section 6.1). */
export const STATUS_LIST_LENGTH = 131_072;

/** The public URLs of one certificate (its id without "urn:uuid:"). */
export const certificatePaths = {
  /** The signed credential (VC-JWT, compact serialization), public to whoever has the id. */
  credential: (id: string) => `/api/certificates/${id}.jwt`,
  /** The printable certificate in a language. */
  pdf: (id: string, lang: string) => `/api/certificates/${id}.pdf?lang=${lang}`,
  /** The verification page for it (the QR code's target). */
  verify: (id: string, lang: string) => `/${lang}/verify/?id=${id}`,
} as const;

/** The Open Badges 3.0 Profile of the issuer, as embedded in each credential. */
export interface IssuerProfile {
  id: string;
  type: ['Profile'];
  name: string;
  url: string;
}

/** A DID document as this site publishes it: JsonWebKey2020 verification methods for assertions. */
export interface DidDocument {
  '@context': string[];
  id: string;
  verificationMethod: {
    id: string;
    type: 'JsonWebKey2020';
    controller: string;
    publicKeyJwk: { kty: string; crv: string; x: string; y: string };
  }[];
  assertionMethod: string[];
}

/**
 * The did:web of an origin (W3C did:web method, "Create (Register)"): the host, with a port's ":"
 * percent-encoded.
 * @param origin e.g. "https://training.example.org" or "http://127.0.0.1:4321"
 * @returns e.g. "did:web:training.example.org" or "did:web:127.0.0.1%3A4321"
 * @throws TypeError when `origin` is not an absolute URL
 */
export function didOfOrigin(origin: string): string {
  const url = new URL(origin);
  return `did:web:${url.host.replace(':', '%3A')}`;
}

/**
 * The certificate id of a credential id or a verify link's `id` parameter.
 * @param value "urn:uuid:<uuid>" or "<uuid>"
 * @returns the lowercase UUID, or undefined when `value` is neither
 */
export function certificateIdOf(value: string): string | undefined {
  const match = /^(?:urn:uuid:)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(value.trim());
  return match?.[1]?.toLowerCase();
}
