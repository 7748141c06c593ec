import { describe, expect, it } from 'vitest';
import {
  basicAuthorization,
  createLearner,
  parseCredential,
  parseLearner,
  pendingActor,
  pseudonym,
  registrationFromQuery,
} from '../../src/lib/xapi/learner.ts';
import { normalizeCode } from '../../src/lib/xapi/credential.ts';
import { emptyProgress, parseProgress, withServerGrade } from '../../src/lib/xapi/progress.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('learner', () => {
  it('a named learner keeps a trimmed name, the email only when given, and a registration of their own', () => {
    const l = createLearner({ name: ' Amina Diallo ', email: 'Amina@Example.org ' });
    expect(l).toEqual({ name: 'Amina Diallo', email: 'amina@example.org', registration: expect.stringMatching(UUID) });
    expect(createLearner({ name: 'Amina', email: ' ' })).toEqual({ name: 'Amina', registration: expect.stringMatching(UUID) });
  });
  it('an anonymous learner gets a pseudonym of four unambiguous characters in the page language', () => {
    const l = createLearner(null, 'Apprenant {{code}}');
    expect(l.name).toMatch(/^Apprenant [2-9A-HJKMNP-Z]{4}$/);
    expect(l).not.toHaveProperty('email');
    expect(pseudonym('Learner {{code}}', new Uint8Array([0, 1, 30, 31]))).toBe('Learner 23Z2');
  });
  it('rejects an empty or too long name and an invalid email with a code the form can show', () => {
    expect(() => createLearner({ name: ' ', email: 'a@b.org' })).toThrow(expect.objectContaining({ code: 'name' }));
    expect(() => createLearner({ name: 'x'.repeat(101), email: '' })).toThrow(expect.objectContaining({ code: 'name' }));
    expect(() => createLearner({ name: 'A', email: 'not-an-email' })).toThrow(expect.objectContaining({ code: 'email' }));
  });
  it('reads back what it saved, and nothing malformed', () => {
    const l = createLearner({ name: 'A', email: 'a@b.org' });
    expect(parseLearner(JSON.stringify(l))).toEqual(l);
    expect(parseLearner('{"kind":"named"}')).toBeNull();
    expect(parseLearner('not json')).toBeNull();
    expect(parseLearner(null)).toBeNull();
  });
  it('reads the learners of the first release, so their progress on the device is kept', () => {
    const registration = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
    expect(parseLearner(JSON.stringify({ kind: 'named', name: 'Awa', email: 'awa@example.org', registration }))).toEqual({
      name: 'Awa',
      email: 'awa@example.org',
      registration,
    });
    // The pseudonym comes from the anonymous id's first bytes (0x3f 0x2c 0x6a 0x8e), always the same.
    expect(parseLearner(JSON.stringify({ kind: 'anonymous', id: '3f2c6a8e-7d1b-4e5f-9a0c-1b2d3e4f5a6b', registration }))).toEqual({
      name: 'Learner 3FFM',
      registration,
    });
  });
  it('a credential needs a key, a secret and an agent account; its header is HTTP Basic of key:secret', () => {
    const agent = { objectType: 'Agent', name: 'Awa', account: { homePage: 'http://127.0.0.1:4321', name: 'e0a1' } };
    expect(parseCredential(JSON.stringify({ key: 'k', secret: 's', agent }))).toEqual({ key: 'k', secret: 's', agent });
    expect(parseCredential(JSON.stringify({ key: 'k', secret: '', agent }))).toBeNull();
    expect(parseCredential(JSON.stringify({ key: 'k', secret: 's', agent: { mbox: 'mailto:a@b.org' } }))).toBeNull();
    expect(basicAuthorization({ key: 'k', secret: 'sé' })).toBe(`Basic ${Buffer.from('k:sé').toString('base64')}`);
  });
  it('a statement queued before the credential carries a placeholder actor the transport replaces', () => {
    expect(pendingActor({ name: 'Awa', registration: 'x' }, 'http://h')).toEqual({
      objectType: 'Agent',
      name: 'Awa',
      account: { homePage: 'http://h', name: 'pending' },
    });
  });
  it('a transfer code is read as typed: spaces, case and the hyphen do not matter', () => {
    expect(normalizeCode(' k7p3 xm4q ')).toBe('K7P3-XM4Q');
    expect(normalizeCode('k7p3-xm4q')).toBe('K7P3-XM4Q');
  });
  it('takes a workshop registration from a link only when it is a UUID', () => {
    expect(registrationFromQuery('?registration=EC531277-B57B-4C15-8D91-D292C5B2B8F7')).toBe('ec531277-b57b-4c15-8d91-d292c5b2b8f7');
    expect(registrationFromQuery('?registration=workshop-1')).toBeNull();
    expect(registrationFromQuery('?registration=00000000-0000-0000-0000-000000000000')).toBeNull();
    expect(registrationFromQuery('')).toBeNull();
  });
});

describe('progress', () => {
  it('completes a module only with a server-graded pass, once', () => {
    const p = { ...emptyProgress(), lessonsCompleted: ['l1', 'l2'] };
    expect(withServerGrade(p, 'final', 'm', false)).toEqual(p);
    const passed = withServerGrade(p, 'final', 'm', true);
    expect(passed).toEqual({ lessonsCompleted: ['l1', 'l2'], assessmentsPassed: ['final'], modulesCompleted: ['m'] });
    expect(withServerGrade(passed, 'final', 'm', true)).toEqual(passed);
    expect(withServerGrade(passed, 'final', 'm', false)).toEqual(passed);
    expect(p.modulesCompleted).toEqual([]);
  });
  it('reads malformed progress as empty', () => {
    expect(parseProgress('{"lessonsCompleted": "x"}')).toEqual(emptyProgress());
    expect(parseProgress(null)).toEqual(emptyProgress());
  });
});

describe('workshop links', () => {
  const registration = 'ec531277-b57b-4c15-8d91-d292c5b2b8f7';
  it('carry the registration, the cohort and the country to the module page', async () => {
    const { workshopFromQuery, workshopLink } = await import('../../src/lib/xapi/learner.ts');
    const link = workshopLink('http://127.0.0.1:4321', 'fr', 'understanding-the-convention', {
      registration,
      cohort: 'Dakar, mars 2027',
      country: 'SN',
    });
    expect(link).toBe(
      `http://127.0.0.1:4321/fr/modules/understanding-the-convention/?registration=${registration}&cohort=Dakar%2C+mars+2027&country=SN`,
    );
    expect(workshopFromQuery(new URL(link).search)).toEqual({ registration, cohort: 'Dakar, mars 2027', country: 'SN' });
  });
  it('drop a malformed country and refuse a link without a valid registration', async () => {
    const { workshopFromQuery } = await import('../../src/lib/xapi/learner.ts');
    expect(workshopFromQuery(`?registration=${registration}&country=Senegal`)).toEqual({ registration, cohort: '', country: '' });
    expect(workshopFromQuery('?cohort=x&country=SN')).toBeNull();
  });
});
