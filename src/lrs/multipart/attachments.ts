import { badRequest } from '../errors/xapi-error.ts';

// The attachments of statements against the attachment parts of their request (Data 2.4.11).

/** The raw data of one attachment, as received in a multipart/mixed part or served in one. */
export interface AttachmentPart {
  /** The part's Content-Type header; RFC 2045's default when the part has none. */
  contentType: string;
  /** The part's bytes, exactly as sent. */
  content: Buffer;
}

/** What checkAttachments reads of an attachment object (Data 2.4.11). */
export interface AttachmentReference {
  sha2: string;
  fileUrl?: string | undefined;
}

/** What checkAttachments reads of a statement: its attachments and a SubStatement's. */
export interface AttachmentHolder {
  attachments?: readonly AttachmentReference[] | undefined;
  object?: unknown;
}

/**
 * Check that the attachment objects of a request's statements and its attachment parts match
 * one to one by SHA-2.
 *
 * Attachments of a statement and of a statement's SubStatement object are both read.
 * @param statements the request's statements (e.g. `Statement[]` from parseStatementBody)
 * @param parts the attachment parts from parseStatementRequest (empty for application/json)
 * @throws XapiError 400 when an attachment without fileUrl has no part with its sha2 (for
 *   application/json, where there are no parts, any attachment without fileUrl), naming it as
 *   `statements[i].attachments[j]`; and when a part's hash is the sha2 of no attachment
 * Sources: xAPI 1.0.3, Communication 1.5.1 (application/json: only attachments with a fileUrl),
 * 1.5.2 ("MUST reject ... Attachments that neither contain a fileUrl nor match a received
 * Attachment part based on their hash"; a part that is no attachment is rejected), Data 2.4.11.
 */
export function checkAttachments(statements: readonly AttachmentHolder[], parts: ReadonlyMap<string, AttachmentPart>): void {
  const referenced = new Set<string>();
  statements.forEach((statement, index) => {
    const lists: Array<[string, readonly AttachmentReference[] | undefined]> = [
      [`statements[${index}].attachments`, statement.attachments],
    ];
    if (isSubStatement(statement.object)) {
      lists.push([`statements[${index}].object.attachments`, statement.object.attachments]);
    }
    for (const [label, attachments] of lists) {
      (attachments ?? []).forEach((attachment, position) => {
        const sha2 = attachment.sha2.toLowerCase();
        referenced.add(sha2);
        if (attachment.fileUrl === undefined && !parts.has(sha2)) {
          throw badRequest(
            parts.size === 0
              ? `${label}[${position}]: has no fileUrl, so its data must be sent as a multipart/mixed part with X-Experience-API-Hash ${sha2} (Communication 1.5)`
              : `${label}[${position}]: has no fileUrl and no multipart/mixed part has X-Experience-API-Hash ${sha2} (Communication 1.5.2)`,
          );
        }
      });
    }
  });
  for (const sha2 of parts.keys()) {
    if (!referenced.has(sha2)) {
      throw badRequest(
        `part with X-Experience-API-Hash ${sha2}: matches the sha2 of no attachment in the statements (Communication 1.5.2)`,
      );
    }
  }
}

function isSubStatement(value: unknown): value is { attachments?: readonly AttachmentReference[] | undefined } {
  return typeof value === 'object' && value !== null && (value as { objectType?: unknown }).objectType === 'SubStatement';
}
