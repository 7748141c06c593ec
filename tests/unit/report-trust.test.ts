import { createHash } from 'node:crypto';
import type { Statement } from '@xapi/xapi';
import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { ReportBuilder } from '../../src/lib/report/aggregate.ts';
import { readCatalogue } from '../../src/lib/report/catalogue-files.ts';
import { learnersCsv } from '../../src/lib/report/csv.ts';
import { createVerifier, type Verification } from '../../src/lib/report/verify.ts';
import { SIGNATURE_USAGE_TYPE } from '../../src/lib/xapi/signed-content.ts';
import { moduleId, questionId, quizId } from '../../src/lib/xapi/activities.ts';

const origin = 'https://training.example';
const grader = { objectType: 'Agent', name: 'Site grader', account: { homePage: origin, name: 'site-grader' } };
const learner = { objectType: 'Agent', name: 'Awa', account: { homePage: origin, name: '0f6c3a52-1f7e-4b0e-9a57-6b1c2d3e4f50' } };
const m1 = moduleId('understanding-the-convention');
const finalQuiz = quizId('m1-final-assessment');
const content = new URL('../../content/', import.meta.url).pathname;

/** A `passed` statement for module 1's final assessment, as the server grades it (docs/xapi-profile.md). */
function passed(actor: object = learner, scaled = 0.9): Record<string, unknown> {
  return {
    id: crypto.randomUUID(),
    actor,
    verb: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'en-US': 'passed' } },
    object: {
      objectType: 'Activity',
      id: finalQuiz,
      definition: { type: 'http://adlnet.gov/expapi/activities/assessment', name: { en: 'Final assessment' } },
    },
    result: { score: { scaled, raw: scaled * 10, min: 0, max: 10 }, success: true, completion: true },
    context: {
      language: 'fr',
      contextActivities: {
        parent: [{ id: m1, definition: { type: 'http://adlnet.gov/expapi/activities/module', name: { en: 'Module <b>6</b>' } } }],
      },
    },
    timestamp: '2026-11-20T10:00:00.000Z',
  };
}

/** Sign a statement as the grader does: JWS RS256 with kid, attached as Data 2.6 asks; returns the stored form and its parts. */
async function sign(
  statement: Record<string, unknown>,
  key: CryptoKey,
  kid: string,
): Promise<{ stored: Record<string, unknown>; parts: Map<string, string> }> {
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(statement)))
    .setProtectedHeader({ alg: 'RS256', kid })
    .sign(key);
  const sha2 = createHash('sha256').update(jws).digest('hex');
  const stored = {
    ...statement,
    authority: grader,
    stored: '2026-11-20T10:00:01.000Z',
    attachments: [
      {
        usageType: SIGNATURE_USAGE_TYPE,
        display: { 'en-US': 'Signature' },
        contentType: 'application/octet-stream',
        length: jws.length,
        sha2,
      },
    ],
  };
  return { stored, parts: new Map([[sha2, jws]]) };
}

async function siteKeys() {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  return { privateKey, verify: createVerifier({ keys: [jwk] }, origin) };
}

describe('verified or self-reported', () => {
  it('verifies a statement signed with the published key under the grader authority', async () => {
    const { privateKey, verify } = await siteKeys();
    const { stored, parts } = await sign(passed(), privateKey, 'k1');
    expect(await verify(stored, parts)).toEqual({ status: 'verified', reason: '' });
  });

  it('calls a signed copy with a changed name or score self-reported', async () => {
    const { privateKey, verify } = await siteKeys();
    const { stored, parts } = await sign(passed(), privateKey, 'k1');
    const renamed = { ...stored, actor: { ...learner, name: 'Someone else' } };
    const rescored = { ...stored, result: { ...(stored['result'] as object), score: { scaled: 1, raw: 10, min: 0, max: 10 } } };
    expect(await verify(renamed, parts)).toMatchObject({
      status: 'self-reported',
      reason: 'the signed content differs from the statement',
    });
    expect(await verify(rescored, parts)).toMatchObject({ status: 'self-reported' });
  });

  it('calls an unsigned statement, even with a forged grader authority, self-reported', async () => {
    const { verify } = await siteKeys();
    expect(await verify(passed(), new Map())).toEqual({ status: 'self-reported', reason: 'not signed' });
    expect(await verify({ ...passed(), authority: grader }, new Map())).toEqual({ status: 'self-reported', reason: 'not signed' });
  });

  it('calls a statement signed with another key, or with its signature content missing, self-reported', async () => {
    const { verify } = await siteKeys();
    const other = await generateKeyPair('RS256');
    const { stored, parts } = await sign(passed(), other.privateKey, 'k1');
    expect((await verify(stored, parts)).reason).toMatch(/^signature does not verify/);
    expect(await verify(stored, new Map())).toEqual({ status: 'self-reported', reason: 'the signature content was not received' });
  });

  it('calls a statement signed by the key but stored under another authority self-reported', async () => {
    const { privateKey, verify } = await siteKeys();
    const { stored, parts } = await sign(passed(), privateKey, 'k1');
    expect(await verify({ ...stored, authority: learner }, parts)).toEqual({
      status: 'self-reported',
      reason: 'the authority is not the site grader',
    });
    const forwarded = await sign({ ...passed(), authority: grader }, privateKey, 'k1');
    expect(
      await verify(
        { ...forwarded.stored, authority: { objectType: 'Agent', account: { homePage: 'https://other-lrs.example', name: 'forwarder' } } },
        forwarded.parts,
      ),
    ).toMatchObject({ status: 'verified' });
  });
});

describe('the report counts verified completions only, unless asked', () => {
  const catalogue = readCatalogue('fr', content);
  async function report() {
    const { privateKey, verify } = await siteKeys();
    const b = new ReportBuilder({}, { catalogue });
    const signed = await sign(passed(), privateKey, 'k1');
    const mallory = { ...learner, name: 'Mallory', account: { ...learner.account, name: 'mallory' } };
    for (const [s, parts] of [
      [signed.stored, signed.parts],
      [passed(mallory), new Map()],
    ] as const) {
      const v: Verification = (await verify(s, parts)).status;
      b.add(s as unknown as Statement, v);
    }
    return b;
  }

  it('counts the server-graded pass of a final assessment and leaves out a self-posted one', async () => {
    const r = (await report()).result();
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]).toMatchObject({ module: m1, learners: 2, completed: 1, completedSelfReported: 1, attempts: 1, passed: 1 });
    expect(r.learners.find((l) => l.name === 'Mallory')).toMatchObject({ status: 'in progress', verification: '' });
    expect(r.learners.find((l) => l.name === 'Awa')).toMatchObject({ status: 'completed', verification: 'verified' });
    expect(r.timeline).toEqual([{ day: '2026-11-20', completions: 1 }]);
  });

  it('shows self-reported completions, marked so, when asked', async () => {
    const r = (await report()).result(true);
    expect(r.groups[0]).toMatchObject({ completed: 2, completedSelfReported: 1, attempts: 2, passed: 2 });
    expect(r.learners.find((l) => l.name === 'Mallory')).toMatchObject({ status: 'completed', verification: 'self-reported' });
    const csv = learnersCsv(r.learners).split('\r\n');
    expect(csv[0]).toBe('\uFEFFname,learner,module,module_id,status,verification,attempts,passed,last_activity');
    expect(csv.find((line) => line.startsWith('Mallory,'))).toContain(',completed,self-reported,');
  });
});

describe('names come from the site catalogue in the report language', () => {
  it('names modules and questions in French, whatever the statements say', () => {
    const fr = readCatalogue('fr', content);
    const b = new ReportBuilder({}, { catalogue: fr });
    const forged = passed();
    b.add(forged as unknown as Statement, 'verified');
    const answered = {
      ...passed(),
      verb: { id: 'http://adlnet.gov/expapi/verbs/answered' },
      object: {
        id: questionId('m1-final-assessment', 'q1'),
        definition: { type: 'http://adlnet.gov/expapi/activities/cmi.interaction', name: { en: '<img src=x onerror=alert(1)>' } },
      },
    };
    b.add(answered as unknown as Statement);
    const r = b.result();
    expect(r.groups[0]!.moduleName).toBe(fr.names[m1]);
    expect(fr.names[m1]).toMatch(/Convention/);
    expect(fr.names[m1]).not.toBe(readCatalogue('en', content).names[m1]);
    expect(r.questions[0]!.name).toBe(fr.names[questionId('m1-final-assessment', 'q1')]);
    expect(r.questions[0]!.name).not.toContain('<img');
  });

  it('shows an activity the site does not know by its IRI', () => {
    const b = new ReportBuilder({}, { catalogue: readCatalogue('en', content) });
    const unknown = questionId('m1-final-assessment', 'not-a-question');
    b.add({
      ...passed(),
      verb: { id: 'http://adlnet.gov/expapi/verbs/answered' },
      object: { id: unknown, definition: { type: 'http://adlnet.gov/expapi/activities/cmi.interaction', name: { en: 'Forged name' } } },
    } as unknown as Statement);
    expect(b.result().questions.map((q) => q.name)).toEqual([unknown]);
  });

  it('knows every module, lesson and quiz of the content in each language, and no answer key', () => {
    for (const lang of ['en', 'fr', 'es'] as const) {
      const c = readCatalogue(lang, content);
      expect(c.modules).toHaveLength(6);
      expect(Object.values(c.quizzes).filter((q) => q.kind === 'final-assessment')).toHaveLength(6);
      expect(JSON.stringify(c)).not.toMatch(/"(correct|answer|accepted)"/);
    }
  });
});
