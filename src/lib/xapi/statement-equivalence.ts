// When two statements are the same statement (xAPI 1.0.3 Data 2.3.1, "Statement Comparison
// Requirements"): one rule for the LRS's immutability check (src/lrs/store/save.ts), its signature
// check (src/lrs/signature.ts) and the Secretariat's report (src/lib/report/verify.ts, through
// src/lib/xapi/signed-content.ts). Pure and browser-safe.

/** The usageType of the attachment that carries a statement's signature (Data 2.6). */
export const SIGNATURE_USAGE_TYPE = 'http://adlnet.gov/expapi/attachments/signature';

type Json = Record<string, unknown>;

/** What a comparison leaves out beyond the differences every comparison ignores (see sameStatement). */
export interface ComparisonRules {
  /**
   * The properties the LRS may assign, id, timestamp and version (Data 2.3.1.b1; authority and
   * stored, also assigned, are always left out):
   * - 'ignored': left out of both sides, because one side is a stored copy that carries the LRS's
   *   assignments, which cannot be told from values the client sent;
   * - 'compared-when-both-given': compared when both sides have them (ids ignoring case,
   *   timestamps as instants), because both sides are as the client sent them.
   */
  assigned: 'ignored' | 'compared-when-both-given';
  /**
   * Whether signature attachments (usageType SIGNATURE_USAGE_TYPE) are compared: not for a JWS
   * payload, which is the statement as it was before its signature was added (Data 2.6).
   */
  signatureAttachments: 'compared' | 'ignored';
  /**
   * Milliseconds since the epoch of an ISO 8601 timestamp, or undefined when the text is not one;
   * default Date.parse (the LRS passes its stricter parseTimestamp, src/lrs/validate.ts).
   */
  instant?: ((text: string) => number | undefined) | undefined;
}

/**
 * A statement sent again under an id the LRS already stores (Communication 2.1.1 and 2.1.2): the
 * stored copy has the LRS's id, timestamp, version, authority and stored, so all are ignored.
 */
export const REPEATED_ID_RULES: ComparisonRules = { assigned: 'ignored', signatureAttachments: 'compared' };

/**
 * A signed statement's JWS payload beside the statement it is attached to (Data 2.6, "Signed
 * Statements"): both are as the client sent them; the payload predates its signature attachment.
 */
export const SIGNED_PAYLOAD_RULES: ComparisonRules = { assigned: 'compared-when-both-given', signatureAttachments: 'ignored' };

/**
 * Whether two statements are the same statement.
 *
 * Always ignored, whatever the rules (Data 2.3.1.s9.b1: differences that the exceptions to
 * immutability could cause):
 * - `authority` and `stored` (b1), and the order of properties;
 * - the order of a Group's members (b5);
 * - a single contextActivities object against a one-element array (Data 2.4.6.2: the LRS returns
 *   arrays);
 * - case (b7): of a UUID under an `id` or `registration` key (statement ids, StatementRef ids,
 *   registrations) and of the domain of an `mbox`;
 * - an empty attachments list against none.
 * Then `rules` says how id, timestamp and version, and signature attachments, count. Everything
 * else is compared exactly, strings as strings (b8: a result's duration is compared as text).
 * @param a a statement as JSON (validated or not)
 * @param b another
 * @param rules REPEATED_ID_RULES or SIGNED_PAYLOAD_RULES (or these with another `instant`)
 * @returns true when they are the same statement
 * Source: xAPI 1.0.3, Data 2.3.1 (Statement Immutability, Statement Comparison Requirements).
 */
export function sameStatement(a: Json, b: Json, rules: ComparisonRules): boolean {
  return stableKey(significant(a, b, rules)) === stableKey(significant(b, a, rules));
}

/** Properties the LRS may assign that a comparison drops or keeps by `rules.assigned`. */
const MAYBE_ASSIGNED = ['id', 'timestamp', 'version'] as const;

/** A copy of `statement` as the rules see it, given the statement it is compared with. */
function significant(statement: Json, other: Json, rules: ComparisonRules): unknown {
  const copy: Json = { ...statement };
  delete copy['authority'];
  delete copy['stored'];
  for (const property of MAYBE_ASSIGNED) {
    if (rules.assigned === 'ignored' || copy[property] === undefined || other[property] === undefined) {
      delete copy[property];
    }
  }
  if (typeof copy['timestamp'] === 'string') {
    copy['timestamp'] = (rules.instant ?? parseInstant)(copy['timestamp']) ?? copy['timestamp'];
  }
  const attachments = Array.isArray(copy['attachments'])
    ? copy['attachments'].filter((item) => rules.signatureAttachments === 'compared' || !isSignature(item))
    : [];
  if (attachments.length === 0) {
    delete copy['attachments'];
  } else {
    copy['attachments'] = attachments;
  }
  return normalise(copy, '');
}

const UUID_FORM = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Normalise the differences that carry no meaning, everywhere in a statement's JSON tree. */
function normalise(value: unknown, key: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => normalise(item, ''));
    return key === 'member'
      ? items
          .map(stableKey)
          .sort()
          .map((text) => JSON.parse(text) as unknown)
      : items;
  }
  if (typeof value === 'string') {
    if (key === 'mbox') {
      const at = value.lastIndexOf('@');
      return at === -1 ? value : value.slice(0, at) + value.slice(at).toLowerCase();
    }
    return (key === 'id' || key === 'registration') && UUID_FORM.test(value) ? value.toLowerCase() : value;
  }
  if (!isObject(value)) {
    return value;
  }
  const result: Json = {};
  for (const [name, child] of Object.entries(value)) {
    const item = normalise(child, name);
    if (item !== undefined) {
      result[name] = key === 'contextActivities' && !Array.isArray(item) ? [item] : item;
    }
  }
  return result;
}

/** A string that is equal for values with equal content, whatever their key order. */
function stableKey(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(stableKey).join(',')}]`;
  }
  if (isObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((name) => `${JSON.stringify(name)}:${stableKey(value[name])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function parseInstant(text: string): number | undefined {
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

function isSignature(attachment: unknown): boolean {
  return isObject(attachment) && attachment['usageType'] === SIGNATURE_USAGE_TYPE;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
