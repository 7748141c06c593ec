import { describe, expect, it } from 'vitest';
import { DID_PATH, STATUS_LIST_PATH, type DidDocument } from '../../src/lib/certificates/did.ts';
import { KEPT_DOCUMENTS_KEY, credentialFromText, loadIssuerDocuments } from '../../src/lib/certificates/verify-inputs.ts';

const origin = 'https://training.example.org';
const did: DidDocument = {
  '@context': ['https://www.w3.org/ns/did/v1'],
  id: 'did:web:training.example.org',
  verificationMethod: [
    {
      id: 'did:web:training.example.org#k1',
      type: 'JsonWebKey2020',
      controller: 'did:web:training.example.org',
      publicKeyJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' },
    },
  ],
  assertionMethod: ['did:web:training.example.org#k1'],
};
const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJ4In0.c2ln';

/** A Storage over a Map, as localStorage behaves. */
function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, String(v)),
  };
}

/** A fetch that answers the DID document and the status list, or fails for the paths in `down`. */
const fetcher = (down: string[] = [], list = 'list.jwt') =>
  (async (url: string | URL | Request) => {
    const path = new URL(String(url)).pathname;
    if (down.includes(path)) throw new TypeError('Failed to fetch');
    if (path === DID_PATH) return new Response(JSON.stringify(did));
    if (path === STATUS_LIST_PATH) return new Response(`${list}\n`);
    return new Response('', { status: 404 });
  }) as typeof fetch;

describe('credentialFromText', () => {
  it('reads the .jwt file, a JSON string of it and the API answer {"credential": …}', () => {
    expect(credentialFromText(`\uFEFF${jwt}\n`)).toBe(jwt);
    expect(credentialFromText(JSON.stringify(jwt))).toBe(jwt);
    expect(credentialFromText(JSON.stringify({ id: 'x', credential: ` ${jwt} ` }))).toBe(jwt);
  });
  it('gives back any other text as it is, for the check to call unreadable', () => {
    expect(credentialFromText('{"not": "a credential"}')).toBe('{"not": "a credential"}');
    expect(credentialFromText('{broken')).toBe('{broken');
    expect(credentialFromText('  ')).toBe('');
  });
});

describe('loadIssuerDocuments', () => {
  it('fetches both documents and keeps them with the time of the fetch', async () => {
    const storage = memoryStorage();
    const loaded = await loadIssuerDocuments(origin, storage, fetcher(), () => new Date('2026-03-01T10:00:00Z'));
    expect(loaded).toEqual({ documents: { origin, didDocument: did, statusList: 'list.jwt' } });
    expect(JSON.parse(storage.getItem(KEPT_DOCUMENTS_KEY)!)).toEqual({
      origin,
      didDocument: did,
      statusList: 'list.jwt',
      fetched: '2026-03-01T10:00:00.000Z',
    });
  });

  it('offline, uses the copy kept from the last fetch and says when it was fetched', async () => {
    const storage = memoryStorage();
    await loadIssuerDocuments(origin, storage, fetcher(), () => new Date('2026-03-01T10:00:00Z'));
    const loaded = await loadIssuerDocuments(origin, storage, fetcher([DID_PATH, STATUS_LIST_PATH]));
    expect(loaded).toEqual({ documents: { origin, didDocument: did, statusList: 'list.jwt' }, offlineSince: '2026-03-01T10:00:00.000Z' });
  });

  it('takes a newer status list with the kept key, and an old one only with its date', async () => {
    const storage = memoryStorage();
    await loadIssuerDocuments(origin, storage, fetcher(), () => new Date('2026-03-01T10:00:00Z'));
    expect(await loadIssuerDocuments(origin, storage, fetcher([DID_PATH], 'newer.jwt'))).toEqual({
      documents: { origin, didDocument: did, statusList: 'newer.jwt' },
    });
    expect((await loadIssuerDocuments(origin, storage, fetcher([STATUS_LIST_PATH])))?.offlineSince).toBe('2026-03-01T10:00:00.000Z');
  });

  it('has nothing to check against when no key was ever fetched, and an empty list when none was', async () => {
    expect(await loadIssuerDocuments(origin, memoryStorage(), fetcher([DID_PATH]))).toBeUndefined();
    expect(await loadIssuerDocuments(origin, memoryStorage(), fetcher([STATUS_LIST_PATH]))).toEqual({
      documents: { origin, didDocument: did, statusList: '' },
    });
  });

  it('never uses a copy kept for another origin', async () => {
    const storage = memoryStorage();
    await loadIssuerDocuments('https://other.example.org', storage, fetcher());
    expect(await loadIssuerDocuments(origin, storage, fetcher([DID_PATH, STATUS_LIST_PATH]))).toBeUndefined();
  });
});
