import { describe, expect, it } from 'vitest';
import { REPEATED_ID_RULES, SIGNATURE_USAGE_TYPE, SIGNED_PAYLOAD_RULES, sameStatement } from '../../src/lib/xapi/statement-equivalence.ts';

const ID = 'e05aa883-acaf-40ad-bf54-02c8ce485fb0';
const REGISTRATION = '6f0c2d1e-3b4a-4c5d-8e9f-0a1b2c3d4e5f';
const signature = {
  usageType: SIGNATURE_USAGE_TYPE,
  display: { en: 'Signature' },
  contentType: 'application/octet-stream',
  length: 10,
  sha2: 'a'.repeat(64),
};
const certificate = {
  usageType: 'https://example.org/certificate',
  display: { en: 'Certificate' },
  contentType: 'application/pdf',
  length: 20,
  sha2: 'b'.repeat(64),
};

/** A statement as a client sends it: Group actor, context activities, a result with a duration. */
function statement(): Record<string, unknown> {
  return {
    id: ID,
    actor: {
      objectType: 'Group',
      name: 'Team',
      member: [{ mbox: 'mailto:ana@example.org' }, { account: { homePage: 'https://site.example', name: '42' } }],
    },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { en: 'completed' } },
    object: { id: 'https://example.org/activity', definition: { name: { en: 'Activity' } } },
    result: { success: true, duration: 'PT1M30S' },
    context: { registration: REGISTRATION, contextActivities: { parent: [{ id: 'https://example.org/parent' }] } },
    timestamp: '2026-11-20T10:00:00.000Z',
  };
}

/** The same statement as the LRS stores it: id, timestamp, stored, authority, version assigned. */
function stored(): Record<string, unknown> {
  return {
    ...statement(),
    timestamp: '2026-11-20T10:00:00.000Z',
    stored: '2026-11-20T10:00:01.000Z',
    authority: { objectType: 'Agent', account: { homePage: 'https://lrs.example', name: 'site' } },
    version: '1.0.0',
  };
}

describe('sameStatement, differences every comparison ignores (Data 2.3.1)', () => {
  for (const [name, rules] of [
    ['REPEATED_ID_RULES', REPEATED_ID_RULES],
    ['SIGNED_PAYLOAD_RULES', SIGNED_PAYLOAD_RULES],
  ] as const) {
    it(`${name}: ignores authority, stored, property order, member order, UUID and mbox domain case, single context activities`, () => {
      const other = stored();
      const reordered: Record<string, unknown> = Object.fromEntries(Object.entries(other).reverse());
      reordered['id'] = ID.toUpperCase();
      reordered['actor'] = {
        member: [{ account: { name: '42', homePage: 'https://site.example' } }, { mbox: 'mailto:ana@EXAMPLE.ORG' }],
        name: 'Team',
        objectType: 'Group',
      };
      reordered['context'] = {
        contextActivities: { parent: { id: 'https://example.org/parent' } },
        registration: REGISTRATION.toUpperCase(),
      };
      expect(sameStatement(statement(), reordered, rules)).toBe(true);
    });

    it(`${name}: compares everything else exactly, a duration as text and the local part of an mbox with its case`, () => {
      expect(sameStatement(statement(), { ...statement(), result: { success: true, duration: 'PT90S' } }, rules)).toBe(false);
      expect(sameStatement(statement(), { ...statement(), verb: { id: 'http://adlnet.gov/expapi/verbs/passed' } }, rules)).toBe(false);
      const actor = {
        objectType: 'Group',
        name: 'Team',
        member: [{ mbox: 'mailto:ANA@example.org' }, { account: { homePage: 'https://site.example', name: '42' } }],
      };
      expect(sameStatement(statement(), { ...statement(), actor }, rules)).toBe(false);
      expect(sameStatement(statement(), { ...statement(), object: { id: 'https://example.org/Activity' } }, rules)).toBe(false);
    });

    it(`${name}: counts an empty attachments list as none, and compares attachments other than signatures`, () => {
      expect(sameStatement(statement(), { ...statement(), attachments: [] }, rules)).toBe(true);
      expect(sameStatement(statement(), { ...statement(), attachments: [certificate] }, rules)).toBe(false);
      expect(sameStatement({ ...statement(), attachments: [certificate] }, { ...statement(), attachments: [certificate] }, rules)).toBe(
        true,
      );
    });
  }
});

describe('sameStatement with REPEATED_ID_RULES (a statement sent again under a stored id)', () => {
  it('ignores the id, timestamp and version the LRS assigned to the stored copy', () => {
    const resent: Record<string, unknown> = { ...statement(), timestamp: '2026-11-21T08:00:00.000Z', version: '1.0.3' };
    delete resent['id'];
    expect(sameStatement(stored(), resent, REPEATED_ID_RULES)).toBe(true);
  });

  it('compares signature attachments: a statement signed again is another statement', () => {
    const signed = { ...statement(), attachments: [signature] };
    expect(sameStatement(signed, { ...statement(), attachments: [{ ...signature, sha2: 'c'.repeat(64) }] }, REPEATED_ID_RULES)).toBe(false);
    expect(sameStatement(signed, statement(), REPEATED_ID_RULES)).toBe(false);
  });
});

describe('sameStatement with SIGNED_PAYLOAD_RULES (a JWS payload beside its statement, Data 2.6)', () => {
  it('leaves the signature attachment out: the payload predates it', () => {
    expect(sameStatement(statement(), { ...statement(), attachments: [signature] }, SIGNED_PAYLOAD_RULES)).toBe(true);
    expect(
      sameStatement(
        { ...statement(), attachments: [certificate] },
        { ...statement(), attachments: [certificate, signature] },
        SIGNED_PAYLOAD_RULES,
      ),
    ).toBe(true);
  });

  it('compares id, timestamp and version when both sides have them, timestamps as instants', () => {
    expect(sameStatement(statement(), { ...statement(), timestamp: '2026-11-20T11:00:00.000+01:00' }, SIGNED_PAYLOAD_RULES)).toBe(true);
    expect(sameStatement(statement(), { ...statement(), timestamp: '2026-11-20T10:00:01.000Z' }, SIGNED_PAYLOAD_RULES)).toBe(false);
    expect(sameStatement(statement(), { ...statement(), id: '0b6a1bd4-52a1-4c53-9d3c-1d2e3f4a5b6c' }, SIGNED_PAYLOAD_RULES)).toBe(false);
    expect(sameStatement({ ...statement(), version: '1.0.0' }, { ...statement(), version: '1.0.3' }, SIGNED_PAYLOAD_RULES)).toBe(false);
  });

  it('ignores id, timestamp and version given on one side only (the LRS may assign them)', () => {
    const payload = statement();
    delete payload['id'];
    delete payload['timestamp'];
    expect(sameStatement(payload, { ...statement(), version: '1.0.0' }, SIGNED_PAYLOAD_RULES)).toBe(true);
  });

  it('reads timestamps with the parser it is given', () => {
    const never = { ...SIGNED_PAYLOAD_RULES, instant: () => undefined };
    expect(sameStatement(statement(), { ...statement(), timestamp: '2026-11-20T11:00:00.000+01:00' }, never)).toBe(false);
  });
});
