import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { READ, WRITE, adminHeaders, answeredStatement, basic, createTestLrs } from './helper.ts';
import type { TestLrs } from './helper.ts';

let lrs: TestLrs;
beforeEach(async () => {
  lrs = await createTestLrs();
});
afterEach(async () => {
  await lrs.close();
});

const ACTIVITY = 'https://w3id.org/dce-training/en/modules/m1';
const LEARNER = { objectType: 'Agent', mbox: 'mailto:ana@example.org' };
const REGISTRATION = '6f1d9a4e-2b7c-4d8e-9f0a-1b2c3d4e5f60';

type Parameters = Record<string, string | object | undefined>;

/** A query string; object values are sent as JSON, undefined values left out. */
function query(parameters: Parameters): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined) {
      search.append(name, typeof value === 'string' ? value : JSON.stringify(value));
    }
  }
  return search.toString();
}

interface Call {
  payload?: string | Buffer | object;
  headers?: Record<string, string>;
  /** Replaces the administrator's Authorization header; null sends none. */
  credential?: { key: string; secret: string } | null;
}

/** Any request to a document resource, with the administrator's credential by default. */
async function call(
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE',
  path: string,
  parameters: Parameters,
  options: Call = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...adminHeaders };
  if (options.credential === null) {
    delete headers['authorization'];
  } else if (options.credential !== undefined) {
    headers['authorization'] = basic(options.credential);
  }
  let payload: string | Buffer | undefined;
  if (options.payload !== undefined) {
    if (typeof options.payload === 'string' || Buffer.isBuffer(options.payload)) {
      payload = options.payload;
    } else {
      payload = JSON.stringify(options.payload);
      headers['content-type'] = 'application/json';
    }
  }
  const search = query(parameters);
  return lrs.inject({
    method,
    url: `/xapi/${path}${search === '' ? '' : `?${search}`}`,
    headers: { ...headers, ...options.headers },
    ...(payload === undefined ? {} : { payload }),
  });
}

const state = (overrides: Parameters = {}): Parameters => ({ activityId: ACTIVITY, agent: LEARNER, stateId: 'bookmark', ...overrides });
const activityProfile = (overrides: Parameters = {}): Parameters => ({ activityId: ACTIVITY, profileId: 'settings', ...overrides });
const agentProfile = (overrides: Parameters = {}): Parameters => ({ agent: LEARNER, profileId: 'preferences', ...overrides });
const sha1 = (content: string | Buffer): string => `"${createHash('sha1').update(content).digest('hex')}"`;
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function expectStatus(response: LightMyRequestResponse, status: number): void {
  expect(response.statusCode, response.body).toBe(status);
}

describe('State Resource: single documents', () => {
  it('stores a JSON document with PUT and returns its bytes, Content-Type, quoted SHA-1 ETag and Last-Modified', async () => {
    const before = Date.now();
    const put = await call('PUT', 'activities/state', state(), { payload: { page: 3, lang: 'fr' } });
    expectStatus(put, 204);
    expect(put.body).toBe('');

    const get = await call('GET', 'activities/state', state());
    expectStatus(get, 200);
    expect(get.body).toBe('{"page":3,"lang":"fr"}');
    expect(get.headers['content-type']).toBe('application/json');
    expect(get.headers['etag']).toBe(sha1('{"page":3,"lang":"fr"}'));
    const modified = Date.parse(String(get.headers['last-modified']));
    expect(modified).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(modified).toBeLessThanOrEqual(Date.now());
    expect(get.headers['x-experience-api-version']).toBe('1.0.3');
  });

  it('keeps documents of any content type byte for byte', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
    expectStatus(
      await call('PUT', 'activities/state', state({ stateId: 'blob' }), {
        payload: bytes,
        headers: { 'content-type': 'application/octet-stream' },
      }),
      204,
    );
    expectStatus(
      await call('PUT', 'activities/state', state({ stateId: 'note' }), {
        payload: 'déjà vu',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      }),
      204,
    );

    const blob = await call('GET', 'activities/state', state({ stateId: 'blob' }));
    expect(blob.rawPayload.equals(bytes)).toBe(true);
    expect(blob.headers['content-type']).toBe('application/octet-stream');
    expect(blob.headers['etag']).toBe(sha1(bytes));
    const note = await call('GET', 'activities/state', state({ stateId: 'note' }));
    expect(note.body).toBe('déjà vu');
    expect(note.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('replaces the whole document on a second PUT, with no precondition needed for state', async () => {
    await call('PUT', 'activities/state', state(), { payload: { a: 1, b: 2 } });
    expectStatus(await call('PUT', 'activities/state', state(), { payload: { c: 3 } }), 204);
    expect((await call('GET', 'activities/state', state())).json()).toEqual({ c: 3 });
  });

  it('answers 404 for a document never stored, and after DELETE', async () => {
    const missing = await call('GET', 'activities/state', state({ stateId: 'never' }));
    expectStatus(missing, 404);
    expect(missing.json().message).toContain('never');

    await call('PUT', 'activities/state', state(), { payload: { a: 1 } });
    expectStatus(await call('DELETE', 'activities/state', state()), 204);
    expectStatus(await call('GET', 'activities/state', state()), 404);
    // Deleting what is not there is no error.
    expectStatus(await call('DELETE', 'activities/state', state()), 204);
  });

  it('answers HEAD like GET without the body', async () => {
    await call('PUT', 'activities/state', state(), { payload: { a: 1 } });
    const head = await call('HEAD', 'activities/state', state());
    expectStatus(head, 200);
    expect(head.body).toBe('');
    expect(head.headers['etag']).toBe(sha1('{"a":1}'));
  });

  it('answers 304 to a GET whose If-None-Match names the current ETag', async () => {
    await call('PUT', 'activities/state', state(), { payload: { a: 1 } });
    const response = await call('GET', 'activities/state', state(), { headers: { 'if-none-match': sha1('{"a":1}') } });
    expectStatus(response, 304);
    expect(response.body).toBe('');
  });

  it('stores an empty document when PUT has no body', async () => {
    expectStatus(await call('PUT', 'activities/state', state()), 204);
    const get = await call('GET', 'activities/state', state());
    expectStatus(get, 200);
    expect(get.body).toBe('');
    expect(get.headers['etag']).toBe(sha1(''));
  });

  it('finds the same document whatever the case of the mbox domain of the agent', async () => {
    await call('PUT', 'activities/state', state(), { payload: { a: 1 } });
    const response = await call('GET', 'activities/state', state({ agent: { mbox: 'mailto:ana@EXAMPLE.org' } }));
    expectStatus(response, 200);
  });
});

describe('POST: JSON merge (Communication 2.2.s7, 2.2.s8)', () => {
  it('creates the document when there is none', async () => {
    expectStatus(await call('POST', 'activities/state', state(), { payload: { x: 'foo' } }), 204);
    expect((await call('GET', 'activities/state', state())).json()).toEqual({ x: 'foo' });
  });

  it('merges top-level properties, the posted values winning and nested objects replaced whole', async () => {
    await call('POST', 'activities/state', state(), { payload: { x: 'foo', y: 'bar', nested: { keep: 1, drop: 2 } } });
    expectStatus(await call('POST', 'activities/state', state(), { payload: { x: 'bash', z: 'faz', nested: { keep: 3 } } }), 204);
    const merged = await call('GET', 'activities/state', state());
    expect(merged.json()).toEqual({ x: 'bash', y: 'bar', z: 'faz', nested: { keep: 3 } });
    expect(merged.headers['etag']).toBe(sha1(merged.rawPayload));
  });

  it('refuses to merge a posted document that is not application/json, leaving the stored one as it was', async () => {
    await call('POST', 'activities/state', state(), { payload: { x: 'foo' } });
    const response = await call('POST', 'activities/state', state(), { payload: 'abcdefg', headers: { 'content-type': 'text/plain' } });
    expectStatus(response, 400);
    expect(response.json().message).toContain('application/json');
    expect((await call('GET', 'activities/state', state())).json()).toEqual({ x: 'foo' });
  });

  it('refuses to merge into a stored document that is not JSON', async () => {
    await call('PUT', 'activities/state', state(), {
      payload: '/ asdf / undefined',
      headers: { 'content-type': 'application/octet-stream' },
    });
    const response = await call('POST', 'activities/state', state(), { payload: { x: 'foo' } });
    expectStatus(response, 400);
    expect(response.json().message).toContain('the stored document');
    expect((await call('GET', 'activities/state', state())).body).toBe('/ asdf / undefined');
  });

  it('refuses malformed JSON and JSON that is not an object', async () => {
    await call('POST', 'activities/state', state(), { payload: { x: 'foo' } });
    const json = { 'content-type': 'application/json' };
    expectStatus(await call('POST', 'activities/state', state(), { payload: '{"x": "bar"}{', headers: json }), 400);
    expectStatus(await call('POST', 'activities/state', state(), { payload: '["x"]', headers: json }), 400);
    expectStatus(
      await call('POST', 'activities/state', state(), { payload: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      400,
    );
    expect((await call('GET', 'activities/state', state())).json()).toEqual({ x: 'foo' });
  });

  it('loses no property when many merges of the same document run at once', async () => {
    const keys = Array.from({ length: 12 }, (_, index) => `k${index}`);
    const responses = await Promise.all(keys.map((key) => call('POST', 'activities/state', state(), { payload: { [key]: key } })));
    responses.forEach((response) => expectStatus(response, 204));
    expect((await call('GET', 'activities/state', state())).json()).toEqual(Object.fromEntries(keys.map((key) => [key, key])));
  });

  it('merges agent and activity profiles the same way', async () => {
    await call('POST', 'agents/profile', agentProfile(), { payload: { car: 'Honda' } });
    await call('POST', 'agents/profile', agentProfile(), { payload: { type: 'Civic' } });
    expect((await call('GET', 'agents/profile', agentProfile())).json()).toEqual({ car: 'Honda', type: 'Civic' });
    await call('POST', 'activities/profile', activityProfile(), { payload: { car: 'MKX' } });
    await call('POST', 'activities/profile', activityProfile(), { payload: { car: 'MKZ' } });
    expect((await call('GET', 'activities/profile', activityProfile())).json()).toEqual({ car: 'MKZ' });
  });
});

describe('State Resource: ids, since and registration', () => {
  it('lists the state ids of an Activity and Agent, and only those updated after since (exclusive)', async () => {
    await call('PUT', 'activities/state', state({ stateId: 'first' }), { payload: { n: 1 } });
    await pause(5);
    const since = new Date().toISOString();
    await pause(5);
    await call('PUT', 'activities/state', state({ stateId: 'second' }), { payload: { n: 2 } });
    await call('PUT', 'activities/state', state({ stateId: 'other-activity', activityId: `${ACTIVITY}/other` }), { payload: {} });
    await call('PUT', 'activities/state', state({ stateId: 'other-agent', agent: { mbox: 'mailto:bo@example.org' } }), { payload: {} });

    const all = await call('GET', 'activities/state', state({ stateId: undefined }));
    expectStatus(all, 200);
    expect(all.json()).toEqual(['first', 'second']);
    expect(all.headers['last-modified']).toBeDefined();
    expect(all.headers['etag']).toBe(sha1(all.body));

    const after = await call('GET', 'activities/state', state({ stateId: undefined, since }));
    expect(after.json()).toEqual(['second']);

    const second = await call('GET', 'activities/state', state({ stateId: 'second' }));
    const updated = new Date(Date.parse(String(second.headers['last-modified'])) + 60_000).toISOString();
    expect((await call('GET', 'activities/state', state({ stateId: undefined, since: updated }))).json()).toEqual([]);
  });

  it('answers an empty array when there is nothing', async () => {
    const response = await call('GET', 'activities/state', state({ stateId: undefined }));
    expectStatus(response, 200);
    expect(response.json()).toEqual([]);
  });

  it("keeps a registration's state apart from the same stateId without one", async () => {
    await call('PUT', 'activities/state', state(), { payload: { where: 'none' } });
    await call('PUT', 'activities/state', state({ registration: REGISTRATION }), { payload: { where: 'registered' } });
    await call('PUT', 'activities/state', state({ registration: REGISTRATION, stateId: 'only-registered' }), { payload: {} });

    expect((await call('GET', 'activities/state', state())).json()).toEqual({ where: 'none' });
    // Registrations are UUIDs: any case names the same one.
    expect((await call('GET', 'activities/state', state({ registration: REGISTRATION.toUpperCase() }))).json()).toEqual({
      where: 'registered',
    });
    expectStatus(await call('GET', 'activities/state', state({ stateId: 'only-registered' })), 404);

    expect((await call('GET', 'activities/state', state({ stateId: undefined, registration: REGISTRATION }))).json()).toEqual([
      'bookmark',
      'only-registered',
    ]);
    // Without a registration, the ids of every registration of the Activity and Agent (2.3.s4).
    expect((await call('GET', 'activities/state', state({ stateId: undefined }))).json()).toEqual(['bookmark', 'only-registered']);
  });

  it('deletes every state of one registration, or of all, without a stateId', async () => {
    const other = '0d7c2a5e-5d4b-4b8e-8f3a-3c2b1a0f9e8d';
    await call('PUT', 'activities/state', state({ registration: REGISTRATION, stateId: 'a' }), { payload: {} });
    await call('PUT', 'activities/state', state({ registration: REGISTRATION, stateId: 'b' }), { payload: {} });
    await call('PUT', 'activities/state', state({ registration: other, stateId: 'c' }), { payload: {} });
    await call('PUT', 'activities/state', state({ stateId: 'd' }), { payload: {} });
    await call('PUT', 'activities/state', state({ stateId: 'elsewhere', activityId: `${ACTIVITY}/other` }), { payload: {} });

    expectStatus(await call('DELETE', 'activities/state', state({ stateId: undefined, registration: REGISTRATION })), 204);
    expect((await call('GET', 'activities/state', state({ stateId: undefined }))).json()).toEqual(['c', 'd']);

    expectStatus(await call('DELETE', 'activities/state', state({ stateId: undefined })), 204);
    expect((await call('GET', 'activities/state', state({ stateId: undefined }))).json()).toEqual([]);
    expect((await call('GET', 'activities/state', state({ stateId: undefined, activityId: `${ACTIVITY}/other` }))).json()).toEqual([
      'elsewhere',
    ]);
  });
});

describe('Concurrency (Communication 3.1)', () => {
  it('replaces a document when If-Match carries its ETag, and answers 412 without writing when it does not', async () => {
    await call('PUT', 'activities/profile', activityProfile(), { payload: { v: 1 }, headers: { 'if-none-match': '*' } });
    const etag = String((await call('GET', 'activities/profile', activityProfile())).headers['etag']);

    const stale = await call('PUT', 'activities/profile', activityProfile(), {
      payload: { v: 2 },
      headers: { 'if-match': '"1111111111111111111111111111111111111111"' },
    });
    expectStatus(stale, 412);
    expect((await call('GET', 'activities/profile', activityProfile())).json()).toEqual({ v: 1 });

    expectStatus(await call('PUT', 'activities/profile', activityProfile(), { payload: { v: 2 }, headers: { 'if-match': etag } }), 204);
    expect((await call('GET', 'activities/profile', activityProfile())).json()).toEqual({ v: 2 });
    // The old ETag no longer matches.
    expectStatus(await call('PUT', 'activities/profile', activityProfile(), { payload: { v: 3 }, headers: { 'if-match': etag } }), 412);
  });

  it('creates with If-None-Match: * and answers 412 when the document already exists', async () => {
    expectStatus(await call('PUT', 'agents/profile', agentProfile(), { payload: { v: 1 }, headers: { 'if-none-match': '*' } }), 204);
    const again = await call('PUT', 'agents/profile', agentProfile(), { payload: { v: 2 }, headers: { 'if-none-match': '*' } });
    expectStatus(again, 412);
    expect((await call('GET', 'agents/profile', agentProfile())).json()).toEqual({ v: 1 });
  });

  it('answers 412 to If-Match on a document that does not exist', async () => {
    const response = await call('PUT', 'agents/profile', agentProfile(), { payload: { v: 1 }, headers: { 'if-match': sha1('{}') } });
    expectStatus(response, 412);
    expectStatus(await call('GET', 'agents/profile', agentProfile()), 404);
  });

  it('answers 409 with advice to a profile PUT without a precondition over an existing document, and 400 over none', async () => {
    const first = await call('PUT', 'activities/profile', activityProfile(), { payload: { v: 1 } });
    expectStatus(first, 400);
    expect(first.json().message).toMatch(/If-Match|If-None-Match/);

    await call('POST', 'activities/profile', activityProfile(), { payload: { v: 1 } });
    const conflict = await call('PUT', 'activities/profile', activityProfile(), { payload: { v: 2 } });
    expectStatus(conflict, 409);
    expect(conflict.json().message).toContain('If-Match');
    expect((await call('GET', 'activities/profile', activityProfile())).json()).toEqual({ v: 1 });

    await call('POST', 'agents/profile', agentProfile(), { payload: { v: 1 } });
    expectStatus(await call('PUT', 'agents/profile', agentProfile(), { payload: { v: 2 } }), 409);
  });

  it('honours If-Match on state writes, POST and DELETE too', async () => {
    await call('PUT', 'activities/state', state(), { payload: { v: 1 } });
    const wrong = { 'if-match': sha1('something else') };
    expectStatus(await call('PUT', 'activities/state', state(), { payload: { v: 2 }, headers: wrong }), 412);
    expectStatus(await call('POST', 'activities/state', state(), { payload: { w: 2 }, headers: wrong }), 412);
    expectStatus(await call('DELETE', 'activities/state', state(), { headers: wrong }), 412);
    expectStatus(await call('PUT', 'activities/state', state(), { payload: { v: 2 }, headers: { 'if-none-match': '*' } }), 412);
    expect((await call('GET', 'activities/state', state())).json()).toEqual({ v: 1 });

    expectStatus(await call('DELETE', 'activities/state', state(), { headers: { 'if-match': sha1('{"v":1}') } }), 204);
    expectStatus(await call('GET', 'activities/state', state()), 404);
  });
});

describe('Activity and Agent Profile Resources', () => {
  it('store, list (with since), fetch and delete activity profiles', async () => {
    const create = { 'if-none-match': '*' };
    await call('PUT', 'activities/profile', activityProfile({ profileId: 'a' }), {
      payload: 'plain',
      headers: { ...create, 'content-type': 'text/plain' },
    });
    await pause(5);
    const since = new Date().toISOString();
    await pause(5);
    await call('PUT', 'activities/profile', activityProfile({ profileId: 'b' }), { payload: { b: true }, headers: create });

    expect((await call('GET', 'activities/profile', { activityId: ACTIVITY })).json()).toEqual(['a', 'b']);
    expect((await call('GET', 'activities/profile', { activityId: ACTIVITY, since })).json()).toEqual(['b']);
    const a = await call('GET', 'activities/profile', activityProfile({ profileId: 'a' }));
    expect(a.body).toBe('plain');
    expect(a.headers['content-type']).toBe('text/plain');

    expectStatus(await call('DELETE', 'activities/profile', activityProfile({ profileId: 'a' })), 204);
    expect((await call('GET', 'activities/profile', { activityId: ACTIVITY })).json()).toEqual(['b']);
  });

  it('store, list, fetch and delete agent profiles, kept apart per Agent', async () => {
    await call('PUT', 'agents/profile', agentProfile(), { payload: { theme: 'dark' }, headers: { 'if-none-match': '*' } });
    await call('PUT', 'agents/profile', agentProfile({ agent: { mbox: 'mailto:bo@example.org' }, profileId: 'other' }), {
      payload: {},
      headers: { 'if-none-match': '*' },
    });

    expect((await call('GET', 'agents/profile', { agent: LEARNER })).json()).toEqual(['preferences']);
    expect((await call('GET', 'agents/profile', agentProfile())).json()).toEqual({ theme: 'dark' });
    expectStatus(await call('DELETE', 'agents/profile', agentProfile()), 204);
    expect((await call('GET', 'agents/profile', { agent: LEARNER })).json()).toEqual([]);
  });

  it('requires the profileId for PUT, POST and DELETE', async () => {
    for (const method of ['PUT', 'POST', 'DELETE'] as const) {
      const response = await call(
        method,
        'agents/profile',
        { agent: LEARNER },
        method === 'DELETE' ? {} : { payload: {}, headers: { 'if-none-match': '*' } },
      );
      expectStatus(response, 400);
      expect(response.json().message).toMatch(/^profileId: is required, the document's id/);
    }
  });
});

describe('parameters (Communication 3.2.s3.b7, b8)', () => {
  it.each([
    ['an unknown parameter', 'activities/state', state({ foo: 'bar' }), /^foo: is not a parameter of GET \/xapi\/activities\/state/],
    [
      'a parameter in the wrong case',
      'activities/state',
      { activityId: ACTIVITY, agent: LEARNER, StateId: 'x' },
      /^StateId: is not a parameter/,
    ],
    ['since with a stateId', 'activities/state', state({ since: '2025-01-01T00:00:00Z' }), /^since: is not a parameter/],
    [
      'registration on a profile',
      'activities/profile',
      activityProfile({ registration: REGISTRATION }),
      /^registration: is not a parameter/,
    ],
    ['a missing activityId', 'activities/state', state({ activityId: undefined }), /^activityId: is required/],
    ['a missing agent', 'activities/state', state({ agent: undefined }), /^agent: is required/],
    ['an activityId that is no IRI', 'activities/profile', activityProfile({ activityId: 'not an iri' }), /^activityId: must be an IRI/],
    ['an agent that is not JSON', 'activities/state', state({ agent: 'not JSON' }), /^agent: must be a JSON Agent/],
    ['an agent without identifier', 'agents/profile', agentProfile({ agent: { name: 'Ana' } }), /^agent/],
    [
      'a Group as agent',
      'agents/profile',
      agentProfile({ agent: { objectType: 'Group', mbox: 'mailto:team@example.org' } }),
      /^agent: must be an Agent, not a Group/,
    ],
    ['a registration that is no UUID', 'activities/state', state({ registration: 'true' }), /^registration: must be a UUID/],
    ['a since that is no timestamp', 'agents/profile', { agent: LEARNER, since: 'yesterday' }, /^since: must be an ISO 8601 timestamp/],
    ['an empty stateId', 'activities/state', state({ stateId: '' }), /^stateId: must not be empty/],
    ['an unknown parameter on activities', 'activities', { activityId: ACTIVITY, format: 'exact' }, /^format: is not a parameter/],
    ['a missing activityId on activities', 'activities', {}, /^activityId: is required/],
    ['a missing agent on agents', 'agents', {}, /^agent: is required/],
  ])('answers 400 to %s, naming the parameter', async (_label, path, parameters, message) => {
    const response = await call('GET', path, parameters);
    expectStatus(response, 400);
    expect(response.json().message).toMatch(message);
  });

  it('answers 400 to a repeated parameter', async () => {
    const response = await lrs.inject({
      method: 'GET',
      url: `/xapi/activities/state?${query(state())}&stateId=again`,
      headers: adminHeaders,
    });
    expectStatus(response, 400);
    expect(response.json().message).toBe('stateId: is given more than once; give it once');
  });

  it('checks the parameters of writes before anything is stored', async () => {
    expectStatus(await call('PUT', 'activities/state', state({ stateId: undefined }), { payload: {} }), 400);
    expectStatus(await call('POST', 'activities/state', state({ registration: 'nope' }), { payload: {} }), 400);
    expectStatus(await call('DELETE', 'activities/state', state({ since: '2025-01-01T00:00:00Z' })), 400);
    expect((await call('GET', 'activities/state', state({ stateId: undefined }))).json()).toEqual([]);
  });

  it('refuses a document whose Content-Type says JSON when it is not', async () => {
    const response = await call('PUT', 'activities/state', state(), { payload: '{"a":', headers: { 'content-type': 'application/json' } });
    expectStatus(response, 400);
    expect(response.json().message).toMatch(/^document: .*not valid JSON/);
  });

  it('ignores the cachebuster @xapi/xapi may add to GETs', async () => {
    expectStatus(await call('GET', 'activities/state', state({ stateId: undefined, cachebuster: '123' })), 200);
  });

  it('requires X-Experience-API-Version', async () => {
    const response = await lrs.inject({
      method: 'GET',
      url: `/xapi/activities/state?${query(state())}`,
      headers: { authorization: basic(WRITE) },
    });
    expectStatus(response, 400);
    expect(response.json().message).toMatch(/^X-Experience-API-Version/);
  });
});

describe('Activities Resource (Communication 2.5)', () => {
  it('returns an Activity with only its id when the LRS has no definition of it', async () => {
    const response = await call('GET', 'activities', { activityId: `${ACTIVITY}/unknown` });
    expectStatus(response, 200);
    expect(response.json()).toEqual({ objectType: 'Activity', id: `${ACTIVITY}/unknown` });
    expect(response.headers['etag']).toBe(sha1(response.body));
  });

  it('returns the canonical definition merged from the statements stored', async () => {
    const statement = answeredStatement();
    const object = statement['object'] as { id: string; definition: Record<string, unknown> };
    // Defining Activities takes the scope define or all (Communication 4.2): the admin credential's.
    expectStatus(await call('POST', 'statements', {}, { payload: [statement] }), 200);
    expectStatus(
      await call(
        'POST',
        'statements',
        {},
        { payload: [answeredStatement({ object: { id: object.id, definition: { name: { de: 'Frage 1' } } } })] },
      ),
      200,
    );
    const response = await call('GET', 'activities', { activityId: object.id });
    expectStatus(response, 200);
    const activity = response.json();
    expect(activity).toMatchObject({ objectType: 'Activity', id: object.id, definition: { interactionType: 'choice' } });
    expect(activity.definition.name).toEqual({ en: 'Question 1', fr: 'Question 1', es: 'Pregunta 1', de: 'Frage 1' });
  });
});

describe('Agents Resource (Communication 2.4)', () => {
  it('returns a Person holding the Agent asked for when the LRS knows nothing of it', async () => {
    const response = await call('GET', 'agents', { agent: { mbox: 'mailto:nobody@example.org' } });
    expectStatus(response, 200);
    expect(response.json()).toEqual({ objectType: 'Person', mbox: ['mailto:nobody@example.org'] });
  });

  it('adds the names the Agent was given in statements, each property an array', async () => {
    const account = { homePage: 'http://127.0.0.1:4321', name: 'learner-1' };
    expectStatus(await call('POST', 'statements', {}, { payload: [answeredStatement()] }), 200);
    expectStatus(await call('POST', 'statements', {}, { payload: [answeredStatement({ actor: { name: 'Ana María', account } })] }), 200);
    const response = await call('GET', 'agents', { agent: { objectType: 'Agent', account } });
    expectStatus(response, 200);
    expect(response.json()).toEqual({ objectType: 'Person', name: ['Ana', 'Ana María'], account: [account] });
  });

  it('refuses a Group', async () => {
    const response = await call('GET', 'agents', { agent: { objectType: 'Group', openid: 'https://example.org/team' } });
    expectStatus(response, 400);
  });
});

describe('credentials and scopes', () => {
  it('lets the site credential (state) store and read state, but not profiles', async () => {
    expectStatus(await call('PUT', 'activities/state', state(), { payload: { page: 1 }, credential: WRITE }), 204);
    expectStatus(await call('POST', 'activities/state', state(), { payload: { page: 2 }, credential: WRITE }), 204);
    expect((await call('GET', 'activities/state', state(), { credential: WRITE })).json()).toEqual({ page: 2 });
    expectStatus(await call('DELETE', 'activities/state', state(), { credential: WRITE }), 204);

    for (const [method, path, parameters] of [
      ['GET', 'activities/profile', activityProfile()],
      ['PUT', 'activities/profile', activityProfile()],
      ['GET', 'agents/profile', agentProfile()],
      ['POST', 'agents/profile', agentProfile()],
      ['DELETE', 'agents/profile', agentProfile()],
    ] as const) {
      const response = await call(method, path, parameters, {
        credential: WRITE,
        ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
      });
      expectStatus(response, 403);
    }
  });

  it("forbids the reviewers' credential (statements/read) the State Resource, but lets it read activities and agents", async () => {
    expectStatus(await call('GET', 'activities/state', state(), { credential: READ }), 403);
    expectStatus(await call('PUT', 'activities/state', state(), { credential: READ, payload: {} }), 403);
    expectStatus(await call('GET', 'activities/profile', activityProfile(), { credential: READ }), 403);
    expectStatus(await call('GET', 'activities', { activityId: ACTIVITY }, { credential: READ }), 200);
    expectStatus(await call('GET', 'agents', { agent: LEARNER }, { credential: READ }), 200);
  });

  it('answers 401 without credentials', async () => {
    const response = await call('GET', 'activities/state', state(), { credential: null });
    expectStatus(response, 401);
    expect(response.headers['www-authenticate']).toMatch(/^Basic/);
  });
});

describe('alternate request syntax (Communication 1.3)', () => {
  it('stores and reads state through POST ?method=PUT and ?method=GET with form fields', async () => {
    const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
    const fields = { activityId: ACTIVITY, agent: JSON.stringify(LEARNER), stateId: 'bookmark' };
    const put = await lrs.inject({
      method: 'POST',
      url: '/xapi/activities/state?method=PUT',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ ...fields, Authorization: basic(WRITE), 'X-Experience-API-Version': '1.0.3', content: '{"page":7}' }),
    });
    expectStatus(put, 204);
    const get = await lrs.inject({
      method: 'POST',
      url: '/xapi/activities/state?method=GET',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ ...fields, Authorization: basic(WRITE), 'X-Experience-API-Version': '1.0.3' }),
    });
    expectStatus(get, 200);
    expect(get.json()).toEqual({ page: 7 });
    expect(get.headers['etag']).toBe(sha1('{"page":7}'));
  });
});

describe('the statement routes beside the document routes', () => {
  it('still parse statements as JSON and refuse text/plain', async () => {
    expectStatus(await lrs.post([answeredStatement()]), 200);
    const response = await lrs.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: { ...adminHeaders, 'content-type': 'text/plain' },
      payload: JSON.stringify(answeredStatement()),
    });
    expect(response.statusCode).not.toBe(200);
  });
});
