import { describe, expect, it } from 'vitest';
import { formatStatement, parseAcceptLanguage, pickLanguage } from '../../src/lrs/statement-format.ts';
import type { FormatOptions } from '../../src/lrs/statement-format.ts';

const ACTIVITY = 'https://example.org/courses/dce/module-1';
const PARENT = 'https://example.org/courses/dce';

const learner = { objectType: 'Agent', name: 'Learner', mbox: 'mailto:learner@example.org' };
const verb = {
  id: 'http://adlnet.gov/expapi/verbs/answered',
  display: { 'en-US': 'answered', fr: 'a répondu', es: 'respondió' },
};
const activity = {
  objectType: 'Activity',
  id: ACTIVITY,
  definition: {
    name: { 'en-US': 'Module 1', 'fr-CA': 'Module 1 (Canada)', fr: 'Module 1 (fr)' },
    description: { 'en-US': 'The first module', fr: 'Le premier module' },
    type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
    interactionType: 'choice',
    correctResponsesPattern: ['a'],
    choices: [
      { id: 'a', description: { 'en-US': 'Yes', fr: 'Oui' } },
      { id: 'b', description: { 'en-US': 'No', fr: 'Non' } },
    ],
    extensions: { 'https://example.org/ext': { 'en-US': 'not a language map to filter' } },
  },
};

/** A statement using every place an Agent, Group, Activity or Verb can appear. */
function fullStatement(): Record<string, unknown> {
  return {
    id: '6690e6c9-3ef0-4ed3-8b37-7f3964730bee',
    actor: learner,
    verb,
    object: activity,
    result: { success: true, response: 'a' },
    context: {
      registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7',
      instructor: { objectType: 'Agent', name: 'Teacher', account: { homePage: 'https://example.org', name: 't1' } },
      team: {
        objectType: 'Group',
        name: 'Team',
        member: [
          { name: 'A', mbox_sha1sum: 'a'.repeat(40) },
          { objectType: 'Agent', name: 'B', openid: 'https://openid.example.org/b' },
        ],
      },
      contextActivities: {
        parent: [{ objectType: 'Activity', id: PARENT, definition: { name: { 'en-US': 'Course', fr: 'Cours' } } }],
        grouping: [{ id: 'https://example.org/programme' }],
        category: [{ id: 'https://example.org/profile', definition: { type: 'http://adlnet.gov/expapi/activities/profile' } }],
        other: [{ objectType: 'Activity', id: 'https://example.org/other', definition: { name: { es: 'Otro' } } }],
      },
    },
    timestamp: '2025-01-31T12:00:00.000Z',
    stored: '2025-01-31T12:00:01.000Z',
    authority: {
      objectType: 'Group',
      member: [
        { name: 'App', account: { homePage: 'https://lrs.example.org', name: 'app' } },
        { name: 'User', mbox: 'mailto:user@example.org' },
      ],
    },
    attachments: [
      {
        usageType: 'http://adlnet.gov/expapi/attachments/signature',
        display: { 'en-US': 'Signature', fr: 'Signature (fr)' },
        description: { 'en-US': 'A signature', fr: 'Une signature' },
        contentType: 'application/octet-stream',
        length: 4,
        sha2: 'b'.repeat(64),
      },
    ],
    version: '1.0.3',
  };
}

/** A statement whose object is a SubStatement about an identified Group. */
function subStatement(): Record<string, unknown> {
  return {
    actor: learner,
    verb,
    object: {
      objectType: 'SubStatement',
      actor: { objectType: 'Group', name: 'Group Identified', mbox: 'mailto:group@example.org', member: [learner] },
      verb: { id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'en-GB': 'attended', 'en-US': 'attended' } },
      object: activity,
      context: { contextActivities: { parent: [{ id: PARENT, definition: { name: { 'en-US': 'Course' } } }] } },
    },
  };
}

const NO_DEFINITIONS: FormatOptions = { languages: [], definitionOf: () => undefined };

describe('formatStatement exact', () => {
  it('returns the statement as stored', () => {
    const statement = fullStatement();
    expect(formatStatement(statement, 'exact', NO_DEFINITIONS)).toBe(statement);
  });
});

describe('formatStatement ids', () => {
  const ids = (statement: Record<string, unknown>): any => formatStatement(statement, 'ids', NO_DEFINITIONS);

  it('reduces the actor to objectType and its identifier, the verb to its id, the object Activity to its id', () => {
    const result = ids(fullStatement());
    expect(result.actor).toEqual({ objectType: 'Agent', mbox: 'mailto:learner@example.org' });
    expect(result.verb).toEqual({ id: verb.id });
    expect(result.object).toEqual({ id: ACTIVITY });
  });

  it('reduces context instructor, team members, and all four context activity lists', () => {
    const { context } = ids(fullStatement());
    expect(context.instructor).toEqual({
      objectType: 'Agent',
      account: { homePage: 'https://example.org', name: 't1' },
    });
    expect(context.team).toEqual({
      objectType: 'Group',
      member: [
        { objectType: 'Agent', mbox_sha1sum: 'a'.repeat(40) },
        { objectType: 'Agent', openid: 'https://openid.example.org/b' },
      ],
    });
    expect(context.contextActivities).toEqual({
      parent: [{ id: PARENT }],
      grouping: [{ id: 'https://example.org/programme' }],
      category: [{ id: 'https://example.org/profile' }],
      other: [{ id: 'https://example.org/other' }],
    });
    expect(context.registration).toBe('ec531277-b57b-4c15-8d91-d292c5b2b8f7');
  });

  it('reduces an anonymous-group authority to its members identifiers', () => {
    expect(ids(fullStatement()).authority).toEqual({
      objectType: 'Group',
      member: [
        { objectType: 'Agent', account: { homePage: 'https://lrs.example.org', name: 'app' } },
        { objectType: 'Agent', mbox: 'mailto:user@example.org' },
      ],
    });
  });

  it('reduces an identified Group to objectType and identifier, dropping name and members', () => {
    const group = { objectType: 'Group', name: 'G', openid: 'https://g.example.org', member: [learner] };
    const statement = { actor: learner, verb, object: group };
    expect(ids(statement).object).toEqual({ objectType: 'Group', openid: 'https://g.example.org' });
  });

  it('reduces an Agent object and keeps a StatementRef', () => {
    const ref = { objectType: 'StatementRef', id: '6690e6c9-3ef0-4ed3-8b37-7f3964730bee' };
    expect(ids({ actor: learner, verb, object: { ...learner } }).object).toEqual({
      objectType: 'Agent',
      mbox: 'mailto:learner@example.org',
    });
    expect(ids({ actor: learner, verb, object: ref }).object).toEqual(ref);
  });

  it('reduces everything inside a SubStatement', () => {
    const { object } = ids(subStatement());
    expect(object).toEqual({
      objectType: 'SubStatement',
      actor: { objectType: 'Group', mbox: 'mailto:group@example.org' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/attended' },
      object: { id: ACTIVITY },
      context: { contextActivities: { parent: [{ id: PARENT }] } },
    });
  });

  it('keeps everything that is not an Agent, Group, Activity or Verb', () => {
    const statement = fullStatement();
    const result = ids(statement);
    for (const key of ['id', 'result', 'timestamp', 'stored', 'attachments', 'version']) {
      expect(result[key]).toEqual(statement[key]);
    }
  });

  it('handles a context activity list that was stored as a single object', () => {
    const context = { contextActivities: { parent: { id: PARENT, definition: {} } } };
    const statement = { actor: learner, verb, object: activity, context };
    expect(ids(statement).context.contextActivities.parent).toEqual({ id: PARENT });
  });

  it('does not mutate its input', () => {
    const statement = fullStatement();
    const before = structuredClone(statement);
    ids(statement);
    ids(subStatement());
    expect(statement).toEqual(before);
  });
});

describe('formatStatement canonical', () => {
  const canonical = (statement: Record<string, unknown>, options: Partial<FormatOptions> = {}): any =>
    formatStatement(statement, 'canonical', { ...NO_DEFINITIONS, ...options });
  const french = parseAcceptLanguage('fr-CA,fr;q=0.9,en;q=0.5');

  it('keeps one language per map, choosing by Accept-Language ("fr-CA,fr;q=0.9,en;q=0.5")', () => {
    const result = canonical(fullStatement(), { languages: french });
    expect(result.verb.display).toEqual({ fr: 'a répondu' });
    expect(result.object.definition.name).toEqual({ 'fr-CA': 'Module 1 (Canada)' });
    expect(result.object.definition.description).toEqual({ fr: 'Le premier module' });
    expect(result.object.definition.choices).toEqual([
      { id: 'a', description: { fr: 'Oui' } },
      { id: 'b', description: { fr: 'Non' } },
    ]);
    expect(result.context.contextActivities.parent[0].definition.name).toEqual({ fr: 'Cours' });
    expect(result.attachments[0].display).toEqual({ fr: 'Signature (fr)' });
    expect(result.attachments[0].description).toEqual({ fr: 'Une signature' });
  });

  it('falls back to the next range, then to the map first entry, when nothing matches', () => {
    const result = canonical(fullStatement(), { languages: ['de', 'en'] });
    expect(result.verb.display).toEqual({ 'en-US': 'answered' });
    // "es" only: no range matches, so the one entry stays.
    expect(result.context.contextActivities.other[0].definition.name).toEqual({ es: 'Otro' });
  });

  it('keeps the first entry when no Accept-Language was sent', () => {
    expect(canonical(fullStatement()).verb.display).toEqual({ 'en-US': 'answered' });
  });

  it('leaves Agents, Groups, result and extensions exact', () => {
    const statement = fullStatement();
    const result = canonical(statement, { languages: french });
    expect(result.actor).toEqual(statement['actor']);
    expect(result.authority).toEqual(statement['authority']);
    expect(result.context.team).toEqual((statement['context'] as any).team);
    expect(result.result).toEqual(statement['result']);
    expect(result.object.definition.extensions).toEqual(activity.definition.extensions);
  });

  it('uses the LRS canonical definition when it has one, else the statement own', () => {
    const definitions: Record<string, Record<string, unknown>> = {
      [ACTIVITY]: { name: { 'en-US': 'Canonical module', fr: 'Module canonique' }, type: 'https://example.org/type' },
    };
    const definitionOf = (id: string) => definitions[id];
    const result = canonical(fullStatement(), { languages: ['fr'], definitionOf });
    expect(result.object.definition).toEqual({ name: { fr: 'Module canonique' }, type: 'https://example.org/type' });
    expect(result.context.contextActivities.parent[0].definition).toEqual({ name: { fr: 'Cours' } });
    // The canonical definition itself is left alone.
    expect(definitions[ACTIVITY]!['name']).toEqual({ 'en-US': 'Canonical module', fr: 'Module canonique' });
  });

  it('gives a definition-less Activity the canonical one', () => {
    const statement = { actor: learner, verb, object: { id: PARENT } };
    const result = canonical(statement, { languages: ['en'], definitionOf: () => ({ name: { 'en-GB': 'Course' } }) });
    expect(result.object).toEqual({ id: PARENT, definition: { name: { 'en-GB': 'Course' } } });
  });

  it('filters inside a SubStatement (the conformance suite "en-GB" case)', () => {
    const result = canonical(subStatement(), { languages: parseAcceptLanguage('en-GB') });
    expect(result.verb.display).toEqual({ 'en-US': 'answered' });
    expect(result.object.verb.display).toEqual({ 'en-GB': 'attended' });
    expect(result.object.object.definition.name).toEqual({ 'en-US': 'Module 1' });
    expect(result.object.actor).toEqual((subStatement()['object'] as any).actor);
  });

  it('does not mutate its input', () => {
    const statement = fullStatement();
    const before = structuredClone(statement);
    canonical(statement, { languages: french });
    expect(statement).toEqual(before);
  });
});

describe('parseAcceptLanguage', () => {
  it('orders ranges by q, keeping header order for ties', () => {
    expect(parseAcceptLanguage('en;q=0.5, fr-CA, es;q=0.5, fr;q=0.9')).toEqual(['fr-CA', 'fr', 'en', 'es']);
  });

  it('drops q=0 and malformed entries', () => {
    expect(parseAcceptLanguage('fr;q=0, en;q=abc, es;q=0.000, de;Q=1.0, ,')).toEqual(['de']);
  });

  it('returns no ranges for an absent or empty header', () => {
    expect(parseAcceptLanguage(undefined)).toEqual([]);
    expect(parseAcceptLanguage('')).toEqual([]);
  });
});

describe('pickLanguage', () => {
  it('prefers an exact match, case-insensitively', () => {
    expect(pickLanguage({ 'en-US': 'a', 'EN-gb': 'b' }, ['en-GB'])).toBe('EN-gb');
  });

  it('lets a range match a longer tag ("fr" matches "fr-CA")', () => {
    expect(pickLanguage({ en: 'a', 'fr-CA': 'b' }, ['fr', 'en'])).toBe('fr-CA');
  });

  it('tries every range before falling back to a same-primary-subtag tag', () => {
    expect(pickLanguage({ 'fr-FR': 'a', en: 'b' }, ['fr-CA', 'en'])).toBe('en');
    expect(pickLanguage({ 'fr-FR': 'a', es: 'b' }, ['fr-CA', 'en'])).toBe('fr-FR');
  });

  it('falls back to "und", then to the first entry', () => {
    expect(pickLanguage({ es: 'a', und: 'b' }, ['de'])).toBe('und');
    expect(pickLanguage({ es: 'a', it: 'b' }, ['de'])).toBe('es');
  });

  it('treats "*" as any language', () => {
    expect(pickLanguage({ es: 'a', it: 'b' }, ['de', '*'])).toBe('es');
  });

  it('has nothing to pick in an empty map', () => {
    expect(pickLanguage({}, ['en'])).toBeUndefined();
  });
});
