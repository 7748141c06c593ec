import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { Statement } from '../validate.ts';
import { CHUNK, chunks } from './chunks.ts';

/** Attachment content received with statements (multipart/mixed), by lowercase hex SHA-2. */
export type AttachmentParts = ReadonlyMap<string, { contentType: string; content: Buffer }>;

/**
 * Store the content of the attachments the statements cite, once per hash; a hash already stored
 * keeps its first copy. Attachments sent by fileUrl only have no content and store nothing.
 * @param trx the storing transaction
 * @param statements the statements newly stored
 * @param parts the request's attachment parts, or undefined
 * Source: xAPI 1.0.3, Data 2.4.11 (Attachments), Communication 1.5.2.
 */
export async function saveAttachments(
  trx: Transaction<Schema>,
  statements: readonly Statement[],
  parts: AttachmentParts | undefined,
): Promise<void> {
  if (parts === undefined || parts.size === 0) {
    return;
  }
  const rows = new Map<string, { sha2: string; content_type: string; content: Buffer }>();
  for (const statement of statements) {
    for (const attachment of statement.attachments ?? []) {
      const sha2 = attachment.sha2.toLowerCase();
      const part = parts.get(sha2);
      if (part !== undefined) {
        rows.set(sha2, { sha2, content_type: attachment.contentType, content: part.content });
      }
    }
  }
  for (const part of chunks([...rows.values()], 50)) {
    await trx
      .insertInto('attachments')
      .values(part)
      .onConflict((conflict) => conflict.column('sha2').doNothing())
      .execute();
  }
}

/**
 * The stored content of attachments, for GET statements with attachments=true.
 * @param db the database
 * @param sha2s lowercase hex hashes, repeats allowed
 * @returns the content found, by hash (attachments sent by fileUrl only have none)
 */
export async function readAttachments(
  db: Kysely<Schema>,
  sha2s: readonly string[],
): Promise<Map<string, { contentType: string; content: Buffer }>> {
  const found = new Map<string, { contentType: string; content: Buffer }>();
  for (const part of chunks([...new Set(sha2s)], CHUNK)) {
    const rows = await db.selectFrom('attachments').selectAll().where('sha2', 'in', part).execute();
    rows.forEach((row) => found.set(row.sha2, { contentType: row.content_type, content: Buffer.from(row.content) }));
  }
  return found;
}
