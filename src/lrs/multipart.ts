import { createHash, randomBytes } from 'node:crypto';
import { badRequest } from './errors/xapi-error.ts';
import { parseStatementJson } from './strict-json.ts';

// Statement requests with attachments (xAPI 1.0.3, Communication 1.5.2; Data 2.4.11), parsed by
// hand: the npm multipart parsers either do only multipart/form-data (busboy) or refuse a preamble
// (RFC 2046 allows one, and ADL's conformance suite sends a CRLF before the first boundary).

/** The raw data of one attachment, as received in a multipart/mixed part or served in one. */
export interface AttachmentPart {
  /** The part's Content-Type header; RFC 2045's default when the part has none. */
  contentType: string;
  /** The part's bytes, exactly as sent. */
  content: Buffer;
}

/** A statement request body, split into its statements and its attachment data. */
export interface StatementRequest {
  /** The parsed JSON of the body (application/json) or of the first part (multipart/mixed). */
  json: unknown;
  /** Attachment parts by SHA-2 hash (lowercase hex); empty for application/json. */
  parts: Map<string, AttachmentPart>;
}

/** What checkAttachments reads of an attachment object (Data 2.4.11). */
export interface AttachmentReference {
  sha2: string;
  fileUrl?: string | undefined;
}

/** What checkAttachments reads of a statement: its attachments and a SubStatement's. */
export interface AttachmentHolder {
  attachments?: readonly AttachmentReference[] | undefined;
  object?: unknown;
}

/** The hash algorithm each SHA-2 digest length (in hex characters) implies. */
const SHA2_BY_LENGTH: ReadonlyMap<number, string> = new Map([
  [56, 'sha224'],
  [64, 'sha256'],
  [96, 'sha384'],
  [128, 'sha512'],
]);
const HEX = /^[0-9a-f]+$/i;
// RFC 2046 5.1.1: 1 to 70 characters from bchars, not ending with a space.
const BOUNDARY = /^[0-9a-z'()+_,\-./:=? ]{0,69}[0-9a-z'()+_,\-./:=?]$/i;
// RFC 2045 5.2: a part without Content-Type is plain US-ASCII text.
const DEFAULT_PART_TYPE = 'text/plain; charset=us-ascii';
const CRLF = Buffer.from('\r\n');

/**
 * Split a statement request body into its JSON and its attachment parts, checking the
 * multipart/mixed transmission format.
 * @param body the raw request body
 * @param contentType the request's Content-Type header, e.g.
 *   `multipart/mixed; boundary=abc` or `application/json`
 * @returns `{ json, parts }`: the parsed statements JSON, and the attachment parts keyed by their
 *   X-Experience-API-Hash in lowercase hex (a part sent twice with the same hash is kept once)
 * @throws XapiError 400 when the Content-Type is neither application/json nor multipart/mixed;
 *   when multipart/mixed has no boundary parameter, no delimiter in the body, or no closing
 *   delimiter; when the first part is not Content-Type application/json or not valid JSON; when a
 *   later part lacks X-Experience-API-Hash or `Content-Transfer-Encoding: binary`, or its hash is
 *   not a SHA-2 hex digest or differs from the SHA-2 (224, 256, 384 or 512, by the digest's
 *   length) of the part's bytes. Messages name the part (`part 2: ...`) and header at fault.
 * An attachment part may end right before the next delimiter without the CRLF RFC 2046 puts
 * there, as TinCanJS, @xapi/xapi and xAPIWrapper write it: its SHA-2 settles where its content
 * ends (see splitMultipart).
 * Sources: xAPI 1.0.3, Communication 1.5.1 and 1.5.2 (Requirements for Attachment Statement
 * Batches: first part application/json; each other part with X-Experience-API-Hash and
 * Content-Transfer-Encoding binary; parts matched by SHA-2 only), RFC 2046 5.1 (multipart syntax).
 */
export function parseStatementRequest(body: Buffer, contentType: string): StatementRequest {
  const { mediaType, parameters } = parseContentType(contentType);
  if (mediaType === 'application/json') {
    return { json: parseJson(body, 'body'), parts: new Map() };
  }
  if (mediaType !== 'multipart/mixed') {
    throw badRequest(
      `Content-Type: must be application/json or multipart/mixed for statements, not "${mediaType}" (Communication 1.5)`,
    );
  }
  const boundary = parameters.get('boundary');
  if (boundary === undefined || boundary === '') {
    throw badRequest('Content-Type: multipart/mixed needs a boundary parameter, e.g. multipart/mixed; boundary=abc123');
  }
  if (!BOUNDARY.test(boundary)) {
    throw badRequest('Content-Type: the boundary must be 1 to 70 characters allowed by RFC 2046');
  }
  const [first, ...others] = splitMultipart(body, boundary);
  if (first === undefined) {
    throw badRequest('body: a multipart/mixed statement request needs at least the statements part');
  }
  const firstType = first.headers.get('content-type');
  if (firstType === undefined || parseContentType(firstType).mediaType !== 'application/json') {
    throw badRequest('part 1: the statements part must have Content-Type application/json (Communication 1.5.2)');
  }
  const json = parseJson(first.content, 'part 1');
  const parts = new Map<string, AttachmentPart>();
  others.forEach((part, index) => {
    const label = `part ${index + 2}`;
    const hash = part.headers.get('x-experience-api-hash');
    if (hash === undefined || hash === '') {
      throw badRequest(`${label}: missing the X-Experience-API-Hash header (Communication 1.5.2)`);
    }
    const encoding = part.headers.get('content-transfer-encoding');
    if (encoding?.toLowerCase() !== 'binary') {
      throw badRequest(`${label}: Content-Transfer-Encoding must be binary (Communication 1.5.2)`);
    }
    const algorithm = SHA2_BY_LENGTH.get(hash.length);
    if (algorithm === undefined || !HEX.test(hash)) {
      throw badRequest(`${label}: X-Experience-API-Hash must be a SHA-2 digest in hex (56, 64, 96 or 128 characters)`);
    }
    const sha2 = hash.toLowerCase();
    if (createHash(algorithm).update(part.content).digest('hex') !== sha2) {
      throw badRequest(`${label}: X-Experience-API-Hash ${sha2} is not the ${algorithm.toUpperCase()} of the part's content`);
    }
    parts.set(sha2, { contentType: part.headers.get('content-type') ?? DEFAULT_PART_TYPE, content: part.content });
  });
  return { json, parts };
}

/**
 * Check that the attachment objects of a request's statements and its attachment parts match
 * one to one by SHA-2.
 *
 * Attachments of a statement and of a statement's SubStatement object are both read.
 * @param statements the request's statements (e.g. `Statement[]` from parseStatementBody)
 * @param parts the attachment parts from parseStatementRequest (empty for application/json)
 * @throws XapiError 400 when an attachment without fileUrl has no part with its sha2 (for
 *   application/json, where there are no parts, any attachment without fileUrl), naming it as
 *   `statements[i].attachments[j]`; and when a part's hash is the sha2 of no attachment
 * Sources: xAPI 1.0.3, Communication 1.5.1 (application/json: only attachments with a fileUrl),
 * 1.5.2 ("MUST reject ... Attachments that neither contain a fileUrl nor match a received
 * Attachment part based on their hash"; a part that is no attachment is rejected), Data 2.4.11.
 */
export function checkAttachments(
  statements: readonly AttachmentHolder[],
  parts: ReadonlyMap<string, AttachmentPart>,
): void {
  const referenced = new Set<string>();
  statements.forEach((statement, index) => {
    const lists: Array<[string, readonly AttachmentReference[] | undefined]> = [
      [`statements[${index}].attachments`, statement.attachments],
    ];
    if (isSubStatement(statement.object)) {
      lists.push([`statements[${index}].object.attachments`, statement.object.attachments]);
    }
    for (const [label, attachments] of lists) {
      (attachments ?? []).forEach((attachment, position) => {
        const sha2 = attachment.sha2.toLowerCase();
        referenced.add(sha2);
        if (attachment.fileUrl === undefined && !parts.has(sha2)) {
          throw badRequest(
            parts.size === 0
              ? `${label}[${position}]: has no fileUrl, so its data must be sent as a multipart/mixed part with X-Experience-API-Hash ${sha2} (Communication 1.5)`
              : `${label}[${position}]: has no fileUrl and no multipart/mixed part has X-Experience-API-Hash ${sha2} (Communication 1.5.2)`,
          );
        }
      });
    }
  });
  for (const sha2 of parts.keys()) {
    if (!referenced.has(sha2)) {
      throw badRequest(`part with X-Experience-API-Hash ${sha2}: matches the sha2 of no attachment in the statements (Communication 1.5.2)`);
    }
  }
}

/**
 * Serialize statements and their attachment data as a multipart/mixed response body.
 * @param json the response JSON (a statement or a StatementResult), the first part
 * @param attachments the attachment data to send, one part each in order; repeated sha2 values
 *   are sent once
 * @returns the Content-Type header to send (`multipart/mixed; boundary=...`) and the body bytes:
 *   a part of Content-Type application/json, then per attachment a part with Content-Type,
 *   `Content-Transfer-Encoding: binary` and `X-Experience-API-Hash`, CRLF line ends; the boundary
 *   is random and occurs in no part
 * @throws TypeError when an attachment's sha2 is not a hex SHA-2 digest (a caller's bug)
 * Source: xAPI 1.0.3, Communication 1.5.2 (the transmission format, "An LRS MUST include
 * Attachments in the Transmission Format described above when requested") and 2.1.3 (GET
 * statements with attachments=true).
 */
export function buildMultipartMixed(
  json: unknown,
  attachments: ReadonlyArray<{ sha2: string; contentType: string; content: Buffer }>,
): { contentType: string; body: Buffer } {
  const sections: Array<{ headers: string[]; content: Buffer }> = [
    { headers: ['Content-Type: application/json'], content: Buffer.from(JSON.stringify(json), 'utf8') },
  ];
  const sent = new Set<string>();
  for (const attachment of attachments) {
    const sha2 = attachment.sha2.toLowerCase();
    if (!SHA2_BY_LENGTH.has(sha2.length) || !HEX.test(sha2)) {
      throw new TypeError(`buildMultipartMixed: sha2 "${attachment.sha2}" is not a hex SHA-2 digest`);
    }
    if (sent.has(sha2)) {
      continue;
    }
    sent.add(sha2);
    // A header value cannot hold a line break; one would let stored metadata forge headers.
    const type = /[\r\n]/.test(attachment.contentType) ? 'application/octet-stream' : attachment.contentType;
    sections.push({
      headers: [`Content-Type: ${type}`, 'Content-Transfer-Encoding: binary', `X-Experience-API-Hash: ${sha2}`],
      content: attachment.content,
    });
  }
  let boundary: string;
  do {
    boundary = `xapi${randomBytes(24).toString('hex')}`;
  } while (sections.some((section) => section.content.includes(boundary)));
  const chunks: Buffer[] = [];
  for (const section of sections) {
    chunks.push(Buffer.from(`--${boundary}\r\n${section.headers.join('\r\n')}\r\n\r\n`, 'utf8'), section.content, CRLF);
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

/** One body part: lowercase header names to trimmed values, and the raw content. */
interface RawPart {
  headers: Map<string, string>;
  content: Buffer;
}

/**
 * Split a multipart body on its boundary (RFC 2046 5.1.1). A delimiter line is "--" boundary
 * followed by "--" for the last one or by optional spaces and tabs and a CRLF; it is preceded by
 * a CRLF that belongs to it (the first may open the body without one). Preamble and epilogue are
 * dropped.
 *
 * Liberal where real clients are not: TinCanJS 0.50, @xapi/xapi 3 and ADL's xAPIWrapper write an
 * attachment's bytes straight up to the next "--" boundary, without the CRLF. For a part whose
 * X-Experience-API-Hash is a SHA-2 digest, the content ends at the first delimiter line where the
 * bytes so far (without, else with, the CRLF before it) have that digest; the digest is computed
 * once over the bytes as the search goes, so a body full of boundary-like text costs one pass.
 * When no such place exists the part is cut the strict way and its hash check reports the
 * mismatch. Other parts (the statements) always end the strict way.
 */
function splitMultipart(body: Buffer, boundary: string): RawPart[] {
  const dashBoundary = Buffer.from(`--${boundary}`, 'latin1');
  const delimiter = Buffer.concat([CRLF, dashBoundary]);
  // The delimiter line whose dash-boundary starts at `start`, if the bytes there make one.
  const lineAt = (start: number): DelimiterLine | undefined => {
    const after = start + dashBoundary.length;
    if (body[after] === 0x2d && body[after + 1] === 0x2d) {
      return { start, end: after + 2, close: true };
    }
    let cursor = after;
    while (body[cursor] === 0x20 || body[cursor] === 0x09) {
      cursor += 1;
    }
    return body[cursor] === 0x0d && body[cursor + 1] === 0x0a ? { start, end: cursor + 2, close: false } : undefined;
  };
  // The next delimiter line preceded by CRLF, searching from `from`.
  const strictNext = (from: number): DelimiterLine | undefined => {
    for (let found = body.indexOf(delimiter, from); found !== -1; found = body.indexOf(delimiter, found + 1)) {
      const line = lineAt(found + CRLF.length);
      if (line !== undefined) {
        return line;
      }
    }
    return undefined;
  };

  const first = (body.subarray(0, dashBoundary.length).equals(dashBoundary) ? lineAt(0) : undefined) ?? strictNext(0);
  if (first === undefined) {
    throw badRequest(`body: no "--${boundary}" delimiter line opens a part (Communication 1.5.2, RFC 2046)`);
  }
  let line: DelimiterLine = first;
  const parts: RawPart[] = [];
  while (!line.close) {
    const number = parts.length + 1;
    const following = strictNext(line.end);
    const unclosed = badRequest(`body: the multipart/mixed body does not end with the closing delimiter "--${boundary}--"`);
    // The CRLF before a delimiter belongs to the delimiter, not to the content.
    const raw = body.subarray(line.end, following === undefined ? body.length : following.start - CRLF.length);
    let strict: ReturnType<typeof parsePart>;
    try {
      strict = parsePart(raw, number);
    } catch (error) {
      throw following === undefined ? unclosed : error;
    }
    const hashed: { content: Buffer; next: DelimiterLine } | undefined =
      strict.contentStart === undefined ? undefined : hashedEnd(body, line.end + strict.contentStart, strict.headers, dashBoundary, lineAt);
    if (hashed !== undefined) {
      parts.push({ headers: strict.headers, content: hashed.content });
      line = hashed.next;
    } else if (following === undefined) {
      throw unclosed;
    } else {
      parts.push({ headers: strict.headers, content: strict.content });
      line = following;
    }
  }
  return parts;
}

/** A delimiter line: where its dash-boundary starts, where the line ends, whether it closes the body. */
interface DelimiterLine {
  start: number;
  end: number;
  close: boolean;
}

/**
 * Where a part with an X-Experience-API-Hash ends, found by its digest (see splitMultipart):
 * the content and the delimiter line after it, or undefined when the header is no SHA-2 digest
 * or no delimiter line closes content with that digest.
 */
function hashedEnd(
  body: Buffer,
  contentStart: number,
  headers: ReadonlyMap<string, string>,
  dashBoundary: Buffer,
  lineAt: (start: number) => DelimiterLine | undefined,
): { content: Buffer; next: DelimiterLine } | undefined {
  const expected = headers.get('x-experience-api-hash')?.toLowerCase() ?? '';
  const algorithm = SHA2_BY_LENGTH.get(expected.length);
  if (algorithm === undefined || !HEX.test(expected)) {
    return undefined;
  }
  const running = createHash(algorithm);
  let hashedTo = contentStart;
  const matchesUpTo = (end: number): boolean => {
    running.update(body.subarray(hashedTo, end));
    hashedTo = end;
    return running.copy().digest('hex') === expected;
  };
  for (let found = body.indexOf(dashBoundary, contentStart); found !== -1; found = body.indexOf(dashBoundary, found + 1)) {
    const next = lineAt(found);
    if (next === undefined) {
      continue;
    }
    const withoutCrlf = found - CRLF.length;
    if (withoutCrlf >= hashedTo && body[withoutCrlf] === 0x0d && body[withoutCrlf + 1] === 0x0a && matchesUpTo(withoutCrlf)) {
      return { content: body.subarray(contentStart, withoutCrlf), next };
    }
    if (matchesUpTo(found)) {
      return { content: body.subarray(contentStart, found), next };
    }
    if (next.close) {
      return undefined;
    }
  }
  return undefined;
}

/** Parse a part's header lines (no folding) and keep its content bytes and where they start. */
function parsePart(raw: Buffer, number: number): RawPart & { contentStart: number | undefined } {
  let headerEnd: number;
  let contentStart: number;
  if (raw.length === 0) {
    return { headers: new Map(), content: raw, contentStart: undefined };
  }
  if (raw.subarray(0, 2).equals(CRLF)) {
    headerEnd = 0;
    contentStart = 2;
  } else {
    headerEnd = raw.indexOf('\r\n\r\n');
    if (headerEnd === -1) {
      throw badRequest(`part ${number}: its headers do not end with an empty line`);
    }
    contentStart = headerEnd + 4;
  }
  const headers = new Map<string, string>();
  const text = raw.subarray(0, headerEnd).toString('latin1');
  for (const headerLine of text === '' ? [] : text.split('\r\n')) {
    const colon = headerLine.indexOf(':');
    if (colon <= 0) {
      throw badRequest(`part ${number}: malformed header line "${headerLine.slice(0, 80)}"`);
    }
    headers.set(headerLine.slice(0, colon).trim().toLowerCase(), headerLine.slice(colon + 1).trim());
  }
  return { headers, content: raw.subarray(contentStart), contentStart };
}

/** The media type (lowercase) and parameters (lowercase names, unquoted values) of a Content-Type. */
function parseContentType(value: string): { mediaType: string; parameters: Map<string, string> } {
  const [type = '', ...rest] = splitParameters(value);
  const parameters = new Map<string, string>();
  for (const parameter of rest) {
    const equals = parameter.indexOf('=');
    if (equals <= 0) {
      continue;
    }
    let parameterValue = parameter.slice(equals + 1).trim();
    if (parameterValue.startsWith('"') && parameterValue.endsWith('"') && parameterValue.length >= 2) {
      parameterValue = parameterValue.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    parameters.set(parameter.slice(0, equals).trim().toLowerCase(), parameterValue);
  }
  return { mediaType: type.trim().toLowerCase(), parameters };
}

/** Split a header value on semicolons outside quoted strings. */
function splitParameters(value: string): string[] {
  const pieces: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < value.length; index += 1) {
    const character = value.charAt(index);
    if (quoted && character === '\\') {
      current += character + value.charAt(index + 1);
      index += 1;
    } else if (character === '"') {
      quoted = !quoted;
      current += character;
    } else if (character === ';' && !quoted) {
      pieces.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  pieces.push(current);
  return pieces;
}

/** The statements' JSON of a body or part, exact (see strict-json.ts); `label` names it in errors. */
function parseJson(content: Buffer, label: string): unknown {
  try {
    return parseStatementJson(content);
  } catch (error) {
    throw badRequest(`${label}: ${(error as Error).message}`);
  }
}

function isSubStatement(value: unknown): value is { attachments?: readonly AttachmentReference[] | undefined } {
  return typeof value === 'object' && value !== null && (value as { objectType?: unknown }).objectType === 'SubStatement';
}
