import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/lrs/db/open.ts';
import { SITE_ORIGIN, answeredStatement, basic, createTestLrs } from './helper.ts';
import type { TestLrs } from './helper.ts';

// Every test issues credentials (scrypt hashes, slow on purpose) on a machine shared with other runs.
vi.setConfig({ testTimeout: 20_000 });

/** A learner credential as POST /api/learners answers it. */
interface Issued {
  key: string;
  secret: string;
  agent: { objectType: 'Agent'; name: string; account: { homePage: string; name: string } };
}

const xapiHeaders = (credential: { key: string; secret: string }): Record<string, string> => ({
  authorization: basic(credential),
  'content-type': 'application/json',
  'x-experience-api-version': '1.0.3',
});

async function issue(lrs: TestLrs, body: unknown = { name: 'Ana' }, address = '203.0.113.7'): Promise<Issued> {
  const response = await lrs.inject({ method: 'POST', url: '/api/learners', payload: body as object, remoteAddress: address });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Issued>();
}

describe('POST /api/learners', () => {
  let lrs: TestLrs;
  beforeEach(async () => {
    lrs = await createTestLrs({ learnerLimits: { issue: { max: 3, timeWindow: 60_000 } } });
  });
  afterEach(() => lrs.close());

  it('issues a credential bound to a server-made account agent on the public origin', async () => {
    const issued = await issue(lrs, { name: '  Ana María  ', email: 'ana@example.org' });
    expect(issued.agent).toEqual({
      objectType: 'Agent',
      name: 'Ana María',
      account: { homePage: 'http://127.0.0.1:4321', name: issued.agent.account.name },
    });
    expect(issued.agent.account.name).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(issued.agent)).not.toContain('ana@example.org');
    expect(issued.key).not.toBe('');
    expect(issued.secret).not.toBe('');
    const second = await issue(lrs);
    expect(second.agent.account.name).not.toBe(issued.agent.account.name);
    expect(second.key).not.toBe(issued.key);
  });

  it.each([
    [{}, 'name:'],
    [{ name: '   ' }, 'name:'],
    [{ name: 'x'.repeat(101) }, 'name:'],
    [{ name: 'Ana', email: 'not-an-email' }, 'email:'],
    [{ name: 'Ana', role: 'admin' }, 'body:'],
  ])('refuses %j with a 400 naming the field', async (body, field) => {
    const response = await lrs.inject({ method: 'POST', url: '/api/learners', payload: body });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain(field);
  });

  it('limits issuing per client address (429), other addresses unaffected', async () => {
    for (let index = 0; index < 3; index += 1) {
      await issue(lrs, { name: `Learner ${index}` }, '198.51.100.1');
    }
    const refused = await lrs.inject({
      method: 'POST',
      url: '/api/learners',
      payload: { name: 'One more' },
      remoteAddress: '198.51.100.1',
    });
    expect(refused.statusCode).toBe(429);
    await issue(lrs, { name: 'Elsewhere' }, '198.51.100.2');
  });
});

describe('a learner credential', () => {
  let lrs: TestLrs;
  let ana: Issued;
  let ben: Issued;
  beforeEach(async () => {
    lrs = await createTestLrs();
    ana = await issue(lrs, { name: 'Ana' });
    ben = await issue(lrs, { name: 'Ben' });
  });
  afterEach(() => lrs.close());

  const post = (credential: Issued, body: unknown) =>
    lrs.inject({ method: 'POST', url: '/xapi/statements', headers: xapiHeaders(credential), payload: JSON.stringify(body) });
  const get = (credential: Issued, query = '') =>
    lrs.inject({ method: 'GET', url: `/xapi/statements${query === '' ? '' : `?${query}`}`, headers: xapiHeaders(credential) });

  it('writes statements whose actor is its agent (by identifier), and PUT too', async () => {
    expect((await post(ana, answeredStatement({ actor: ana.agent }))).statusCode).toBe(200);
    const byIdentifier = { objectType: 'Agent', account: ana.agent.account };
    expect((await post(ana, answeredStatement({ actor: byIdentifier }))).statusCode).toBe(200);
    const id = randomUUID();
    const put = await lrs.inject({
      method: 'PUT',
      url: `/xapi/statements?statementId=${id}`,
      headers: xapiHeaders(ana),
      payload: JSON.stringify(answeredStatement({ id, actor: ana.agent })),
    });
    expect(put.statusCode).toBe(204);
  });

  it('gets 403 naming the actor for a statement about another actor, and stores nothing of the batch', async () => {
    const own = answeredStatement({ actor: ana.agent });
    const forged = answeredStatement({ actor: ben.agent });
    const response = await post(ana, [own, forged]);
    expect(response.statusCode).toBe(403);
    expect(response.json<{ message: string }>().message).toContain('statements[1].actor');
    expect(response.json<{ message: string }>().message).toContain(ben.agent.account.name);
    const email = await post(ana, answeredStatement({ actor: { mbox: 'mailto:ana@example.org' } }));
    expect(email.statusCode).toBe(403);
    const group = await post(ana, answeredStatement({ actor: { objectType: 'Group', member: [ana.agent] } }));
    expect(group.statusCode).toBe(403);
    const stored = await lrs.get(`agent=${encodeURIComponent(JSON.stringify({ account: ana.agent.account }))}`);
    expect(stored.json<{ statements: unknown[] }>().statements).toHaveLength(0);
  });

  it('cannot void statements', async () => {
    const target = answeredStatement({ actor: ben.agent });
    expect((await post(ben, target)).statusCode).toBe(200);
    const voiding = {
      actor: ana.agent,
      verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { en: 'voided' } },
      object: { objectType: 'StatementRef', id: target['id'] },
    };
    const response = await post(ana, voiding);
    expect(response.statusCode).toBe(403);
    expect(response.json<{ message: string }>().message).toContain('void');
  });

  it('reads only its own agent’s statements, whoever stored them', async () => {
    await post(ana, answeredStatement({ actor: ana.agent }));
    await post(ben, answeredStatement({ actor: ben.agent }));
    // A statement about Ana stored by another credential (e.g. the site's grader) is hers to read.
    const byAdmin = answeredStatement({ actor: ana.agent });
    expect(
      (
        await lrs.inject({
          method: 'POST',
          url: '/xapi/statements',
          headers: xapiHeaders({ key: 'admin', secret: 'admin-secret' }),
          payload: JSON.stringify(byAdmin),
        })
      ).statusCode,
    ).toBe(200);
    const all = await get(ana);
    expect(all.statusCode).toBe(200);
    const actors = all
      .json<{ statements: Array<{ actor: { account: { name: string } } }> }>()
      .statements.map((statement) => statement.actor.account.name);
    expect(actors).toEqual([ana.agent.account.name, ana.agent.account.name]);
    const own = await get(ana, `agent=${encodeURIComponent(JSON.stringify(ana.agent))}&limit=1`);
    expect(own.statusCode).toBe(200);
    // The next page's cursor cannot be turned to another agent either.
    const more = own.json<{ more: string }>().more;
    expect(more).not.toBe('');
    const cursor = JSON.parse(Buffer.from(new URL(more, SITE_ORIGIN).searchParams.get('cursor') ?? '', 'base64url').toString('utf8')) as {
      filter: { agent: string };
    };
    cursor.filter.agent = `account|${JSON.stringify([ben.agent.account.homePage, ben.agent.account.name])}`;
    const forgedMore = await get(ana, `cursor=${Buffer.from(JSON.stringify(cursor)).toString('base64url')}`);
    expect(forgedMore.statusCode).toBe(403);
    const other = await get(ana, `agent=${encodeURIComponent(JSON.stringify(ben.agent))}`);
    expect(other.statusCode).toBe(403);
    expect(other.json<{ message: string }>().message).toContain('agent');
    const benStatement = (await get(ben)).json<{ statements: Array<{ id: string }> }>().statements[0];
    const one = await get(ana, `statementId=${benStatement?.id ?? ''}`);
    expect(one.statusCode).toBe(404);
  });

  it('reads and writes only its own agent’s State', async () => {
    const state = (credential: Issued, agent: unknown, method: 'GET' | 'PUT' | 'DELETE' = 'GET') =>
      lrs.inject({
        method,
        url: `/xapi/activities/state?activityId=${encodeURIComponent('https://w3id.org/dce-training/en/modules/m1')}&agent=${encodeURIComponent(JSON.stringify(agent))}&stateId=progress`,
        headers: xapiHeaders(credential),
        ...(method === 'PUT' ? { payload: JSON.stringify({ lessons: 2 }) } : {}),
      });
    expect((await state(ana, ana.agent, 'PUT')).statusCode).toBe(204);
    expect((await state(ana, ana.agent)).json()).toEqual({ lessons: 2 });
    expect((await state(ben, ben.agent, 'PUT')).statusCode).toBe(204);
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const response = await state(ana, ben.agent, method);
      expect(response.statusCode, method).toBe(403);
    }
    expect((await state(ben, ben.agent)).json()).toEqual({ lessons: 2 });
  });

  it('cannot look up agents, read activities or use agent and activity profiles', async () => {
    const agent = encodeURIComponent(JSON.stringify(ben.agent));
    const activityId = encodeURIComponent('https://w3id.org/dce-training/en/modules/m1');
    for (const url of [
      `/xapi/agents?agent=${agent}`,
      `/xapi/agents/profile?agent=${encodeURIComponent(JSON.stringify(ana.agent))}`,
      `/xapi/activities/profile?activityId=${activityId}`,
      `/xapi/activities?activityId=${activityId}`,
    ]) {
      const response = await lrs.inject({ method: 'GET', url, headers: xapiHeaders(ana) });
      expect(response.statusCode, url).toBe(403);
      expect(response.json<{ message: string }>().message).toContain('learner credential');
    }
  });
});

describe('continue on another device', () => {
  let lrs: TestLrs;
  beforeEach(async () => {
    lrs = await createTestLrs({ learnerLimits: { claim: { max: 5, timeWindow: 60_000 } } });
  });
  afterEach(() => lrs.close());

  const transfer = (credential: { key: string; secret: string }) =>
    lrs.inject({ method: 'POST', url: '/api/learners/transfer', headers: { authorization: basic(credential) } });
  const claim = (code: unknown, address = '192.0.2.10') =>
    lrs.inject({ method: 'POST', url: '/api/learners/claim', payload: { code }, remoteAddress: address });

  it('carries the learner to a new credential bound to the same agent, once', async () => {
    const ana = await issue(lrs, { name: 'Ana' });
    const response = await transfer(ana);
    expect(response.statusCode).toBe(201);
    const { code, expires } = response.json<{ code: string; expires: string }>();
    expect(code).toMatch(/^[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}$/);
    const lifetime = Date.parse(expires) - Date.now();
    expect(lifetime).toBeGreaterThan(9 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(10 * 60_000);
    const claimed = await claim(code.toLowerCase().replace('-', ''));
    expect(claimed.statusCode).toBe(200);
    const phone = claimed.json<Issued>();
    expect(phone.agent).toEqual(ana.agent);
    expect(phone.key).not.toBe(ana.key);
    // The new credential acts as the same agent.
    const statement = answeredStatement({ actor: ana.agent });
    const posted = await lrs.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: xapiHeaders(phone),
      payload: JSON.stringify(statement),
    });
    expect(posted.statusCode).toBe(200);
    const again = await claim(code);
    expect(again.statusCode).toBe(400);
    expect(again.json<{ message: string }>().message).toContain('already used');
  });

  it('answers 404 for an unknown code, 400 for a malformed one, 401/403 for a transfer without a learner credential', async () => {
    expect((await claim('ABCD-EFGH')).statusCode).toBe(404);
    const malformed = await claim('0000-OOOO');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json<{ message: string }>().message).toContain('code:');
    expect((await claim(42)).statusCode).toBe(400);
    expect((await lrs.inject({ method: 'POST', url: '/api/learners/transfer' })).statusCode).toBe(401);
    expect((await transfer({ key: 'admin', secret: 'wrong' })).statusCode).toBe(401);
    expect((await transfer({ key: 'admin', secret: 'admin-secret' })).statusCode).toBe(403);
  });

  it('refuses an expired code with a 400 that says so', async () => {
    const ana = await issue(lrs, { name: 'Ana' });
    const { code } = (await transfer(ana)).json<{ code: string }>();
    const database = await openDatabase(lrs.database);
    try {
      await database.db
        .updateTable('transfer_codes')
        .set({ expires: new Date(Date.now() - 1_000).toISOString() })
        .execute();
    } finally {
      await database.close();
    }
    const response = await claim(code);
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain('expired');
  });

  it('limits claims per client address', async () => {
    for (let index = 0; index < 5; index += 1) {
      expect((await claim('ABCD-EFGH', '192.0.2.20')).statusCode).toBe(404);
    }
    expect((await claim('ABCD-EFGH', '192.0.2.20')).statusCode).toBe(429);
  });
});
