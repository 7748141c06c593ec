import { randomUUID } from 'node:crypto';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/lrs/app.ts';
import { loadFinalAssessments } from '../../src/lrs/final-assessments.ts';
import { parseStatementRequest } from '../../src/lrs/multipart.ts';
import { SIGNATURE_USAGE_TYPE, sameSignedContent } from '../../src/lib/xapi/signed-content.ts';
import { correctResponse, gradeQuiz, type QuestionResponse } from '../../src/lib/grading.ts';
import { ADMIN, READ, SITE_ORIGIN, WRITE, adminHeaders, basic, createTestLrs, wrongResponse, type TestLrs } from './helper.ts';

const QUIZ = 'm1-final-assessment';
const assessment = loadFinalAssessments('content').get(QUIZ);
if (assessment === undefined) throw new Error(`content/quizzes/${QUIZ}.yaml is not a final assessment`);
const questions = assessment.quiz.questions;
const GRADER = { objectType: 'Agent', name: 'Site grader', account: { homePage: 'http://127.0.0.1:4321', name: 'site-grader' } };

/** Responses with the first `right` questions right and the others wrong. */
const responses = (right: number) => Object.fromEntries(questions.map((q, i) => [q.id, i < right ? correctResponse(q) : wrongResponse(q)]));

const attemptBody = (overrides: Record<string, unknown> = {}) => ({
  attempt: randomUUID(),
  timestamp: '2026-03-02T10:15:00.000+01:00',
  language: 'fr',
  registration: randomUUID(),
  workshop: { cohort: 'Dakar, mars 2026', country: 'SN' },
  responses: responses(questions.length),
  durationMs: 754_000,
  ...overrides,
});

let lrs: TestLrs;
afterEach(async () => {
  await lrs?.close();
});

async function learner(name = 'Awa Ndiaye'): Promise<{ key: string; secret: string; agent: Record<string, unknown> }> {
  const res = await lrs.inject({
    method: 'POST',
    url: '/api/learners',
    headers: { 'content-type': 'application/json' },
    payload: { name },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

function submit(credential: { key: string; secret: string } | undefined, body: unknown, quiz = QUIZ) {
  return lrs.inject({
    method: 'POST',
    url: `/api/assessments/${quiz}/attempts`,
    headers: { 'content-type': 'application/json', ...(credential ? { authorization: basic(credential) } : {}) },
    payload: JSON.stringify(body),
  });
}

async function statementsOf(agent: unknown): Promise<Record<string, unknown>[]> {
  const res = await lrs.inject({
    method: 'GET',
    url: `/xapi/statements?agent=${encodeURIComponent(JSON.stringify(agent))}&limit=100`,
    headers: adminHeaders,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().statements;
}

/** The statement with its attachments (GET ?attachments=true), parsed from multipart/mixed. */
async function withSignature(id: string): Promise<{ statement: Record<string, unknown>; jws: string }> {
  const res = await lrs.inject({ method: 'GET', url: `/xapi/statements?statementId=${id}&attachments=true`, headers: adminHeaders });
  expect(res.statusCode, res.body).toBe(200);
  const { json, parts } = parseStatementRequest(res.rawPayload, String(res.headers['content-type']));
  const statement = json as Record<string, unknown>;
  const entry = (statement['attachments'] as Record<string, unknown>[]).find((a) => a['usageType'] === SIGNATURE_USAGE_TYPE);
  const part = parts.get(String(entry?.['sha2']));
  if (!entry || !part) throw new Error(`statement ${id} has no signature part`);
  expect(entry['contentType']).toBe('application/octet-stream');
  return { statement, jws: part.content.toString('utf8') };
}

const verbOf = (s: Record<string, unknown>) => (s['verb'] as { id: string }).id.split('/').at(-1);

describe('POST /api/assessments/{quizId}/attempts', () => {
  it('grades a passing attempt as the browser grades, and stores signed statements under the grader authority', async () => {
    lrs = await createTestLrs();
    const me = await learner();
    const body = attemptBody({ responses: responses(questions.length - 2) });
    const res = await submit(me, body);
    expect(res.statusCode, res.body).toBe(200);
    const expected = gradeQuiz(assessment.quiz, body.responses as Record<string, QuestionResponse>);
    expect(res.json()).toEqual(expected);
    expect(expected).toMatchObject({ raw: questions.length - 2, max: questions.length, passed: true, passMark: 0.8 });

    const stored = await statementsOf(me.agent);
    expect(stored.map(verbOf).sort()).toEqual([...questions.map(() => 'answered'), 'completed', 'passed'].sort());
    for (const s of stored) {
      expect(s['actor']).toEqual(me.agent);
      expect(s['authority']).toEqual(GRADER);
      expect(s['timestamp']).toBe('2026-03-02T09:15:00.000Z');
      expect((s['context'] as Record<string, unknown>)['registration']).toBe(body.registration);
      expect((s['context'] as Record<string, unknown>)['language']).toBe('fr');
    }
    const answered = stored.filter((s) => verbOf(s) === 'answered');
    expect(answered.filter((s) => (s['result'] as { success: boolean }).success)).toHaveLength(questions.length - 2);
    const passed = stored.find((s) => verbOf(s) === 'passed') as Record<string, unknown>;
    expect(passed['result']).toEqual({
      score: { scaled: expected.scaled, raw: expected.raw, min: 0, max: expected.max },
      success: true,
      completion: true,
      duration: 'PT12M34S',
    });
    expect((passed['object'] as { id: string }).id).toBe('https://w3id.org/dce-training/quizzes/m1-final-assessment');
    const completed = stored.find((s) => verbOf(s) === 'completed') as Record<string, unknown>;
    expect(completed['object']).toMatchObject({
      id: 'https://w3id.org/dce-training/modules/understanding-the-convention',
      definition: { name: { fr: 'Comprendre la Convention' } },
    });

    const jwks = (await lrs.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as JSONWebKeySet;
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(Buffer.from(String(jwks.keys[0]?.n), 'base64url').length * 8).toBeGreaterThanOrEqual(2048);
    for (const signed of [passed, completed]) {
      const { statement, jws } = await withSignature(String(signed['id']));
      expect(decodeProtectedHeader(jws)).toEqual({ alg: 'RS256', kid: jwks.keys[0]?.kid });
      const { payload } = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: ['RS256'] });
      const signedStatement = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
      expect(sameSignedContent(signedStatement, statement)).toBe(true);
      expect(signedStatement['authority']).toEqual(GRADER);
      expect(sameSignedContent(signedStatement, { ...statement, result: { ...(statement['result'] as object), success: false } })).toBe(
        false,
      );
    }
    for (const s of answered) expect(s['attachments']).toBeUndefined();
  });

  it('grades a failing attempt: "failed", signed (a post-test score the learning gain counts), no module completion', async () => {
    lrs = await createTestLrs();
    const me = await learner();
    const body = attemptBody({ responses: responses(3), durationMs: undefined, workshop: undefined });
    const res = await submit(me, body);
    expect(res.json()).toEqual(gradeQuiz(assessment.quiz, body.responses as Record<string, QuestionResponse>));
    expect(res.json()).toMatchObject({ raw: 3, passed: false });
    const stored = await statementsOf(me.agent);
    expect(stored.map(verbOf).filter((v) => v !== 'answered')).toEqual(['failed']);
    const failed = stored.find((s) => verbOf(s) === 'failed') as Record<string, unknown>;
    const { statement, jws } = await withSignature(String(failed['id']));
    const jwks = (await lrs.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as JSONWebKeySet;
    const { payload } = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: ['RS256'] });
    expect(sameSignedContent(JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>, statement)).toBe(true);
    expect((failed['result'] as Record<string, unknown>)['duration']).toBeUndefined();
    expect((failed['context'] as Record<string, unknown>)['team']).toBeUndefined();
  });

  it('is idempotent per attempt: a retry gets the same grade and stores nothing twice', async () => {
    lrs = await createTestLrs();
    const me = await learner();
    const body = attemptBody();
    const first = await submit(me, body);
    const again = await submit(me, body);
    const changed = await submit(me, { ...body, responses: responses(0) });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(changed.json()).toEqual(first.json());
    expect(await statementsOf(me.agent)).toHaveLength(questions.length + 2);
    const other = await learner('Someone Else');
    const stolen = await submit(other, body);
    expect(stolen.statusCode).toBe(409);
    expect(stolen.json().message).toMatch(/^attempt: /);
    expect(await statementsOf(other.agent)).toHaveLength(0);
  });

  it('needs a learner credential: 401 without one, 403 with one bound to no agent', async () => {
    lrs = await createTestLrs();
    expect((await submit(undefined, attemptBody())).statusCode).toBe(401);
    expect((await submit({ key: 'nobody', secret: 'x' }, attemptBody())).statusCode).toBe(401);
    for (const credential of [WRITE, ADMIN, READ]) {
      const res = await submit(credential, attemptBody());
      expect(res.statusCode, credential.key).toBe(403);
    }
    const res = await submit(WRITE, attemptBody());
    expect(res.json().message).toMatch(/learner credential/);
    expect((await lrs.inject({ method: 'GET', url: '/xapi/statements', headers: adminHeaders })).json().statements).toHaveLength(0);
  });

  it('answers 400 naming the field for a malformed body, an unknown quiz or an unknown question', async () => {
    lrs = await createTestLrs();
    const me = await learner();
    const cases: [unknown, string, string?][] = [
      [attemptBody({ attempt: 'not-a-uuid' }), 'attempt: '],
      [attemptBody({ timestamp: '2026-03-02 10:15' }), 'timestamp: '],
      [attemptBody({ timestamp: new Date(Date.now() + 3600_000).toISOString() }), 'timestamp: must not be in the future'],
      [attemptBody({ language: 'de' }), 'language: '],
      [attemptBody({ registration: 42 }), 'registration: '],
      [attemptBody({ workshop: { cohort: 'x', country: 'Senegal' } }), 'workshop.country: '],
      [attemptBody({ durationMs: -1 }), 'durationMs: '],
      [attemptBody({ extra: true }), 'body: '],
      [attemptBody({ responses: { ...responses(20), nope: true } }), 'responses.nope: quiz "m1-final-assessment" has no question "nope"'],
      [
        attemptBody({ responses: Object.fromEntries(Object.entries(responses(20)).slice(1)) }),
        `responses.${questions[0]?.id}: every question needs a response`,
      ],
      [
        attemptBody({ responses: { ...responses(20), [String(questions[0]?.id)]: 'a' } }),
        `responses.${questions[0]?.id}: must be an array of 1 option id`,
      ],
      [[], 'body: '],
      [
        attemptBody(),
        'quizId: "m1-l1-objectives-principles" is not a final assessment or pre-test of this site',
        'm1-l1-objectives-principles',
      ],
      [attemptBody(), 'quizId: "no-such-quiz" is not a final assessment or pre-test of this site', 'no-such-quiz'],
    ];
    for (const [body, message, quiz] of cases) {
      const res = await submit(me, body, quiz);
      expect(res.statusCode, message).toBe(400);
      expect(res.json().message).toContain(message);
    }
    expect(await statementsOf(me.agent)).toHaveLength(0);
  });
});

describe('the signing key', () => {
  it('is made once and reused after a restart on the same database', async () => {
    lrs = await createTestLrs();
    const first = (await lrs.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as JSONWebKeySet;
    const restarted = buildApp({ database: lrs.database, credentials: {}, corsOrigins: [SITE_ORIGIN] });
    await restarted.ready();
    try {
      const res = await restarted.inject({ method: 'GET', url: '/.well-known/jwks.json' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual(first);
    } finally {
      await restarted.close();
    }
    expect(first.keys).toHaveLength(1);
    expect(Object.keys(first.keys[0] ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });
});
