import { createHash } from 'node:crypto';
import { badRequest } from '../errors/xapi-error.ts';
import { CRLF, HEX, SHA2_BY_LENGTH } from './syntax.ts';

// Cutting a multipart/mixed body into its parts (RFC 2046 5.1.1), liberal where real clients are.

/** One body part: lowercase header names to trimmed values, and the raw content. */
export interface RawPart {
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
 * @param body the request body
 * @param boundary the boundary parameter of its Content-Type, already checked
 * @returns the parts in order, headers parsed
 * @throws XapiError 400 when no delimiter opens a part, the closing delimiter is missing, or a
 *   part's headers are malformed
 */
export function splitMultipart(body: Buffer, boundary: string): RawPart[] {
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
