import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { parseTimestamp } from '../../src/lrs/validate.ts';
import { adminHeaders, basic, createTestLrs, readHeaders, writeHeaders } from './helper.ts';
import type { TestLrs } from './helper.ts';

// Issue 12, "Done when": property-based tests (fast-check) send hostile statements, documents,
// query strings and headers to the real app (buildApp + inject over a real database; SQLite, and
// PostgreSQL under LRS_TEST_DATABASE_URL). The property, for every request:
// - the answer is 2xx, 304 or 4xx, never 5xx, and a 4xx says why (a non-empty message);
// - what was accepted reads back exactly as sent: statements through GET ?statementId=...
//   (format=exact), the LRS's own properties (id when absent, stored, authority, version when
//   absent, timestamp in UTC, Data 2.4.7-2.4.10) set as the spec says; documents byte for byte;
// - what carries a defect the LRS cannot store exactly (strict-json.ts, validate.ts
//   timestampProblem) is refused with a 4xx.
// Runs are sized so that the file takes well under a minute on two cores on each database.

/** JSON text spliced into a generated value as it is; `defect` names why the LRS must refuse it. */
class Raw {
  readonly text: string;
  readonly defect: string | undefined;
  constructor(text: string, defect?: string) {
    this.text = text;
    this.defect = defect;
  }
}

/** JSON text of a value that may hold Raw pieces, and the defects among them. */
function serialize(value: unknown, defects: string[] = []): { text: string; defects: string[] } {
  const write = (item: unknown): string => {
    if (item instanceof Raw) {
      if (item.defect !== undefined) {
        defects.push(item.defect);
      }
      return item.text;
    }
    if (Array.isArray(item)) {
      return `[${item.map(write).join(',')}]`;
    }
    if (item !== null && typeof item === 'object') {
      return `{${Object.entries(item)
        .map(([key, child]) => `${JSON.stringify(key)}:${write(child)}`)
        .join(',')}}`;
    }
    return JSON.stringify(item) ?? 'null';
  };
  return { text: write(value), defects };
}

// ---- Generators -------------------------------------------------------------------------------

const LANGUAGES = ['en', 'fr', 'es', 'en-US', 'fr-CA', 'zh-Hans-CN', 'ar'];
/** Text meant to be awkward: any grapheme (emoji, RTL, combining marks, NUL and controls). */
const oddText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', '\u0000', 'a\u0000b', '\u202Eevil', 'e\u0301', '😀👍🏽', '\uFEFF', ' ', '\\', '"', '</script>', 'ﬀ', 'İ'),
);
const languageMap = fc.dictionary(fc.constantFrom(...LANGUAGES), oddText, { maxKeys: 3 });
const iri = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constantFrom(
    'https://example.org/a',
    'urn:uuid:6a1b7a4e-4b3a-4b8e-8f2a-1d2c3b4a5f6e',
    'http://example.org/%E2%9C%93',
    'https://例え.jp/活動',
  ),
);
/** Any JSON value: grapheme strings, every double JSON can write, nested a few levels. */
const freeJson = fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' });

/** Values the LRS cannot keep exactly: each must make the request a 4xx. */
const defective: fc.Arbitrary<Raw> = fc.oneof(
  fc
    .constantFrom('1e309', '-1e309', '1e-400', '12345678901234567890', '0.10000000000000000001', '9007199254740993')
    .map((text) => new Raw(text, `inexact number ${text}`)),
  fc.constantFrom('"a\\ud800b"', '"\\udfff"', '"\\udc00\\ud800"', '["\\ud83d"]').map((text) => new Raw(text, `lone surrogate ${text}`)),
  fc
    .constantFrom('{"__proto__":{"admin":true}}', '{"a":{"__proto__":1}}', '{"constructor":{"prototype":{"x":1}}}')
    .map((text) => new Raw(text, 'prototype key')),
  fc.constantFrom(101, 1000, 100_000).map((depth) => new Raw(`${'['.repeat(depth)}${']'.repeat(depth)}`, `nesting ${depth}`)),
);
/** Values a JSON parser takes and the LRS must keep: repeated keys (the last wins), spellings of numbers. */
const awkwardButValid: fc.Arbitrary<Raw> = fc.oneof(
  fc
    .constantFrom(
      '{"k":1,"k":2}',
      '{"k":"a","k":{"x":[1,2]}}',
      '1.0',
      '1E2',
      '-0',
      '0.5e-3',
      '5e-324',
      '1.7976931348623157e308',
      '"\\u0000"',
      '"\\ud83d\\ude00"',
      '[]',
      '{}',
    )
    .map((text) => new Raw(text)),
  fc.integer({ min: 1, max: 90 }).map((depth) => new Raw(`${'{"d":'.repeat(depth)}0${'}'.repeat(depth)}`)),
);
const extensionValue = fc.oneof({ weight: 3, arbitrary: freeJson }, { weight: 1, arbitrary: awkwardButValid });
const extensions = fc.dictionary(iri, extensionValue, { maxKeys: 3 });

const offsets = fc.constantFrom('Z', '+00:00', '-05:00', '+05:30', '+0545', '+14:00', '-12:00', '+01');
const validTimestamp = fc
  .tuple(
    fc.date({ min: new Date('0001-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }),
    offsets,
    fc.boolean(),
  )
  .map(([date, offset, fraction]) => {
    const text = date.toISOString().replace('Z', '');
    return `${fraction ? text : text.slice(0, 19)}${offset}`;
  });
const invalidTimestamp = fc.constantFrom(
  '2025-01-01T00:00:00+99:99',
  '2025-01-01T00:00:00-14:00',
  '2025-01-01T00:00:00+05:60',
  '2025-01-01T00:00:00-00:00',
  '10000-01-01T00:00:00Z',
  '+010000-01-01T00:00:00Z',
  '9999-12-31T23:59:59-12:00',
  '0000-01-01T00:00:00+01:00',
  '2025-02-30T00:00:00Z',
  '2025-01-01',
);

const mbox = fc.stringMatching(/^[a-z0-9._+-]{1,16}$/).map((local) => `mailto:${local}@example.org`);
const agent = fc.oneof(
  fc.record({ mbox }, { requiredKeys: ['mbox'] }),
  fc.record(
    { objectType: fc.constant('Agent'), name: oddText, account: fc.record({ homePage: iri, name: oddText.filter((name) => name !== '') }) },
    { requiredKeys: ['account'] },
  ),
);
const definition = fc.record({ name: languageMap, description: languageMap, type: iri, moreInfo: iri, extensions }, { requiredKeys: [] });
const uuid = fc.uuid({ version: 4 });

/** A statement, mostly valid, with hostile content in free places and, sometimes, a defect. */
const statement = fc.record(
  {
    id: fc.oneof(
      uuid,
      uuid.map((id) => id.toUpperCase()),
    ),
    actor: agent,
    verb: fc.record({ id: iri, display: languageMap }, { requiredKeys: ['id'] }),
    object: fc.record({ objectType: fc.constant('Activity'), id: iri, definition }, { requiredKeys: ['id'] }),
    result: fc.record(
      {
        score: fc.record(
          {
            scaled: fc.oneof(fc.double({ min: -1, max: 1, noNaN: true }), fc.constantFrom(0.5, -0, 1)),
            raw: fc.double({ noNaN: true, noDefaultInfinity: true }),
          },
          { requiredKeys: [] },
        ),
        success: fc.boolean(),
        completion: fc.boolean(),
        response: oddText,
        duration: fc.constantFrom('PT1M30S', 'P1D', 'PT0.5S', 'P1W'),
        extensions,
      },
      { requiredKeys: [] },
    ),
    context: fc.record(
      {
        registration: uuid,
        language: fc.constantFrom(...LANGUAGES),
        platform: oddText,
        contextActivities: fc.record(
          { parent: fc.array(fc.record({ id: iri }), { maxLength: 2 }), grouping: fc.array(fc.record({ id: iri }), { maxLength: 2 }) },
          { requiredKeys: [] },
        ),
        extensions,
      },
      { requiredKeys: [] },
    ),
    timestamp: validTimestamp,
    version: fc.constantFrom('1.0.0', '1.0.3', '1.0'),
  },
  { requiredKeys: ['actor', 'verb', 'object'] },
);

/** One defect and where it goes: every statement carrying one must be refused. */
const defect = fc.oneof(
  fc.record({ where: fc.constantFrom('extension', 'raw', 'context'), raw: defective }),
  fc.record({
    where: fc.constant('mbox'),
    raw: mbox.map((address) => new Raw(JSON.stringify(address).replace('@', '\\ud800@'), 'lone surrogate in mbox')),
  }),
  fc.record({ where: fc.constant('timestamp'), raw: invalidTimestamp.map((text) => new Raw(JSON.stringify(text), `timestamp ${text}`)) }),
);

/** The statement with the defect put in its place. */
function withDefect(value: Record<string, unknown>, { where, raw }: { where: string; raw: Raw }): Record<string, unknown> {
  const result = (value['result'] ?? {}) as Record<string, unknown>;
  const context = (value['context'] ?? {}) as Record<string, unknown>;
  switch (where) {
    case 'extension':
      return {
        ...value,
        result: { ...result, extensions: { ...((result['extensions'] as object | undefined) ?? {}), 'https://example.org/defect': raw } },
      };
    case 'raw':
      return { ...value, result: { ...result, score: { raw } } };
    case 'context':
      return { ...value, context: { ...context, extensions: { 'https://example.org/defect': [raw] } } };
    case 'mbox':
      return { ...value, actor: { mbox: raw } };
    default:
      return { ...value, timestamp: raw };
  }
}

/** The value in one draw out of `odds`, else null. */
function rarely<T>(arbitrary: fc.Arbitrary<T>, odds: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: odds - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}

/** Bytes that are not UTF-8, put in place of a string's content. */
const badUtf8 = fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]);
const MARK = 'UTF8MARK';

// ---- Checks -----------------------------------------------------------------------------------

/** The reason a 4xx gives: the JSON message, or the body text. */
function reason(response: LightMyRequestResponse): string {
  try {
    const body = response.json() as { message?: unknown };
    return typeof body.message === 'string' ? body.message.trim() : '';
  } catch {
    return response.body.trim();
  }
}

/** Never 5xx; a 4xx (but to HEAD, which has no body) names its reason. */
function expectSound(response: LightMyRequestResponse, method: string, what: string): void {
  const status = response.statusCode;
  expect(status < 500, `${what}: ${status} ${response.body.slice(0, 300)}`).toBe(true);
  expect(status >= 200 && status !== 300 && (status < 300 || status === 304 || status >= 400), `${what}: ${status}`).toBe(true);
  if (status >= 400 && method !== 'HEAD') {
    expect(reason(response), `${what}: ${status} without a reason`).not.toBe('');
  }
}

/** A JSON value as JSON writes it (so -0 is 0), for comparing values. */
const normal = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

/** Check a stored statement against the one sent (Data 2.4.7-2.4.10 for the LRS's own properties). */
function expectSameStatement(sent: Record<string, unknown>, stored: Record<string, unknown>, id: string): void {
  const { id: storedId, stored: storedAt, authority, version, timestamp, ...rest } = stored;
  const { id: sentId, version: sentVersion, timestamp: sentTimestamp, ...sentRest } = sent;
  expect(storedId).toBe(sentId ?? id);
  expect(typeof storedAt).toBe('string');
  expect(authority).toBeTypeOf('object');
  expect(version).toBe(sentVersion ?? '1.0.0');
  if (sentTimestamp === undefined) {
    expect(timestamp).toBe(storedAt);
  } else {
    expect(timestamp).toBe(parseTimestamp(String(sentTimestamp))?.toISOString());
  }
  expect(normal(rest)).toEqual(normal(sentRest));
}

let lrs: TestLrs;
let tally: Record<string, number>;
beforeAll(async () => {
  lrs = await createTestLrs();
  tally = {};
});
afterAll(async () => {
  await lrs.close();
});
const count = (name: string) => {
  tally[name] = (tally[name] ?? 0) + 1;
};

// Generous per test: two cores are shared, and PostgreSQL round trips are slower than SQLite's.
const TIMEOUT_MS = 90_000;

describe('hostile input, property-based, against the real app', () => {
  it(
    'statements: never 5xx, defects refused, what is accepted reads back exactly',
    async () => {
      await fc.assert(
        fc.asyncProperty(statement, fc.boolean(), rarely(defect, 3), rarely(badUtf8, 12), async (clean, batch, flaw, bad) => {
          const value: Record<string, unknown> = flaw === null ? clean : withDefect(clean, flaw);
          const withMark =
            bad === null ? value : { ...value, result: { ...((value['result'] as object | undefined) ?? {}), response: MARK } };
          const { text, defects } = serialize(batch ? [withMark] : withMark);
          let payload = Buffer.from(text, 'utf8');
          if (bad !== null) {
            const at = payload.indexOf(MARK);
            payload = Buffer.concat([payload.subarray(0, at), Buffer.from(bad), payload.subarray(at + MARK.length)]);
            defects.push('invalid UTF-8');
          }
          const response = await lrs.inject({ method: 'POST', url: '/xapi/statements', headers: writeHeaders, payload });
          expectSound(response, 'POST', `POST ${text.slice(0, 300)}`);
          if (defects.length > 0) {
            count('statements refused for a defect');
            expect(response.statusCode, `${defects.join(', ')} accepted: ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
            return;
          }
          if (response.statusCode !== 200) {
            count('statements refused otherwise');
            return;
          }
          count('statements accepted');
          const [id] = response.json() as string[];
          const read = await lrs.get(`statementId=${id}&format=exact`);
          expect(read.statusCode).toBe(200);
          const sent = JSON.parse(payload.toString('utf8')) as unknown;
          expectSameStatement((Array.isArray(sent) ? sent[0] : sent) as Record<string, unknown>, read.json(), id ?? '');
        }),
        { numRuns: 120 },
      );
      expect(tally['statements accepted'] ?? 0).toBeGreaterThan(10);
      expect(tally['statements refused for a defect'] ?? 0).toBeGreaterThan(5);
    },
    TIMEOUT_MS,
  );

  it(
    'documents: never 5xx, JSON defects refused, PUT reads back byte for byte and POST merges exactly',
    async () => {
      const jsonDocument = fc.oneof(
        { weight: 4, arbitrary: fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), extensionValue, { maxKeys: 4 }) },
        { weight: 1, arbitrary: freeJson },
      );
      const document = fc.oneof(
        {
          weight: 3,
          arbitrary: fc.record({
            type: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON'),
            body: jsonDocument,
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            type: fc.constantFrom(
              'application/octet-stream',
              'text/plain',
              'text/html',
              'image/svg+xml',
              'application/x-www-form-urlencoded',
              'multipart/form-data; boundary=x',
              'application/json',
            ),
            body: fc.uint8Array({ maxLength: 64 }),
          }),
        },
      );
      type Sent = { bytes: Buffer; type: string; defects: string[] };
      const toSent = ({ type, body }: { type: string; body: unknown }): Sent => {
        if (body instanceof Uint8Array) {
          return { bytes: Buffer.from(body), type, defects: [] };
        }
        const { text, defects } = serialize(body);
        return { bytes: Buffer.from(text, 'utf8'), type, defects };
      };
      const isJson = (type: string) => type.split(';')[0]?.trim().toLowerCase() === 'application/json';
      const parsesAsJson = (bytes: Buffer) => {
        try {
          JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
          return true;
        } catch {
          return false;
        }
      };

      await fc.assert(
        fc.asyncProperty(rarely(document, 6), rarely(document, 2), async (first, second) => {
          const url = `/xapi/activities/state?activityId=${encodeURIComponent('https://example.org/hostile')}&agent=${encodeURIComponent(JSON.stringify({ mbox: 'mailto:hostile@example.org' }))}&stateId=${randomUUID()}`;
          let stored: { bytes: Buffer; type: string } | undefined;
          for (const [method, given] of [
            ['PUT', first],
            ['POST', second],
          ] as const) {
            if (given === null) {
              continue;
            }
            const sent = toSent(given);
            const response = await lrs.inject({
              method,
              url,
              headers: { ...adminHeaders, 'content-type': sent.type },
              payload: sent.bytes,
            });
            expectSound(response, method, `${method} ${sent.type} ${sent.bytes.toString('utf8').slice(0, 200)}`);
            const mustRefuse = isJson(sent.type) && (sent.defects.length > 0 || !parsesAsJson(sent.bytes));
            if (mustRefuse) {
              count('documents refused for a defect');
              expect(response.statusCode, `${sent.defects.join(', ')} accepted`).toBeGreaterThanOrEqual(400);
              continue;
            }
            if (response.statusCode !== 204) {
              count('documents refused otherwise');
              continue;
            }
            count('documents accepted');
            if (method === 'PUT' || stored === undefined) {
              stored = { bytes: sent.bytes, type: sent.type };
              const read = await lrs.inject({ method: 'GET', url, headers: adminHeaders });
              expect(read.statusCode).toBe(200);
              expect(read.rawPayload.equals(sent.bytes), `${method} ${sent.type} did not read back byte for byte`).toBe(true);
              expect(read.headers['content-type']).toBe(sent.type);
            } else {
              const merged = {
                ...(JSON.parse(stored.bytes.toString('utf8')) as object),
                ...(JSON.parse(sent.bytes.toString('utf8')) as object),
              };
              const read = await lrs.inject({ method: 'GET', url, headers: adminHeaders });
              expect(normal(read.json())).toEqual(normal(merged));
            }
          }
        }),
        { numRuns: 90 },
      );
      expect(tally['documents accepted'] ?? 0).toBeGreaterThan(10);
    },
    TIMEOUT_MS,
  );

  it(
    'query strings: never 5xx, every 4xx with a reason',
    async () => {
      const NAMES = [
        'agent',
        'verb',
        'activity',
        'registration',
        'related_activities',
        'related_agents',
        'since',
        'until',
        'limit',
        'format',
        'attachments',
        'ascending',
        'statementId',
        'voidedStatementId',
        'cursor',
        'stateId',
        'activityId',
        'profileId',
        'StatementId',
        'method',
        '__proto__',
        'constructor',
        '',
        '%FF',
        'a%00b',
      ];
      const rawValue = fc.oneof(
        fc
          .string({ unit: 'grapheme', maxLength: 30 })
          .map((text) => [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')),
        fc.constantFrom(
          '%FF',
          '%ED%A0%80',
          '%',
          '%%',
          '%zz',
          '%00',
          'a%00b',
          '+',
          'true',
          '0',
          '-1',
          '99999999999999999999',
          '1e3',
          'exact',
          'canonical',
          'https%3A%2F%2Fexample.org%2Fa%00',
        ),
        fc
          .constantFrom('9999-12-31T23:59:59-12:00', '0000-01-01T00:00:00+14:00', '2025-01-01T00:00:00+99:99', '2025-01-01T00:00:00Z')
          .map(encodeURIComponent),
        fc.oneof(agent, freeJson).map((value) => encodeURIComponent(serialize(value).text.replace(/[\ud800-\udfff]/g, ''))),
      );
      const paths = fc.constantFrom(
        '/xapi/statements',
        '/xapi/activities/state',
        '/xapi/activities/profile',
        '/xapi/agents/profile',
        '/xapi/agents',
        '/xapi/activities',
        '/xapi/about',
      );
      const query = fc.array(fc.tuple(fc.constantFrom(...NAMES), rawValue), { maxLength: 5 });
      // Half the time the request names a real scope, so that hostile values reach the database.
      const scope = `activityId=${encodeURIComponent('https://example.org/hostile')}&agent=${encodeURIComponent(JSON.stringify({ mbox: 'mailto:hostile@example.org' }))}`;
      await fc.assert(
        fc.asyncProperty(paths, fc.boolean(), query, fc.constantFrom('GET', 'HEAD', 'DELETE'), async (path, scoped, pairs, method) => {
          const url = `${path}?${[...(scoped ? [scope] : []), ...pairs.map(([name, value]) => `${name}=${value}`)].join('&')}`;
          const response = await lrs.inject({ method, url, headers: method === 'DELETE' ? adminHeaders : readHeaders });
          expectSound(response, method, `${method} ${url}`);
          count('query strings');
        }),
        { numRuns: 150 },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'headers and content types: never 5xx, every 4xx with a reason',
    async () => {
      const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 40 });
      const latin1 = fc.string({ unit: fc.integer({ min: 0x80, max: 0xff }).map((code) => String.fromCharCode(code)), maxLength: 10 });
      const headers = fc.record(
        {
          'x-experience-api-version': fc.oneof(
            fc.constantFrom('1.0.3', '1.0', '1.0.0', '1.0.99', '1.1.0', '2.0.0', '0.95', ' 1.0.3', '1.0.3, 1.0.3', ''),
            headerText,
          ),
          authorization: fc.oneof(
            fc.constantFrom(
              writeHeaders.authorization,
              readHeaders.authorization,
              adminHeaders.authorization,
              'Basic',
              'Basic ',
              'Basic ====',
              'Bearer x',
              basic({ key: 'site', secret: 'wrong' }),
              basic({ key: '', secret: '' }),
            ),
            headerText.map((text) => `Basic ${Buffer.from(text).toString('base64')}`),
            headerText,
          ),
          'content-type': fc.oneof(
            fc.constantFrom(
              'application/json',
              'application/json; charset=utf-8',
              'application/json; charset=latin1',
              'text/plain',
              'multipart/mixed',
              'multipart/mixed; boundary=',
              'multipart/mixed; boundary=abc',
              'multipart/form-data',
              'application/x-www-form-urlencoded',
              'application/xml',
              '*/*',
              '',
            ),
            headerText,
          ),
          'if-match': fc.oneof(fc.constantFrom('*', '"abc"', 'W/"abc"', '""', ','), headerText),
          'if-none-match': fc.oneof(fc.constantFrom('*', '"abc"', 'W/"abc"'), headerText),
          'accept-language': fc.oneof(fc.constantFrom('fr-CA, en;q=0.5', '*', 'en;q=abc', ';;;', 'x'.repeat(200)), headerText, latin1),
          origin: fc.oneof(fc.constantFrom('http://127.0.0.1:4321', 'https://evil.example', 'null'), headerText),
          'access-control-request-method': fc.constantFrom('POST', 'PUT', 'TRACE'),
        },
        { requiredKeys: [] },
      );
      const body = fc.oneof(
        statement.map((value) => serialize(value).text.replace(/[\ud800-\udfff]/g, '')),
        fc.string({ maxLength: 50 }).map((text) => text.replace(/[\ud800-\udfff]/g, '')),
        fc.constantFrom(
          '',
          '{}',
          '[]',
          'null',
          '--abc\r\nContent-Type: application/json\r\n\r\n{}\r\n--abc--',
          'content=%7B%7D&method=GET',
        ),
      );
      const target = fc.constantFrom(
        '/xapi/statements',
        '/xapi/statements?method=GET',
        '/xapi/statements?method=PUT',
        '/xapi/statements?method=TRACE',
        `/xapi/activities/state?activityId=https%3A%2F%2Fexample.org%2Fh&agent=${encodeURIComponent('{"mbox":"mailto:h@example.org"}')}&stateId=s`,
        `/xapi/activities/profile?activityId=https%3A%2F%2Fexample.org%2Fh&profileId=p`,
        '/xapi/about',
        '/xapi/nothing',
      );
      const separate = await createTestLrs();
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'),
            target,
            headers,
            body,
            async (method, url, given, payload) => {
              const response = await separate.inject({
                method,
                url,
                headers: given,
                ...(method === 'GET' || method === 'HEAD' ? {} : { payload }),
              });
              expectSound(response, method, `${method} ${url} ${JSON.stringify(given)}`);
              count('header sets');
            },
          ),
          { numRuns: 150 },
        );
      } finally {
        await separate.close();
      }
    },
    TIMEOUT_MS,
  );
});
