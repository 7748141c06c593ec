import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/lrs/app.ts';
import type { AppOptions, Credential } from '../../src/lrs/app.ts';
import { DOCUMENTED_SECRETS, isLoopback } from '../../src/lrs/configured-credentials.ts';
import { credentialsCommand } from '../../src/lrs/credentials-command.ts';
import { openDatabase } from '../../src/lrs/db/open.ts';
import { createTestDatabase } from './database.ts';
import type { TestDatabase } from './database.ts';
import { ADMIN, READ, SITE_ORIGIN, WRITE, answeredStatement, basic } from './helper.ts';

const MODULE = 'https://w3id.org/dce-training/en/modules/m4';
// Each test starts the app two or three times, each start hashing secrets with scrypt on purpose.
vi.setConfig({ testTimeout: 30_000 });

let database: TestDatabase;
const apps: FastifyInstance[] = [];
beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  for (const app of apps.splice(0)) {
    await app.close();
  }
  await database.drop();
});

/** Build and start an app over this test's database; a second call is a restart. */
async function start(options: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const app = buildApp({ database: database.location, credentials: {}, corsOrigins: [SITE_ORIGIN], ...options });
  apps.push(app);
  await app.ready();
  return app;
}

async function stop(app: FastifyInstance): Promise<void> {
  apps.splice(apps.indexOf(app), 1);
  await app.close();
}

const readAs = (app: FastifyInstance, credential: Credential) =>
  app.inject({
    method: 'GET',
    url: '/xapi/statements',
    headers: { authorization: basic(credential), 'x-experience-api-version': '1.0.3' },
  });

const postAs = (app: FastifyInstance, credential: Credential, body: unknown) =>
  app.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers: { authorization: basic(credential), 'content-type': 'application/json', 'x-experience-api-version': '1.0.3' },
    payload: JSON.stringify(body),
  });

/** Run the credentials command, returning what it printed. */
async function command(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...values: unknown[]) => lines.push(values.join(' '));
  try {
    return { code: await credentialsCommand(args, database.location), out: lines.join('\n') };
  } finally {
    console.log = log;
  }
}

describe('the define rule (xAPI 1.0.3 Communication 4.2)', () => {
  it('keeps the canonical definition when a credential without define sends another; the statement keeps what was sent', async () => {
    const app = await start({ credentials: { write: WRITE, admin: ADMIN } });
    const official = { name: { en: 'Project design for the IFCD' }, type: 'http://adlnet.gov/expapi/activities/module' };
    expect((await postAs(app, ADMIN, answeredStatement({ object: { id: MODULE, definition: official } }))).statusCode).toBe(200);
    const learner = (await app.inject({ method: 'POST', url: '/api/learners', payload: { name: 'Mallory' } })).json<{
      key: string;
      secret: string;
      agent: unknown;
    }>();
    const forged = {
      name: { en: 'Module <b>6</b>' },
      moreInfo: 'javascript:alert(1)',
      extensions: { 'https://example.org/x': 'y'.repeat(1000) },
    };
    const byLearner = answeredStatement({ actor: learner.agent, object: { id: MODULE, definition: forged } });
    expect((await postAs(app, learner, byLearner)).statusCode).toBe(200);
    const bySite = answeredStatement({ object: { id: MODULE, definition: { name: { en: 'Renamed by the site credential' } } } });
    expect((await postAs(app, WRITE, bySite)).statusCode).toBe(200);

    const activity = await app.inject({
      method: 'GET',
      url: `/xapi/activities?activityId=${encodeURIComponent(MODULE)}`,
      headers: { authorization: basic(ADMIN), 'x-experience-api-version': '1.0.3' },
    });
    expect(activity.json()).toEqual({ objectType: 'Activity', id: MODULE, definition: official });
    const get = (id: unknown, format: string) =>
      app.inject({
        method: 'GET',
        url: `/xapi/statements?statementId=${String(id)}&format=${format}`,
        headers: { authorization: basic(ADMIN), 'x-experience-api-version': '1.0.3' },
      });
    expect((await get(byLearner['id'], 'canonical')).json().object.definition.name).toEqual(official.name);
    expect((await get(byLearner['id'], 'exact')).json().object.definition).toEqual(forged);
  });
});

describe('configured credentials across restarts (issue 11 section 4)', () => {
  it('rotating LRS_READ_KEY revokes the previous read credential, also after another restart', async () => {
    const first = { key: 'reader-2026', secret: 'first read secret' };
    const second = { key: 'reader-2027', secret: 'second read secret' };
    let app = await start({ credentials: { read: first } });
    expect((await readAs(app, first)).statusCode).toBe(200);
    await stop(app);
    app = await start({ credentials: { read: second } });
    expect((await readAs(app, first)).statusCode).toBe(401);
    expect((await readAs(app, second)).statusCode).toBe(200);
    await stop(app);
    app = await start({ credentials: { read: second } });
    expect((await readAs(app, first)).statusCode).toBe(401);
    expect((await readAs(app, second)).statusCode).toBe(200);
    await stop(app);
    // A process still configured with the old key (a rolling restart) does not undo the rotation.
    app = await start({ credentials: { read: first } });
    expect((await readAs(app, first)).statusCode).toBe(401);
    expect((await readAs(app, second)).statusCode).toBe(200);
  });

  it('a new secret for the same key replaces the old secret', async () => {
    let app = await start({ credentials: { read: { key: 'reader', secret: 'old secret' } } });
    await stop(app);
    app = await start({ credentials: { read: { key: 'reader', secret: 'new secret' } } });
    expect((await readAs(app, { key: 'reader', secret: 'old secret' })).statusCode).toBe(401);
    expect((await readAs(app, { key: 'reader', secret: 'new secret' })).statusCode).toBe(200);
  });

  it('a revoked credential stays revoked when the server starts again with it configured', async () => {
    const reader = { key: 'reader', secret: 'a long read secret' };
    let app = await start({ credentials: { read: reader } });
    expect((await command(['revoke', 'reader'])).code).toBe(0);
    await stop(app);
    app = await start({ credentials: { read: reader } });
    expect((await readAs(app, reader)).statusCode).toBe(401);
    const listed = await command(['list']);
    expect(listed.out).toMatch(/^reader\tstatements\/read\tconfigured read credential\t\S+\t\d{4}-/m);
  });

  it('on a first start makes an admin credential, gives its secret once and stores only its hash', async () => {
    const made: Credential[] = [];
    let app = await start({ onAdminCreated: (admin) => made.push(admin) });
    expect(made).toHaveLength(1);
    const [admin] = made as [Credential];
    expect(admin.secret.length).toBeGreaterThanOrEqual(20);
    expect((await readAs(app, admin)).statusCode).toBe(200);
    await stop(app);
    app = await start({ onAdminCreated: (again) => made.push(again) });
    expect(made).toHaveLength(1);
    expect((await readAs(app, admin)).statusCode).toBe(200);
    await stop(app);
    const lrs = await openDatabase(database.location);
    try {
      const rows = await lrs.db.selectFrom('credentials').select(['key', 'secret_hash', 'scopes']).execute();
      expect(rows).toEqual([{ key: admin.key, secret_hash: expect.stringMatching(/^scrypt\$/) as unknown, scopes: '["all"]' }]);
      expect(rows[0]?.secret_hash).not.toContain(admin.secret);
    } finally {
      await lrs.close();
    }
  });

  it('makes no admin on a first start when one is configured', async () => {
    const made: Credential[] = [];
    await start({ credentials: { admin: ADMIN }, onAdminCreated: (admin) => made.push(admin) });
    expect(made).toEqual([]);
  });
});

describe('documented secrets off loopback', () => {
  it('refuses to start on 0.0.0.0 with a documented secret configured, naming the key', async () => {
    const app = buildApp({ database: database.location, credentials: { read: READ }, corsOrigins: [SITE_ORIGIN], listenHost: '0.0.0.0' });
    await expect(app.ready()).rejects.toThrow(
      /refusing to listen on 0\.0\.0\.0: LRS_READ_SECRET is a secret printed in this project's docs or tests/,
    );
    await app.close().catch(() => undefined);
    // Nothing was stored: the same database starts on loopback with no trace of it.
    const loopback = await start({ listenHost: '127.0.0.1' });
    expect((await readAs(loopback, READ)).statusCode).toBe(401);
  });

  it('refuses while a stored credential from an earlier start still has one, and starts once it is rotated', async () => {
    const loopback = await start({ credentials: { read: READ, admin: ADMIN }, listenHost: '127.0.0.1' });
    await stop(loopback);
    const refused = buildApp({ database: database.location, credentials: {}, corsOrigins: [SITE_ORIGIN], listenHost: '192.0.2.1' });
    await expect(refused.ready()).rejects.toThrow(/admin, reviewer|reviewer, admin/);
    await refused.close().catch(() => undefined);
    const rotated = { read: { key: 'reader-1', secret: 'r4nd0m-read' }, admin: { key: 'admin-1', secret: 'r4nd0m-admin' } };
    const app = await start({ credentials: rotated, listenHost: '::' });
    expect((await readAs(app, rotated.read)).statusCode).toBe(200);
    expect((await readAs(app, READ)).statusCode).toBe(401);
  });

  it('lists every secret the test helpers use', () => {
    for (const credential of [WRITE, READ, ADMIN]) {
      expect(DOCUMENTED_SECRETS).toContain(credential.secret);
    }
  });

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['lrs.example.org', false],
  ])('isLoopback(%s) is %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});

describe('failed authentications', () => {
  it('are logged with the key and the client address, never the secret', async () => {
    const lines: string[] = [];
    const app = await start({ credentials: { read: READ }, logger: { stream: { write: (line) => lines.push(line) } } });
    const response = await app.inject({
      method: 'GET',
      url: '/xapi/statements',
      headers: { authorization: basic({ key: 'reviewer', secret: 'guess-number-1' }), 'x-experience-api-version': '1.0.3' },
      remoteAddress: '198.51.100.77',
    });
    expect(response.statusCode).toBe(401);
    const failures = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => String(entry['msg']).startsWith('authentication failed'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ key: 'reviewer', ip: '198.51.100.77', level: 40 });
    expect(lines.join('\n')).not.toContain('guess-number-1');
  });
});
