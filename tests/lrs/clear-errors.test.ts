import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT } from '../../src/lrs/app.ts';
import { TEST_DIALECT } from './database.ts';
import { SITE_ORIGIN, answeredStatement, createTestLrs, readHeaders, writeHeaders } from './helper.ts';
import type { TestLrs } from './helper.ts';

/**
 * Every 4xx says what was wrong and what is accepted, including the answers Fastify and
 * @fastify/cors would give in their own words (src/lrs/errors/handler.ts, src/lrs/cors-preflight.ts).
 */
let lrs: TestLrs;
beforeAll(async () => {
  lrs = await createTestLrs();
});
afterAll(async () => {
  await lrs.close();
});

describe(`clear errors (${TEST_DIALECT})`, () => {
  it('answers 415 naming the type sent and the types statements accept', async () => {
    const response = await lrs.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: { ...writeHeaders, 'content-type': 'text/xml' },
      payload: '<statement/>',
    });
    expect(response.statusCode).toBe(415);
    const { message } = response.json() as { message: string };
    expect(message).toMatch(/^Content-Type: "text\/xml" is not accepted by POST \/xapi\/statements; it accepts application\/json/);
    expect(message).toContain('multipart/mixed');
  });

  it('answers 413 with the size limit', async () => {
    const response = await lrs.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: writeHeaders,
      payload: JSON.stringify(Array.from({ length: 1200 }, () => answeredStatement())),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().message).toContain(`larger than ${BODY_LIMIT} bytes`);
  });

  it.each([
    [{}, /^Origin and Access-Control-Request-Method: missing; OPTIONS is answered only as a CORS preflight/],
    [{ origin: SITE_ORIGIN }, /^Access-Control-Request-Method: missing; /],
    [{ 'access-control-request-method': 'POST' }, /^Origin: missing; /],
  ])('answers an OPTIONS request that is no CORS preflight (%j) with 400 saying what a preflight needs', async (headers, message) => {
    const response = await lrs.inject({ method: 'OPTIONS', url: '/xapi/statements', headers });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json().message).toMatch(message);
  });

  it('still answers a real preflight with 204', async () => {
    const response = await lrs.inject({
      method: 'OPTIONS',
      url: '/xapi/statements',
      headers: { origin: SITE_ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(SITE_ORIGIN);
  });

  it('names the parameters a resource takes when given an unknown one', async () => {
    const response = await lrs.inject({ method: 'GET', url: '/xapi/statements?actor=x', headers: readHeaders });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^actor: is not a parameter of GET \/xapi\/statements here; it takes agent, verb, activity,/);
  });

  it('says what is wrong with a URL that is not valid percent-encoding', async () => {
    const response = await lrs.inject({ method: 'GET', url: '/%E0%A4%A', headers: readHeaders });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/is not valid percent-encoding; encode text as UTF-8/);
  });

  it('lists the xAPI resources when a path or method has none', async () => {
    const response = await lrs.inject({ method: 'DELETE', url: '/xapi/statements', headers: readHeaders });
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toMatch(
      /^no xAPI resource answers DELETE \/xapi\/statements; under \/xapi\/ this LRS answers statements \(GET, PUT, POST\)/,
    );
  });
});
