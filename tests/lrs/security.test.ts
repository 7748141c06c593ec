import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashSource } from '../../src/lib/csp.ts';
import { API_POLICY } from '../../src/lrs/security-headers.ts';
import { ADMIN, adminHeaders, basic, createTestLrs, readHeaders } from './helper.ts';
import type { TestLrs } from './helper.ts';

// Each test builds an app on a fresh database and hashes credentials with scrypt: slow on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

let lrs: TestLrs | undefined;
const folders: string[] = [];
afterEach(async () => {
  await lrs?.close();
  lrs = undefined;
  folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true }));
});

const ACTIVITY = 'https://w3id.org/dce-training/en/modules/m1';
const AGENT = JSON.stringify({ objectType: 'Agent', mbox: 'mailto:ana@example.org' });
const STATE = `/xapi/activities/state?${new URLSearchParams({ activityId: ACTIVITY, agent: AGENT, stateId: 'page' })}`;
const HTML = '<!doctype html><script>document.title = "ran"</script><p>hello</p>';

/** A built site of one page with an inline script and an onclick handler. */
function tinySite(): { root: string; script: string } {
  const root = mkdtempSync(join(tmpdir(), 'security-site-'));
  folders.push(root);
  const script = 'console.log("inline")';
  mkdirSync(join(root, 'en', 'review'), { recursive: true });
  writeFileSync(
    join(root, 'en', 'index.html'),
    `<!doctype html><title>t</title><script>${script}</script><button onclick="window.print()">print</button>`,
  );
  writeFileSync(join(root, 'en', 'review', 'index.html'), '<!doctype html><title>review</title>');
  writeFileSync(join(root, 'app.js'), 'console.log(1);');
  writeFileSync(join(root, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  return { root, script };
}

describe('stored documents are served so that they cannot run as a page of this origin', () => {
  it('an HTML State document comes back sandboxed, as an attachment, with nosniff', async () => {
    lrs = await createTestLrs();
    const put = await lrs.inject({
      method: 'PUT',
      url: STATE,
      headers: { ...adminHeaders, 'content-type': 'text/html; charset=utf-8' },
      payload: HTML,
    });
    expect(put.statusCode).toBe(204);
    const got = await lrs.inject({ method: 'GET', url: STATE, headers: adminHeaders });
    expect(got.statusCode).toBe(200);
    expect(got.body).toBe(HTML);
    expect(got.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(got.headers['content-security-policy']).toBe(API_POLICY);
    expect(got.headers['content-disposition']).toBe('attachment');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each(['image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/xml', 'application/pdf', 'application/x-unknown'])(
    '%s is sent as an attachment',
    async (type) => {
      lrs = await createTestLrs();
      await lrs.inject({
        method: 'PUT',
        url: STATE,
        headers: { ...adminHeaders, 'content-type': type },
        payload: '<svg xmlns="http://www.w3.org/2000/svg"/>',
      });
      const got = await lrs.inject({ method: 'GET', url: STATE, headers: adminHeaders });
      expect(got.headers['content-disposition']).toBe('attachment');
      expect(got.headers['content-security-policy']).toBe(API_POLICY);
    },
  );

  it('a JSON document is sent inline, still sandboxed', async () => {
    lrs = await createTestLrs();
    await lrs.inject({
      method: 'PUT',
      url: STATE,
      headers: { ...adminHeaders, 'content-type': 'application/json' },
      payload: '{"page":3}',
    });
    const got = await lrs.inject({ method: 'GET', url: STATE, headers: adminHeaders });
    expect(got.headers['content-disposition']).toBeUndefined();
    expect(got.headers['content-security-policy']).toBe(API_POLICY);
  });

  it('the same headers come back through the alternate request syntax (a cross-site form)', async () => {
    lrs = await createTestLrs();
    await lrs.inject({ method: 'PUT', url: STATE, headers: { ...adminHeaders, 'content-type': 'text/html' }, payload: HTML });
    const form = new URLSearchParams({
      activityId: ACTIVITY,
      agent: AGENT,
      stateId: 'page',
      Authorization: basic(ADMIN),
      'X-Experience-API-Version': '1.0.3',
    });
    const got = await lrs.inject({
      method: 'POST',
      url: '/xapi/activities/state?method=GET',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://elsewhere.example' },
      payload: form.toString(),
    });
    expect(got.statusCode).toBe(200);
    expect(got.body).toBe(HTML);
    expect(got.headers['content-security-policy']).toBe(API_POLICY);
    expect(got.headers['content-disposition']).toBe('attachment');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('security headers on every response', () => {
  it('site pages get the site policy with the hashes of their inline code; LRS responses the API policy', async () => {
    const { root, script } = tinySite();
    lrs = await createTestLrs({ siteRoot: root });
    const page = await lrs.inject({ method: 'GET', url: '/en/' });
    expect(page.statusCode).toBe(200);
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toContain(`script-src 'self' ${hashSource(script)} 'unsafe-hashes' ${hashSource('window.print()')}`);
    expect(policy).toContain("frame-ancestors 'self'");
    expect(policy).toContain("connect-src 'self';");
    expect(policy).toContain("worker-src 'self'");
    expect(policy).toContain("img-src 'self' data:");
    expect(policy).toContain("object-src 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');

    const review = await lrs.inject({ method: 'GET', url: '/en/review/' });
    expect(String(review.headers['content-security-policy'])).toContain("connect-src 'self' https: http:");

    // A script is no document: no policy (the browser would ignore it), but nosniff; the service
    // worker's script keeps the policy, which governs the worker.
    const staticScript = await lrs.inject({ method: 'GET', url: '/app.js' });
    expect(staticScript.statusCode).toBe(200);
    expect(staticScript.headers['content-security-policy']).toBeUndefined();
    expect(staticScript.headers['x-content-type-options']).toBe('nosniff');
    const worker = await lrs.inject({ method: 'GET', url: '/sw.js' });
    expect(String(worker.headers['content-security-policy'])).toContain("worker-src 'self'");

    const missing = await lrs.inject({ method: 'GET', url: '/en/nothing-here/' });
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
    expect(String(missing.headers['content-security-policy'])).toContain("frame-ancestors 'self'");

    for (const [method, url] of [
      ['GET', '/xapi/about'],
      ['GET', '/xapi/statements'],
      ['POST', '/api/learners'],
      ['GET', '/.well-known/jwks.json'],
    ] as const) {
      const answer = await lrs.inject({
        method,
        url,
        headers: { ...readHeaders, 'content-type': 'application/json' },
        ...(method === 'POST' ? { payload: '{}' } : {}),
      });
      expect(answer.headers['content-security-policy'], url).toBe(API_POLICY);
      expect(answer.headers['x-frame-options'], url).toBe('DENY');
      expect(answer.headers['x-content-type-options'], url).toBe('nosniff');
      expect(answer.headers['referrer-policy'], url).toBe('no-referrer');
    }
  });
});

describe('failed authentications are braked per address and per key', () => {
  const limits = { perAddress: { max: 3, windowMs: 60_000 }, perKey: { max: 5, windowMs: 60_000 }, overall: { max: 8, windowMs: 60_000 } };
  const wrong = (key: string, n: number) => ({ ...readHeaders, authorization: basic({ key, secret: `wrong-${n}` }) });

  it('past the limit an address gets 429 with Retry-After and the reason, before any hashing; a credential it used lately still works', async () => {
    lrs = await createTestLrs({ authLimits: limits });
    const good = await lrs.inject({ method: 'GET', url: '/xapi/statements?limit=1', headers: readHeaders });
    expect(good.statusCode).toBe(200);
    for (let n = 0; n < 3; n += 1) {
      expect((await lrs.inject({ method: 'GET', url: '/xapi/statements', headers: wrong('guess', n) })).statusCode).toBe(401);
    }
    const refused = await lrs.inject({ method: 'GET', url: '/xapi/statements', headers: wrong('guess', 3) });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.json().message ?? refused.body).toMatch(
      /too many failed authentications from this address \(3 in 60 s\); try again in \d+ s/,
    );
    // Verified a moment ago, so no scrypt is needed: it is not braked.
    expect((await lrs.inject({ method: 'GET', url: '/xapi/statements?limit=1', headers: readHeaders })).statusCode).toBe(200);
    // Another address is not braked.
    const elsewhere = await lrs.inject({ method: 'GET', url: '/xapi/statements', headers: wrong('guess', 4), remoteAddress: '10.0.0.9' });
    expect(elsewhere.statusCode).toBe(401);
  });

  it('guesses at one key from many addresses are braked for that key', async () => {
    lrs = await createTestLrs({ authLimits: limits });
    for (let n = 0; n < 5; n += 1) {
      const answer = await lrs.inject({
        method: 'GET',
        url: '/xapi/statements',
        headers: wrong(ADMIN.key, n),
        remoteAddress: `10.0.1.${n}`,
      });
      expect(answer.statusCode).toBe(401);
    }
    const refused = await lrs.inject({ method: 'GET', url: '/xapi/statements', headers: wrong(ADMIN.key, 9), remoteAddress: '10.0.2.1' });
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toMatch(/for this key/);
    // Other keys from that address are not.
    expect(
      (await lrs.inject({ method: 'GET', url: '/xapi/statements', headers: wrong('other', 1), remoteAddress: '10.0.2.1' })).statusCode,
    ).toBe(401);
  });

  it('guessers spread over many addresses and keys are braked in all', async () => {
    lrs = await createTestLrs({ authLimits: limits });
    for (let n = 0; n < 8; n += 1) {
      const answer = await lrs.inject({
        method: 'GET',
        url: '/xapi/statements',
        headers: wrong(`key-${n}`, n),
        remoteAddress: `10.0.3.${n}`,
      });
      expect(answer.statusCode).toBe(401);
    }
    const refused = await lrs.inject({ method: 'GET', url: '/xapi/statements', headers: wrong('key-new', 1), remoteAddress: '10.0.4.1' });
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toMatch(/on this server/);
  });

  it('a burst faster than scrypt gets no more tries than the limit', async () => {
    lrs = await createTestLrs({ authLimits: limits });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, n) => lrs!.inject({ method: 'GET', url: '/xapi/statements', headers: wrong('burst', n) })),
    );
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 401)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
  });

  it('behind a trusted proxy, each client named by X-Forwarded-For is braked on its own', async () => {
    lrs = await createTestLrs({ authLimits: limits, trustProxy: ['127.0.0.1'] });
    const from = (client: string, n: number) =>
      lrs!.inject({
        method: 'GET',
        url: '/xapi/statements',
        headers: { ...wrong('proxied', n), 'x-forwarded-for': client },
        remoteAddress: '127.0.0.1',
      });
    for (let n = 0; n < 3; n += 1) {
      expect((await from('203.0.113.7', n)).statusCode).toBe(401);
    }
    expect((await from('203.0.113.7', 3)).statusCode).toBe(429);
    expect((await from('198.51.100.2', 4)).statusCode).toBe(401);
  });

  it('requests without credentials and valid ones are never counted', async () => {
    lrs = await createTestLrs({ authLimits: limits });
    for (let n = 0; n < 10; n += 1) {
      expect(
        (await lrs.inject({ method: 'GET', url: '/xapi/statements', headers: { 'x-experience-api-version': '1.0.3' } })).statusCode,
      ).toBe(401);
      expect((await lrs.inject({ method: 'GET', url: '/xapi/statements?limit=1', headers: readHeaders })).statusCode).toBe(200);
    }
  });
});

describe('JSON nested past the limit is refused while it arrives', () => {
  it.each([
    ['statements', '/xapi/statements', 'POST', '['.repeat(300_000) + ']'.repeat(300_000)],
    ['a State document', STATE, 'POST', '{"a":'.repeat(150_000) + '{}' + '}'.repeat(150_000)],
    ['a State document', STATE, 'PUT', '[{"a":"]]]"},'.repeat(1) + '['.repeat(120) + ']'.repeat(120) + ']'],
  ])('%s (%s) at %s: 400 naming the limit', async (_what, url, method, body) => {
    lrs = await createTestLrs();
    const answer = await lrs.inject({
      method: method as 'POST',
      url,
      headers: { ...adminHeaders, 'content-type': 'application/json' },
      payload: body,
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toMatch(/nests JSON deeper than 100 levels/);
  });

  it('brackets inside strings do not count, and non-JSON documents are not scanned', async () => {
    lrs = await createTestLrs();
    const inString = JSON.stringify({ text: '['.repeat(500), nested: [[[{ a: '\\"]]' }]]] });
    expect(
      (await lrs.inject({ method: 'PUT', url: STATE, headers: { ...adminHeaders, 'content-type': 'application/json' }, payload: inString }))
        .statusCode,
    ).toBe(204);
    expect(
      (
        await lrs.inject({
          method: 'PUT',
          url: STATE,
          headers: { ...adminHeaders, 'content-type': 'text/plain' },
          payload: '['.repeat(500),
        })
      ).statusCode,
    ).toBe(204);
    const deepest = '['.repeat(100) + ']'.repeat(100);
    expect(
      (await lrs.inject({ method: 'PUT', url: STATE, headers: { ...adminHeaders, 'content-type': 'application/json' }, payload: deepest }))
        .statusCode,
    ).toBe(204);
  });
});

describe('large bodies are processed a few at a time', () => {
  it('many large bodies at once, alternate-syntax forms among them, are all answered', async () => {
    lrs = await createTestLrs();
    const statement = (n: number) => ({
      actor: { mbox: `mailto:l${n}@example.org` },
      verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
      object: { id: 'https://example.org/a' },
    });
    const batch = (n: number) => JSON.stringify(Array.from({ length: 700 }, (_, index) => statement(n * 1000 + index)));
    expect(batch(0).length).toBeGreaterThan(64 * 1024);
    const direct = Array.from({ length: 5 }, (_, n) =>
      lrs!.inject({
        method: 'POST',
        url: '/xapi/statements',
        headers: { ...adminHeaders, 'content-type': 'application/json' },
        payload: batch(n),
      }),
    );
    const forms = Array.from({ length: 5 }, (_, n) =>
      lrs!.inject({
        method: 'POST',
        url: '/xapi/statements?method=POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          Authorization: basic(ADMIN),
          'X-Experience-API-Version': '1.0.3',
          'Content-Type': 'application/json',
          content: batch(10 + n),
        }).toString(),
      }),
    );
    const answers = await Promise.all([...direct, ...forms]);
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array.from({ length: 10 }, () => 200));
  });
});

describe('connections that stop sending are closed', () => {
  it('a body that never finishes is cut after the idle timeout', async () => {
    lrs = await createTestLrs({ timeouts: { idleMs: 300, headersMs: 1_000, requestMs: 5_000 } });
    const address = await lrs.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(address);
    const started = performance.now();
    const closed = await new Promise<number>((done, fail) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /xapi/statements HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nX-Experience-API-Version: 1.0.3\r\nAuthorization: ${basic(ADMIN)}\r\n\r\n[`,
        );
      });
      socket.on('error', () => undefined);
      socket.on('close', () => done(performance.now() - started));
      setTimeout(() => fail(new Error('still open after 5 s')), 5_000).unref();
    });
    expect(closed).toBeGreaterThanOrEqual(250);
    expect(closed).toBeLessThan(3_000);
  });
});
