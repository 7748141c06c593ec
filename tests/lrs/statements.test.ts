import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../src/lrs/db/open.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import XAPI from '@xapi/xapi';
import type { Statement as ClientStatement } from '@xapi/xapi';
import { BODY_LIMIT } from '../../src/lrs/app.ts';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../../src/lrs/routes/statements.ts';
import { SITE_ORIGIN, WRITE, answeredStatement, basic, createTestLrs, readHeaders, voidingStatement, writeHeaders } from './helper.ts';
import type { TestLrs } from './helper.ts';

let lrs: TestLrs;
beforeEach(async () => {
  lrs = await createTestLrs();
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await lrs.close();
});

/** How many statements the database holds, voided or not, read through a connection of its own. */
async function storedCount(): Promise<number> {
  const database = await openDatabase(lrs.database);
  try {
    const row = await database.db
      .selectFrom('statements')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  } finally {
    await database.close();
  }
}

/** GET statements and return the parsed StatementResult. */
async function query(parameters = ''): Promise<{ statements: Array<Record<string, any>>; more: string }> {
  const response = await lrs.get(parameters);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe('POST /xapi/statements', () => {
  it('stores a batch sent exactly as @xapi/xapi sends it from the site and returns the ids in order', async () => {
    const batch = [answeredStatement(), answeredStatement(), answeredStatement()];
    const response = await lrs.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: {
        accept: 'application/json, text/plain, */*',
        authorization: basic(WRITE),
        'content-type': 'application/json',
        origin: SITE_ORIGIN,
        'x-experience-api-version': '1.0.3',
      },
      payload: JSON.stringify(batch),
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual(batch.map((statement) => statement['id']));
    expect(response.headers['access-control-allow-origin']).toBe(SITE_ORIGIN);
    expect(response.headers['x-experience-api-version']).toBe('1.0.3');
    expect(await storedCount()).toBe(3);
  });

  it('stores a retried identical batch once and answers 200 with the same ids', async () => {
    const batch = [answeredStatement(), answeredStatement()];
    const first = await lrs.post(batch);
    const retry = await lrs.post(batch);
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(await storedCount()).toBe(2);
  });

  it('works with the real @xapi/xapi client (fetch adapter), retry included', async () => {
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      const { pathname, search } = new URL(url);
      const response = await lrs.inject({
        method: init.method as 'POST',
        url: pathname + search,
        headers: { ...(init.headers as Record<string, string>), origin: SITE_ORIGIN },
        payload: init.body as string,
      });
      return new Response(response.body, {
        status: response.statusCode,
        headers: Object.entries(response.headers).map(([name, value]): [string, string] => [name, String(value)]),
      });
    });
    const xapi = new XAPI({
      endpoint: 'http://127.0.0.1:4321/xapi/',
      auth: XAPI.toBasicAuth(WRITE.key, WRITE.secret),
      version: '1.0.3',
      adapter: 'fetch',
    });
    const statements = [answeredStatement(), answeredStatement()] as unknown as ClientStatement[];
    const sent = await xapi.sendStatements({ statements });
    const resent = await xapi.sendStatements({ statements });
    expect(sent.data).toEqual(statements.map((statement) => statement.id));
    expect(resent.data).toEqual(sent.data);
    expect(await storedCount()).toBe(2);
  });

  it('completes what the LRS must set: stored, authority, version, timestamp', async () => {
    const { id, timestamp, ...withoutIdOrTimestamp } = answeredStatement();
    expect(timestamp).toBeDefined();
    const before = Date.now();
    const response = await lrs.post(withoutIdOrTimestamp);
    const [assigned] = response.json() as string[];
    expect(assigned).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(assigned).not.toBe(id);
    const stored = (await lrs.get(`statementId=${assigned}`)).json();
    expect(stored.id).toBe(assigned);
    expect(Date.parse(stored.stored)).toBeGreaterThanOrEqual(before);
    expect(stored.timestamp).toBe(stored.stored);
    expect(stored.version).toBe('1.0.0');
    expect(stored.authority).toEqual({ objectType: 'Agent', account: { homePage: 'http://127.0.0.1:4321', name: 'site' } });
  });

  it('overwrites a stored and authority sent by the client, keeps its version, returns the timestamp in UTC', async () => {
    const statement = answeredStatement({
      stored: '2000-01-01T00:00:00Z',
      authority: { mbox: 'mailto:impostor@example.org' },
      version: '1.0.3',
      timestamp: '2025-03-01T11:15:30.123+01:00',
    });
    await lrs.post(statement);
    const stored = (await lrs.get(`statementId=${statement['id']}`)).json();
    expect(stored.stored).not.toBe('2000-01-01T00:00:00Z');
    expect(stored.authority.account.name).toBe('site');
    expect(stored.version).toBe('1.0.3');
    expect(stored.timestamp).toBe('2025-03-01T10:15:30.123Z');
  });

  it('returns context activities as arrays even when sent as single objects', async () => {
    const statement = answeredStatement();
    (statement['context'] as any).contextActivities.parent = { id: 'https://example.org/parent' };
    await lrs.post(statement);
    const stored = (await lrs.get(`statementId=${statement['id']}`)).json();
    expect(stored.context.contextActivities.parent).toEqual([{ id: 'https://example.org/parent' }]);
  });

  it('treats the same id with the same content but another timestamp, version or authority as a duplicate', async () => {
    const statement = answeredStatement();
    await lrs.post(statement);
    const again = { ...statement, timestamp: '2026-01-01T00:00:00Z', version: '1.0.0', authority: { mbox: 'mailto:x@example.org' } };
    const response = await lrs.post(again);
    expect(response.statusCode, response.body).toBe(200);
    expect(await storedCount()).toBe(1);
  });

  it('treats reordered Group members and an upper-case id as the same statement', async () => {
    const id = randomUUID();
    const members = [{ mbox: 'mailto:a@example.org' }, { mbox: 'mailto:b@example.org' }];
    await lrs.post(answeredStatement({ id, actor: { objectType: 'Group', member: members } }));
    const response = await lrs.post(
      answeredStatement({ id: id.toUpperCase(), actor: { objectType: 'Group', member: [...members].reverse() } }),
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(await storedCount()).toBe(1);
  });

  it('answers 409 Conflict to the same id with different content, and stores nothing of that batch', async () => {
    const statement = answeredStatement();
    await lrs.post(statement);
    const changed = { ...statement, result: { success: false } };
    const response = await lrs.post([answeredStatement(), changed]);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      error: 'Conflict',
      message: `statement ${String(statement['id'])} is already stored with different content; statements are immutable`,
    });
    expect(await storedCount()).toBe(1);
  });

  it('rejects a whole batch with 400 when one statement is invalid, naming it', async () => {
    const response = await lrs.post([answeredStatement(), answeredStatement({ verb: { id: 'not an iri' } })]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'Bad Request',
      message: 'statements[1].verb.id: must be an IRI with a scheme, e.g. https://example.org/id',
    });
    expect(await storedCount()).toBe(0);
  });

  it('rejects a batch that repeats an id', async () => {
    const statement = answeredStatement();
    const response = await lrs.post([statement, statement]);
    expect(response.statusCode).toBe(400);
    expect(await storedCount()).toBe(0);
  });

  it('stores extension values nested up to the depth limit and refuses deeper ones with 400', async () => {
    const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { level: nested(depth - 1) });
    const fine = answeredStatement({ result: { extensions: { 'https://example.org/tree': nested(90) } } });
    expect((await lrs.post(fine)).statusCode).toBe(200);
    const tree = `${'{"level":'.repeat(100_000)}"leaf"${'}'.repeat(100_000)}`;
    const deep = JSON.stringify(answeredStatement({ result: { extensions: { 'https://example.org/tree': 'TREE' } } }));
    const payload = deep.replace('"TREE"', tree);
    const response = await lrs.inject({ method: 'POST', url: '/xapi/statements', headers: writeHeaders, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^body: nests JSON deeper than 100 levels/);
  });

  it('answers an empty batch with an empty list', async () => {
    const response = await lrs.post([]);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([]);
  });

  it('answers 400 with the parser reason to malformed JSON', async () => {
    const response = await lrs.inject({ method: 'POST', url: '/xapi/statements', headers: writeHeaders, payload: '[{"actor":' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'Bad Request',
      message: 'statements: is not valid JSON: Unexpected end of JSON input',
    });
  });

  it('says where malformed JSON breaks', async () => {
    const response = await lrs.inject({ method: 'POST', url: '/xapi/statements', headers: writeHeaders, payload: '[{"actor" 1}]' });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^statements: is not valid JSON: .*position 10/);
  });

  it('answers 400 to an empty body', async () => {
    const response = await lrs.inject({ method: 'POST', url: '/xapi/statements', headers: writeHeaders, payload: '' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('Bad Request');
  });

  it('answers 400 to JSON that tries to pollute prototypes', async () => {
    const payload = '{"__proto__":{"admin":true},"actor":{"mbox":"mailto:a@example.org"}}';
    const response = await lrs.inject({ method: 'POST', url: '/xapi/statements', headers: writeHeaders, payload });
    expect(response.statusCode).toBe(400);
  });

  it.each(['text/plain', 'text/csv', 'application/x-www-form-urlencoded'])('answers 415 to a %s body', async (contentType) => {
    const response = await lrs.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: { ...writeHeaders, 'content-type': contentType },
      payload: JSON.stringify(answeredStatement()),
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error).toBe('Unsupported Media Type');
  });

  it('answers 413 to a body over 1 MiB', async () => {
    const huge = answeredStatement({ result: { response: 'x'.repeat(BODY_LIMIT) } });
    const response = await lrs.post(huge);
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toBe('Payload Too Large');
  });

  it('answers 400 to a query parameter, which POST does not take', async () => {
    const response = await lrs.inject({
      method: 'POST',
      url: `/xapi/statements?statementId=${randomUUID()}`,
      headers: writeHeaders,
      payload: JSON.stringify(answeredStatement()),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe(
      'statementId: is not a parameter of POST /xapi/statements here; it takes none (names are case-sensitive)',
    );
  });
});

describe('PUT /xapi/statements', () => {
  function put(statementId: string | undefined, body: unknown) {
    return lrs.inject({
      method: 'PUT',
      url: `/xapi/statements${statementId === undefined ? '' : `?statementId=${statementId}`}`,
      headers: writeHeaders,
      payload: JSON.stringify(body),
    });
  }

  it('stores a statement under the given id with 204 No Content', async () => {
    const id = randomUUID();
    const response = await put(id, answeredStatement({ id: undefined }));
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect((await lrs.get(`statementId=${id}`)).json().id).toBe(id);
  });

  it('answers 204 again to an identical statement and 409 to a different one', async () => {
    const statement = answeredStatement();
    const id = String(statement['id']);
    expect((await put(id, statement)).statusCode).toBe(204);
    expect((await put(id, statement)).statusCode).toBe(204);
    expect((await put(id, { ...statement, result: { success: false } })).statusCode).toBe(409);
    expect(await storedCount()).toBe(1);
  });

  it.each([
    ['without statementId', undefined, answeredStatement(), 'statementId: is required with PUT'],
    ['with a statementId that is not a UUID', 'abc', answeredStatement(), 'statementId: must be a UUID'],
    ['with an id that differs from statementId', randomUUID(), answeredStatement(), 'differs from the statementId parameter'],
    ['with an array', randomUUID(), [answeredStatement({ id: undefined })], 'PUT stores one statement'],
    [
      'with an invalid statement',
      randomUUID(),
      answeredStatement({ id: undefined, actor: {} }),
      'statement.actor: an Agent needs exactly one',
    ],
  ])('answers 400 %s', async (_label, statementId, body, message) => {
    const response = await put(statementId, body);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(message);
    expect(await storedCount()).toBe(0);
  });
});

describe('voiding', () => {
  it('hides a voided statement from statementId and queries, and returns it through voidedStatementId', async () => {
    const target = answeredStatement();
    const targetId = String(target['id']);
    await lrs.post(target);
    const voiding = voidingStatement(targetId);
    expect((await lrs.post(voiding)).statusCode).toBe(200);

    expect((await lrs.get(`statementId=${targetId}`)).statusCode).toBe(404);
    const voided = await lrs.get(`voidedStatementId=${targetId}`);
    expect(voided.statusCode).toBe(200);
    expect(voided.json().id).toBe(targetId);
    const { statements } = await query();
    expect(statements.map((statement) => statement['id'])).toEqual([voiding['id']]);
  });

  it('answers 404 to voidedStatementId for a statement that is not voided', async () => {
    const statement = answeredStatement();
    await lrs.post(statement);
    expect((await lrs.get(`voidedStatementId=${statement['id']}`)).statusCode).toBe(404);
  });

  it('voids a statement that arrives after its voiding statement', async () => {
    const targetId = randomUUID();
    await lrs.post(voidingStatement(targetId));
    await lrs.post(answeredStatement({ id: targetId }));
    expect((await lrs.get(`statementId=${targetId}`)).statusCode).toBe(404);
    expect((await lrs.get(`voidedStatementId=${targetId}`)).statusCode).toBe(200);
  });

  it('voids within one batch', async () => {
    const target = answeredStatement();
    await lrs.post([target, voidingStatement(String(target['id']))]);
    expect((await lrs.get(`voidedStatementId=${target['id']}`)).statusCode).toBe(200);
  });

  it('refuses with 400 to void a voiding statement, storing nothing of the batch', async () => {
    const target = answeredStatement();
    const firstVoiding = voidingStatement(String(target['id']));
    await lrs.post([target, firstVoiding]);
    const response = await lrs.post([answeredStatement(), voidingStatement(String(firstVoiding['id']))]);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('voiding statements cannot be voided');
    expect(await storedCount()).toBe(2);
    expect((await lrs.get(`statementId=${firstVoiding['id']}`)).statusCode).toBe(200);
  });

  it('returns statements that target a voided statement when the filter matches it', async () => {
    const target = answeredStatement();
    const voiding = voidingStatement(String(target['id']));
    await lrs.post([target, voiding, answeredStatement({ verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' } })]);
    const { statements } = await query('verb=http://adlnet.gov/expapi/verbs/answered');
    expect(statements.map((statement) => statement['id'])).toEqual([voiding['id']]);
  });
});

describe('GET /xapi/statements', () => {
  it('returns one statement by id with Last-Modified, ETag and Consistent-Through', async () => {
    const statement = answeredStatement();
    await lrs.post(statement);
    const response = await lrs.get(`statementId=${statement['id']}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: statement['id'], verb: statement['verb'], object: statement['object'] });
    expect(Date.parse(String(response.headers['last-modified']))).toBeGreaterThan(0);
    expect(response.headers['etag']).toMatch(/^"[0-9a-f]{40}"$/);
    expect(Date.parse(String(response.headers['x-experience-api-consistent-through']))).toBeGreaterThan(0);
  });

  it('answers HEAD like GET, without a body', async () => {
    const statement = answeredStatement();
    await lrs.post(statement);
    const url = `/xapi/statements?statementId=${statement['id']}`;
    const head = await lrs.inject({ method: 'HEAD', url, headers: readHeaders });
    const get = await lrs.inject({ method: 'GET', url, headers: readHeaders });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['etag']).toBe(get.headers['etag']);
    expect(head.headers['last-modified']).toBe(get.headers['last-modified']);
  });

  it('finds a statement by an upper-case id', async () => {
    const statement = answeredStatement();
    await lrs.post(statement);
    expect((await lrs.get(`statementId=${String(statement['id']).toUpperCase()}`)).statusCode).toBe(200);
  });

  it('answers 404 with a reason to an unknown statementId', async () => {
    const response = await lrs.get(`statementId=${randomUUID()}`);
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe('Not Found');
  });

  it('returns an empty StatementResult when nothing matches', async () => {
    expect(await query()).toEqual({ statements: [], more: '' });
  });

  it('lists newest first by default and oldest first with ascending=true', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const statement = answeredStatement();
      ids.push(String(statement['id']));
      await lrs.post(statement);
    }
    expect((await query()).statements.map((s) => s['id'])).toEqual([...ids].reverse());
    expect((await query('ascending=true')).statements.map((s) => s['id'])).toEqual(ids);
  });

  it('pages with a relative more URL and an opaque cursor, stable while new statements arrive', async () => {
    const ids: string[] = [];
    const batch = Array.from({ length: 5 }, () => answeredStatement());
    ids.push(...batch.map((statement) => String(statement['id'])));
    await lrs.post(batch);

    const first = await query('limit=2');
    expect(first.statements.map((s) => s['id'])).toEqual([ids[4], ids[3]]);
    expect(first.more).toMatch(/^\/xapi\/statements\?cursor=[A-Za-z0-9_-]+$/);
    await lrs.post(answeredStatement());

    const second = await lrs.inject({ method: 'GET', url: first.more, headers: readHeaders });
    expect(second.json().statements.map((s: Record<string, unknown>) => s['id'])).toEqual([ids[2], ids[1]]);
    const third = await lrs.inject({ method: 'GET', url: second.json().more, headers: readHeaders });
    expect(third.json()).toMatchObject({ more: '' });
    expect(third.json().statements.map((s: Record<string, unknown>) => s['id'])).toEqual([ids[0]]);
  });

  it('keeps the filters and order in the more URL', async () => {
    const verb = { id: 'http://adlnet.gov/expapi/verbs/experienced' };
    const wanted = Array.from({ length: 3 }, () => answeredStatement({ verb }));
    await lrs.post([wanted[0], answeredStatement(), wanted[1], answeredStatement(), wanted[2]]);
    const first = await query(`verb=${encodeURIComponent(verb.id)}&ascending=true&limit=2`);
    const second = (await lrs.inject({ method: 'GET', url: first.more, headers: readHeaders })).json();
    expect([...first.statements, ...second.statements].map((s) => s['id'])).toEqual(wanted.map((s) => s['id']));
  });

  it('uses the default limit, and the maximum for limit=0 or a larger limit', async () => {
    await lrs.post(Array.from({ length: MAX_LIMIT + 1 }, () => answeredStatement()));
    expect((await query()).statements).toHaveLength(DEFAULT_LIMIT);
    expect((await query('limit=0')).statements).toHaveLength(MAX_LIMIT);
    const capped = await query(`limit=${MAX_LIMIT * 10}`);
    expect(capped.statements).toHaveLength(MAX_LIMIT);
    expect(capped.more).not.toBe('');
  });

  describe('filters', () => {
    const ana = { mbox: 'mailto:ana@example.org' };
    const ben = { account: { homePage: 'https://site.example', name: 'ben' } };
    const quiz = 'https://w3id.org/dce-training/en/modules/m1/quiz';
    const registration = '0b7f9a4e-2b7c-4d8e-9f0a-1b2c3d4e5f60';
    let byName: Record<string, string>;

    beforeEach(async () => {
      const statements = {
        anaAnswered: answeredStatement({ actor: ana }),
        benAnswered: answeredStatement({
          actor: ben,
          context: { registration, contextActivities: { parent: [{ id: quiz }] } },
        }),
        teamCompleted: answeredStatement({
          actor: { objectType: 'Group', name: 'team', member: [ana, ben] },
          verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
          object: { id: quiz },
          context: { instructor: { mbox: 'mailto:teacher@example.org' } },
        }),
        anaAsObject: answeredStatement({
          actor: { mbox: 'mailto:teacher@example.org' },
          verb: { id: 'http://example.org/verbs/mentored' },
          object: { objectType: 'Agent', ...ana },
          context: undefined,
        }),
      };
      await lrs.post(Object.values(statements));
      byName = Object.fromEntries(Object.entries(statements).map(([name, s]) => [String(s['id']), name]));
    });

    async function names(parameters: string): Promise<string[]> {
      return (await query(parameters)).statements.map((s) => byName[String(s['id'])] ?? 'unknown').sort();
    }

    it('agent matches the actor, an Agent object and Group members', async () => {
      expect(await names(`agent=${encodeURIComponent(JSON.stringify(ana))}`)).toEqual(['anaAnswered', 'anaAsObject', 'teamCompleted']);
      expect(await names(`agent=${encodeURIComponent(JSON.stringify({ objectType: 'Agent', ...ben }))}`)).toEqual([
        'benAnswered',
        'teamCompleted',
      ]);
    });

    it('agent with related_agents=true also matches instructors and authorities', async () => {
      const teacher = encodeURIComponent(JSON.stringify({ mbox: 'mailto:teacher@example.org' }));
      expect(await names(`agent=${teacher}`)).toEqual(['anaAsObject']);
      expect(await names(`agent=${teacher}&related_agents=true`)).toEqual(['anaAsObject', 'teamCompleted']);
      const authority = encodeURIComponent(JSON.stringify({ account: { homePage: 'http://127.0.0.1:4321', name: 'site' } }));
      expect(await names(`agent=${authority}&related_agents=true`)).toHaveLength(4);
    });

    it('verb matches the verb id', async () => {
      expect(await names('verb=http://adlnet.gov/expapi/verbs/completed')).toEqual(['teamCompleted']);
    });

    it('activity matches the object, and context activities with related_activities=true', async () => {
      expect(await names(`activity=${encodeURIComponent(quiz)}`)).toEqual(['teamCompleted']);
      expect(await names(`activity=${encodeURIComponent(quiz)}&related_activities=true`)).toEqual([
        'anaAnswered',
        'benAnswered',
        'teamCompleted',
      ]);
    });

    it('registration matches the context registration, in any case', async () => {
      expect(await names(`registration=${registration.toUpperCase()}`)).toEqual(['benAnswered']);
    });

    it('since is exclusive and until inclusive, on stored time', async () => {
      const [latest] = (await query('limit=1')).statements;
      const stored = String(latest?.['stored']);
      expect(await names(`since=${encodeURIComponent(stored)}`)).toEqual([]);
      expect(await names(`until=${encodeURIComponent(stored)}`)).toHaveLength(4);
      expect(await names(`until=${encodeURIComponent('2000-01-01T00:00:00Z')}`)).toEqual([]);
      expect(await names(`since=${encodeURIComponent('2000-01-01T01:00:00+01:00')}`)).toHaveLength(4);
    });

    it('combines filters', async () => {
      expect(
        await names(
          `agent=${encodeURIComponent(JSON.stringify(ana))}&verb=${encodeURIComponent('http://adlnet.gov/expapi/verbs/answered')}`,
        ),
      ).toEqual(['anaAnswered']);
    });

    it('accepts every format, returning statements as stored', async () => {
      for (const format of ['exact', 'ids', 'canonical']) {
        expect(await names(`format=${format}`)).toHaveLength(4);
      }
    });

    it('matches statements that target a matching statement, recursively', async () => {
      const [completed] = (await query('verb=http://adlnet.gov/expapi/verbs/completed')).statements;
      const comment = answeredStatement({
        actor: { mbox: 'mailto:reviewer@example.org' },
        verb: { id: 'http://example.org/verbs/commented' },
        object: { objectType: 'StatementRef', id: completed?.['id'] },
        context: undefined,
      });
      const reply = answeredStatement({
        actor: { mbox: 'mailto:ana@example.org' },
        verb: { id: 'http://example.org/verbs/replied' },
        object: { objectType: 'StatementRef', id: comment['id'] },
        context: undefined,
      });
      await lrs.post([comment, reply]);
      const ids = (await query('verb=http://adlnet.gov/expapi/verbs/completed')).statements.map((s) => s['id']);
      expect(ids).toEqual([reply['id'], comment['id'], completed?.['id']]);
    });
  });

  it('returns multipart/mixed with the JSON as its part when attachments=true', async () => {
    const statement = answeredStatement();
    await lrs.post(statement);
    const response = await lrs.get(`statementId=${statement['id']}&attachments=true`);
    expect(response.statusCode).toBe(200);
    const boundary = /boundary=(\w+)/.exec(String(response.headers['content-type']))?.[1];
    expect(response.headers['content-type']).toMatch(/^multipart\/mixed; boundary=\w+/);
    expect(response.body.startsWith(`--${boundary}\r\nContent-Type: application/json\r\n\r\n{`)).toBe(true);
  });

  it('ignores the cachebuster parameter @xapi/xapi may add', async () => {
    expect((await lrs.get(`cachebuster=${Date.now()}`)).statusCode).toBe(200);
  });

  it.each([
    ['an unknown parameter', 'actor=x', 'actor: is not a parameter of GET /xapi/statements here'],
    ['a parameter in the wrong case', 'Verb=http://example.org/v', 'Verb: is not a parameter'],
    ['a repeated parameter', 'verb=http://example.org/a&verb=http://example.org/b', 'verb: is given more than once'],
    ['statementId with voidedStatementId', `statementId=${randomUUID()}&voidedStatementId=${randomUUID()}`, 'cannot be used together'],
    ['statementId with a filter', `statementId=${randomUUID()}&verb=http://example.org/v`, 'verb: is not a parameter'],
    ['a statementId that is not a UUID', 'statementId=1', 'statementId: must be a UUID'],
    ['agent that is not JSON', 'agent=ana', 'agent: must be a JSON Agent'],
    [
      'agent with two identifiers',
      `agent=${encodeURIComponent('{"mbox":"mailto:a@x.org","openid":"https://o.org/a"}')}`,
      'agent: an Agent needs exactly one',
    ],
    ['verb that is not an IRI', 'verb=answered', 'verb: must be an IRI'],
    ['activity that is not an IRI', 'activity=quiz', 'activity: must be an IRI'],
    ['registration that is not a UUID', 'registration=1', 'registration: must be a UUID'],
    ['since that is not a timestamp', 'since=yesterday', 'since: must be an ISO 8601 timestamp'],
    ['until that is not a timestamp', 'until=2025-13-01T00:00:00Z', 'until: must be an ISO 8601 timestamp'],
    ['a negative limit', 'limit=-1', 'limit: must be a nonnegative integer'],
    ['a fractional limit', 'limit=1.5', 'limit: must be a nonnegative integer'],
    ['an unknown format', 'format=full', 'format: must be one of exact, ids, canonical'],
    ['ascending that is not a boolean', 'ascending=yes', 'ascending: must be true or false'],
    ['related_agents that is not a boolean', 'related_agents=1', 'related_agents: must be true or false'],
    ['a forged cursor', 'cursor=eyJmaWx0ZXIiOjF9', 'cursor: is not a cursor this LRS issued'],
    ['a cursor with filters', 'cursor=abc&verb=http://example.org/v', 'verb: is not a parameter'],
  ])('answers 400 to %s', async (_label, parameters, message) => {
    const response = await lrs.get(parameters);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toEqual({ error: 'Bad Request', message: expect.stringContaining(message) });
  });
});
