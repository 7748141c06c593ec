import { DID_PATH, STATUS_LIST_PATH, type DidDocument } from './did.ts';
import type { IssuerDocuments } from './verify.ts';

// What the verification page (src/lib/certificates/verify-client.ts) gives verifyCertificate
// (src/lib/certificates/verify.ts): the credential read from a file or a paste, and the issuer's
// documents fetched from the page's own origin, or the copy kept from the last fetch when offline.
// No DOM here: the storage and fetch are passed in, so unit tests run it in Node.

/** localStorage key of the issuer's documents kept for offline checks: JSON KeptDocuments. */
export const KEPT_DOCUMENTS_KEY = 'dce.verify.issuer';

/** The issuer's documents as kept on the device, with when they were fetched. */
export interface KeptDocuments {
  origin: string;
  didDocument: DidDocument;
  /** The status list VC-JWT. */
  statusList: string;
  /** ISO 8601 instant of the fetch. */
  fetched: string;
}

/** The documents to check against, and whether they are the device's kept copy. */
export interface LoadedDocuments {
  documents: IssuerDocuments;
  /** The kept copy's fetch time (ISO 8601) when the network failed; undefined when fetched now. */
  offlineSince?: string | undefined;
}

/**
 * The compact VC-JWT in a credential file or a pasted text: the .jwt file as served
 * (GET /api/certificates/{id}.jwt), a JSON string of it, or a JSON object `{ "credential": jwt }`
 * (the learner's API answer, src/lrs/routes/certificates.ts CertificateAnswer, saved to a file).
 * @param text the file's text or the paste
 * @returns the JWT, trimmed; the trimmed text itself when it is none of these (the check then
 *   says the certificate cannot be read)
 */
export function credentialFromText(text: string): string {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('"')) return trimmed;
  try {
    const value = JSON.parse(trimmed) as unknown;
    if (typeof value === 'string') return value.trim();
    const credential = (value as { credential?: unknown } | null)?.credential;
    return typeof credential === 'string' ? credential.trim() : trimmed;
  } catch {
    return trimmed;
  }
}

function keptDocuments(storage: Storage, origin: string): KeptDocuments | undefined {
  try {
    const kept = JSON.parse(storage.getItem(KEPT_DOCUMENTS_KEY) ?? 'null') as KeptDocuments | null;
    return kept?.origin === origin && typeof kept.statusList === 'string' && Array.isArray(kept.didDocument?.verificationMethod)
      ? kept
      : undefined;
  } catch {
    return undefined;
  }
}

async function fetchOk(url: string, fetcher: typeof fetch): Promise<Response | undefined> {
  try {
    // no-store: a revocation must show at once, not after the list's max-age (60 s, src/lrs/routes/certificates.ts).
    const response = await fetcher(url, { cache: 'no-store', credentials: 'omit' });
    return response.ok ? response : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The issuer's DID document (GET /.well-known/did.json) and revocation status list
 * (GET /api/certificates/status/revocation) of `origin`, fetched now and kept in `storage`
 * together; a part whose fetch fails comes from the copy kept from the last time both were
 * fetched (an old status list is marked with its date, offlineSince, for the page to say so). With
 * no status list, fetched or kept, the list is empty: the check then says it is unavailable.
 * @param origin the page's origin (location.origin): certificates of this site only
 * @param storage where the copy is kept (localStorage)
 * @param fetcher the Fetch API (injected for tests)
 * @param now the current time (injected for tests)
 * @returns the documents, or undefined when there is no DID document, fetched or kept
 * Source: issue 14 ("It works offline once the key has been fetched").
 */
export async function loadIssuerDocuments(
  origin: string,
  storage: Storage,
  fetcher: typeof fetch = fetch,
  now = () => new Date(),
): Promise<LoadedDocuments | undefined> {
  const [didResponse, listResponse] = await Promise.all([
    fetchOk(`${origin}${DID_PATH}`, fetcher),
    fetchOk(`${origin}${STATUS_LIST_PATH}`, fetcher),
  ]);
  const didDocument = await didResponse?.json().then(
    (d: DidDocument) => (Array.isArray(d?.verificationMethod) ? d : undefined),
    () => undefined,
  );
  const statusList = await listResponse?.text().then(
    (t) => t.trim(),
    () => undefined,
  );
  if (didDocument !== undefined && statusList !== undefined) {
    const kept: KeptDocuments = { origin, didDocument, statusList, fetched: now().toISOString() };
    try {
      storage.setItem(KEPT_DOCUMENTS_KEY, JSON.stringify(kept));
    } catch {
      // Storage full or refused: the check goes on with what was fetched.
    }
    return { documents: { origin, didDocument, statusList } };
  }
  // A part that failed comes from the kept copy: the key rarely changes; an old status list is
  // said to be old (offlineSince), since a revocation after it is not seen.
  const kept = keptDocuments(storage, origin);
  const did = didDocument ?? kept?.didDocument;
  if (did === undefined) return undefined;
  if (statusList !== undefined) return { documents: { origin, didDocument: did, statusList } };
  if (kept !== undefined) return { documents: { origin, didDocument: did, statusList: kept.statusList }, offlineSince: kept.fetched };
  return { documents: { origin, didDocument: did, statusList: '' } };
}
