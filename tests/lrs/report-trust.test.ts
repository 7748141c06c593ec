import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { correctResponse } from '../../src/lib/grading.ts';
import { ReportBuilder } from '../../src/lib/report/aggregate.ts';
import { readCatalogue } from '../../src/lib/report/catalogue-files.ts';
import { readStatementsWithAttachments, type StatementWithParts } from '../../src/lib/report/fetch.ts';
import { JWKS_PATH, createVerifier, fetchJwks, needsVerification, type VerificationResult } from '../../src/lib/report/verify.ts';
import { moduleId, quizId } from '../../src/lib/xapi/activities.ts';
import { loadFinalAssessments } from '../../src/lrs/final-assessments.ts';
import { ADMIN, basic, completeLessons, createTestLrs, type TestLrs } from './helper.ts';
import { EARNED_VERB } from '../../src/lib/certificates/did.ts';
import { certificatesCommand } from '../../src/lrs/certificates-command.ts';

// The report's verification against the real thing: statements graded and signed by the LRS's own
// grader (POST /api/assessments/...), read back with attachments=true through the report's reader
// (src/lib/report/fetch.ts), checked against the LRS's published keys (/.well-known/jwks.json).

const QUIZ = 'm1-final-assessment';
const questions = loadFinalAssessments('content').get(QUIZ)!.quiz.questions;
const module1 = moduleId('understanding-the-convention');
/** The test apps' public origin (DEFAULT_PUBLIC_ORIGIN): the grader's homePage. */
const ORIGIN = 'http://127.0.0.1:4321';

let lrs: TestLrs;
afterEach(async () => {
  await lrs?.close();
});

/** fetch, answered by the app through inject (the report code runs unchanged). */
const viaInject: typeof fetch = async (input, init) => {
  const url = new URL(String(input));
  const res = await lrs.inject({
    method: (init?.method ?? 'GET') as 'GET',
    url: url.pathname + url.search,
    headers: Object.fromEntries(new Headers(init?.headers).entries()),
  });
  return new Response(new Uint8Array(res.rawPayload), { status: res.statusCode, headers: res.headers as Record<string, string> });
};

async function learner(name: string): Promise<{ key: string; secret: string; agent: Record<string, unknown> }> {
  const res = await lrs.inject({
    method: 'POST',
    url: '/api/learners',
    headers: { 'content-type': 'application/json' },
    payload: { name },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function passFinal(credential: { key: string; secret: string }): Promise<void> {
  const body = {
    attempt: randomUUID(),
    timestamp: new Date().toISOString(),
    language: 'fr',
    registration: randomUUID(),
    responses: Object.fromEntries(questions.map((q) => [q.id, correctResponse(q)])),
  };
  const res = await lrs.inject({
    method: 'POST',
    url: `/api/assessments/${QUIZ}/attempts`,
    headers: { 'content-type': 'application/json', authorization: basic(credential) },
    payload: JSON.stringify(body),
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toMatchObject({ passed: true });
}

/** Every statement with its verification, as the review page and the report see them. */
async function readAll(): Promise<Array<StatementWithParts & { result: VerificationResult | undefined }>> {
  const verify = createVerifier(await fetchJwks(`${ORIGIN}${JWKS_PATH}`, viaInject), ORIGIN);
  const out = [];
  for await (const item of readStatementsWithAttachments({ endpoint: `${ORIGIN}/xapi/`, ...ADMIN }, {}, { fetchImpl: viaInject })) {
    out.push({ ...item, result: needsVerification(item.statement) ? await verify(item.statement, item.parts) : undefined });
  }
  return out;
}

/** A `passed` for module 1's final assessment, as a learner could post it for themselves. */
const selfPassed = (agent: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  actor: agent,
  verb: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { en: 'passed' } },
  object: { objectType: 'Activity', id: quizId(QUIZ), definition: { type: 'http://adlnet.gov/expapi/activities/assessment' } },
  result: { score: { scaled: 1 }, success: true, completion: true },
  context: {
    language: 'fr',
    contextActivities: {
      parent: [{ id: module1, definition: { type: 'http://adlnet.gov/expapi/activities/module', name: { fr: 'Module <b>6</b>' } } }],
    },
  },
  ...extra,
});

describe('verified or self-reported, against the LRS', { timeout: 60_000 }, () => {
  it('verifies the passed and completed statements the site grader signed, and no statement a learner posted', async () => {
    lrs = await createTestLrs();
    const awa = await learner('Awa');
    await passFinal(awa);
    const mallory = await learner('Mallory');
    const posted = await lrs.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: { authorization: basic(mallory), 'content-type': 'application/json', 'x-experience-api-version': '1.0.3' },
      payload: JSON.stringify([
        selfPassed(mallory.agent),
        {
          ...selfPassed(mallory.agent),
          verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
          object: { objectType: 'Activity', id: module1 },
        },
      ]),
    });
    expect(posted.statusCode, posted.body).toBe(200);
    // Forged authority, no signature: the LRS sets its own authority for the credential anyway;
    // posted with the administrator's credential it claims to be the grader, still unsigned.
    const forged = await lrs.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: { authorization: basic(ADMIN), 'content-type': 'application/json', 'x-experience-api-version': '1.0.3' },
      payload: JSON.stringify([
        selfPassed(mallory.agent, {
          authority: { objectType: 'Agent', name: 'Site grader', account: { homePage: ORIGIN, name: 'site-grader' } },
        }),
      ]),
    });
    expect(forged.statusCode, forged.body).toBe(200);

    const all = await readAll();
    const checked = all.filter((s) => s.result !== undefined);
    const byActor = (name: string) => checked.filter((s) => (s.statement.actor as { name?: string }).name === name);
    expect(
      byActor('Awa')
        .map((s) => [s.statement.verb.id.split('/').at(-1), s.result?.status])
        .sort(),
    ).toEqual([
      ['completed', 'verified'],
      ['passed', 'verified'],
    ]);
    expect(byActor('Mallory').map((s) => s.result)).toEqual([
      { status: 'self-reported', reason: 'not signed' },
      { status: 'self-reported', reason: 'not signed' },
      { status: 'self-reported', reason: 'not signed' },
    ]);

    // A signed copy with a changed score or name does not verify.
    const signed = byActor('Awa').find((s) => s.statement.verb.id.endsWith('/passed'))!;
    const verify = createVerifier(await fetchJwks(`${ORIGIN}${JWKS_PATH}`, viaInject), ORIGIN);
    expect(
      (await verify({ ...signed.statement, result: { ...signed.statement.result, score: { scaled: 1, raw: 99 } } }, signed.parts)).status,
    ).toBe('self-reported');
    expect((await verify({ ...signed.statement, actor: { ...signed.statement.actor, name: 'Mallory' } }, signed.parts)).status).toBe(
      'self-reported',
    );
    // Another site's grader (same account name, other origin) is not this site's.
    expect(
      (
        await createVerifier(await fetchJwks(`${ORIGIN}${JWKS_PATH}`, viaInject), 'https://elsewhere.example')(
          signed.statement,
          signed.parts,
        )
      ).reason,
    ).toBe('the authority is not the site grader');

    // The report counts Awa's completion only; Mallory's shows when asked, as self-reported.
    const builder = new ReportBuilder({}, { catalogue: readCatalogue('fr', 'content') });
    for (const s of all) builder.add(s.statement, s.result?.status);
    const group = builder.result().groups.find((g) => g.module === module1)!;
    expect(group).toMatchObject({ moduleName: 'Comprendre la Convention', completed: 1, completedSelfReported: 1 });
    expect(
      builder
        .result(true)
        .learners.filter((l) => l.module === module1)
        .map((l) => [l.name, l.status, l.verification])
        .sort(),
    ).toEqual([
      ['Awa', 'completed', 'verified'],
      ['Mallory', 'completed', 'self-reported'],
    ]);
    expect(builder.result().learners.find((l) => l.name === 'Mallory' && l.module === module1)).toMatchObject({
      status: 'in progress',
      verification: '',
    });
  });

  it('counts certificates by module, language, cohort and country: issued ones signed by the grader, not a forged earned statement, not a revoked one', async () => {
    lrs = await createTestLrs();
    const awa = await learner('Awa');
    const bea = await learner('Bea');
    await passFinal(awa);
    await passFinal(bea);
    await completeLessons(lrs, awa);
    await completeLessons(lrs, bea);
    const certificate = async (who: { key: string; secret: string }) => {
      const res = await lrs.inject({
        method: 'POST',
        url: '/api/certificates',
        headers: { 'content-type': 'application/json', authorization: basic(who) },
        payload: '{"module":"understanding-the-convention"}',
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { id: string };
    };
    await certificate(awa);
    const revoked = await certificate(bea);
    const mallory = await learner('Mallory');
    const forged = await lrs.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: { authorization: basic(mallory), 'content-type': 'application/json', 'x-experience-api-version': '1.0.3' },
      payload: JSON.stringify({ ...selfPassed(mallory.agent), verb: { id: EARNED_VERB } }),
    });
    expect(forged.statusCode, forged.body).toBe(200);
    const count = async () => {
      const builder = new ReportBuilder({}, { catalogue: readCatalogue('fr', 'content') });
      for (const s of await readAll()) builder.add(s.statement, s.result?.status);
      return builder
        .result(true)
        .groups.filter((g) => g.module === module1)
        .map((g) => [g.language, g.certificates]);
    };
    expect(await count()).toEqual([['fr', 2]]);
    expect(await certificatesCommand(['revoke', revoked.id], { database: lrs.database })).toBe(0);
    expect(await count()).toEqual([['fr', 1]]);
  });
});
