import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_DIALECT } from './database.ts';
import { ADMIN, READ, WRITE, answeredStatement, basic, createTestLrs, readHeaders } from './helper.ts';
import type { TestLrs } from './helper.ts';

/** The Statement resource's alternate request syntax and formats, through the whole app. */
let lrs: TestLrs;
beforeEach(async () => {
  lrs = await createTestLrs();
});
afterEach(async () => {
  await lrs.close();
});

const FORM = 'application/x-www-form-urlencoded';

function alternate(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return lrs.inject({
    method: 'POST',
    url,
    headers: { 'content-type': FORM, ...headers },
    payload: new URLSearchParams(fields).toString(),
  });
}

describe(`the alternate request syntax (${TEST_DIALECT})`, () => {
  it('stores with ?method=PUT and reads with ?method=GET, headers and parameters as form fields', async () => {
    const statement = answeredStatement();
    const put = await alternate('/xapi/statements?method=PUT', {
      statementId: String(statement['id']),
      Authorization: basic(WRITE),
      'X-Experience-API-Version': '1.0.3',
      'Content-Type': 'application/json',
      content: JSON.stringify(statement),
    });
    expect(put.statusCode, put.body).toBe(204);
    const got = await alternate('/xapi/statements?method=GET', {
      statementId: String(statement['id']),
      Authorization: basic(READ),
      'X-Experience-API-Version': '1.0.3',
    });
    expect(got.statusCode).toBe(200);
    expect(got.json().id).toBe(statement['id']);
    expect(got.headers['x-experience-api-version']).toBe('1.0.3');
  });

  it('checks the carried request as any other: its credential, its version, its parameters', async () => {
    const base = { Authorization: basic(READ), 'X-Experience-API-Version': '1.0.3' };
    expect((await alternate('/xapi/statements?method=GET', { ...base, Authorization: basic({ key: 'x', secret: 'y' }) })).statusCode).toBe(
      401,
    );
    expect((await alternate('/xapi/statements?method=POST', { ...base, content: JSON.stringify(answeredStatement()) })).statusCode).toBe(
      403,
    );
    expect((await alternate('/xapi/statements?method=GET', { ...base, 'X-Experience-API-Version': '0.95' })).statusCode).toBe(400);
    expect((await alternate('/xapi/statements?method=GET', { ...base, colour: 'blue' })).statusCode).toBe(400);
  });

  it('answers 400 to ?method= on a method other than POST, and to query parameters beside method', async () => {
    const put = await lrs.inject({
      method: 'PUT',
      url: '/xapi/statements?method=POST',
      headers: { ...readHeaders, 'content-type': FORM },
      payload: 'a=b',
    });
    expect(put.statusCode).toBe(400);
    expect(
      (await alternate('/xapi/statements?method=GET&limit=1', { Authorization: basic(READ), 'X-Experience-API-Version': '1.0.3' }))
        .statusCode,
    ).toBe(400);
  });

  it('answers 415 to a form body without ?method=', async () => {
    const response = await lrs.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: { ...readHeaders, authorization: basic(WRITE), 'content-type': FORM },
      payload: 'a=b',
    });
    expect(response.statusCode).toBe(415);
  });

  it('reaches resources that have no POST of their own, such as activities', async () => {
    await lrs.post(answeredStatement());
    const response = await alternate('/xapi/activities?method=GET', {
      activityId: 'https://w3id.org/dce-training/en/modules/m1/quiz/q1',
      Authorization: basic(READ),
      'X-Experience-API-Version': '1.0.3',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ objectType: 'Activity', id: 'https://w3id.org/dce-training/en/modules/m1/quiz/q1' });
  });
});

describe(`statement formats (${TEST_DIALECT})`, () => {
  async function getOne(id: unknown, query: string, headers: Record<string, string> = {}) {
    const response = await lrs.inject({
      method: 'GET',
      url: `/xapi/statements?statementId=${String(id)}&${query}`,
      headers: { ...readHeaders, ...headers },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  it('format=ids keeps only identifiers of agents, activities and verbs', async () => {
    const statement = answeredStatement();
    await lrs.post(statement);
    const ids = await getOne(statement['id'], 'format=ids');
    expect(ids.actor).toEqual({ objectType: 'Agent', account: { homePage: 'http://127.0.0.1:4321', name: 'learner-1' } });
    expect(ids.verb).toEqual({ id: 'http://adlnet.gov/expapi/verbs/answered' });
    expect(ids.object).toEqual({ id: 'https://w3id.org/dce-training/en/modules/m1/quiz/q1' });
    expect(ids.result).toEqual(statement['result']);
  });

  it('format=canonical gives the merged definition in the language asked for, one per language map', async () => {
    const first = answeredStatement();
    const later = answeredStatement();
    (later['object'] as { definition: Record<string, unknown> }).definition = {
      name: { en: 'Question one', fr: 'Question un' },
      description: { fr: 'En quelle année la Convention a-t-elle été adoptée ?' },
    };
    // Only a credential with define (or all) changes the canonical definition (Communication 4.2).
    const posted = await lrs.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: { authorization: basic(ADMIN), 'content-type': 'application/json', 'x-experience-api-version': '1.0.3' },
      payload: JSON.stringify([first, later]),
    });
    expect(posted.statusCode).toBe(200);
    const canonical = await getOne(first['id'], 'format=canonical', { 'accept-language': 'fr-CA, fr;q=0.9, en;q=0.5' });
    expect(canonical.verb.display).toEqual({ fr: 'a répondu' });
    expect(canonical.object.definition.name).toEqual({ fr: 'Question un' });
    expect(canonical.object.definition.description).toEqual({ fr: 'En quelle année la Convention a-t-elle été adoptée ?' });
    expect(canonical.object.definition.interactionType).toBe('choice');
    const exact = await getOne(first['id'], 'format=exact');
    expect(exact.object.definition.name).toEqual({ en: 'Question 1', fr: 'Question 1', es: 'Pregunta 1' });
  });

  it('keeps the format in the more link', async () => {
    await lrs.post([answeredStatement(), answeredStatement()]);
    const first = (await lrs.get('limit=1&format=ids')).json();
    expect(first.more).not.toBe('');
    const next = await lrs.inject({ method: 'GET', url: first.more, headers: readHeaders });
    expect(next.json().statements[0].verb).toEqual({ id: 'http://adlnet.gov/expapi/verbs/answered' });
  });
});
