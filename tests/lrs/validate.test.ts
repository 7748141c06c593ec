import { describe, expect, it } from 'vitest';
import { XapiError } from '../../src/lrs/errors/xapi-error.ts';
import { isIri, isSupportedVersion, isUuid, parseAgentParameter, parseStatementBody, parseTimestamp } from '../../src/lrs/validate.ts';
import { answeredStatement, voidingStatement } from './helper.ts';

/** The message of the 400 that parseStatementBody throws for a body. */
function rejection(body: unknown): string {
  try {
    parseStatementBody(body);
  } catch (error) {
    expect(error).toBeInstanceOf(XapiError);
    expect((error as XapiError).statusCode).toBe(400);
    return (error as XapiError).message;
  }
  throw new Error('the body was accepted');
}

/** A valid statement with one property changed by `change`. */
function changed(change: (statement: Record<string, any>) => void): Record<string, unknown> {
  const statement = structuredClone(answeredStatement()) as Record<string, any>;
  change(statement);
  return statement;
}

describe('parseStatementBody', () => {
  it('accepts a statement as the site sends it and reports it was not a batch', () => {
    const { statements, batch } = parseStatementBody(answeredStatement());
    expect(batch).toBe(false);
    expect(statements).toHaveLength(1);
  });

  it('accepts a batch and reports it was one', () => {
    const { statements, batch } = parseStatementBody([answeredStatement(), answeredStatement()]);
    expect(batch).toBe(true);
    expect(statements).toHaveLength(2);
  });

  it('accepts the minimal statement: actor, verb, object', () => {
    expect(() =>
      parseStatementBody({ actor: { mbox: 'mailto:a@example.org' }, verb: { id: 'http://example.org/v' }, object: { id: 'urn:x:1' } }),
    ).not.toThrow();
  });

  it.each([
    ['an Agent identified by mbox_sha1sum', { mbox_sha1sum: 'A'.repeat(40) }],
    ['an Agent identified by openid', { openid: 'https://openid.example.org/ana' }],
    [
      'an identified Group with members',
      { objectType: 'Group', mbox: 'mailto:team@example.org', member: [{ mbox: 'mailto:a@example.org' }] },
    ],
    ['an anonymous Group', { objectType: 'Group', member: [{ account: { homePage: 'https://x.example', name: '1' } }] }],
  ])('accepts %s as actor', (_label, actor) => {
    expect(() => parseStatementBody(answeredStatement({ actor }))).not.toThrow();
  });

  it.each([
    ['an Agent', { objectType: 'Agent', mbox: 'mailto:b@example.org' }],
    ['a Group', { objectType: 'Group', openid: 'https://openid.example.org/team' }],
    ['a StatementRef', { objectType: 'StatementRef', id: 'e05aa883-acaf-40ad-bf54-02c8ce485fb0' }],
    [
      'a SubStatement',
      {
        objectType: 'SubStatement',
        actor: { mbox: 'mailto:b@example.org' },
        verb: { id: 'http://example.org/will-attend' },
        object: { id: 'https://example.org/workshop' },
        timestamp: '2030-01-01T00:00:00Z',
      },
    ],
  ])('accepts %s as object (without context.platform, reserved for Activities)', (_label, object) => {
    const statement = answeredStatement({ object });
    delete (statement['context'] as Record<string, unknown>)['platform'];
    expect(() => parseStatementBody(statement)).not.toThrow();
  });

  it('turns single context activities into arrays', () => {
    const statement = changed((s) => {
      s['context'].contextActivities.parent = { id: 'https://example.org/parent' };
    });
    const [parsed] = parseStatementBody(statement).statements;
    expect(parsed?.context?.contextActivities?.parent).toEqual([{ id: 'https://example.org/parent' }]);
  });

  it('accepts every interaction type with its own component lists', () => {
    const definitions = [
      { interactionType: 'true-false', correctResponsesPattern: ['true'] },
      { interactionType: 'sequencing', choices: [{ id: 'a' }, { id: 'b' }] },
      { interactionType: 'likert', scale: [{ id: 'agree' }] },
      { interactionType: 'matching', source: [{ id: '1' }], target: [{ id: 'x' }] },
      { interactionType: 'performance', steps: [{ id: 's1' }] },
      { interactionType: 'numeric', correctResponsesPattern: ['4[:]'] },
      { interactionType: 'fill-in' },
      { interactionType: 'long-fill-in' },
      { interactionType: 'other' },
    ];
    for (const definition of definitions) {
      expect(() => parseStatementBody(answeredStatement({ object: { id: 'https://example.org/q', definition } }))).not.toThrow();
    }
  });

  it.each([
    ['timestamp with offset', '2025-03-01T11:15:30.123+01:00'],
    ['timestamp without seconds', '2025-03-01T10:15Z'],
    ['timestamp with microseconds', '2025-03-01T10:15:30.123456Z'],
  ])('accepts a %s', (_label, timestamp) => {
    expect(() => parseStatementBody(answeredStatement({ timestamp }))).not.toThrow();
  });

  it.each([
    ['unknown top-level property', changed((s) => (s['foo'] = 1)), 'statement.foo: is not a property xAPI allows here'],
    ['missing actor', answeredStatement({ actor: undefined }), 'statement.actor: is required'],
    ['missing verb', answeredStatement({ verb: undefined }), 'statement.verb: is required'],
    ['missing object', answeredStatement({ object: undefined }), 'statement.object'],
    [
      'actor without identifier',
      answeredStatement({ actor: { name: 'Ana' } }),
      'statement.actor: an Agent needs exactly one inverse functional identifier',
    ],
    [
      'actor with two identifiers',
      answeredStatement({ actor: { mbox: 'mailto:a@example.org', openid: 'https://openid.example.org/a' } }),
      'found 2',
    ],
    ['mbox without mailto:', answeredStatement({ actor: { mbox: 'a@example.org' } }), 'statement.actor.mbox: must be a mailto IRI'],
    ['mbox_sha1sum of wrong length', answeredStatement({ actor: { mbox_sha1sum: 'abc' } }), 'statement.actor.mbox_sha1sum'],
    ['account without homePage', answeredStatement({ actor: { account: { name: 'x' } } }), 'statement.actor.account.homePage: is required'],
    [
      'account with relative homePage',
      answeredStatement({ actor: { account: { homePage: '/home', name: 'x' } } }),
      'statement.actor.account.homePage: must be an IRI',
    ],
    [
      'unknown actor objectType',
      answeredStatement({ actor: { objectType: 'Person', mbox: 'mailto:a@example.org' } }),
      'statement.actor.objectType',
    ],
    [
      'anonymous Group without members',
      answeredStatement({ actor: { objectType: 'Group', name: 'x' } }),
      'statement.actor.member: is required in an anonymous Group',
    ],
    [
      'Group member that is a Group',
      answeredStatement({ actor: { objectType: 'Group', member: [{ objectType: 'Group', mbox: 'mailto:g@example.org' }] } }),
      'statement.actor.member[0].objectType',
    ],
    ['verb id without scheme', changed((s) => (s['verb'].id = 'answered')), 'statement.verb.id: must be an IRI'],
    [
      'verb display with a bad language tag',
      changed((s) => (s['verb'].display = { 'english!': 'answered' })),
      'statement.verb.display["english!"]: key must be an RFC 5646 language tag',
    ],
    ['verb display value not a string', changed((s) => (s['verb'].display = { en: 3 })), 'statement.verb.display.en: expected string'],
    ['activity id with a space', changed((s) => (s['object'].id = 'https://example.org/a b')), 'statement.object.id: must be an IRI'],
    [
      'Agent object without objectType',
      answeredStatement({ object: { mbox: 'mailto:b@example.org' } }),
      'statement.object.id: is required',
    ],
    [
      'unknown interactionType',
      changed((s) => (s['object'].definition.interactionType = 'essay')),
      'statement.object.definition.interactionType',
    ],
    [
      'choices without interactionType',
      changed((s) => delete s['object'].definition.interactionType),
      'statement.object.definition.choices: is only used with interactionType "choice" or "sequencing"',
    ],
    [
      'choices on a likert question',
      changed((s) => (s['object'].definition.interactionType = 'likert')),
      'statement.object.definition.choices',
    ],
    [
      'repeated choice ids',
      changed((s) => (s['object'].definition.choices[1].id = 'a')),
      'statement.object.definition.choices: repeats the component id "a"',
    ],
    [
      'correctResponsesPattern not an array',
      changed((s) => (s['object'].definition.correctResponsesPattern = 'b')),
      'statement.object.definition.correctResponsesPattern: expected array',
    ],
    [
      'unknown definition property',
      changed((s) => (s['object'].definition.title = 'x')),
      'statement.object.definition.title: is not a property',
    ],
    [
      'StatementRef with a bad id',
      answeredStatement({ object: { objectType: 'StatementRef', id: '42' } }),
      'statement.object.id: must be a UUID',
    ],
    [
      'nested SubStatement',
      answeredStatement({
        context: undefined,
        object: {
          objectType: 'SubStatement',
          actor: { mbox: 'mailto:b@example.org' },
          verb: { id: 'http://example.org/v' },
          object: { objectType: 'SubStatement' },
        },
      }),
      'statement.object.object.objectType: must be "Activity" (or absent), "Agent", "Group" or "StatementRef": a SubStatement cannot nest',
    ],
    [
      'SubStatement with an id',
      answeredStatement({
        context: undefined,
        object: {
          objectType: 'SubStatement',
          id: 'e05aa883-acaf-40ad-bf54-02c8ce485fb0',
          actor: { mbox: 'mailto:b@example.org' },
          verb: { id: 'http://example.org/v' },
          object: { id: 'urn:x:1' },
        },
      }),
      'statement.object.id: is not a property',
    ],
    ['scaled score above 1', changed((s) => (s['result'].score.scaled = 1.5)), 'statement.result.score.scaled'],
    ['scaled score below -1', changed((s) => (s['result'].score.scaled = -2)), 'statement.result.score.scaled'],
    ['raw score above max', changed((s) => (s['result'].score.raw = 2)), 'statement.result.score.raw: must not be above max'],
    ['raw score below min', changed((s) => (s['result'].score.raw = -1)), 'statement.result.score.raw: must not be below min'],
    ['min not below max', changed((s) => (s['result'].score.min = 1)), 'statement.result.score.min: must be less than max'],
    ['score as a string', changed((s) => (s['result'].score.raw = '1')), 'statement.result.score.raw: expected number'],
    ['success as a string', changed((s) => (s['result'].success = 'true')), 'statement.result.success: expected boolean'],
    [
      'duration in seconds only',
      changed((s) => (s['result'].duration = '12.5')),
      'statement.result.duration: must be an ISO 8601 duration',
    ],
    ['duration with nothing after T', changed((s) => (s['result'].duration = 'PT')), 'statement.result.duration'],
    ['duration mixing weeks and days', changed((s) => (s['result'].duration = 'P4W1D')), 'statement.result.duration'],
    ['registration not a UUID', changed((s) => (s['context'].registration = 'abc')), 'statement.context.registration: must be a UUID'],
    [
      'unknown context activity kind',
      changed((s) => (s['context'].contextActivities.sibling = [])),
      'statement.context.contextActivities.sibling',
    ],
    [
      'context activity without id',
      changed((s) => (s['context'].contextActivities.parent = [{}])),
      'statement.context.contextActivities.parent[0].id: is required',
    ],
    ['context language not a tag', changed((s) => (s['context'].language = 'French language')), 'statement.context.language'],
    [
      'extension key not an IRI',
      changed((s) => (s['context'].extensions = { progress: 1 })),
      'statement.context.extensions.progress: key must be an IRI',
    ],
    [
      'platform with a non-Activity object',
      answeredStatement({ object: { objectType: 'Agent', mbox: 'mailto:b@example.org' } }),
      'statement.context.platform: is only allowed when the object is an Activity',
    ],
    ['null value', changed((s) => (s['result'].response = null)), 'statement.result.response: expected string'],
    ['timestamp without time', answeredStatement({ timestamp: '2025-03-01' }), 'statement.timestamp: must be an ISO 8601 timestamp'],
    ['timestamp on 30 February', answeredStatement({ timestamp: '2025-02-30T10:00:00Z' }), 'statement.timestamp'],
    ['timestamp with -00:00', answeredStatement({ timestamp: '2025-03-01T10:00:00-00:00' }), 'statement.timestamp'],
    ['id not a UUID', answeredStatement({ id: 'statement-1' }), 'statement.id: must be a UUID'],
    ['version 2.0.0', answeredStatement({ version: '2.0.0' }), 'statement.version: must start with 1.0'],
    [
      'voided verb with an Activity object',
      changed((s) => (s['verb'].id = 'http://adlnet.gov/expapi/verbs/voided')),
      'statement.object.objectType: must be "StatementRef" in a voiding statement',
    ],
    ['a string', 'hello', 'statement: expected object'],
    ['null', null, 'statement: expected object'],
  ])('rejects %s, naming the field', (_label, body, expected) => {
    expect(rejection(body)).toContain(expected);
  });

  it('names the index of the bad statement in a batch', () => {
    const batch = [answeredStatement(), answeredStatement({ actor: { mbox: 'nobody' } })];
    expect(rejection(batch)).toContain('statements[1].actor.mbox');
  });

  it('rejects a batch in which two statements share an id', () => {
    const statement = answeredStatement();
    const twin = answeredStatement({ id: String(statement['id']).toUpperCase() });
    expect(rejection([statement, twin])).toBe(`statements[1].id: repeats the id of statements[0] in the same batch`);
  });

  it('accepts a voiding statement', () => {
    expect(() => parseStatementBody(voidingStatement('e05aa883-acaf-40ad-bf54-02c8ce485fb0'))).not.toThrow();
  });

  it('accepts null inside extensions, where any JSON is allowed', () => {
    expect(() => parseStatementBody(changed((s) => (s['result'].extensions = { 'https://example.org/x': null })))).not.toThrow();
  });

  it('accepts an attachment that points to its file', () => {
    const attachments = [
      {
        usageType: 'http://example.org/cert',
        display: { en: 'Certificate' },
        contentType: 'application/pdf',
        length: 10,
        sha2: 'a'.repeat(64),
        fileUrl: 'https://example.org/cert.pdf',
      },
    ];
    expect(() => parseStatementBody(answeredStatement({ attachments }))).not.toThrow();
  });
});

describe('parseAgentParameter', () => {
  it('reads an Agent', () => {
    expect(parseAgentParameter('{"mbox":"mailto:a@example.org"}')).toEqual({ mbox: 'mailto:a@example.org' });
  });
  it.each([
    ['text that is not JSON', 'mailto:a@example.org', 'agent: must be a JSON Agent'],
    ['an Agent without identifier', '{"name":"Ana"}', 'agent: an Agent needs exactly one'],
    [
      'an anonymous Group',
      '{"objectType":"Group","member":[{"mbox":"mailto:a@example.org"}]}',
      'agent: an anonymous Group cannot be used as a filter',
    ],
  ])('rejects %s', (_label, json, message) => {
    expect(() => parseAgentParameter(json)).toThrow(message);
  });
});

describe('formats', () => {
  it('parses timestamps to the instant they name', () => {
    expect(parseTimestamp('2025-03-01T11:15:30.123+01:00')?.toISOString()).toBe('2025-03-01T10:15:30.123Z');
    expect(parseTimestamp('2025-03-01T10:15:30.1234567Z')?.toISOString()).toBe('2025-03-01T10:15:30.123Z');
    expect(parseTimestamp('2025-03-01T05:45:00-0430')?.toISOString()).toBe('2025-03-01T10:15:00.000Z');
    expect(parseTimestamp('0099-01-01T00:00:00Z')?.toISOString()).toBe('0099-01-01T00:00:00.000Z');
    expect(parseTimestamp('2025-13-01T00:00:00Z')).toBeUndefined();
    expect(parseTimestamp('2025-01-01T24:00:00Z')).toBeUndefined();
  });
  it('tells IRIs, UUIDs and versions', () => {
    expect(isIri('urn:uuid:e05aa883-acaf-40ad-bf54-02c8ce485fb0')).toBe(true);
    expect(isIri('https://example.org/é')).toBe(true);
    expect(isIri('example.org/x')).toBe(false);
    expect(isUuid('E05AA883-ACAF-40AD-BF54-02C8CE485FB0')).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(false);
    expect(isSupportedVersion('1.0')).toBe(true);
    expect(isSupportedVersion('1.0.3')).toBe(true);
    expect(isSupportedVersion('1.1.0')).toBe(false);
    expect(isSupportedVersion('0.95')).toBe(false);
  });
});
