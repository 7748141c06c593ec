import { badRequest } from './errors/xapi-error.ts';

/**
 * Exact JSON for request bodies: what the LRS accepts it can give back exactly, and what it
 * cannot, it refuses with a 400 that names the JSON path and the rule, instead of storing
 * something else. Used for statements (routes/statements.ts, multipart.ts), JSON documents
 * (routes/documents.ts, store/documents.ts), the alternate request syntax (alternate-syntax.ts)
 * and JSON query parameters (validate.ts parseAgentParameter).
 *
 * The rules, checked in this order:
 * 1. Bytes are UTF-8 (RFC 8259 8.1); invalid sequences, overlong forms and encoded surrogates
 *    are refused (WHATWG Encoding, TextDecoder with fatal: true), not replaced with U+FFFD.
 * 2. The text is JSON (RFC 8259).
 * 3. Nesting is at most MAX_DEPTH objects or arrays deep.
 * 4. Every string, keys included, is well-formed Unicode: no lone surrogate, written raw or
 *    as an escape such as "\uD800" (RFC 8259 8.2; a database stores it as U+FFFD, so two
 *    different strings would become one).
 * 5. Every number is exact: see isExactNumber.
 * 6. No key "__proto__" anywhere, and no key "constructor" whose value is an object with a
 *    "prototype" key: the rule of secure-json-parse (protoAction and constructorAction "error",
 *    the parser Fastify uses by default). Schemas and JavaScript readers drop "__proto__" or
 *    take it as the object's prototype; the "constructor" shape pollutes prototypes in merges.
 * Repeated keys keep the last value, as JSON.parse does (RFC 8259 4 leaves it to the parser).
 */

/**
 * Deepest nesting of objects and arrays this LRS accepts, in statements and JSON documents:
 * SQLite's JSON functions stop at 1000 levels and recursion in Node at a few thousand; no
 * honest statement or document nests a hundred deep.
 */
export const MAX_DEPTH = 100;

/** Stands in, during parsing, for a number whose text a double cannot hold exactly. */
class InexactNumber {
  readonly source: string;
  constructor(source: string) {
    this.source = source;
  }
}

/**
 * Decode bytes as UTF-8, refusing any invalid sequence rather than replacing it.
 * @param bytes the raw bytes of a body or of one of its parts
 * @param label the name to put in the error, e.g. "body" or "statement"
 * @returns the text (a leading byte order mark is dropped, as RFC 8259 8.1 allows)
 * @throws XapiError 400 "<label>: is not valid UTF-8 ..." naming the first bad byte's offset
 * Source: RFC 8259 8.1 (JSON text exchanged between systems MUST be UTF-8); WHATWG Encoding.
 */
export function decodeUtf8(bytes: Uint8Array, label: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badRequest(`${label}: is not valid UTF-8 (first bad byte at offset ${firstInvalidByte(bytes)}); send text encoded in UTF-8`);
  }
}

/** The offset of the first byte where UTF-8 decoding fails (a binary search on prefixes). */
function firstInvalidByte(bytes: Uint8Array): number {
  // In streaming mode a sequence cut at the end of the prefix is not an error, only a bad one.
  const validUpTo = (end: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (validUpTo(middle)) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return low;
}

/**
 * Tell whether a JSON number's text survives JSON.parse then JSON.stringify with its value.
 *
 * The rule: the number the text denotes, read as an exact decimal, must equal the decimal
 * JavaScript prints for the double it parses to (the shortest one that reads back to that
 * double, ECMA-262 Number::toString). So 1, 1.0, 1e0 and 10e-1 are all accepted (same value);
 * 0.1 is accepted (prints 0.1); 1e20 is accepted (prints 100000000000000000000); but
 * 12345678901234567890 (prints 12345678901234567000), 0.10000000000000000001 (prints 0.1),
 * 1e309 (Infinity, which JSON writes as null) and 1e-400 (0) are not. -0 counts as 0.
 * @param source the number's text as written in the JSON, e.g. "12.50"
 * @returns true when the value is kept exactly
 * Source: RFC 8259 6 ("good interoperability" within IEEE 754 double precision); this LRS's rule.
 */
export function isExactNumber(source: string): boolean {
  const value = Number(source);
  return Number.isFinite(value) && decimalValue(source) === decimalValue(String(value));
}

/** Why a number is not exact, for the error message (see isExactNumber). */
function inexactReason(source: string): string {
  const value = Number(source);
  if (!Number.isFinite(value)) {
    return 'is too large for a double-precision number (it would become null); send it as a string';
  }
  if (value === 0) {
    return 'is too close to zero for a double-precision number (it would become 0); send it as a string';
  }
  return `has more digits than a double-precision number keeps (it would become ${String(value)}); send it as a string or round it`;
}

/**
 * A canonical text of a decimal's exact value: "0", or sign, significant digits without leading
 * or trailing zeros, "e" and the power of ten of the last digit (e.g. "1.50" -> "15e-1").
 */
function decimalValue(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (match === null) {
    return text;
  }
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  if (digits === '') {
    return '0';
  }
  const significant = digits.replace(/0+$/, '');
  const power = BigInt(exponent) - BigInt(fraction.length) + BigInt(digits.length - significant.length);
  return `${sign}${significant}e${power}`;
}

/** A value during the walk, with how it was reached (the path is built only for an error). */
interface Visit {
  value: unknown;
  parent: Visit | undefined;
  key: string | number | undefined;
  depth: number;
}

/**
 * Parse a request body (or part) as exact JSON: see the rules at the top of this file.
 * @param input the raw bytes (decoded as strict UTF-8) or text already decoded
 * @param label the root of the JSON paths in errors, e.g. "statement", "statements", "document"
 * @param maxDepth deepest nesting allowed (default MAX_DEPTH)
 * @returns the parsed value, as JSON.parse gives it
 * @throws XapiError 400 naming the JSON path and the rule, e.g.
 *   `statement.result.score.raw: 12345678901234567890 has more digits than ...`
 * Sources: RFC 8259 (JSON), xAPI 1.0.3 Data 2.2 ("reject Statements ... not ... valid") and
 * Communication 3.2 (400 Bad Request); secure-json-parse (the "__proto__"/"constructor" rule).
 */
export function parseStrictJson(input: Uint8Array | string, label: string, maxDepth: number = MAX_DEPTH): unknown {
  const text = typeof input === 'string' ? input : decodeUtf8(input, label);
  let plain: unknown;
  try {
    plain = JSON.parse(text);
  } catch (error) {
    throw badRequest(`${label}: is not valid JSON: ${(error as Error).message}`);
  }
  // The common case costs one parse and one pass without allocations: the slower walks that
  // build JSON paths, and the reviver that sees the numbers' text, run only when needed.
  const cleanShape = isCleanShape(plain, maxDepth);
  if (cleanShape && !mayHoldInexactNumber(text)) {
    return plain;
  }
  const deep = walk(plain, (visit) =>
    visit.depth >= maxDepth && visit.value !== null && typeof visit.value === 'object'
      ? `nests JSON deeper than ${maxDepth} levels (a limit of this LRS)`
      : undefined,
  );
  if (deep !== undefined) {
    throw badRequest(`${formatPath(label, deep.visit, 8)}: ${deep.problem}`);
  }
  // Parsed again with a reviver for the numbers' source text (JSON.parse source text access,
  // ES2025); only now, because the reviver recurses and the nesting is known to be shallow.
  const value: unknown = JSON.parse(text, (_key, parsed: unknown, context?: { source?: string }) =>
    typeof parsed === 'number' && context?.source !== undefined && !isExactNumber(context.source)
      ? new InexactNumber(context.source)
      : parsed,
  );
  const found = walk(value, problemOf);
  if (found !== undefined) {
    throw badRequest(`${formatPath(label, found.visit)}: ${found.problem}`);
  }
  return value;
}

/**
 * Whether the text may hold a number that is not exact: a run of digits (with a point) of more
 * than 15 significant digits or more than 290 characters, or an exponent beyond 290 either way. Any decimal of at most 15
 * significant digits within the normal range of doubles reads back exactly (DBL_DIG, IEEE 754),
 * so without such a run every number is exact. Strings are scanned too, which only costs a
 * needless check.
 */
function mayHoldInexactNumber(text: string): boolean {
  for (const [number = '', digits = '', exponent] of text.matchAll(/(\d+(?:\.\d+)?)(?:[eE]([+-]?\d+))?/g)) {
    if (number.length > 290 || (number.length > 15 && digits.replace('.', '').replace(/^0+/, '').length > 15)) {
      return true;
    }
    if (exponent !== undefined && Math.abs(Number(exponent)) > 290) {
      return true;
    }
  }
  return false;
}

/** Rules 3, 4 and 6 checked in one pass without building paths: true when none is broken. */
function isCleanShape(root: unknown, maxDepth: number): boolean {
  const values: unknown[] = [root];
  const depths: number[] = [0];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop() ?? 0;
    if (typeof value === 'string') {
      if (!value.isWellFormed()) {
        return false;
      }
    } else if (value !== null && typeof value === 'object') {
      if (depth >= maxDepth) {
        return false;
      }
      if (Array.isArray(value)) {
        for (const item of value) {
          values.push(item);
          depths.push(depth + 1);
        }
      } else {
        for (const key in value) {
          const child = (value as Record<string, unknown>)[key];
          if (
            key === '__proto__' ||
            !key.isWellFormed() ||
            (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype'))
          ) {
            return false;
          }
          values.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return true;
}

/** What is wrong with one value or its key, or undefined (rules 4 to 6). */
function problemOf(visit: Visit): string | undefined {
  const { value, key } = visit;
  if (typeof key === 'string') {
    if (!key.isWellFormed()) {
      return `the key ${JSON.stringify(key)} holds a lone surrogate (an unpaired \\uD800-\\uDFFF); send well-formed Unicode`;
    }
    if (key === '__proto__') {
      return 'the key "__proto__" is refused: JavaScript readers drop it or take it as the prototype; rename it';
    }
    if (key === 'constructor' && value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype')) {
      return 'a "constructor" object with a "prototype" key is refused (prototype pollution); rename it';
    }
  }
  if (typeof value === 'string' && !value.isWellFormed()) {
    return 'holds a lone surrogate (an unpaired \\uD800-\\uDFFF, as an escape or raw); send well-formed Unicode';
  }
  if (value instanceof InexactNumber) {
    return `${value.source} ${inexactReason(value.source)}`;
  }
  return undefined;
}

/** Visit every value depth-first without recursion; the first problem found, with where. */
function walk(root: unknown, check: (visit: Visit) => string | undefined): { visit: Visit; problem: string } | undefined {
  const pending: Visit[] = [{ value: root, parent: undefined, key: undefined, depth: 0 }];
  for (let visit = pending.pop(); visit !== undefined; visit = pending.pop()) {
    const problem = check(visit);
    if (problem !== undefined) {
      return { visit, problem };
    }
    const { value } = visit;
    if (value === null || typeof value !== 'object' || value instanceof InexactNumber) {
      continue;
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : Object.entries(value);
    for (let index = entries.length - 1; index >= 0; index -= 1) {
      const [key, child] = entries[index] as [string | number, unknown];
      pending.push({ value: child, parent: visit, key, depth: visit.depth + 1 });
    }
  }
  return undefined;
}

/**
 * A JSON path such as `statement.result.extensions["http://example.org/x"][0]`; at most `limit`
 * steps are written, the rest shown as "…".
 */
function formatPath(label: string, visit: Visit, limit = Number.POSITIVE_INFINITY): string {
  const keys: Array<string | number> = [];
  for (let step: Visit | undefined = visit; step?.key !== undefined; step = step.parent) {
    keys.unshift(step.key);
  }
  let text = label;
  for (const key of keys.slice(0, limit)) {
    if (typeof key === 'number') {
      text += `[${key}]`;
    } else {
      text += /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    }
  }
  return keys.length > limit ? `${text}…` : text;
}

/**
 * Parse the JSON of a statement request (a body or the first multipart part) as exact JSON.
 * @param input the raw bytes
 * @returns the parsed value: a statement or an array of statements, still to validate
 * @throws XapiError 400 whose path starts with "statements" for an array, else "statement",
 *   as validate.ts's parseStatementBody names them
 * Source: xAPI 1.0.3, Communication 2.1.1 and 2.1.2 (one statement or an array of them).
 */
export function parseStatementJson(input: Uint8Array): unknown {
  const first = input.find(
    (byte) => byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0xef && byte !== 0xbb && byte !== 0xbf,
  );
  return parseStrictJson(input, first === 0x5b ? 'statements' : 'statement');
}
