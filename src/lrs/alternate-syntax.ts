import { Buffer } from 'node:buffer';
import { badRequest } from './errors/xapi-error.ts';

/**
 * The Alternate Request Syntax: a POST carrying the intended method in `?method=` and the rest of
 * the request (headers, query parameters, content) as form fields.
 * Source: xAPI 1.0.3, Communication 1.3 and Appendix C.
 */

/** Methods a request can ask for through `?method=` (the xAPI methods, Communication 1.1 and 2). */
export const ALTERNATE_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'] as const;
/** An xAPI method. */
export type AlternateMethod = (typeof ALTERNATE_METHODS)[number];

/** Form fields that are headers (Communication 1.3.s3.b6), by lowercase name. */
const HEADER_FIELDS = new Set(['authorization', 'x-experience-api-version', 'content-type', 'content-length', 'if-match', 'if-none-match']);
const FORM = 'application/x-www-form-urlencoded';

/** A POST in the alternate syntax, as the route received it. */
export interface AlternateRequest {
  /** The parsed query string; only `method` is allowed. */
  query: Record<string, string | string[] | undefined>;
  /** The request's Content-Type header. */
  contentType: string | undefined;
  /** The raw, still url-encoded form body ("" when there is none). */
  body: string;
  /** The request path without its query string, e.g. "/xapi/statements". */
  url: string;
}

/** The request the alternate syntax stands for, ready to replay (e.g. with Fastify's inject). */
export interface StandardRequest {
  /** The intended method. */
  method: AlternateMethod;
  /** The path plus a query string rebuilt from the non-header form fields, e.g. "/xapi/statements?statementId=…". */
  url: string;
  /**
   * Headers taken from form fields, by lowercase name. Merge them over the POST's own headers
   * (Accept-Language, say, stays in the real header: Communication 1.3.s3.b8).
   */
  headers: Record<string, string>;
  /** The decoded `content` field, or undefined when there was none. */
  payload: string | undefined;
}

/**
 * Translate a POST in the Alternate Request Syntax into the request it stands for.
 *
 * - `method` (query) must be exactly one of GET, PUT, POST, DELETE, HEAD. HTTP methods are
 *   case-sensitive (RFC 9110 9.1) and the spec is silent, so "put" is refused.
 * - The query string may hold nothing but `method` (1.3.s3.b3); a `method` form field is refused too.
 * - The Content-Type must be application/x-www-form-urlencoded (parameters such as charset allowed).
 * - Form fields Authorization, X-Experience-API-Version, Content-Type, Content-Length, If-Match and
 *   If-None-Match (any case) become headers (1.3.s3.b7); `content` becomes the payload, decoded
 *   as UTF-8 (1.3.s3.b5); every other field becomes a query parameter, in form order (1.3.s3.b14).
 * - With content and no Content-Type field, the content type is application/json. The
 *   content-length header is the byte length of the decoded content (a client's Content-Length
 *   field is the length it meant, and a replay carries exactly that content); none without content.
 *
 * @param input the query, Content-Type header, raw body and path of the POST
 * @returns method, url (path + rebuilt query), headers (lowercase names) and payload
 * @throws XapiError 400 when the query has more than `method`, the method is not an xAPI method,
 *   the body is not form-encoded, or a form field is repeated (header names case-insensitively)
 * Source: xAPI 1.0.3, Communication 1.3 (Alternate Request Syntax) and Appendix C.
 */
export function toStandardRequest(input: AlternateRequest): StandardRequest {
  const extra = Object.keys(input.query).filter((name) => name !== 'method' && input.query[name] !== undefined);
  if (extra.length > 0) {
    throw badRequest(`alternate request syntax: the query string may only hold "method"; send ${extra.join(', ')} as form fields`);
  }
  const method = input.query['method'];
  if (typeof method !== 'string' || !(ALTERNATE_METHODS as readonly string[]).includes(method)) {
    throw badRequest(`method: must be one of ${ALTERNATE_METHODS.join(', ')} (alternate request syntax)`);
  }
  const mediaType = (input.contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== FORM) {
    throw badRequest(`Content-Type: must be ${FORM} in the alternate request syntax`);
  }

  const headers: Record<string, string> = {};
  const query = new URLSearchParams();
  const seen = new Set<string>();
  let payload: string | undefined;
  for (const [name, value] of parseForm(input.body)) {
    const lower = name.toLowerCase();
    const isHeader = HEADER_FIELDS.has(lower);
    const key = isHeader ? lower : name;
    if (seen.has(key)) {
      throw badRequest(`${name}: form field repeated (alternate request syntax)`);
    }
    seen.add(key);
    if (name === 'method') {
      throw badRequest('method: belongs in the query string, not the form (alternate request syntax)');
    } else if (name === 'content') {
      payload = value;
    } else if (isHeader) {
      headers[lower] = value;
    } else {
      query.append(name, value);
    }
  }

  delete headers['content-length'];
  if (payload !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload, 'utf8'));
  }
  const search = query.toString();
  const url = search === '' ? input.url : `${input.url}?${search}`;
  return { method: method as AlternateMethod, url, headers, payload };
}

/**
 * Read an application/x-www-form-urlencoded body (or a query string, same format) as
 * URLSearchParams does (WHATWG URL 5.1: split
 * on "&", then on the first "=", "+" is a space), except that a percent-encoding which is not
 * UTF-8 is refused rather than replaced with U+FFFD: the content would be stored changed.
 * @param body the form body, already decoded from strict UTF-8 bytes
 * @returns the fields in order, names and values decoded
 * @throws XapiError 400 naming the field whose percent-encoding is not UTF-8 (e.g. "%FF", or
 *   "%ED%A0%80", an encoded lone surrogate)
 * Source: xAPI 1.0.3, Communication 1.3 (form fields); WHATWG URL 5.1; RFC 3986 2.5 (UTF-8).
 */
export function parseForm(body: string): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  for (const field of body.split('&')) {
    if (field === '') {
      continue;
    }
    const equals = field.indexOf('=');
    const [rawName, rawValue] = equals === -1 ? [field, ''] : [field.slice(0, equals), field.slice(equals + 1)];
    const name = decodeFormComponent(rawName, rawName);
    fields.push([name, decodeFormComponent(rawValue, name)]);
  }
  return fields;
}

/** One form name or value, decoded; a "%" not followed by two hex digits stays as it is (WHATWG URL). */
function decodeFormComponent(text: string, field: string): string {
  const spaced = text.replaceAll('+', ' ');
  try {
    return decodeURIComponent(spaced.replace(/%(?![0-9a-f]{2})/gi, '%25'));
  } catch {
    throw badRequest(`${field}: its percent-encoding is not UTF-8 (RFC 3986 2.5); encode the text as UTF-8 before percent-encoding it`);
  }
}

/**
 * Whether a request uses the alternate request syntax: a POST whose query string has `method`.
 * Its own hooks (version header, credentials) are skipped; the request it carries is replayed
 * and checked in full.
 * @param request any request
 * @returns true for e.g. POST /xapi/statements?method=GET
 * Source: xAPI 1.0.3, Communication 1.3.
 */
export function isAlternateSyntax(request: { method: string; query: unknown }): boolean {
  return request.method === 'POST' && typeof request.query === 'object' && request.query !== null && 'method' in request.query;
}
