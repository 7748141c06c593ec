import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lrs/server.ts';

describe('loadConfig', () => {
  it('has defaults for everything but credentials (none has a default), CORS allowing the server’s own origin', () => {
    expect(loadConfig({})).toEqual({
      host: '127.0.0.1',
      port: 4321,
      database: './data/lrs.sqlite',
      poolSize: 10,
      credentials: { write: undefined, read: undefined, admin: undefined },
      listenHost: '127.0.0.1',
      corsOrigins: ['http://127.0.0.1:4321'],
      siteRoot: './dist',
      logger: true,
      publicOrigin: 'http://127.0.0.1:4321',
      contentDir: './content',
      learnerLimits: { issue: { max: 120, timeWindow: 3_600_000 } },
    });
  });

  it('takes LRS_LEARNERS_PER_HOUR for the learner credentials issued per address, and refuses a non-number', () => {
    expect(loadConfig({ LRS_LEARNERS_PER_HOUR: '600' }).learnerLimits?.issue?.max).toBe(600);
    expect(() => loadConfig({ LRS_LEARNERS_PER_HOUR: 'many' })).toThrow(/LRS_LEARNERS_PER_HOUR must be a positive integer/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      PORT: '8080',
      LRS_DB_PATH: '/var/lib/lrs/lrs.sqlite',
      LRS_POOL_SIZE: '4',
      LRS_ADMIN_KEY: 'a',
      LRS_ADMIN_SECRET: 'as',
      LRS_WRITE_KEY: 'w',
      LRS_WRITE_SECRET: 'ws',
      LRS_READ_KEY: 'r',
      LRS_READ_SECRET: 'rs',
      LRS_CORS_ORIGINS: 'https://training.example, https://www.training.example/ ,',
      SITE_ROOT: '/srv/site',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      database: '/var/lib/lrs/lrs.sqlite',
      poolSize: 4,
      credentials: { write: { key: 'w', secret: 'ws' }, read: { key: 'r', secret: 'rs' }, admin: { key: 'a', secret: 'as' } },
      corsOrigins: ['https://training.example', 'https://www.training.example'],
      siteRoot: '/srv/site',
      publicOrigin: 'http://0.0.0.0:8080',
    });
  });

  it('prefers LRS_DATABASE_URL (PostgreSQL) to LRS_DB_PATH', () => {
    expect(loadConfig({ LRS_DB_PATH: '/tmp/x.sqlite', LRS_DATABASE_URL: 'postgres://lrs:pw@127.0.0.1:5432/lrs' }).database).toBe(
      'postgres://lrs:pw@127.0.0.1:5432/lrs',
    );
  });

  it('refuses half a credential and a bad pool size', () => {
    expect(() => loadConfig({ LRS_ADMIN_KEY: 'a' })).toThrow('set both LRS_ADMIN_KEY and LRS_ADMIN_SECRET');
    expect(() => loadConfig({ LRS_READ_SECRET: 'r' })).toThrow('set both LRS_READ_KEY and LRS_READ_SECRET');
    expect(() => loadConfig({ LRS_POOL_SIZE: '0' })).toThrow('LRS_POOL_SIZE must be a positive integer');
  });

  it('takes the public origin of the authorities from LRS_PUBLIC_ORIGIN', () => {
    expect(loadConfig({ LRS_PUBLIC_ORIGIN: 'https://lrs.example.org/' }).publicOrigin).toBe('https://lrs.example.org');
  });

  it('names LRS_PUBLIC_ORIGIN when it is not an origin', () => {
    expect(() => loadConfig({ LRS_PUBLIC_ORIGIN: 'lrs.example.org' })).toThrow(
      'LRS_PUBLIC_ORIGIN: "lrs.example.org" is not an http(s) origin',
    );
  });

  it('brackets an IPv6 host in the default origin', () => {
    expect(loadConfig({ HOST: '::1' }).corsOrigins).toEqual(['http://[::1]:4321']);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', LRS_WRITE_KEY: ' ', LRS_WRITE_SECRET: '' })).toMatchObject({
      port: 4321,
      credentials: { write: undefined },
    });
  });

  it.each(['http', '-1', '70000', '80.5'])('refuses PORT=%s', (port) => {
    expect(() => loadConfig({ PORT: port })).toThrow('PORT must be an integer from 0 to 65535');
  });

  it.each(['training.example', 'ftp://training.example'])('refuses LRS_CORS_ORIGINS=%s', (origins) => {
    expect(() => loadConfig({ LRS_CORS_ORIGINS: origins })).toThrow('is not an http(s) origin');
  });
});
