// The multipart/mixed syntax shared by reading and writing statement requests: SHA-2 digests,
// boundaries, line ends and Content-Type parameters (RFC 2045, RFC 2046).

/** The hash algorithm each SHA-2 digest length (in hex characters) implies. */
export const SHA2_BY_LENGTH: ReadonlyMap<number, string> = new Map([
  [56, 'sha224'],
  [64, 'sha256'],
  [96, 'sha384'],
  [128, 'sha512'],
]);
/** Hexadecimal digits only. */
export const HEX = /^[0-9a-f]+$/i;
/** A boundary parameter (RFC 2046 5.1.1): 1 to 70 characters from bchars, not ending with a space. */
export const BOUNDARY = /^[0-9a-z'()+_,\-./:=? ]{0,69}[0-9a-z'()+_,\-./:=?]$/i;
/** The Content-Type of a part that names none (RFC 2045 5.2: plain US-ASCII text). */
export const DEFAULT_PART_TYPE = 'text/plain; charset=us-ascii';
/** A line end of multipart syntax. */
export const CRLF = Buffer.from('\r\n');

/** The media type (lowercase) and parameters (lowercase names, unquoted values) of a Content-Type. */
export function parseContentType(value: string): { mediaType: string; parameters: Map<string, string> } {
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
