import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/lrs/app.ts';
import { READ, SITE_ORIGIN, WRITE, answeredStatement, basic, createTestLrs } from './helper.ts';
import type { TestLrs } from './helper.ts';

let lrs: TestLrs;
beforeEach(async () => {
  lrs = await createTestLrs();
});
afterEach(async () => {
  await lrs.close();
});

const version = { 'x-experience-api-version': '1.0.3' };

describe('GET /xapi/about', () => {
  it('lists the supported versions to anyone, with no credential and no version header', async () => {
    const response = await lrs.inject({ method: 'GET', url: '/xapi/about' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ version: ['1.0.3', '1.0.2', '1.0.1', '1.0.0'] });
    expect(response.headers['x-experience-api-version']).toBe('1.0.3');
  });

  it('ignores the cachebuster parameter @xapi/xapi may add, and refuses any other', async () => {
    expect((await lrs.inject({ method: 'GET', url: `/xapi/about?cachebuster=${Date.now()}` })).statusCode).toBe(200);
    const response = await lrs.inject({ method: 'GET', url: '/xapi/about?version=1' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'Bad Request', message: 'version: is not a parameter of GET /xapi/about' });
  });
});

describe('malformed requests', () => {
  it('answers a malformed URL with a JSON 400 and the version header', async () => {
    const response = await lrs.inject({ method: 'GET', url: '/%E0%A4%A' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('Bad Request');
    expect(response.headers['x-experience-api-version']).toBe('1.0.3');
  });
});

describe('X-Experience-API-Version', () => {
  it.each([
    ['missing', {}],
    ['0.95', { 'x-experience-api-version': '0.95' }],
    ['1.1.0', { 'x-experience-api-version': '1.1.0' }],
    ['garbage', { 'x-experience-api-version': 'latest' }],
  ])('answers 400 when the request header is %s, with the version header in the response', async (_label, headers) => {
    const response = await lrs.inject({
      method: 'GET',
      url: '/xapi/statements',
      headers: { authorization: basic(READ), ...headers },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^X-Experience-API-Version: must be a 1\.0\.x version/);
    expect(response.headers['x-experience-api-version']).toBe('1.0.3');
  });

  it.each(['1.0', '1.0.0', '1.0.3', '1.0.9'])('accepts requests that send %s', async (value) => {
    const response = await lrs.inject({
      method: 'GET',
      url: '/xapi/statements',
      headers: { authorization: basic(READ), 'x-experience-api-version': value },
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('authentication', () => {
  function post(authorization: string | undefined) {
    return lrs.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: {
        ...version,
        'content-type': 'application/json',
        ...(authorization === undefined ? {} : { authorization }),
      },
      payload: JSON.stringify(answeredStatement()),
    });
  }
  function get(authorization: string | undefined) {
    return lrs.inject({
      method: 'GET',
      url: '/xapi/statements',
      headers: { ...version, ...(authorization === undefined ? {} : { authorization }) },
    });
  }

  it.each([
    ['no credential', undefined],
    ['a wrong secret', basic({ key: WRITE.key, secret: 'guess' })],
    ['an unknown key', basic({ key: 'mallory', secret: WRITE.secret })],
    ['the write secret with the read key', basic({ key: READ.key, secret: WRITE.secret })],
    ['another scheme', 'Bearer abc'],
    ['malformed Basic', 'Basic !!!'],
    ['an empty Basic credential', 'Basic Og=='],
  ])('answers 401 with a WWW-Authenticate challenge to %s', async (_label, authorization) => {
    for (const response of [await post(authorization), await get(authorization)]) {
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Basic realm="xAPI LRS", charset="UTF-8"');
      expect(response.json().error).toBe('Unauthorized');
    }
  });

  it('lets the write credential POST but answers 403 to its GET', async () => {
    expect((await post(basic(WRITE))).statusCode).toBe(200);
    const response = await get(basic(WRITE));
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({
      error: 'Forbidden',
      message: "this credential's scopes (statements/write, state) do not allow statements/read",
    });
  });

  it('lets the read credential GET but answers 403 to its POST and PUT', async () => {
    expect((await get(basic(READ))).statusCode).toBe(200);
    expect((await post(basic(READ))).statusCode).toBe(403);
    const statement = answeredStatement();
    const put = await lrs.inject({
      method: 'PUT',
      url: `/xapi/statements?statementId=${statement['id']}`,
      headers: { ...version, authorization: basic(READ), 'content-type': 'application/json' },
      payload: JSON.stringify(statement),
    });
    expect(put.statusCode).toBe(403);
  });

  it('checks the credential before reading the body', async () => {
    const response = await lrs.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: { ...version, 'content-type': 'application/json' },
      payload: '{ not json',
    });
    expect(response.statusCode).toBe(401);
  });

  it('refuses to build with credentials that cannot be told apart or used', () => {
    const base = { database: ':memory:', corsOrigins: [] };
    expect(() => buildApp({ ...base, credentials: { write: WRITE, read: { key: WRITE.key, secret: 'other' } } })).toThrow('different keys');
    expect(() => buildApp({ ...base, credentials: { write: { key: 'a:b', secret: 's' }, read: READ } })).toThrow('without ":"');
    expect(() => buildApp({ ...base, credentials: { write: WRITE, read: { key: 'r', secret: '' } } })).toThrow('non-empty secret');
  });
});

describe('CORS', () => {
  it('answers the preflight of the site with the allowed headers and methods', async () => {
    const response = await lrs.inject({
      method: 'OPTIONS',
      url: '/xapi/statements',
      headers: {
        origin: SITE_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-experience-api-version',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(SITE_ORIGIN);
    expect(String(response.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(response.headers['access-control-allow-headers']).toLowerCase()).toBe(
      'authorization, content-type, x-experience-api-version, if-match, if-none-match',
    );
  });

  it('exposes the xAPI headers to the page', async () => {
    const response = await lrs.inject({
      method: 'GET',
      url: '/xapi/statements',
      headers: { origin: SITE_ORIGIN, authorization: basic(READ), ...version },
    });
    expect(response.headers['access-control-allow-origin']).toBe(SITE_ORIGIN);
    expect(String(response.headers['access-control-expose-headers'])).toContain('X-Experience-API-Consistent-Through');
    expect(String(response.headers['access-control-expose-headers'])).toContain('ETag');
  });

  it('keeps CORS headers on errors, so the page can read the reason', async () => {
    const response = await lrs.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: { origin: SITE_ORIGIN, authorization: basic(WRITE), 'content-type': 'application/json', ...version },
      payload: '[{}]',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['access-control-allow-origin']).toBe(SITE_ORIGIN);
  });

  it('does not allow other origins', async () => {
    const response = await lrs.inject({
      method: 'OPTIONS',
      url: '/xapi/statements',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('unknown xAPI resources', () => {
  it('answers 404 in JSON, with the version header', async () => {
    const response = await lrs.inject({ method: 'GET', url: '/xapi/nothing-here', headers: version });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe('Not Found');
    expect(response.json().message).toMatch(
      /^no xAPI resource answers GET \/xapi\/nothing-here; under \/xapi\/ this LRS answers statements/,
    );
    expect(response.headers['x-experience-api-version']).toBe('1.0.3');
  });
});
