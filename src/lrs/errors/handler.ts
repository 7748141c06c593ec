import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  DocumentConflictError,
  DocumentTooLargeError,
  DomainError,
  InvalidDocumentError,
  InvalidVoidingError,
  PreconditionFailedError,
  PreconditionRequiredError,
  StatementConflictError,
} from './domain.ts';
import { XapiError, reasonPhrase } from './xapi-error.ts';

/** The JSON body of every error response. */
export interface ErrorBody {
  /** HTTP reason phrase, e.g. "Bad Request". */
  error: string;
  /** What was wrong, in words a client developer can act on. */
  message: string;
}

/**
 * Fastify error handler: every error becomes `{ error, message }` with the most fitting status.
 *
 * XapiErrors keep their status and headers; the domain errors storage raises get theirs from
 * DOMAIN_STATUSES; Fastify's own client errors (malformed JSON 400, unsupported media type 415,
 * body too large 413) keep theirs; anything else is a bug in the LRS, logged and answered 500
 * without internals. Never throws.
 * @param error what a hook, parser or handler threw
 * @param request the failed request (its logger records 5xx errors)
 * @param reply the reply to fill
 * Source: xAPI 1.0.3, Communication 3.2 (Error Codes).
 */
export function errorHandler(error: FastifyError | XapiError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const status = statusOf(error);
  if (status >= 500) {
    request.log.error({ err: error }, 'unexpected error');
  }
  if (error instanceof XapiError) {
    reply.headers(error.headers);
  }
  const body: ErrorBody = {
    error: reasonPhrase(status),
    message: status >= 500 ? 'The LRS failed to process the request.' : clientMessage(error, request),
  };
  reply.code(status).type('application/json; charset=utf-8').send(body);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * What a route accepts as request bodies, in words, e.g. 'application/json, or multipart/mixed
     * for attachments'; a 415 answer names it. Routes that declare nothing accept application/json.
     */
    accepts?: string | undefined;
  }
}

/**
 * The message of a client error: the error's own, or for Fastify's terse messages of errors found
 * before a route runs (unsupported Content-Type, body too large, bad URL), one that says what was
 * wrong and what is accepted.
 */
function clientMessage(error: Error, request: FastifyRequest): string {
  const { code } = error as Partial<FastifyError>;
  const path = request.url.split('?', 1)[0] ?? '';
  switch (code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const accepts = request.routeOptions.config?.accepts ?? 'application/json';
      const given = request.headers['content-type'];
      return `Content-Type: ${given === undefined ? 'none given' : JSON.stringify(given)} is not accepted by ${request.method} ${path}; it accepts ${accepts}`;
    }
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `body: larger than ${request.routeOptions.bodyLimit ?? 'the'} bytes, the most this LRS accepts in one request; send fewer statements per request or a smaller document`;
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'body: is empty, but Content-Type application/json needs a JSON value';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'Content-Length: differs from the number of bytes of the body received; send the exact length or none';
    case 'FST_ERR_BAD_URL':
      return `URL: ${JSON.stringify(request.url.slice(0, 200))} is not valid percent-encoding; encode text as UTF-8, then each byte outside the URL characters as %XX (RFC 3986)`;
    default:
      return error.message;
  }
}

/**
 * The HTTP status of each rule storage enforces (src/lrs/errors/domain.ts), the one place where
 * they meet HTTP. Source: xAPI 1.0.3, Communication 3.2 (Error Codes) and the sections each
 * error class names.
 */
const DOMAIN_STATUSES: ReadonlyArray<[abstract new (...args: never[]) => DomainError, number]> = [
  [StatementConflictError, 409],
  [InvalidVoidingError, 400],
  [PreconditionFailedError, 412],
  [DocumentConflictError, 409],
  [PreconditionRequiredError, 400],
  [InvalidDocumentError, 400],
  [DocumentTooLargeError, 413],
];

/** The status to answer with: the error's own when it is a client error, else 500. */
function statusOf(error: Error): number {
  if (error instanceof XapiError) {
    return error.statusCode;
  }
  if (error instanceof DomainError) {
    return DOMAIN_STATUSES.find(([kind]) => error instanceof kind)?.[1] ?? 500;
  }
  const { statusCode } = error as Partial<FastifyError>;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 ? statusCode : 500;
}
