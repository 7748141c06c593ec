import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { CompactSign } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildMultipartMixed, parseStatementRequest } from '../../src/lrs/multipart.ts';
import { SIGNATURE_USAGE_TYPE } from '../../src/lrs/signature.ts';
import { TEST_DIALECT } from './database.ts';
import { answeredStatement, readHeaders, writeHeaders, createTestLrs } from './helper.ts';
import type { TestLrs } from './helper.ts';

/** Statements with attachments (multipart/mixed) and signed statements, through the whole app. */
let lrs: TestLrs;
beforeEach(async () => {
  lrs = await createTestLrs();
});
afterEach(async () => {
  await lrs.close();
});

// A certificate-like binary file: every byte value, CRLFs and a line that looks like a boundary.
const CERTIFICATE = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, byte) => byte)), Buffer.from('\r\n--boundary\r\n')]);
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

function withAttachment(content: Buffer, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return answeredStatement({
    attachments: [
      {
        usageType: 'https://w3id.org/dce-training/attachments/certificate',
        display: { en: 'Certificate of completion', fr: 'Certificat de réussite', es: 'Certificado de finalización' },
        contentType: 'application/pdf',
        length: content.length,
        sha2: sha256(content),
        ...overrides,
      },
    ],
  });
}

function postMultipart(
  json: unknown,
  parts: Array<{ sha2: string; contentType: string; content: Buffer }>,
  method: 'POST' | 'PUT' = 'POST',
  url = '/xapi/statements',
) {
  const { contentType, body } = buildMultipartMixed(json, parts);
  return lrs.inject({ method, url, headers: { ...writeHeaders, 'content-type': contentType }, payload: body });
}

describe(`attachments (${TEST_DIALECT})`, () => {
  it('stores an attachment sent as multipart/mixed and returns its exact bytes with attachments=true', async () => {
    const statement = withAttachment(CERTIFICATE);
    const stored = await postMultipart([statement], [{ sha2: sha256(CERTIFICATE), contentType: 'application/pdf', content: CERTIFICATE }]);
    expect(stored.statusCode, stored.body).toBe(200);

    const withData = await lrs.get(`statementId=${String(statement['id'])}&attachments=true`);
    expect(withData.statusCode).toBe(200);
    expect(withData.headers['content-type']).toMatch(/^multipart\/mixed; boundary=/);
    const parsed = parseStatementRequest(withData.rawPayload, String(withData.headers['content-type']));
    expect((parsed.json as { id: string }).id).toBe(statement['id']);
    expect(parsed.parts.get(sha256(CERTIFICATE))?.content.equals(CERTIFICATE)).toBe(true);

    const plain = await lrs.get(`statementId=${String(statement['id'])}`);
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    expect(plain.json().attachments[0].sha2).toBe(sha256(CERTIFICATE));

    const query = await lrs.get('attachments=true');
    const page = parseStatementRequest(query.rawPayload, String(query.headers['content-type']));
    expect((page.json as { statements: unknown[] }).statements).toHaveLength(1);
    expect(page.parts.size).toBe(1);
  });

  it('stores one copy for a batch of two statements citing the same attachment, and takes PUT', async () => {
    const first = withAttachment(CERTIFICATE);
    const second = withAttachment(CERTIFICATE);
    const part = { sha2: sha256(CERTIFICATE), contentType: 'application/pdf', content: CERTIFICATE };
    expect((await postMultipart([first, second], [part])).statusCode).toBe(200);
    const third = withAttachment(CERTIFICATE);
    const put = await postMultipart(third, [part], 'PUT', `/xapi/statements?statementId=${String(third['id'])}`);
    expect(put.statusCode, put.body).toBe(204);
    expect((await lrs.get('')).json().statements).toHaveLength(3);
  });

  it('answers 400 and stores nothing when an attachment has no part, a part is extra or a hash is wrong', async () => {
    const other = Buffer.from('another file');
    const cases = [
      ['missing part', postMultipart([withAttachment(CERTIFICATE)], [])],
      [
        'extra part',
        postMultipart(
          [withAttachment(CERTIFICATE)],
          [
            { sha2: sha256(CERTIFICATE), contentType: 'application/pdf', content: CERTIFICATE },
            { sha2: sha256(other), contentType: 'text/plain', content: other },
          ],
        ),
      ],
      [
        'wrong hash',
        postMultipart([withAttachment(CERTIFICATE)], [{ sha2: sha256(CERTIFICATE), contentType: 'application/pdf', content: other }]),
      ],
      ['JSON without the data', lrs.post([withAttachment(CERTIFICATE)])],
    ] as const;
    for (const [label, pending] of cases) {
      const response = await pending;
      expect(response.statusCode, label).toBe(400);
    }
    expect((await lrs.get('')).json().statements).toHaveLength(0);
  });

  it('takes an attachment given by fileUrl in plain JSON', async () => {
    const response = await lrs.post([withAttachment(CERTIFICATE, { fileUrl: 'https://training.example/certificates/1.pdf' })]);
    expect(response.statusCode).toBe(200);
  });

  it('answers 400 to multipart/form-data', async () => {
    const response = await lrs.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: { ...writeHeaders, 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n',
    });
    expect(response.statusCode).toBe(400);
  });
});

describe(`signed statements (${TEST_DIALECT})`, () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  async function signed(statement: Record<string, unknown>, payload: Record<string, unknown> = statement) {
    const jws = Buffer.from(
      await new CompactSign(Buffer.from(JSON.stringify(payload))).setProtectedHeader({ alg: 'RS256' }).sign(privateKey),
    );
    const full = {
      ...statement,
      attachments: [
        {
          usageType: SIGNATURE_USAGE_TYPE,
          display: { en: 'Signature' },
          contentType: 'application/octet-stream',
          length: jws.length,
          sha2: sha256(jws),
        },
      ],
    };
    return { full, part: { sha2: sha256(jws), contentType: 'application/octet-stream', content: jws } };
  }

  it('accepts a statement whose JWS payload is the statement', async () => {
    const statement = answeredStatement();
    const { full, part } = await signed(statement);
    const response = await postMultipart([full], [part]);
    expect(response.statusCode, response.body).toBe(200);
  });

  it('refuses a statement changed after it was signed', async () => {
    const statement = answeredStatement();
    const { full, part } = await signed(statement);
    const tampered = { ...full, result: { ...(statement['result'] as object), success: false } };
    const response = await postMultipart([tampered], [part]);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/signature|payload/i);
    expect(
      (await lrs.inject({ method: 'GET', url: `/xapi/statements?statementId=${String(statement['id'])}`, headers: readHeaders }))
        .statusCode,
    ).toBe(404);
  });

  it('refuses a signature that is not a JWS', async () => {
    const statement = answeredStatement({ id: randomUUID() });
    const garbage = Buffer.from('not a signature');
    const full = {
      ...statement,
      attachments: [
        {
          usageType: SIGNATURE_USAGE_TYPE,
          display: { en: 'Signature' },
          contentType: 'application/octet-stream',
          length: garbage.length,
          sha2: sha256(garbage),
        },
      ],
    };
    expect(
      (await postMultipart([full], [{ sha2: sha256(garbage), contentType: 'application/octet-stream', content: garbage }])).statusCode,
    ).toBe(400);
  });
});
