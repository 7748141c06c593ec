// Whether a signed statement's JWS payload is the statement it is attached to (xAPI 1.0.3 Data
// 2.6, compared by the rules of Data 2.3.1). Pure and browser-safe: the LRS checks it on every
// signed statement it receives (src/lrs/signature.ts), and the Secretariat's report checks it
// again before it counts a completion as verified (src/lib/report/verify.ts).

/** The usageType of the attachment that carries a statement's signature (Data 2.6). */
export const SIGNATURE_USAGE_TYPE = 'http://adlnet.gov/expapi/attachments/signature';

type Json = Record<string, unknown>;

// Properties the LRS may assign while processing a statement (Data 2.3.1.b1).
const ASSIGNED_BY_LRS = ['id', 'version', 'timestamp'] as const;

/**
 * Whether a JWS payload and a statement are the same statement, logically:
 * - `authority` and `stored` are ignored; `id`, `version` and `timestamp` are compared only when
 *   both sides have them (the LRS may assign them), ids ignoring case, timestamps as instants;
 * - the `attachments` of both sides are compared without their signature entries (a missing list
 *   equals an empty one);
 * - single contextActivities objects equal one-element arrays, Group members are unordered, and
 *   the domain of an mbox, a registration and a StatementRef id ignore case.
 * @param payload the decoded JWS payload (a JSON object)
 * @param statement the statement the signature is attached to
 * @param instant milliseconds since the epoch of an ISO 8601 timestamp, or undefined when it is not
 *   one; default Date.parse (the LRS passes its own stricter parser, src/lrs/validate.ts)
 * @returns true when they are the same statement
 * Sources: xAPI 1.0.3 Data 2.6 (the payload is the statement as it was before signing), Data 2.3.1
 * (statement comparison).
 */
export function sameSignedContent(payload: Json, statement: Json, instant: (text: string) => number | undefined = parseInstant): boolean {
  return stableKey(comparable(payload, statement, instant)) === stableKey(comparable(statement, payload, instant));
}

function parseInstant(text: string): number | undefined {
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * A copy of `statement` in the form the comparison rules see (Data 2.3.1): without what the LRS
 * may assign or what is not part of the statement, and with order and case differences that carry
 * no meaning normalised.
 */
function comparable(statement: Json, other: Json, instant: (text: string) => number | undefined): unknown {
  const copy: Json = { ...statement };
  delete copy['authority'];
  delete copy['stored'];
  for (const property of ASSIGNED_BY_LRS) {
    if (copy[property] === undefined || other[property] === undefined) {
      delete copy[property];
    }
  }
  if (typeof copy['id'] === 'string') {
    copy['id'] = copy['id'].toLowerCase();
  }
  if (typeof copy['timestamp'] === 'string') {
    copy['timestamp'] = instant(copy['timestamp']) ?? copy['timestamp'];
  }
  const attachments = Array.isArray(copy['attachments'])
    ? copy['attachments'].filter((item) => !(isObject(item) && item['usageType'] === SIGNATURE_USAGE_TYPE))
    : [];
  if (attachments.length === 0) {
    delete copy['attachments'];
  } else {
    copy['attachments'] = attachments;
  }
  return normalise(copy);
}

/** Normalise meaningless differences everywhere in a statement's JSON tree. */
function normalise(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => normalise(item));
    // Agents in a Group are not an ordered list (Data 2.3.1.b5).
    return key === 'member' ? items.map(stableKey).sort().map((text) => JSON.parse(text) as unknown) : items;
  }
  if (!isObject(value)) {
    if (typeof value === 'string' && key === 'mbox') {
      const at = value.lastIndexOf('@');
      return at === -1 ? value : value.slice(0, at) + value.slice(at).toLowerCase();
    }
    return typeof value === 'string' && key === 'registration' ? value.toLowerCase() : value;
  }
  const result: Json = {};
  for (const [name, child] of Object.entries(value)) {
    let item = normalise(child, name);
    if (item === undefined) {
      continue;
    }
    if (key === 'contextActivities' && !Array.isArray(item)) {
      item = [item];
    }
    result[name] = item;
  }
  if (result['objectType'] === 'StatementRef' && typeof result['id'] === 'string') {
    result['id'] = result['id'].toLowerCase();
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

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
