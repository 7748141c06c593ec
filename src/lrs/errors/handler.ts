import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
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
 * XapiErrors keep their status and headers; Fastify's own client errors (malformed JSON 400,
 * unsupported media type 415, body too large 413) keep theirs; anything else is a bug in the LRS,
 * logged and answered 500 without internals. Never throws.
 * @param error what a hook, parser or handler threw
 * @param request the failed request (its logger records 5xx errors)
 * @param reply the reply to fill
 * Source: xAPI 1.0.3, Communication 3.2 (Error Codes).
 */
export function errorHandler(
  error: FastifyError | XapiError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = statusOf(error);
  if (status >= 500) {
    request.log.error({ err: error }, 'unexpected error');
  }
  if (error instanceof XapiError) {
    reply.headers(error.headers);
  }
  const body: ErrorBody = {
    error: reasonPhrase(status),
    message: status >= 500 ? 'The LRS failed to process the request.' : error.message,
  };
  reply.code(status).type('application/json; charset=utf-8').send(body);
}

/** The status to answer with: the error's own when it is a client error, else 500. */
function statusOf(error: Error): number {
  if (error instanceof XapiError) {
    return error.statusCode;
  }
  const { statusCode } = error as Partial<FastifyError>;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 ? statusCode : 500;
}
