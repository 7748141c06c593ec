import { describe, expect, it } from 'vitest';
import { createLearner, learnerActor, parseLearner, registrationFromQuery } from '../../src/lib/xapi/learner.ts';
import { emptyProgress, moduleNewlyComplete, parseProgress } from '../../src/lib/xapi/progress.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('learner', () => {
  it('a named learner is an Agent with mbox and name, and a registration of their own', () => {
    const l = createLearner({ name: ' Amina Diallo ', email: 'Amina@Example.org ' });
    expect(l).toMatchObject({ kind: 'named', name: 'Amina Diallo', email: 'amina@example.org' });
    expect(l.registration).toMatch(UUID);
    expect(learnerActor(l, 'http://127.0.0.1:4321')).toEqual({ objectType: 'Agent', name: 'Amina Diallo', mbox: 'mailto:amina@example.org' });
  });
  it('an anonymous learner is an account with a random id on the site', () => {
    const l = createLearner(null);
    expect(l.kind).toBe('anonymous');
    const actor = learnerActor(l, 'http://127.0.0.1:4321');
    expect(actor).toEqual({ objectType: 'Agent', account: { homePage: 'http://127.0.0.1:4321', name: expect.stringMatching(UUID) } });
    expect(createLearner(null)).not.toEqual(l);
  });
  it('rejects an empty name and an invalid email with a code the form can show', () => {
    expect(() => createLearner({ name: ' ', email: 'a@b.org' })).toThrow(expect.objectContaining({ code: 'name' }));
    expect(() => createLearner({ name: 'A', email: 'not-an-email' })).toThrow(expect.objectContaining({ code: 'email' }));
  });
  it('reads back what it saved, and nothing malformed', () => {
    const l = createLearner({ name: 'A', email: 'a@b.org' });
    expect(parseLearner(JSON.stringify(l))).toEqual(l);
    expect(parseLearner('{"kind":"named"}')).toBeNull();
    expect(parseLearner('not json')).toBeNull();
    expect(parseLearner(null)).toBeNull();
  });
  it('takes a workshop registration from a link only when it is a UUID', () => {
    expect(registrationFromQuery('?registration=EC531277-B57B-4C15-8D91-D292C5B2B8F7')).toBe('ec531277-b57b-4c15-8d91-d292c5b2b8f7');
    expect(registrationFromQuery('?registration=workshop-1')).toBeNull();
    expect(registrationFromQuery('?registration=00000000-0000-0000-0000-000000000000')).toBeNull();
    expect(registrationFromQuery('')).toBeNull();
  });
});

describe('progress', () => {
  const lessons = ['l1', 'l2'];
  it('completes a module once: all lessons complete and the assessment passed', () => {
    const p = { ...emptyProgress(), lessonsCompleted: ['l1', 'l2'], assessmentsPassed: ['final'] };
    expect(moduleNewlyComplete(p, lessons, 'final', 'm')).toBe(true);
    expect(moduleNewlyComplete({ ...p, modulesCompleted: ['m'] }, lessons, 'final', 'm')).toBe(false);
    expect(moduleNewlyComplete({ ...p, assessmentsPassed: [] }, lessons, 'final', 'm')).toBe(false);
    expect(moduleNewlyComplete({ ...p, lessonsCompleted: ['l1'] }, lessons, 'final', 'm')).toBe(false);
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
    const link = workshopLink('http://127.0.0.1:4321', 'fr', 'understanding-the-convention', { registration, cohort: 'Dakar, mars 2027', country: 'SN' });
    expect(link).toBe(`http://127.0.0.1:4321/fr/modules/understanding-the-convention/?registration=${registration}&cohort=Dakar%2C+mars+2027&country=SN`);
    expect(workshopFromQuery(new URL(link).search)).toEqual({ registration, cohort: 'Dakar, mars 2027', country: 'SN' });
  });
  it('drop a malformed country and refuse a link without a valid registration', async () => {
    const { workshopFromQuery } = await import('../../src/lib/xapi/learner.ts');
    expect(workshopFromQuery(`?registration=${registration}&country=Senegal`)).toEqual({ registration, cohort: '', country: '' });
    expect(workshopFromQuery('?cohort=x&country=SN')).toBeNull();
  });
});
