import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lrs/db/open.ts';
import { ifiKey } from '../../src/lrs/statement-index.ts';
import { createDocumentStore } from '../../src/lrs/store/documents.ts';
import { adminHeaders, createTestLrs, readHeaders, writeHeaders } from './helper.ts';
import type { TestLrs } from './helper.ts';

// Issue 12, "Exact data": what the LRS cannot keep exactly it refuses with a 400 naming the field
// and the rule (src/lrs/strict-json.ts, validate.ts timestampProblem), through the real app.

const ACTIVITY = 'https://example.org/activities/exact';
const AGENT = { mbox: 'mailto:exact@example.org' };

/** A statement's JSON text with `extra` spliced in as further top-level properties. */
function statementText(extra = '', actor = '{"mbox":"mailto:exact@example.org"}'): string {
  return `{"actor":${actor},"verb":{"id":"http://adlnet.gov/expapi/verbs/answered","display":{"en-US":"answered"}},"object":{"id":"${ACTIVITY}"}${extra}}`;
}

let lrs: TestLrs;
beforeEach(async () => {
  lrs = await createTestLrs();
});
afterEach(async () => {
  await lrs.close();
});

const postRaw = (payload: string | Buffer) => lrs.inject({ method: 'POST', url: '/xapi/statements', headers: writeHeaders, payload });

async function expect400(payload: string | Buffer, message: RegExp): Promise<void> {
  const response = await postRaw(payload);
  expect(response.statusCode, response.body).toBe(400);
  expect(response.json().message).toMatch(message);
}

describe('statements keep their data exactly or are refused', () => {
  it('refuses invalid UTF-8 in a JSON body instead of replacing it with U+FFFD', async () => {
    const text = statementText(',"result":{"response":"XX"}');
    const bytes = Buffer.from(text);
    const at = text.indexOf('XX');
    bytes[at] = 0xc3;
    bytes[at + 1] = 0x28;
    await expect400(bytes, /^statement: is not valid UTF-8 \(first bad byte at offset \d+\)/);
  });

  it('refuses lone surrogates, so two emails differing by one cannot become one agent', async () => {
    await expect400(statementText('', '{"mbox":"mailto:a\\ud800@example.org"}'), /^statement\.actor\.mbox: holds a lone surrogate/);
    await expect400(`[${statementText(',"result":{"response":"\\udfff"}')}]`, /^statements\[0\]\.result\.response: holds a lone surrogate/);
    const query = encodeURIComponent(JSON.stringify({ mbox: 'mailto:a\\ud800@example.org' })).replace('%5C%5C', '%5C');
    const response = await lrs.inject({ method: 'GET', url: `/xapi/statements?agent=${query}`, headers: readHeaders });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^agent\.mbox: holds a lone surrogate/);
  });

  it.each([
    ['12345678901234567890', /^statement\.result\.score\.raw: 12345678901234567890 has more digits .*would become 12345678901234567000/],
    ['1e309', /^statement\.result\.score\.raw: 1e309 is too large .*would become null/],
    ['1e-400', /^statement\.result\.score\.raw: 1e-400 is too close to zero .*would become 0/],
  ])('refuses the number %s that JSON.parse would change', async (number, message) => {
    await expect400(statementText(`,"result":{"score":{"raw":${number}}}`), message);
  });

  it('keeps numbers a double holds, whatever their spelling, and extension JSON as sent', async () => {
    const response = await postRaw(
      statementText(
        ',"result":{"score":{"scaled":0.5,"raw":1.0,"min":0,"max":1e2},"extensions":{"https://example.org/x":{"n":[0.1,1e20,-0,5e-324],"constructor":{"a":1}}}}',
      ),
    );
    expect(response.statusCode, response.body).toBe(200);
    const [id] = response.json() as string[];
    const stored = (await lrs.get(`statementId=${id}`)).json();
    expect(stored.result.score).toEqual({ scaled: 0.5, raw: 1, min: 0, max: 100 });
    expect(stored.result.extensions['https://example.org/x']).toEqual({ n: [0.1, 1e20, 0, 5e-324], constructor: { a: 1 } });
  });

  it('refuses "__proto__" keys that the validator would drop without a word', async () => {
    await expect400(
      statementText('').replace('"display":{"en-US":"answered"}', '"display":{"en-US":"answered","__proto__":"x"}'),
      /^statement\.verb\.display\.__proto__: the key "__proto__" is refused/,
    );
    await expect400(statementText(',"result":{"extensions":{"__proto__":{"a":1}}}'), /^statement\.result\.extensions\.__proto__:/);
  });

  it.each([
    ['10000-01-01T00:00:00Z', /statement\.timestamp: must be an ISO 8601 timestamp/],
    ['2025-01-01T00:00:00+99:99', /statement\.timestamp: must be an ISO 8601 timestamp.*offset between -12:00 and \+14:00/],
    ['2025-01-01T00:00:00+14:01', /statement\.timestamp: must be an ISO 8601/],
    ['2025-01-01T00:00:00-12:30', /statement\.timestamp: must be an ISO 8601/],
    ['2025-01-01T00:00:00+05:60', /statement\.timestamp: must be an ISO 8601/],
    ['2025-01-01T00:00:00-14:00', /statement\.timestamp: must be an ISO 8601/],
    ['9999-12-31T23:59:59-12:00', /statement\.timestamp: must name an instant between the years 0000 and 9999 in UTC/],
    ['0000-01-01T00:00:00+01:00', /statement\.timestamp: must name an instant between the years 0000 and 9999 in UTC/],
  ])('refuses the timestamp %s', async (timestamp, message) => {
    await expect400(statementText(`,"timestamp":"${timestamp}"`), message);
  });

  it('accepts the timestamps of the ADL suite and the extreme offsets, stored in UTC', async () => {
    for (const [timestamp, utc] of [
      ['2013-05-18T05:32:34.804+00:00', '2013-05-18T05:32:34.804Z'],
      ['2023-05-04T12:00:00-05:00', '2023-05-04T17:00:00.000Z'],
      ['2025-06-01T00:00:00+14:00', '2025-05-31T10:00:00.000Z'],
      ['2025-06-01T00:00:00-12:00', '2025-06-01T12:00:00.000Z'],
      ['0000-01-01T00:00:00Z', '0000-01-01T00:00:00.000Z'],
    ] as const) {
      const response = await postRaw(statementText(`,"timestamp":"${timestamp}"`));
      expect(response.statusCode, response.body).toBe(200);
      const [id] = response.json() as string[];
      expect((await lrs.get(`statementId=${id}`)).json().timestamp).toBe(utc);
    }
  });

  it('compares since and until as instants for every valid offset', async () => {
    expect((await postRaw(statementText())).statusCode).toBe(200);
    const count = async (query: string) => {
      const response = await lrs.get(`${query}&agent=${encodeURIComponent(JSON.stringify(AGENT))}`);
      expect(response.statusCode, response.body).toBe(200);
      return (response.json().statements as unknown[]).length;
    };
    expect(await count(`since=${encodeURIComponent('9999-12-31T23:59:59-12:00')}`)).toBe(0);
    expect(await count(`until=${encodeURIComponent('9999-12-31T23:59:59-12:00')}`)).toBe(1);
    expect(await count(`until=${encodeURIComponent('0000-01-01T00:00:00+14:00')}`)).toBe(0);
    expect(await count(`since=${encodeURIComponent('0000-01-01T00:00:00+14:00')}`)).toBe(1);
    const bad = await lrs.get(`since=${encodeURIComponent('2025-01-01T00:00:00+99:99')}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^since: /);
  });

  it('refuses a query parameter whose percent-encoding is not UTF-8', async () => {
    const response = await lrs.inject({ method: 'GET', url: '/xapi/statements?registration=%FF', headers: readHeaders });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^registration: its percent-encoding is not UTF-8/);
  });

  it('refuses U+0000 in a parameter and control characters in IRIs and mailto addresses (PostgreSQL text cannot hold NUL)', async () => {
    const state = `/xapi/activities/state?activityId=${encodeURIComponent(ACTIVITY)}&agent=${encodeURIComponent(JSON.stringify(AGENT))}&stateId=a%00b`;
    const response = await lrs.inject({
      method: 'PUT',
      url: state,
      headers: { ...adminHeaders, 'content-type': 'text/plain' },
      payload: 'x',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe('stateId: holds U+0000 (NUL), which no parameter may hold');
    await expect400(statementText('', '{"mbox":"mailto:a\\u0000@example.org"}'), /^statement\.actor\.mbox: must be a mailto IRI/);
    await expect400(statementText().replace('verbs/answered', 'verbs/answered\\u0000'), /^statement\.verb\.id: must be an IRI/);
  });

  it('refuses content of the alternate request syntax that is not UTF-8 percent-encoded', async () => {
    const form = `content=${encodeURIComponent(statementText()).replace('answered%22', 'answered%ED%A0%80%22')}&X-Experience-API-Version=1.0.3&Content-Type=application%2Fjson&Authorization=${encodeURIComponent(writeHeaders.authorization)}`;
    const response = await lrs.inject({
      method: 'POST',
      url: '/xapi/statements?method=POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form,
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toMatch(/^content: its percent-encoding is not UTF-8/);
  });
});

describe('the site API takes exact JSON too', () => {
  it.each([
    ['a lone surrogate', '{"name":"Ana\\ud800"}', /^body\.name: holds a lone surrogate/],
    ['invalid UTF-8', Buffer.concat([Buffer.from('{"name":"Ana'), Buffer.from([0xff]), Buffer.from('"}')]), /^body: is not valid UTF-8/],
  ])('refuses a learner name with %s instead of storing U+FFFD', async (_name, payload, message) => {
    const response = await lrs.inject({ method: 'POST', url: '/api/learners', headers: { 'content-type': 'application/json' }, payload });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toMatch(message);
  });
});

describe('JSON documents keep their data exactly or are refused', () => {
  const stateUrl = `/xapi/activities/state?activityId=${encodeURIComponent(ACTIVITY)}&agent=${encodeURIComponent(JSON.stringify(AGENT))}&stateId=exact`;
  const send = (method: 'PUT' | 'POST', payload: string | Buffer, contentType = 'application/json') =>
    lrs.inject({ method, url: stateUrl, headers: { ...adminHeaders, 'content-type': contentType }, payload });

  it.each([
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), /^document: is not valid UTF-8/],
    ['a lone surrogate', '{"a":"\\ud800"}', /^document\.a: holds a lone surrogate/],
    ['an inexact number', '{"a":{"b":[12345678901234567890]}}', /^document\.a\.b\[0\]: 12345678901234567890 has more digits/],
    ['a "__proto__" key', '{"__proto__":{"admin":true}}', /^document\.__proto__: the key "__proto__" is refused/],
  ])('refuses %s in a JSON document, on PUT and on POST', async (_name, payload, message) => {
    for (const method of ['PUT', 'POST'] as const) {
      const response = await send(method, payload);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().message).toMatch(message);
    }
  });

  it('keeps a document of another type byte for byte, invalid UTF-8 included', async () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x7b]);
    expect((await send('PUT', bytes, 'application/octet-stream')).statusCode).toBe(204);
    const response = await lrs.inject({ method: 'GET', url: stateUrl, headers: adminHeaders });
    expect(response.rawPayload.equals(bytes)).toBe(true);
  });

  it('answers 400, not 500, to a POST merge into a stored document nested 100,000 levels deep', async () => {
    // Only a document stored before these rules can be that deep: write it through the store.
    const database = await openDatabase(lrs.database);
    try {
      const deep = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
      await createDocumentStore(database).put(
        { kind: 'state', activityId: ACTIVITY, agentIfi: ifiKey(AGENT) ?? '', registration: '', documentId: 'exact' },
        { content: Buffer.from(deep), contentType: 'application/json' },
      );
    } finally {
      await database.close();
    }
    const response = await send('POST', '{"b":1}');
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toMatch(
      /^the stored document\.a\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]…: nests JSON deeper than 100 levels/,
    );
  });

  it('refuses with 413 a merge that would pass 1 MiB, leaving the stored document as it was', async () => {
    const half = (key: string) => JSON.stringify({ [key]: 'x'.repeat(600 * 1024) });
    expect((await send('PUT', half('a'))).statusCode).toBe(204);
    const response = await send('POST', half('b'));
    expect(response.statusCode, response.body).toBe(413);
    expect(response.json().message).toMatch(
      /^document: merged with the stored one it would be \d+ bytes, above this LRS's limit of 1048576/,
    );
    const stored = await lrs.inject({ method: 'GET', url: stateUrl, headers: adminHeaders });
    expect(Object.keys(stored.json())).toEqual(['a']);
  });

  it('merges exact JSON documents and reads the merge back', async () => {
    expect((await send('PUT', '{"a":1.50,"n":1e20,"s":"😀"}')).statusCode).toBe(204);
    expect((await send('POST', '{"b":{"constructor":1}}')).statusCode).toBe(204);
    const stored = await lrs.inject({ method: 'GET', url: stateUrl, headers: adminHeaders });
    expect(stored.json()).toEqual({ a: 1.5, n: 1e20, s: '😀', b: { constructor: 1 } });
  });
});
