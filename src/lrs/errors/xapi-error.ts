import { STATUS_CODES } from 'node:http';

/**
 * An error the LRS answers with on purpose: an HTTP status and a reason a client can act on.
 *
 * Throw it anywhere below a route; the error handler turns it into `{ error, message }`.
 * Source: xAPI 1.0.3, Communication 3.2 (Error Codes: "the error code most appropriate to the
 * error condition" and "a message in the response explaining the cause of the error").
 */
export class XapiError extends Error {
  /** HTTP status code, 4xx for anything the client can fix. */
  readonly statusCode: number;
  /** Extra response headers, e.g. WWW-Authenticate on a 401. */
  readonly headers: Readonly<Record<string, string>>;

  /**
   * @param statusCode HTTP status, e.g. 400, 401, 403, 404, 409
   * @param message the reason, naming the parameter or statement field at fault
   * @param headers response headers to send with the error
   */
  constructor(statusCode: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'XapiError';
    this.statusCode = statusCode;
    this.headers = headers;
  }
}

/**
 * Build a 400 Bad Request error, the answer to any malformed parameter or statement.
 * @param message the reason, naming the field path (e.g. `statements[1].actor.mbox: ...`)
 * @returns the error to throw
 * Source: xAPI 1.0.3, Communication 3.2 ("400 Bad Request ... invalid or missing argument").
 */
export function badRequest(message: string): XapiError {
  return new XapiError(400, message);
}

/**
 * The HTTP reason phrase for a status, used as the `error` field of error bodies.
 * @param statusCode an HTTP status code
 * @returns e.g. "Bad Request" for 400; "Error" for an unknown code
 */
export function reasonPhrase(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? 'Error';
}
