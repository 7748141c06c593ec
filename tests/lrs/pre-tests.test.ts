import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ReportBuilder } from '../../src/lib/report/aggregate.ts';
import { readCatalogue } from '../../src/lib/report/catalogue-files.ts';
import { createVerifier, needsVerification, type Verification } from '../../src/lib/report/verify.ts';
import { correctResponse, type QuestionResponse } from '../../src/lib/grading.ts';
import { parseStatementRequest } from '../../src/lrs/multipart.ts';
import { loadFinalAssessments } from '../../src/lrs/final-assessments.ts';
import type { Question } from '../../src/schemas/quiz.ts';
import { adminHeaders, basic, createTestLrs, wrongResponse, type TestLrs } from './helper.ts';

// Issue 15: the pre-test is graded by the server on the final assessment's route, its statements
// written under the grader's authority, the one with the score signed; the learner is told the
// score only. Then the report's learning gain counts it with the final assessment after it.

const PRE = 'm1-pre-test';
const FINAL = 'm1-final-assessment';
const graded = loadFinalAssessments('content');
const preTest = graded.get(PRE);
const finalAssessment = graded.get(FINAL);
if (preTest === undefined || finalAssessment === undefined) throw new Error(`content/quizzes/${PRE}.yaml or ${FINAL}.yaml is missing`);
const GRADER = { objectType: 'Agent', name: 'Site grader', account: { homePage: 'http://127.0.0.1:4321', name: 'site-grader' } };
const BASE = 'https://w3id.org/dce-training/';

/** Responses to a quiz with the first `right` questions right. */
const responses = (questions: Question[], right: number) =>
  Object.fromEntries(questions.map((q, i) => [q.id, i < right ? correctResponse(q) : wrongResponse(q)]));

let lrs: TestLrs;
afterEach(async () => {
  await lrs?.close();
});

async function learner(name: string) {
  const res = await lrs.inject({
    method: 'POST',
    url: '/api/learners',
    headers: { 'content-type': 'application/json' },
    payload: { name },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { key: string; secret: string; agent: Record<string, unknown> };
}

function submit(me: { key: string; secret: string }, quiz: string, body: Record<string, unknown>) {
  return lrs.inject({
    method: 'POST',
    url: `/api/assessments/${quiz}/attempts`,
    headers: { 'content-type': 'application/json', authorization: basic(me) },
    payload: JSON.stringify(body),
  });
}

const attempt = (registration: string, timestamp: string, answers: Record<string, QuestionResponse>) => ({
  attempt: randomUUID(),
  timestamp,
  language: 'es',
  registration,
  workshop: { cohort: 'Bogotá 2027', country: 'CO' },
  responses: answers,
  durationMs: 300_000,
});

/** Every statement with the attachment parts of its page (GET ?attachments=true, multipart). */
async function storedWithParts(): Promise<{ statements: Record<string, unknown>[]; parts: Map<string, string> }> {
  const res = await lrs.inject({ method: 'GET', url: '/xapi/statements?attachments=true&limit=500', headers: adminHeaders });
  expect(res.statusCode, res.body).toBe(200);
  const { json, parts } = parseStatementRequest(res.rawPayload, String(res.headers['content-type']));
  const text = new Map([...parts].map(([sha2, part]) => [sha2, part.content.toString('utf8')]));
  return { statements: (json as { statements: Record<string, unknown>[] }).statements, parts: text };
}

const verbOf = (s: Record<string, unknown>) => (s['verb'] as { id: string }).id.split('/').at(-1);

describe('pre-tests graded by the server', () => {
  it('grades a pre-test, tells the score without verdicts or a pass, and signs the statement with the score under the grader authority', async () => {
    lrs = await createTestLrs();
    const me = await learner('Ana Pre');
    const questions = preTest.quiz.questions;
    const body = attempt(randomUUID(), '2026-03-01T09:00:00.000Z', responses(questions, 3));
    const res = await submit(me, PRE, body);
    expect(res.statusCode, res.body).toBe(200);
    const scaled = Math.round((3 / questions.length) * 10000) / 10000;
    expect(res.json()).toEqual({ raw: 3, max: questions.length, scaled, passed: false, passMark: preTest.quiz.passMark, questions: {} });

    const { statements, parts } = await storedWithParts();
    expect(statements.map(verbOf).sort()).toEqual([...questions.map(() => 'answered'), 'completed'].sort());
    const category = [{ objectType: 'Activity', id: `${BASE}categories/pre-test` }];
    for (const s of statements) {
      expect(s['authority']).toEqual(GRADER);
      expect(s['actor']).toEqual(me.agent);
      const context = s['context'] as { contextActivities: { category?: unknown }; extensions: Record<string, string> };
      expect(context.contextActivities.category).toEqual(category);
      expect(context.extensions[`${BASE}extensions/cohort`]).toBe('Bogotá 2027');
    }
    const completed = statements.find((s) => verbOf(s) === 'completed')!;
    expect(completed['object']).toMatchObject({
      id: `${BASE}quizzes/${PRE}`,
      definition: { type: 'http://adlnet.gov/expapi/activities/assessment' },
    });
    expect(completed['result']).toEqual({ score: { scaled, raw: 3, min: 0, max: questions.length }, completion: true, duration: 'PT5M' });
    expect((completed['context'] as { contextActivities: { parent: { id: string }[] } }).contextActivities.parent[0]!.id).toBe(
      `${BASE}modules/understanding-the-convention`,
    );
    expect(statements.filter((s) => s['attachments'] !== undefined)).toEqual([completed]);

    const jwks = (await lrs.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const verify = createVerifier(jwks, 'http://127.0.0.1:4321');
    expect(await verify(completed, parts)).toEqual({ status: 'verified', reason: '' });
    expect(
      await verify(
        {
          ...completed,
          result: { ...(completed['result'] as object), score: { scaled: 1, raw: questions.length, min: 0, max: questions.length } },
        },
        parts,
      ),
    ).toMatchObject({ status: 'self-reported' });
  });

  it('keeps the keys on the server: a learner reading back their own statements finds no correctResponsesPattern, and no per-question verdict of a pre-test', async () => {
    lrs = await createTestLrs();
    const me = await learner('Ana Key');
    const registration = randomUUID();
    expect(
      (await submit(me, PRE, attempt(registration, '2026-03-01T09:00:00.000Z', responses(preTest.quiz.questions, 2)))).statusCode,
    ).toBe(200);
    expect(
      (await submit(me, FINAL, attempt(registration, '2026-03-05T15:00:00.000Z', responses(finalAssessment.quiz.questions, 1)))).statusCode,
    ).toBe(200);
    const own = await lrs.inject({
      method: 'GET',
      url: `/xapi/statements?agent=${encodeURIComponent(JSON.stringify(me.agent))}&limit=100&format=exact`,
      headers: { authorization: basic(me), 'x-experience-api-version': '1.0.3' },
    });
    expect(own.statusCode, own.body).toBe(200);
    const read = own.json().statements as Record<string, unknown>[];
    const answered = read.filter((s) => verbOf(s) === 'answered');
    expect(answered).toHaveLength(preTest.quiz.questions.length + finalAssessment.quiz.questions.length);
    expect(own.body).not.toContain('correctResponsesPattern');
    for (const s of answered) {
      const fromPreTest = JSON.stringify(s['object']).includes(PRE);
      const result = s['result'] as { response: string; success?: boolean };
      expect(typeof result.response).toBe('string');
      expect('success' in result, `${JSON.stringify(s['object'])}`).toBe(!fromPreTest);
    }
  });

  it('feeds the learning gain: pre-test then final assessment of two learners of a cohort, read back from the LRS and verified', async () => {
    lrs = await createTestLrs();
    const registration = randomUUID();
    const [ana, luis] = [await learner('Ana'), await learner('Luis')];
    const pq = preTest.quiz.questions;
    const fq = finalAssessment.quiz.questions;
    // Ana: pre 2/8, final all right but two; Luis: pre 4/8, a failed final (half right).
    for (const [me, preRight, finalRight] of [
      [ana, 2, fq.length - 2],
      [luis, 4, Math.floor(fq.length / 2)],
    ] as const) {
      expect((await submit(me, PRE, attempt(registration, '2026-03-01T09:00:00.000Z', responses(pq, preRight)))).statusCode).toBe(200);
      expect((await submit(me, FINAL, attempt(registration, '2026-03-03T16:00:00.000Z', responses(fq, finalRight)))).statusCode).toBe(200);
    }
    const { statements, parts } = await storedWithParts();
    const verify = createVerifier((await lrs.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json(), 'http://127.0.0.1:4321');
    const builder = new ReportBuilder({}, { catalogue: readCatalogue('es', 'content') });
    for (const s of statements) {
      const verification: Verification | undefined = needsVerification(s as never) ? (await verify(s, parts)).status : undefined;
      builder.add(s as never, verification);
    }
    const scaled = (raw: number, max: number) => Math.round((raw / max) * 10000) / 10000;
    const meanPre = (scaled(2, pq.length) + scaled(4, pq.length)) / 2;
    const meanPost = (scaled(fq.length - 2, fq.length) + scaled(Math.floor(fq.length / 2), fq.length)) / 2;
    const [row] = builder.result().gain;
    expect(row).toMatchObject({ cohort: 'Bogotá 2027', country: 'CO', learners: 2, moduleName: 'Comprender la Convención' });
    expect(row!.meanPre).toBeCloseTo(meanPre, 10);
    expect(row!.meanPost).toBeCloseTo(meanPost, 10);
    expect(row!.gain).toBeCloseTo((meanPost - meanPre) / (1 - meanPre), 10);
  });
});
