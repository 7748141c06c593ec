import { expect, test, type Page } from '@playwright/test';
import { chooseLearner, fetchStatements, learnerCredential, type StoredCredential } from './helpers.ts';

// What a learner's own credential can do, tried from the page with the credential the page keeps
// in localStorage (dce.credential), as a curious learner would from the browser's console.

/** An xAPI request from the page with the learner's stored credential; resolves with the status and body. */
function fromPage(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const { key, secret } = JSON.parse(localStorage.getItem('dce.credential')!) as { key: string; secret: string };
      const res = await fetch(path, {
        method,
        headers: {
          Authorization: `Basic ${btoa(`${key}:${secret}`)}`,
          'X-Experience-API-Version': '1.0.3',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, text: await res.text() };
    },
    { method, path, body },
  );
}

const statement = (actor: StoredCredential['agent']) => ({
  actor,
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
  object: { objectType: 'Activity', id: 'https://w3id.org/dce-training/modules/understanding-the-convention' },
});
const stateUrl = (agent: StoredCredential['agent']) =>
  `/xapi/activities/state?${new URLSearchParams({ activityId: 'https://w3id.org/dce-training/course', agent: JSON.stringify({ objectType: 'Agent', account: agent.account }), stateId: 'bookmark' })}`;

/** A learner on a page of their own, with the credential the server issued to them. */
async function learner(page: Page, name: string): Promise<StoredCredential> {
  await page.goto('/en/');
  await chooseLearner(page, name);
  return learnerCredential(page);
}

test('a learner credential posts statements for its own agent only: another actor gets 403 saying why', async ({
  browser,
  baseURL,
  request,
}) => {
  const amina = await browser.newPage({ baseURL: baseURL ?? '' });
  const bruno = await browser.newPage({ baseURL: baseURL ?? '' });
  const a = await learner(amina, 'Amina');
  const b = await learner(bruno, 'Bruno');
  expect(a.agent.account.name).not.toBe(b.agent.account.name);

  const own = await fromPage(amina, 'POST', '/xapi/statements', statement(a.agent));
  expect(own.status, own.text).toBe(200);
  const forged = await fromPage(amina, 'POST', '/xapi/statements', statement(b.agent));
  expect(forged.status).toBe(403);
  expect(forged.text).toMatch(/actor/i);
  // Nothing was stored for Bruno.
  expect(await fetchStatements(request, { agent: JSON.stringify({ objectType: 'Agent', account: b.agent.account }) })).toEqual([]);
  await amina.close();
  await bruno.close();
});

test("a learner credential can neither read another learner's State nor look up another agent", async ({ browser, baseURL }) => {
  const amina = await browser.newPage({ baseURL: baseURL ?? '' });
  const bruno = await browser.newPage({ baseURL: baseURL ?? '' });
  const a = await learner(amina, 'Amina');
  const b = await learner(bruno, 'Bruno');

  // Each writes and reads their own State.
  expect((await fromPage(bruno, 'PUT', stateUrl(b.agent), { page: 3 })).status).toBe(204);
  expect((await fromPage(bruno, 'GET', stateUrl(b.agent))).text).toBe('{"page":3}');
  expect((await fromPage(amina, 'PUT', stateUrl(a.agent), { page: 1 })).status).toBe(204);

  // Bruno's State is closed to Amina: read, overwrite, delete.
  const read = await fromPage(amina, 'GET', stateUrl(b.agent));
  expect(read.status).toBe(403);
  expect(read.text).not.toContain('page');
  expect((await fromPage(amina, 'PUT', stateUrl(b.agent), { page: 99 })).status).toBe(403);
  expect((await fromPage(amina, 'DELETE', stateUrl(b.agent))).status).toBe(403);
  expect((await fromPage(bruno, 'GET', stateUrl(b.agent))).text).toBe('{"page":3}');

  // No agent lookup at all, not even of herself.
  const lookup = `/xapi/agents?${new URLSearchParams({ agent: JSON.stringify({ objectType: 'Agent', account: b.agent.account }) })}`;
  expect((await fromPage(amina, 'GET', lookup)).status).toBe(403);
  await amina.close();
  await bruno.close();
});
