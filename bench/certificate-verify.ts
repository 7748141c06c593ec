import { get } from 'node:http';
import { chromium, type BrowserContext, type Request } from 'playwright-core';
import { readCommandLine } from '../scripts/cli.ts';
import { correctResponse } from '../src/lib/grading.ts';
import { lessonId } from '../src/lib/xapi/activities.ts';
import { loadModuleFacts } from '../src/lrs/certificates/modules.ts';
import { quizSchema } from '../src/schemas/quiz.ts';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { chromiumOptions, startServer } from './server.ts';
import { weighPage } from './weights.ts';

// The certificate verification page (issue 14, "The closing note gives: the bytes of the
// verification page; the time to verify in the browser at 4x CPU slowdown"). A real certificate
// is issued through the server's API (a learner, their lessons' completions, a server-graded
// pass of module 1's final assessment, POST /api/certificates); then, in Chromium, the first
// visit's transferred bytes of /en/verify/ (and of its QR link, which also fetches the
// certificate and the issuer's documents), service worker included; and the time from
// submitting the credential to the result shown, with the CPU slowed 4x (Chrome DevTools
// Protocol Emulation.setCPUThrottlingRate), median of several runs.
// Usage, after a build: npm run bench:verify [-- --site DIR] [-- --runs N]

const { values } = readCommandLine(
  {
    name: 'npm run bench:verify',
    usage: `usage: npm run bench:verify [-- --site DIR] [-- --runs N]

After a build: issues a real certificate through the API, then measures in Chromium the first
visit to the verification page /en/verify/ (transferred bytes, gzip as served, the service worker
and its precache included) and the time from submitting the credential to the result shown with
the CPU slowed 4x (median, min and max of N runs). Port 4507.

options:
  --site DIR   the built site (default E2E_SITE_ROOT, else dist)
  --runs N     timed checks (default 15)
  --help       print this and exit`,
  },
  { options: { site: { type: 'string', default: process.env['E2E_SITE_ROOT'] ?? 'dist' }, runs: { type: 'string', default: '15' } } },
);
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs: must be a whole number of at least 1, not "${values.runs}"`);
  process.exit(2);
}

const module = 'understanding-the-convention';
/** Module 1's final assessment: its quiz id is its file name in content/quizzes/. */
const finalAssessment = 'm1-final-assessment';
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/**
 * Issue a certificate as a learner earns one: POST /api/learners, their `completed` statement for
 * every lesson of module 1 (as their browser sends them), a right answer to every question of its
 * final assessment graded by the server, then POST /api/certificates.
 * @returns the certificate's id and its VC-JWT
 * @throws Error naming the step the server refused
 */
async function issueCertificate(origin: string): Promise<{ id: string; credential: string }> {
  const post = async (path: string, body: unknown, auth?: string) => {
    const res = await fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Experience-API-Version': '1.0.3', ...(auth ? { Authorization: auth } : {}) },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const learner = (await post('/api/learners', { name: 'Bench Learner' })) as { key: string; secret: string; agent: object };
  const auth = `Basic ${Buffer.from(`${learner.key}:${learner.secret}`).toString('base64')}`;
  const lessons = loadModuleFacts('content').get(module)?.lessonSlugs ?? [];
  await post(
    '/xapi/statements',
    lessons.map((lesson) => ({
      actor: learner.agent,
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
      object: { objectType: 'Activity', id: lessonId(module, lesson) },
      result: { completion: true },
    })),
    auth,
  );
  const quiz = quizSchema.parse(parse(readFileSync(`content/quizzes/${finalAssessment}.yaml`, 'utf8')));
  const grade = await post(
    `/api/assessments/${finalAssessment}/attempts`,
    {
      attempt: crypto.randomUUID(),
      timestamp: new Date().toISOString(),
      language: 'en',
      registration: crypto.randomUUID(),
      responses: Object.fromEntries(quiz.questions.map((q) => [q.id, correctResponse(q)])),
      durationMs: 600_000,
    },
    auth,
  );
  if (grade['passed'] !== true) throw new Error('the final assessment was not passed with the right answers');
  const certificate = (await post('/api/certificates', { module }, auth)) as { id: string; credential: string };
  return certificate;
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

/** One transfer of a first visit: its path, who fetched it and its bytes (headers and encoded body). */
interface Transfer {
  path: string;
  by: 'page' | 'service worker';
  bytes: number;
}

/**
 * A first visit to a page in a fresh profile: every response received until the page has checked
 * (when it is a QR link), kept itself for offline use and the service worker controls it.
 * A response the worker served to the page is counted once, by the worker's own fetch; the
 * worker's scripts, whose sizes the protocol does not report, are fetched again and counted.
 */
async function firstVisit(context: BrowserContext, origin: string, path: string): Promise<Transfer[]> {
  const pending: Promise<Transfer | undefined>[] = [];
  context.on('requestfinished', (request: Request) =>
    pending.push(
      (async () => {
        const response = await request.response();
        if (!response) return undefined;
        const worker = request.serviceWorker() !== null;
        if (!worker && response.fromServiceWorker()) return undefined;
        const sizes = await request.sizes();
        const url = new URL(request.url());
        const script = url.pathname === '/sw.js' || /^\/workbox-[\w-]+\.js$/.test(url.pathname);
        const bytes = sizes.responseHeadersSize + sizes.responseBodySize;
        return {
          path: url.pathname + url.search,
          by: worker ? 'service worker' : 'page',
          bytes:
            script && bytes <= sizes.responseHeadersSize ? sizes.responseHeadersSize + (await encodedSize(url.href)) : Math.max(0, bytes),
        };
      })(),
    ),
  );
  const page = await context.newPage();
  await page.goto(origin + path, { waitUntil: 'load' });
  await page.locator('[data-verify-form][data-ready="true"]').waitFor({ state: 'attached' });
  if (path.includes('?id='))
    await page.locator('[data-verify-result][data-status]:not([data-status="working"])').waitFor({ state: 'attached' });
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
  });
  await page.waitForFunction(async () => !!(await caches.match(location.pathname, { ignoreSearch: true })));
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(500);
  await page.close();
  return (await Promise.all(pending)).filter((t): t is Transfer => t !== undefined);
}

const server = await startServer(4507, values.site);
const browser = await chromium.launch(chromiumOptions);
try {
  const certificate = await issueCertificate(server.url);

  const w = weighPage(values.site, '/en/verify/');
  console.log(
    `built files of /en/verify/, gzip: HTML ${kb(w.html)}, CSS ${kb(w.css)}, scripts ${kb(w.js)} (${w.scripts.length} files), total ${kb(w.html + w.css + w.js)}; + ${kb(w.lazyJs)} imported on demand`,
  );

  for (const path of ['/en/verify/', `/en/verify/?id=${certificate.id}`]) {
    const context = await browser.newContext({ serviceWorkers: 'allow', locale: 'en-GB' });
    const transfers = await firstVisit(context, server.url, path);
    await context.close();
    const sum = (list: Transfer[]) => list.reduce((n, t) => n + t.bytes, 0);
    const byPage = transfers.filter((t) => t.by === 'page');
    const check = byPage.filter((t) => t.path.startsWith('/api/') || t.path.startsWith('/.well-known/'));
    const worker = transfers.filter((t) => t.by === 'service worker' || t.path === '/sw.js' || /^\/workbox-/.test(t.path));
    const own = byPage.filter((t) => !check.includes(t) && !worker.includes(t));
    console.log(
      `\nfirst visit to ${path.replace(certificate.id, '{id}')} in Chromium (transferred bytes: headers and bodies as the server compressed them)`,
    );
    console.log(`page (HTML, CSS, scripts, offline copy) | ${kb(sum(own))} | ${own.length} responses`);
    if (check.length) console.log(`certificate and issuer's documents | ${kb(sum(check))} | ${check.length} responses`);
    console.log(`service worker and its precache | ${kb(sum(worker))} | ${worker.length} responses`);
    console.log(`total | ${kb(sum(transfers))} | ${transfers.length} responses`);
    if (process.env['BENCH_VERBOSE']) for (const t of transfers) console.log(`  ${t.by} ${t.path} ${kb(t.bytes)}`);
  }

  // Time to verify: the real page, its real form, the credential pasted, CPU slowed 4x. Each run
  // fetches the DID document and the status list again (no-store), as a verifier's check does.
  const context = await browser.newContext({ serviceWorkers: 'block', locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(`${server.url}/en/verify/`);
  await page.locator('[data-verify-form][data-ready="true"]').waitFor({ state: 'attached' });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const samples: number[] = [];
  let verdict = '';
  for (let i = 0; i <= runs; i++) {
    const { ms, status } = await page.evaluate(async (jwt) => {
      const form = document.querySelector<HTMLFormElement>('[data-verify-form]')!;
      const region = document.querySelector<HTMLElement>('[data-verify-result]')!;
      form.querySelector('textarea')!.value = jwt;
      delete region.dataset['status'];
      const start = performance.now();
      form.requestSubmit();
      await new Promise<void>((resolve) => {
        const done = () => region.dataset['status'] !== undefined && region.dataset['status'] !== 'working';
        const observer = new MutationObserver(() => done() && (observer.disconnect(), resolve()));
        observer.observe(region, { attributes: true, attributeFilter: ['data-status'] });
      });
      // The result is shown once it is painted: wait for the next frame.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return { ms: performance.now() - start, status: region.dataset['status'] ?? '' };
    }, certificate.credential);
    verdict = status;
    samples.push(ms);
  }
  if (verdict !== 'valid') throw new Error(`the page said "${verdict}" for a valid certificate`);
  const first = samples.shift() ?? 0;
  samples.sort((a, b) => a - b);
  const median =
    samples.length % 2 ? samples[(samples.length - 1) / 2]! : (samples[samples.length / 2 - 1]! + samples[samples.length / 2]!) / 2;
  console.log(
    `\ntime to verify at 4x CPU slowdown (submit to result shown, fetching the DID document and status list each time): first ${first.toFixed(0)} ms; then ${samples.length} runs: median ${median.toFixed(1)} ms, min ${samples[0]!.toFixed(1)} ms, max ${samples.at(-1)!.toFixed(1)} ms`,
  );
  await context.close();
} finally {
  await browser.close();
  server.stop();
}
