import { createHash } from 'node:crypto';
import { badRequest } from './errors/xapi-error.ts';
import type { AttachmentPart } from './multipart/attachments.ts';
import { splitMultipart } from './multipart/split.ts';
import { BOUNDARY, DEFAULT_PART_TYPE, HEX, SHA2_BY_LENGTH, parseContentType } from './multipart/syntax.ts';
import { parseStatementJson } from './strict-json.ts';

// Statement requests with attachments (xAPI 1.0.3, Communication 1.5.2; Data 2.4.11), parsed by
// hand: the npm multipart parsers either do only multipart/form-data (busboy) or refuse a preamble
// (RFC 2046 allows one, and ADL's conformance suite sends a CRLF before the first boundary).
// One module per concern under src/lrs/multipart/: syntax.ts (digests, Content-Type), split.ts
// (cutting a body into parts), attachments.ts (statements' attachments against parts), build.ts
// (writing a multipart/mixed response).

export { checkAttachments } from './multipart/attachments.ts';
export type { AttachmentHolder, AttachmentPart, AttachmentReference } from './multipart/attachments.ts';
export { buildMultipartMixed } from './multipart/build.ts';

/** A statement request body, split into its statements and its attachment data. */
export interface StatementRequest {
  /** The parsed JSON of the body (application/json) or of the first part (multipart/mixed). */
  json: unknown;
  /** Attachment parts by SHA-2 hash (lowercase hex); empty for application/json. */
  parts: Map<string, AttachmentPart>;
}

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
    throw badRequest(`Content-Type: must be application/json or multipart/mixed for statements, not "${mediaType}" (Communication 1.5)`);
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

/** The statements' JSON of a body or part, exact (see strict-json.ts); `label` names it in errors. */
function parseJson(content: Buffer, label: string): unknown {
  try {
    return parseStatementJson(content);
  } catch (error) {
    throw badRequest(`${label}: ${(error as Error).message}`);
  }
}
