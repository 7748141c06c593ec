import { randomBytes } from 'node:crypto';
import { CRLF, HEX, SHA2_BY_LENGTH } from './syntax.ts';

// Writing statements and their attachments as a multipart/mixed response.

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
