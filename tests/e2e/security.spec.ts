import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { languages } from '../../src/i18n/languages.ts';

// Security headers and the Content-Security-Policy of src/lrs/security-headers.ts, against the
// built site served by the real LRS process (issue 12).

const MODULE = 'understanding-the-convention';
const LESSON = 'key-definitions';
/** One page of each type, for a language. */
const pageTypes = (lang: string): string[] => [
  `/${lang}/`,
  `/${lang}/modules/${MODULE}/`,
  `/${lang}/modules/${MODULE}/${LESSON}/`,
  `/${lang}/modules/${MODULE}/${LESSON}/present/`,
  `/${lang}/modules/${MODULE}/assessment/`,
  `/${lang}/modules/${MODULE}/guide/`,
  `/${lang}/modules/${MODULE}/handout/`,
  `/${lang}/glossary/`,
  `/${lang}/search/?q=culture`,
  `/${lang}/trainer/`,
  `/${lang}/review/`,
  `/${lang}/continue/`,
  `/${lang}/no-such-page/`,
];

/** Collect every CSP violation a page (and the popups it opens) reports, as text. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  const watch = async (target: Page) => {
    target.on('console', (message) => {
      if (/Content Security Policy|Refused to (?:execute|load|apply|connect|frame|create)/i.test(message.text())) {
        violations.push(`${target.url()}: ${message.text()}`);
      }
    });
    await target.exposeFunction('reportViolation', (text: string) => violations.push(`${target.url()}: ${text}`)).catch(() => undefined);
  };
  await page.context().addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportViolation?: (text: string) => void }).reportViolation?.(
        `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
  await watch(page);
  page.context().on('page', (popup) => void watch(popup));
  return violations;
}

for (const lang of languages) {
  test(`no page type in ${lang} breaks the Content-Security-Policy`, async ({ page }) => {
    const violations = await watchViolations(page);
    for (const path of pageTypes(lang)) {
      const response = await page.goto(path, { waitUntil: 'load' });
      expect(response?.status(), path).toBeLessThan(path.includes('no-such-page') ? 500 : 400);
      const policy = response?.headers()['content-security-policy'] ?? '';
      expect(policy, path).toContain("frame-ancestors 'self'");
      expect(response?.headers()['x-content-type-options'], path).toBe('nosniff');
      // Islands hydrate, the service worker registers, the search index loads.
      await page.waitForLoadState('networkidle');
      if (path.endsWith('/present/')) {
        // The presenter view: a popup written by reveal.js, with the slides in same-origin iframes.
        const [presenter] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('s')]);
        await expect(presenter.locator('.speaker-controls-time')).toBeVisible();
        await expect(presenter.locator('iframe').first()).toBeAttached();
        await presenter.waitForLoadState('networkidle');
        await presenter.close();
      }
    }
    await page.goto('/');
    await expect(page).toHaveURL(new RegExp(`/(en|fr|es)/$`));
    expect(violations).toEqual([]);
  });
}

test('the trainer page draws its QR code within the policy', async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto('/en/trainer/');
  await page.getByLabel('Cohort name').fill('CSP cohort');
  await page.getByLabel('Country (two-letter ISO code)').fill('KE');
  await page.getByRole('button', { name: 'Create the workshop link' }).click();
  await expect(page.locator('[data-workshop-qr] svg')).toBeVisible();
  expect(violations).toEqual([]);
});

test('site pages and LRS responses carry the security headers', async ({ request }) => {
  const pageHeaders = (await request.get('/en/glossary/')).headers();
  expect(pageHeaders['content-security-policy']).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+/);
  expect(pageHeaders['content-security-policy']).toContain("worker-src 'self'");
  expect(pageHeaders['x-content-type-options']).toBe('nosniff');
  expect(pageHeaders['referrer-policy']).toBe('no-referrer');
  expect(pageHeaders['x-frame-options']).toBe('SAMEORIGIN');
  for (const path of ['/xapi/about', '/xapi/statements']) {
    const headers = (await request.get(path, { headers: { 'X-Experience-API-Version': '1.0.3' } })).headers();
    expect(headers['content-security-policy'], path).toBe("default-src 'none'; frame-ancestors 'none'; sandbox");
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['x-frame-options'], path).toBe('DENY');
    expect(headers['referrer-policy'], path).toBe('no-referrer');
  }
});

test.describe('an HTML State document fetched from another site through the alternate request syntax', () => {
  let other: Server;
  let otherOrigin = '';
  const hits: string[] = [];

  test.beforeAll(async () => {
    // A second site on another port: it serves the attacking form and records the beacon the
    // stored script would send if it ran.
    other = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html' }).end(String(pages.get(req.url ?? '') ?? 'ok'));
    });
    await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
    otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  test.afterAll(() => new Promise<void>((done) => other.close(() => done())));
  const pages = new Map<string, string>();

  test('does not run its script: it is saved as a file, never shown as a page of the site', async ({ page, request, baseURL }) => {
    const learner = await request.post('/api/learners', { data: { name: 'CSP test' } });
    expect(learner.status()).toBe(201);
    const { key, secret, agent } = (await learner.json()) as { key: string; secret: string; agent: object };
    const authorization = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
    const activityId = 'https://w3id.org/dce-training/en/modules/understanding-the-convention';
    const query = new URLSearchParams({ activityId, agent: JSON.stringify(agent), stateId: 'attack' });
    // Every way the script could reach out: a top navigation, an image, a fetch, to the other site.
    const script = `location.href='${otherOrigin}/ran-navigation';new Image().src='${otherOrigin}/ran-image';fetch('${otherOrigin}/ran-fetch');`;
    const stored = await request.put(`/xapi/activities/state?${query}`, {
      headers: { Authorization: authorization, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'text/html' },
      data: `<!doctype html><title>attack</title><script>${script}</script><p>stored</p>`,
    });
    expect(stored.status()).toBe(204);

    const fields = {
      activityId,
      agent: JSON.stringify(agent),
      stateId: 'attack',
      Authorization: authorization,
      'X-Experience-API-Version': '1.0.3',
    };
    const inputs = Object.entries(fields)
      .map(([name, value]) => `<input type="hidden" name="${name}" value="${value.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}">`)
      .join('');
    pages.set(
      '/form',
      `<!doctype html><title>elsewhere</title><form method="post" action="${baseURL}/xapi/activities/state?method=GET">${inputs}<button>go</button></form>`,
    );

    await page.goto(`${otherOrigin}/form`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'go' }).click()]);
    expect(download.url()).toBe(`${baseURL}/xapi/activities/state?method=GET`);
    // The browser got the document as a download; the page never left the other site.
    await page.waitForTimeout(1_000);
    expect(page.url()).toBe(`${otherOrigin}/form`);
    expect(hits.filter((hit) => hit.startsWith('/ran'))).toEqual([]);
  });
});
