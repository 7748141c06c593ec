import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { credentialsCommand } from '../../src/lrs/credentials-command.ts';
import { openDatabase } from '../../src/lrs/db/open.ts';
import type { LrsDatabase } from '../../src/lrs/db/open.ts';
import { createCredentialStore } from '../../src/lrs/store/credentials.ts';
import type { CredentialStore } from '../../src/lrs/store/credentials.ts';
import { TEST_DIALECT } from './database.ts';
import { READ, SITE_ORIGIN, WRITE, answeredStatement, basic, createTestLrs } from './helper.ts';
import type { TestLrs } from './helper.ts';

let lrs: TestLrs;
let database: LrsDatabase;
let credentials: CredentialStore;
beforeEach(async () => {
  lrs = await createTestLrs();
  database = await openDatabase(lrs.database);
  credentials = createCredentialStore(database);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await database.close();
  await lrs.close();
});

const version = { 'x-experience-api-version': '1.0.3' };

function post(credential: { key: string; secret: string }, statements: unknown[]) {
  return lrs.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers: { ...version, authorization: basic(credential), 'content-type': 'application/json' },
    payload: JSON.stringify(statements),
  });
}

function get(credential: { key: string; secret: string }, url: string) {
  return lrs.inject({ method: 'GET', url, headers: { ...version, authorization: basic(credential) } });
}

function learner(name: string): Record<string, unknown> {
  return { objectType: 'Agent', name, account: { homePage: SITE_ORIGIN, name } };
}

describe(`credentials with xAPI scopes (${TEST_DIALECT})`, () => {
  it("keeps the site's public credential from reading any learner's statements", async () => {
    const ana = answeredStatement({ actor: learner('ana') });
    const ben = answeredStatement({ actor: learner('ben') });
    expect((await post(WRITE, [ana, ben])).statusCode).toBe(200);
    for (const url of [
      '/xapi/statements',
      `/xapi/statements?statementId=${String(ana['id'])}`,
      `/xapi/statements?agent=${encodeURIComponent(JSON.stringify(learner('ben')))}`,
    ]) {
      const response = await get(WRITE, url);
      expect(response.statusCode, url).toBe(403);
      expect(response.body).not.toContain('ben');
    }
    expect((await get(READ, '/xapi/statements')).json().statements).toHaveLength(2);
  });

  it('sets the authority of stored statements to the credential that sent them, whatever the statement said', async () => {
    const statement = answeredStatement({ authority: { objectType: 'Agent', mbox: 'mailto:someone-else@example.org' } });
    await post(WRITE, [statement]);
    const stored = (await get(READ, `/xapi/statements?statementId=${String(statement['id'])}`)).json();
    expect(stored.authority).toEqual({ objectType: 'Agent', account: { homePage: 'http://127.0.0.1:4321', name: WRITE.key } });
  });

  it('lets statements/read/mine read only the statements its own credential stored', async () => {
    const app = await credentials.create(['statements/write', 'statements/read/mine'], 'a quiz app');
    const own = answeredStatement();
    const others = answeredStatement();
    expect((await post(app, [own])).statusCode).toBe(200);
    expect((await post(WRITE, [others])).statusCode).toBe(200);
    const listed = (await get(app, '/xapi/statements')).json().statements.map((statement: { id: string }) => statement.id);
    expect(listed).toEqual([own['id']]);
    expect((await get(app, `/xapi/statements?statementId=${String(own['id'])}`)).statusCode).toBe(200);
    expect((await get(app, `/xapi/statements?statementId=${String(others['id'])}`)).statusCode).toBe(404);
  });

  it.each([
    [['statements/read'], 200, 403],
    [['all/read'], 200, 403],
    [['all'], 200, 200],
    [['statements/write'], 403, 200],
    [['define'], 403, 403],
  ])('with scopes %j answers GET statements %i and POST statements %i', async (scopes, read, write) => {
    const credential = await credentials.create(scopes, 'test');
    expect((await get(credential, '/xapi/statements')).statusCode).toBe(read);
    expect((await post(credential, [answeredStatement()])).statusCode).toBe(write);
  });

  it('answers 401 to an unknown key, a wrong secret and a revoked credential', async () => {
    const credential = await credentials.create(['all'], 'revoked soon');
    expect(await credentials.revoke(credential.key)).toBe(true);
    for (const wrong of [credential, { key: 'nobody', secret: 'x' }, { key: READ.key, secret: `${READ.secret}x` }]) {
      expect((await get(wrong, '/xapi/statements')).statusCode).toBe(401);
    }
  });

  it('stores secrets only as scrypt hashes', async () => {
    const credential = await credentials.create(['statements/read'], 'hashed');
    const rows = await database.db.selectFrom('credentials').select(['key', 'secret_hash']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      expect(row.secret_hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]{43}$/);
    }
    expect(JSON.stringify(rows)).not.toContain(credential.secret);
    expect(JSON.stringify(rows)).not.toContain(WRITE.secret);
  });

  it('refuses unknown scopes', async () => {
    await expect(credentials.create(['statements/delete'], 'x')).rejects.toThrow('unknown scope "statements/delete"');
    await expect(credentials.create([], 'x')).rejects.toThrow('at least one scope');
  });
});

describe(`npm run lrs -- credentials (${TEST_DIALECT})`, () => {
  it('creates, lists and revokes credentials', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((text: string) => printed.push(text));
    vi.spyOn(console, 'error').mockImplementation((text: string) => printed.push(text));

    expect(
      await credentialsCommand(['create', '--scope', 'statements/read', '--scope', 'state', '--label', 'Secretariat'], lrs.database),
    ).toBe(0);
    const key = /key:\s+(\S+)/.exec(printed.join('\n'))?.[1] ?? '';
    const secret = /secret:\s+(\S+)/.exec(printed.join('\n'))?.[1] ?? '';
    expect((await get({ key, secret }, '/xapi/statements')).statusCode).toBe(200);

    printed.length = 0;
    expect(await credentialsCommand(['list'], lrs.database)).toBe(0);
    expect(printed.join('\n')).toMatch(new RegExp(`${key}\\tstatements/read state\\tSecretariat\\t\\S+\\t-`));
    expect(printed.join('\n')).not.toContain(secret);

    expect(await credentialsCommand(['revoke', key], lrs.database)).toBe(0);
    expect(await credentialsCommand(['revoke', key], lrs.database)).toBe(1);
    printed.length = 0;
    await credentialsCommand(['list'], lrs.database);
    expect(printed.join('\n')).toMatch(new RegExp(`${key}\\t.*\\t\\d{4}-\\d\\d-\\d\\dT\\S+Z$`, 'm'));
  });

  it('answers a usage error with exit code 2', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await credentialsCommand(['create', '--scope', 'everything'], lrs.database)).toBe(2);
    expect(await credentialsCommand(['rotate'], lrs.database)).toBe(2);
    expect(await credentialsCommand([], lrs.database)).toBe(2);
  });
});
