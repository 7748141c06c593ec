import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import XAPI from '@xapi/xapi';
import type { Statement as ClientStatement } from '@xapi/xapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStatementRequest } from '../../src/lrs/multipart.ts';
import { TEST_DIALECT } from './database.ts';
import { ADMIN, WRITE, answeredStatement, createTestLrs, readHeaders } from './helper.ts';
import type { TestLrs } from './helper.ts';

/**
 * Statements with several attachments sent by the real xAPI client libraries, each framing its
 * multipart/mixed body with its own code (no CRLF between an attachment and the next delimiter),
 * to a listening LRS, then read back with attachments=true byte for byte (src/lrs/multipart.ts).
 */

/** The part of TinCanJS 0.50 (build/tincan-node.js, CommonJS, no types) this test drives. */
interface TinCanModule {
  LRS: new (config: { endpoint: string; username: string; password: string; version: string; allowFail: boolean }) => {
    saveStatement(
      statement: unknown,
      options: { callback: (error: unknown, xhr: { status: number; responseText: string } | null) => void },
    ): void;
  };
  Statement: new (config: Record<string, unknown>) => { id: string };
}
const TinCan = createRequire(import.meta.url)('tincanjs') as TinCanModule;

const USAGE = 'http://id.tincanapi.com/attachment/supporting_media';
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

let lrs: TestLrs;
let endpoint: string;
beforeAll(async () => {
  lrs = await createTestLrs();
  await lrs.app.listen({ host: '127.0.0.1', port: 0 });
  endpoint = `http://127.0.0.1:${(lrs.app.server.address() as AddressInfo).port}/xapi/`;
});
afterAll(async () => {
  await lrs.close();
});

/** GET the statement with attachments=true and return its attachment parts by SHA-256. */
async function readBack(id: string): Promise<Map<string, Buffer>> {
  const response = await lrs.inject({ method: 'GET', url: `/xapi/statements?statementId=${id}&attachments=true`, headers: readHeaders });
  expect(response.statusCode, response.body).toBe(200);
  const { json, parts } = parseStatementRequest(response.rawPayload, String(response.headers['content-type']));
  expect((json as { id: string }).id).toBe(id);
  return new Map([...parts].map(([sha2, part]) => [sha2, part.content]));
}

describe(`attachments from real xAPI clients (${TEST_DIALECT})`, () => {
  it('stores three attachments sent by @xapi/xapi 3 and returns each byte for byte', async () => {
    const contents = [
      Buffer.from('Certificate of completion: Module 1, Understanding the Convention'),
      Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x2d, 0x2d, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]),
      Buffer.from('Notes of the facilitator, ending with a line break\r\n'),
    ];
    const statement = answeredStatement({
      attachments: contents.map((content, index) => ({
        usageType: USAGE,
        display: { en: `Attachment ${index + 1}` },
        contentType: index === 1 ? 'application/octet-stream' : 'text/plain',
        length: content.length,
        sha2: sha256(content),
      })),
    }) as unknown as ClientStatement;
    // The fetch adapter, as in a browser: in Node, axios (the default adapter) replaces the
    // multipart Content-Type with the Blob's own type, application/octet-stream, losing the boundary.
    const xapi = new XAPI({ endpoint, auth: XAPI.toBasicAuth(WRITE.key, WRITE.secret), version: '1.0.3', adapter: 'fetch' });
    const sent = await xapi.sendStatement({
      statement,
      attachments: contents.map((content) => content.buffer.slice(content.byteOffset, content.byteOffset + content.length) as ArrayBuffer),
    });
    expect(sent.status).toBe(200);
    expect(sent.data).toEqual([statement.id]);

    const parts = await readBack(String(statement.id));
    for (const content of contents) {
      expect(parts.get(sha256(content))?.equals(content)).toBe(true);
    }
  });

  it('stores two attachments sent by TinCanJS 0.50 and returns each byte for byte', async () => {
    // TinCanJS in Node turns the body into a string before sending (build/tincan-node.js,
    // `cfg.data += ""`), so only text attachments reach any LRS intact; UTF-8 text does.
    const texts = ['Rapport périodique quadriennal, brouillon', 'Informe periódico cuatrienal: anexo\r\n'];
    const statement = new TinCan.Statement({
      actor: { objectType: 'Agent', name: 'Ana', account: { homePage: 'http://127.0.0.1:4321', name: 'learner-1' } },
      verb: { id: 'http://adlnet.gov/expapi/verbs/attempted', display: { 'en-US': 'attempted' } },
      target: { objectType: 'Activity', id: 'http://127.0.0.1:4321/en/modules/m3/' },
      attachments: texts.map((content, index) => ({
        usageType: USAGE,
        display: { 'en-US': `Draft ${index + 1}` },
        contentType: 'text/plain; charset=utf-8',
        content,
      })),
    });
    // 1.0.2 is the newest version TinCanJS 0.50 knows; the LRS takes any 1.0.x (Communication 3.3).
    const client = new TinCan.LRS({ endpoint, username: ADMIN.key, password: ADMIN.secret, version: '1.0.2', allowFail: false });
    const status = await new Promise<number>((resolve, reject) => {
      client.saveStatement(statement, {
        callback: (error, xhr) => (xhr === null ? reject(error as Error) : resolve(xhr.status)),
      });
    });
    expect(status).toBe(204);

    const parts = await readBack(statement.id);
    for (const text of texts) {
      const content = Buffer.from(text, 'utf8');
      expect(parts.get(sha256(content))?.equals(content)).toBe(true);
    }
  });
});
