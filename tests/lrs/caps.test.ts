import { createHash, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildMultipartMixed, parseStatementRequest } from '../../src/lrs/multipart.ts';
import { MAX_PAGE_BYTES } from '../../src/lrs/routes/statements.ts';
import { MAX_NAMES_PER_AGENT } from '../../src/lrs/store/statements.ts';
import { MAX_DEFINITION_BYTES, MAX_NAME_LENGTH } from '../../src/lrs/validate.ts';
import { TEST_DIALECT } from './database.ts';
import { adminHeaders, answeredStatement, createTestLrs, readHeaders, writeHeaders } from './helper.ts';
import type { TestLrs } from './helper.ts';

/** What one client can make the LRS keep and send: names per Agent, definition size, page bytes. */
let lrs: TestLrs;
beforeEach(async () => {
  lrs = await createTestLrs();
});
afterEach(async () => {
  await lrs.close();
});

/** POST statements with the administrator credential: its scope all includes define, which the
 * known Agents and canonical definitions need (xAPI 1.0.3 Communication 4.2). */
function post(body: unknown) {
  return lrs.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers: { ...adminHeaders, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

const ACCOUNT = { homePage: 'http://127.0.0.1:4321', name: 'learner-caps' };
const ACTIVITY = 'http://127.0.0.1:4321/en/modules/m5/';

function named(name: string): Record<string, unknown> {
  return answeredStatement({ actor: { objectType: 'Agent', name, account: ACCOUNT } });
}

/** A statement about ACTIVITY whose definition carries `bytes` bytes of extension text. */
function withDefinition(bytes: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return answeredStatement({
    object: {
      objectType: 'Activity',
      id: ACTIVITY,
      definition: { name: { en: 'Indicators' }, extensions: { 'http://example.org/notes': 'x'.repeat(bytes) }, ...extra },
    },
  });
}

/** Every page of a GET statements query, following `more`, with each page's body size. */
async function allPages(query: string): Promise<{ ids: string[]; sizes: number[] }> {
  const ids: string[] = [];
  const sizes: number[] = [];
  let url = `/xapi/statements?${query}`;
  while (url !== '') {
    const response = await lrs.inject({ method: 'GET', url, headers: readHeaders });
    expect(response.statusCode, response.body).toBe(200);
    sizes.push(response.rawPayload.length);
    const page = response.json() as { statements: Array<{ id: string }>; more: string };
    ids.push(...page.statements.map((statement) => statement.id));
    url = page.more;
  }
  return { ids, sizes };
}

describe(`caps on what one client can make the LRS keep (${TEST_DIALECT})`, () => {
  it('answers 400 to an Agent name past the limit, naming the field and the limit', async () => {
    const response = await post(named('N'.repeat(MAX_NAME_LENGTH + 1)));
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('statement.actor.name');
    expect(response.json().message).toContain(`at most ${MAX_NAME_LENGTH} characters`);
    expect((await post(named('N'.repeat(MAX_NAME_LENGTH)))).statusCode).toBe(200);
  });

  it('keeps only the most recent names of an Agent', async () => {
    const names = Array.from({ length: 20 }, (_, index) => `Learner name ${index + 1}`);
    for (const name of names) {
      expect((await post(named(name))).statusCode).toBe(200);
    }
    // A name seen again counts as recent.
    expect((await post(named(names[0] ?? ''))).statusCode).toBe(200);
    const agent = encodeURIComponent(JSON.stringify({ account: ACCOUNT }));
    const response = await lrs.inject({ method: 'GET', url: `/xapi/agents?agent=${agent}`, headers: adminHeaders });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().name).toEqual([...names.slice(-(MAX_NAMES_PER_AGENT - 1)), names[0]]);
  });

  it('answers 400 to an Activity definition past the limit, naming the field and the limit', async () => {
    const response = await post(withDefinition(MAX_DEFINITION_BYTES));
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^statement\.object\.definition: is \d+ bytes as JSON; at most 65536 bytes/);
    expect((await post(withDefinition(MAX_DEFINITION_BYTES - 1000))).statusCode).toBe(200);
  });

  it('never grows a canonical definition past the limit by merging languages', async () => {
    for (const language of ['en', 'fr', 'es', 'ar', 'zh', 'ru']) {
      const statement = withDefinition(100, { description: { [language]: 'd'.repeat(20_000) } });
      expect((await post(statement)).statusCode).toBe(200);
    }
    const response = await lrs.inject({
      method: 'GET',
      url: `/xapi/activities?activityId=${encodeURIComponent(ACTIVITY)}`,
      headers: adminHeaders,
    });
    expect(response.statusCode).toBe(200);
    expect(Buffer.byteLength(JSON.stringify(response.json().definition))).toBeLessThanOrEqual(MAX_DEFINITION_BYTES);
    expect(response.json().definition.description.ru).toBe('d'.repeat(20_000));
  });

  it('cuts a canonical page that would pass the byte cap short, with a more link that reaches every statement', async () => {
    expect((await post(withDefinition(60_000))).statusCode).toBe(200);
    const small = Array.from({ length: 60 }, () => answeredStatement({ object: { objectType: 'Activity', id: ACTIVITY } }));
    expect((await post(small)).statusCode).toBe(200);
    const canonical = await allPages('format=canonical&limit=0');
    expect(canonical.ids).toHaveLength(61);
    expect(new Set(canonical.ids).size).toBe(61);
    expect(canonical.sizes.length).toBeGreaterThan(1);
    expect(Math.max(...canonical.sizes)).toBeLessThanOrEqual(MAX_PAGE_BYTES + 1024);
    // The exact format of the same statements is small and fits one page.
    expect((await allPages('limit=0')).sizes).toHaveLength(1);
  });

  it('cuts a page with attachments=true by the bytes of its attachments too', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const content = Buffer.alloc(400 * 1024, index + 1);
      const sha2 = createHash('sha256').update(content).digest('hex');
      const id = randomUUID();
      ids.push(id);
      const statement = answeredStatement({
        id,
        attachments: [
          {
            usageType: 'http://example.org/usage',
            display: { en: 'scan' },
            contentType: 'application/octet-stream',
            length: content.length,
            sha2,
          },
        ],
      });
      const { contentType, body } = buildMultipartMixed([statement], [{ sha2, contentType: 'application/octet-stream', content }]);
      const stored = await lrs.inject({
        method: 'POST',
        url: '/xapi/statements',
        headers: { ...writeHeaders, 'content-type': contentType },
        payload: body,
      });
      expect(stored.statusCode, stored.body).toBe(200);
    }
    const first = await lrs.get('attachments=true&ascending=true');
    expect(first.statusCode).toBe(200);
    expect(first.rawPayload.length).toBeLessThanOrEqual(MAX_PAGE_BYTES + 4096);
    const page = parseStatementRequest(first.rawPayload, String(first.headers['content-type']));
    const json = page.json as { statements: Array<{ id: string }>; more: string };
    expect(json.statements.map((statement) => statement.id)).toEqual(ids.slice(0, 2));
    expect(page.parts.size).toBe(2);
    const rest = await lrs.inject({ method: 'GET', url: json.more, headers: readHeaders });
    const next = parseStatementRequest(rest.rawPayload, String(rest.headers['content-type']));
    expect((next.json as { statements: Array<{ id: string }> }).statements.map((statement) => statement.id)).toEqual(ids.slice(2));
    expect(next.parts.size).toBe(1);
  });
});
