import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { CompactSign, base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { XapiError } from '../../src/lrs/errors/xapi-error.ts';
import { checkAttachments, parseStatementRequest } from '../../src/lrs/multipart.ts';
import type { AttachmentPart } from '../../src/lrs/multipart.ts';
import { SIGNATURE_USAGE_TYPE, verifySignedStatement } from '../../src/lrs/signature.ts';

type Json = Record<string, unknown>;

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

const STATEMENT: Json = {
  id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0',
  actor: { objectType: 'Agent', name: 'Learner', mbox: 'mailto:learner@Example.org' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced' } },
  object: { objectType: 'Activity', id: 'http://example.org/activity/1' },
  context: {
    registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7',
    contextActivities: { parent: { id: 'http://example.org/course' } },
    team: {
      objectType: 'Group',
      member: [{ mbox: 'mailto:a@example.org' }, { mbox: 'mailto:b@example.org' }],
    },
  },
  timestamp: '2025-03-01T10:15:30.000Z',
};

function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

async function jws(payload: Json | string, header: Json = { alg: 'RS256' }, key: KeyObject | Uint8Array = privateKey): Promise<string> {
  const bytes = new TextEncoder().encode(typeof payload === 'string' ? payload : JSON.stringify(payload));
  return new CompactSign(bytes).setProtectedHeader(header as { alg: string }).sign(key);
}

function signatureAttachment(signature: string, contentType = 'application/octet-stream'): Json {
  return {
    usageType: SIGNATURE_USAGE_TYPE,
    display: { 'en-US': 'Signature' },
    contentType,
    length: Buffer.byteLength(signature),
    sha2: sha256(signature),
  };
}

/** The received statement (payload plus the signature attachment) and its parts. */
function signed(statement: Json, signature: string, contentType?: string) {
  const attachments = [...((statement['attachments'] as Json[] | undefined) ?? []), signatureAttachment(signature, contentType)];
  const parts = new Map<string, AttachmentPart>([
    [sha256(signature), { contentType: 'application/octet-stream', content: Buffer.from(signature) }],
  ]);
  return { statement: { ...statement, attachments }, parts };
}

async function rejection(promise: Promise<void>): Promise<XapiError> {
  const error: unknown = await promise.then(
    () => new Error('expected a 400 XapiError, but the signature was accepted'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(XapiError);
  expect((error as XapiError).statusCode).toBe(400);
  return error as XapiError;
}

// A minimal self-signed X.509 certificate (DER), so that x5c can be tested without fixtures.
function der(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  const length: number[] = [];
  for (let rest = body.length; rest > 0; rest >>= 8) {
    length.unshift(rest & 0xff);
  }
  const header = body.length < 0x80 ? [tag, body.length] : [tag, 0x80 | length.length, ...length];
  return Buffer.concat([Buffer.from(header), body]);
}

function selfSignedCertificate(key: KeyObject, publicKeyOfCertificate: KeyObject): string {
  const algorithm = der(0x30, der(0x06, Buffer.from('2a864886f70d01010b', 'hex')), der(0x05)); // sha256WithRSAEncryption
  const name = der(0x30, der(0x31, der(0x30, der(0x06, Buffer.from('550403', 'hex')), der(0x0c, Buffer.from('xAPI test signer')))));
  const validity = der(0x30, der(0x17, Buffer.from('250101000000Z')), der(0x17, Buffer.from('450101000000Z')));
  const spki = publicKeyOfCertificate.export({ type: 'spki', format: 'der' });
  const version = der(0xa0, der(0x02, Buffer.from([2])));
  const tbs = der(0x30, version, der(0x02, Buffer.from([1])), algorithm, name, validity, name, spki);
  const certificate = der(0x30, tbs, algorithm, der(0x03, Buffer.from([0]), sign('sha256', tbs, key)));
  return certificate.toString('base64');
}

describe('verifySignedStatement', () => {
  it.each(['RS256', 'RS384', 'RS512'])('accepts a statement signed with %s', async (alg) => {
    const { statement, parts } = signed(STATEMENT, await jws(STATEMENT, { alg }));
    await expect(verifySignedStatement(statement, parts)).resolves.toBeUndefined();
  });

  it('passes a statement without a signature attachment', async () => {
    const plain = { ...STATEMENT, attachments: [{ usageType: 'http://example.org/usage', sha2: 'ab' }] };
    await expect(verifySignedStatement(plain, new Map())).resolves.toBeUndefined();
    await expect(verifySignedStatement(STATEMENT, new Map())).resolves.toBeUndefined();
  });

  it('rejects HS256', async () => {
    const { statement, parts } = signed(STATEMENT, await jws(STATEMENT, { alg: 'HS256' }, new Uint8Array(32).fill(7)));
    const error = await rejection(verifySignedStatement(statement, parts));
    expect(error.message).toMatch(/^statement\.attachments\[0\]: .*RS256, RS384 or RS512, not "HS256"/);
  });

  it('rejects the unsecured alg "none"', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none' }));
    const signature = `${header}.${base64url.encode(JSON.stringify(STATEMENT))}.c2ln`;
    const { statement, parts } = signed(STATEMENT, signature);
    expect((await rejection(verifySignedStatement(statement, parts))).message).toMatch(/not "none"/);
  });

  it.each([
    ['not a JWS', 'this is not a signature'],
    ['two segments', 'eyJhbGciOiJSUzI1NiJ9.e30'],
    ['an empty signature', 'eyJhbGciOiJSUzI1NiJ9.e30.'],
    ['the JSON serialization', '{"payload":"e30","signatures":[]}'],
  ])('rejects a malformed JWS: %s', async (_, signature) => {
    const { statement, parts } = signed(STATEMENT, signature);
    expect((await rejection(verifySignedStatement(statement, parts))).message).toMatch(/compact serialization/);
  });

  it('rejects a protected header that is not JSON', async () => {
    const signature = `${base64url.encode('{alg: RS256')}.${base64url.encode('{}')}.c2ln`;
    const { statement, parts } = signed(STATEMENT, signature);
    expect((await rejection(verifySignedStatement(statement, parts))).message).toMatch(/protected header/);
  });

  it('rejects a payload that is not valid JSON (quote broken as by the conformance suite)', async () => {
    const broken = JSON.stringify(STATEMENT).replace('"', "'");
    const { statement, parts } = signed(STATEMENT, await jws(broken));
    expect((await rejection(verifySignedStatement(statement, parts))).message).toMatch(/payload must be the JSON serialization/);
  });

  it('rejects a payload that is JSON but no object', async () => {
    const { statement, parts } = signed(STATEMENT, await jws('[1,2]'));
    expect((await rejection(verifySignedStatement(statement, parts))).message).toMatch(/payload must be/);
  });

  it('rejects a payload that differs from the statement', async () => {
    const tampered = { ...STATEMENT, verb: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'en-US': 'passed' } } };
    const { statement, parts } = signed(tampered, await jws(STATEMENT));
    expect((await rejection(verifySignedStatement(statement, parts, 'statements[3]'))).message).toMatch(
      /^statements\[3\]\.attachments\[0\]: the JWS payload is not the statement/,
    );
  });

  it('rejects a payload whose id or timestamp differs', async () => {
    for (const change of [{ id: '0a1b2c3d-0000-4000-8000-000000000000' }, { timestamp: '2025-03-01T10:15:31.000Z' }]) {
      const { statement, parts } = signed({ ...STATEMENT, ...change }, await jws(STATEMENT));
      await rejection(verifySignedStatement(statement, parts));
    }
  });

  it('ignores what the LRS may assign and differences without meaning (Data 2.3.1)', async () => {
    const { id: _id, timestamp: _timestamp, ...unassigned } = STATEMENT;
    const payload = { ...unassigned, authority: { mbox: 'mailto:client@example.org' } };
    const received: Json = {
      ...STATEMENT,
      id: (STATEMENT['id'] as string).toUpperCase(),
      stored: '2025-03-01T10:16:00.000Z',
      version: '1.0.0',
      authority: { mbox: 'mailto:lrs@example.org' },
      actor: { objectType: 'Agent', name: 'Learner', mbox: 'mailto:learner@example.ORG' },
      context: {
        registration: 'EC531277-B57B-4C15-8D91-D292C5B2B8F7',
        contextActivities: { parent: [{ id: 'http://example.org/course' }] },
        team: { member: [{ mbox: 'mailto:b@example.org' }, { mbox: 'mailto:a@example.org' }], objectType: 'Group' },
      },
    };
    const { statement, parts } = signed(received, await jws(payload));
    await expect(verifySignedStatement(statement, parts)).resolves.toBeUndefined();

    const withTimestamp = signed({ ...STATEMENT, timestamp: '2025-03-01T11:15:30+01:00' }, await jws(STATEMENT));
    await expect(verifySignedStatement(withTimestamp.statement, withTimestamp.parts)).resolves.toBeUndefined();
  });

  it('compares the other attachments, not the signature', async () => {
    const photo = {
      usageType: 'http://example.org/photo',
      display: { en: 'Photo' },
      contentType: 'image/png',
      length: 3,
      sha2: sha256('png'),
    };
    const withPhoto = { ...STATEMENT, attachments: [photo] };
    const good = signed(withPhoto, await jws(withPhoto));
    await expect(verifySignedStatement(good.statement, good.parts)).resolves.toBeUndefined();
    const added = signed(withPhoto, await jws(STATEMENT));
    await rejection(verifySignedStatement(added.statement, added.parts));
  });

  it('rejects a signature attachment whose contentType is not application/octet-stream', async () => {
    const { statement, parts } = signed(STATEMENT, await jws(STATEMENT), 'text/plain; charset=ascii');
    expect((await rejection(verifySignedStatement(statement, parts))).message).toMatch(/^statement\.attachments\[0\]\.contentType/);
  });

  it('rejects a signature attachment without its part', async () => {
    const { statement } = signed(STATEMENT, await jws(STATEMENT));
    expect((await rejection(verifySignedStatement(statement, new Map()))).message).toMatch(/multipart\/mixed part/);
  });

  describe('with an x5c certificate chain', () => {
    const certificate = selfSignedCertificate(privateKey, publicKey);

    it('accepts a signature made with the certificate key', async () => {
      for (const alg of ['RS256', 'RS512']) {
        const { statement, parts } = signed(STATEMENT, await jws(STATEMENT, { alg, x5c: [certificate] }));
        await expect(verifySignedStatement(statement, parts)).resolves.toBeUndefined();
      }
    });

    it('rejects a signature made with another key', async () => {
      const signature = await jws(STATEMENT, { alg: 'RS256', x5c: [certificate] }, other.privateKey);
      const { statement, parts } = signed(STATEMENT, signature);
      expect((await rejection(verifySignedStatement(statement, parts))).message).toMatch(/does not verify with the x5c certificate/);
    });

    it('rejects an x5c that holds no certificate', async () => {
      for (const x5c of [['bm90IGEgY2VydGlmaWNhdGU='], [], 'MIIB']) {
        const { statement, parts } = signed(STATEMENT, await jws(STATEMENT, { alg: 'RS256', x5c }));
        expect((await rejection(verifySignedStatement(statement, parts))).message).toMatch(/x5c/);
      }
    });
  });

  it('verifies a request written the way the ADL conformance suite writes one', async () => {
    const signature = await jws(STATEMENT, { alg: 'RS384' });
    const statement = { ...STATEMENT, attachments: [signatureAttachment(signature)] };
    const boundary = '-------------2718281828';
    const body = Buffer.concat([
      Buffer.from(`\r\n--${boundary}\r\nContent-Type:application/json\r\n\r\n${JSON.stringify(statement)}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Type:application/octet-stream\r\nContent-Transfer-Encoding:binary\r\n`),
      Buffer.from(`X-Experience-API-Hash:${sha256(signature)}\r\n\r\n${signature}\r\n--${boundary}--`),
    ]);
    const { json, parts } = parseStatementRequest(body, `multipart/mixed; boundary=${boundary}`);
    checkAttachments([json as Json], parts);
    await expect(verifySignedStatement(json as Json, parts)).resolves.toBeUndefined();
  });
});
