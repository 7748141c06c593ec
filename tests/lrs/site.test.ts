import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/lrs/app.ts';
import { READ, WRITE, createTestLrs } from './helper.ts';
import type { TestLrs } from './helper.ts';

// A built site shaped like Astro's output with trailingSlash 'always': folders with index.html,
// the English 404 as en/404.html (build.format 'file') and French and Spanish as 404/index.html
// (build.format 'directory'), so both layouts are covered.
const files: Record<string, string> = {
  'index.html': '<h1>root</h1>',
  'en/index.html': '<h1>home</h1>',
  'en/modules/m1/index.html': '<h1>module 1</h1>',
  'en/404.html': '<h1>Page not found</h1>',
  'fr/404/index.html': '<h1>Page introuvable</h1>',
  'es/404/index.html': '<h1>Página no encontrada</h1>',
  '_astro/client.abc123.js': 'console.log(1)',
};
let siteRoot: string;
let lrs: TestLrs;

beforeAll(() => {
  siteRoot = mkdtempSync(join(tmpdir(), 'lrs-site-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(siteRoot, path)), { recursive: true });
    writeFileSync(join(siteRoot, path), content);
  }
});
afterAll(() => {
  rmSync(siteRoot, { recursive: true, force: true });
});
afterEach(async () => {
  await lrs.close();
});

describe('the built site at /', () => {
  it('serves pages from their folder index.html', async () => {
    lrs = await createTestLrs({ siteRoot });
    for (const [url, body] of [
      ['/', '<h1>root</h1>'],
      ['/en/', '<h1>home</h1>'],
      ['/en/modules/m1/', '<h1>module 1</h1>'],
    ] as const) {
      const response = await lrs.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toBe(body);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
    }
  });

  it('redirects a folder without its trailing slash', async () => {
    lrs = await createTestLrs({ siteRoot });
    const response = await lrs.inject({ method: 'GET', url: '/en/modules/m1' });
    expect(response.statusCode).toBe(301);
    expect(response.headers['location']).toBe('/en/modules/m1/');
  });

  it('caches fingerprinted assets for good', async () => {
    lrs = await createTestLrs({ siteRoot });
    const response = await lrs.inject({ method: 'GET', url: '/_astro/client.abc123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it.each([
    ['/en/nowhere/', 'Page not found'],
    ['/fr/nulle-part/', 'Page introuvable'],
    ['/es/ninguna/parte', 'Página no encontrada'],
    ['/de/', 'Page not found'],
    ['/nowhere', 'Page not found'],
    ['/../../etc/passwd', 'Page not found'],
  ])('answers %s with the 404 page of its language', async (url, text) => {
    lrs = await createTestLrs({ siteRoot });
    const response = await lrs.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain(text);
  });

  it('keeps JSON 404s under /xapi/', async () => {
    lrs = await createTestLrs({ siteRoot });
    const response = await lrs.inject({ method: 'GET', url: '/xapi/nothing' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe('Not Found');
  });

  it('answers a JSON 404 everywhere when no site is served', async () => {
    lrs = await createTestLrs();
    const response = await lrs.inject({ method: 'GET', url: '/en/' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'Not Found', message: 'nothing at GET /en/' });
  });

  it('refuses to build with a siteRoot that is not a folder', () => {
    lrs = { close: async () => undefined } as TestLrs;
    expect(() =>
      buildApp({
        database: ':memory:',
        credentials: { write: WRITE, read: READ },
        corsOrigins: [],
        siteRoot: join(siteRoot, 'missing'),
      }),
    ).toThrow('is not a folder');
  });
});
