import { get } from 'node:http';
import { chromium, type Request } from 'playwright-core';
import { chromiumOptions } from './server.ts';

/** One download of a first visit: where it came from and its transferred (encoded) bytes. */
export interface Download {
  url: string;
  /** Who fetched it: the page, or the service worker (its precache and runtime caching). */
  by: 'page' | 'service worker';
  /** The part of the visit it belongs to, for the printed table. */
  part: Part;
  /** Bytes received: response headers plus the body as sent (compressed when the server compressed it). */
  bytes: number;
  /** Of which response headers. */
  headers: number;
}

/** The parts of a first visit, in the order they are printed. */
export const parts = ['page (HTML, CSS, scripts)', 'quiz island', 'xAPI client and records', 'service worker and its precache'] as const;
export type Part = (typeof parts)[number];

/**
 * Visit a lesson with a quiz for the first time in a fresh Chromium profile, as a learner does,
 * and record every response the browser receives: the page and what it loads, the quiz island
 * (scrolled into view), the learner's credential (POST /api/learners) and the xAPI client with
 * the statements of one checked attempt, and the service worker: its script and every fetch it
 * makes (its precache), caught through Playwright's service worker network events
 * (`serviceWorkers: 'allow'`). A response served by the service worker to the page is not
 * counted again: the worker's own fetch of it is. Bytes are what crossed the network: response
 * headers and the encoded body (Chrome DevTools Protocol encodedDataLength, via request.sizes()).
 * @param origin the site's origin, e.g. "http://127.0.0.1:4506"
 * @param lesson the lesson's path, e.g. "/en/modules/understanding-the-convention/objectives-and-principles/"
 * @returns every download, in the order they finished
 * @throws Error when the page has no quiz, or the service worker never takes control
 */
export async function firstVisit(origin: string, lesson: string): Promise<Download[]> {
  const browser = await chromium.launch(chromiumOptions);
  const raw: Raw[] = [];
  const seen: Promise<void>[] = [];
  try {
    const context = await browser.newContext({ serviceWorkers: 'allow', locale: 'en-GB' });
    let stage: Stage = 'page';
    const finished = (request: Request) =>
      seen.push(
        (async () => {
          const response = await request.response();
          if (!response) return;
          const sizes = await request.sizes();
          raw.push({
            path: new URL(request.url()).pathname,
            worker: request.serviceWorker() !== null,
            fromWorker: response.fromServiceWorker(),
            stage,
            bytes: sizes.responseHeadersSize + sizes.responseBodySize,
            headers: sizes.responseHeadersSize,
          });
        })(),
      );
    context.on('requestfinished', finished);
    const page = await context.newPage();
    await page.goto(origin + lesson, { waitUntil: 'load' });
    // The learner form: a first visit names the learner (or stays anonymous), which asks for the credential.
    const ready = page.locator('.learner-panel[data-ready="true"]');
    await ready.waitFor({ state: 'attached' });
    const anonymous = page.locator('[data-learner-form] button[value="anonymous"]');
    if (await anonymous.isVisible()) await anonymous.click();
    await page.waitForLoadState('networkidle');
    // The service worker installs and precaches after load; wait until it controls the page.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller)
        await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    });
    await page.waitForLoadState('networkidle');
    stage = 'island';
    const island = page.locator('astro-island', { has: page.locator('.quiz') });
    if ((await island.count()) === 0) throw new Error(`${lesson} has no quiz`);
    await island.scrollIntoViewIfNeeded();
    await page.locator('.quiz-island[data-hydrated="true"]').waitFor();
    await page.waitForLoadState('networkidle');
    stage = 'answers';
    // Answer every question (right or wrong does not matter for the bytes) and check the answers.
    await page.evaluate(() => {
      for (const fieldset of document.querySelectorAll<HTMLFieldSetElement>('.quiz-question')) {
        fieldset.querySelector<HTMLInputElement>('input[type=radio], input[type=checkbox]')?.click();
        for (const select of fieldset.querySelectorAll('select')) {
          select.value = select.options[1]?.value ?? '';
          select.dispatchEvent(new Event('change', { bubbles: true }));
        }
      }
    });
    for (const input of await page.locator('.quiz-question input[type=text]').all()) await input.fill('1');
    await page.locator('.quiz button[type=submit]').click();
    await page.locator('.quiz-outcome').waitFor();
    await page.waitForFunction(() => Object.keys(localStorage).every((k) => !k.startsWith('dce.outbox.q.')));
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500);
    await Promise.all(seen);
  } finally {
    await browser.close();
  }
  return attribute(raw, origin);
}

type Stage = 'page' | 'island' | 'answers';

/** A response as recorded, before it is attributed to a part. */
interface Raw {
  path: string;
  worker: boolean;
  fromWorker: boolean;
  stage: Stage;
  bytes: number;
  headers: number;
}

const stageParts: Record<Stage, Part> = { page: 'page (HTML, CSS, scripts)', island: 'quiz island', answers: 'xAPI client and records' };

/**
 * Attribute each transfer to the part of the visit that needs it: a file the page asked for
 * belongs to the stage it was first asked in, whoever fetched it over the network (the service
 * worker often precaches the island's scripts before the page asks for them); what only the
 * worker fetched is its precache. The worker's own script and its imports are fetched by
 * Chromium's script loader, whose transfer sizes the protocol does not report (0 or negative):
 * they are fetched again here with Chromium's Accept-Encoding and their encoded body counted.
 */
async function attribute(raw: Raw[], origin: string): Promise<Download[]> {
  const firstAsked = new Map<string, Stage>();
  for (const r of raw) if (!r.worker && !firstAsked.has(r.path)) firstAsked.set(r.path, r.stage);
  const downloads: Download[] = [];
  for (const r of raw) {
    // The page's copy of a response the worker served: the worker's own fetch of it is counted.
    if (!r.worker && r.fromWorker) continue;
    const script = r.path === '/sw.js' || /^\/workbox-[\w-]+\.js$/.test(r.path);
    const bytes = script && r.bytes <= r.headers ? r.headers + (await encodedSize(origin + r.path)) : Math.max(0, r.bytes);
    const part: Part =
      r.path.startsWith('/xapi/') || r.path.startsWith('/api/')
        ? 'xAPI client and records'
        : script
          ? 'service worker and its precache'
          : firstAsked.has(r.path)
            ? stageParts[firstAsked.get(r.path)!]
            : 'service worker and its precache';
    downloads.push({ url: r.path, by: r.worker ? 'service worker' : 'page', part, bytes, headers: bytes > 0 ? r.headers : 0 });
  }
  return downloads;
}

/** The encoded body size of a URL fetched as Chromium asks for it (gzip, br or zstd), in bytes. */
function encodedSize(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } }, (response) => {
      let n = 0;
      response.on('data', (chunk: Buffer) => (n += chunk.length));
      response.on('end', () => resolve(n));
      response.on('error', reject);
    }).on('error', reject);
  });
}
