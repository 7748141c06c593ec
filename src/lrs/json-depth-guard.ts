import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest } from './errors/xapi-error.ts';

/**
 * Counts the nesting of JSON objects and arrays in a byte stream, outside strings, without
 * parsing or keeping anything: a few variables per body, whatever its size.
 *
 * Why: JSON.parse of 1 MiB of `[[[[...` builds half a million nested arrays, about 35 MB of
 * heap per body, before any later depth check can refuse it; 24 such bodies at once took the
 * process from 162 to 645 MB (issue 12). Counting brackets while the bytes arrive refuses the
 * body at its first byte past the limit, before it is buffered or parsed.
 *
 * Brackets inside strings do not count; a backslash escapes the next byte inside a string. Bytes
 * of multi-byte UTF-8 characters are never `"`, `\`, `[`, `]`, `{` or `}` (RFC 3629 3), so the
 * scan works on bytes. Malformed JSON (a closing bracket too many) is left to the parser.
 */
export class JsonDepthScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The deepest nesting seen so far (1 for `{}` or `[]`). */
  deepest = 0;

  /**
   * Feed the next bytes of the JSON text.
   * @param chunk bytes, in order
   * @param limit the deepest nesting allowed
   * @returns false as soon as the nesting passes the limit, true otherwise
   */
  push(chunk: Uint8Array, limit: number): boolean {
    for (const byte of chunk) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
        } else if (byte === 0x5c) {
          this.escaped = true;
        } else if (byte === 0x22) {
          this.inString = false;
        }
      } else if (byte === 0x22) {
        this.inString = true;
      } else if (byte === 0x5b || byte === 0x7b) {
        this.depth += 1;
        if (this.depth > this.deepest) {
          this.deepest = this.depth;
          if (this.depth > limit) {
            return false;
          }
        }
      } else if (byte === 0x5d || byte === 0x7d) {
        this.depth -= 1;
      }
    }
    return true;
  }
}

/** Media types whose bodies are JSON text: application/json and any +json type (RFC 6839 3.1). */
function isJsonMediaType(contentType: string | undefined): boolean {
  const media = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return media === 'application/json' || /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+\+json$/.test(media);
}

/**
 * Build a Fastify preParsing hook that refuses a JSON request body nesting objects and arrays
 * deeper than `limit`, while it streams in: the request fails with a 400 at the first byte past
 * the limit, before the body is buffered or JSON.parse builds anything.
 *
 * Applies to bodies whose Content-Type is application/json or +json: statements, JSON
 * documents, and the content of an alternate-syntax request (replayed with its own Content-Type,
 * see routes/protocol.ts). Multipart bodies are checked part by part after parsing
 * (strict-json.ts), as their attachments are not JSON.
 * @param limit deepest nesting allowed, e.g. MAX_DEPTH of strict-json.ts (100)
 * @returns the hook, for `addHook('preParsing', ...)`
 * @throws (through the stream) XapiError 400 "body: nests JSON deeper than N levels ..."
 */
export function jsonDepthGuard(limit: number) {
  return async (request: FastifyRequest, _reply: FastifyReply, payload: NodeJS.ReadableStream): Promise<NodeJS.ReadableStream> => {
    if (!isJsonMediaType(request.headers['content-type'])) {
      return payload;
    }
    const scanner = new JsonDepthScanner();
    const guarded = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
        if (scanner.push(chunk, limit)) {
          callback(null, chunk);
        } else {
          callback(
            badRequest(`body: nests JSON deeper than ${limit} levels (a limit of this LRS); send objects and arrays at most ${limit} deep`),
          );
        }
      },
    });
    payload.on('error', (error: Error) => guarded.destroy(error));
    return payload.pipe(guarded);
  };
}
