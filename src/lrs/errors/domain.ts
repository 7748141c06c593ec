// The rules storage enforces, as errors that name the rule, not an HTTP status: the stores
// (src/lrs/store/) throw them, and the one error handler (src/lrs/errors/handler.ts) maps each
// class to its status. Messages are the reasons a client reads, word for word.

/** A request broke a rule of the stored data; see the subclasses for which. */
export abstract class DomainError extends Error {
  /** @param message the reason, naming the statement or header at fault */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A statement id is already stored with different content: statements are immutable.
 * Source: xAPI 1.0.3, Communication 2.1.1 and 2.1.2 (409 Conflict), Data 2.3.1 (comparison).
 */
export class StatementConflictError extends DomainError {
  /** The id as the request sent it. */
  readonly statementId: string;

  /** @param statementId the id as the request sent it */
  constructor(statementId: string) {
    super(`statement ${statementId} is already stored with different content; statements are immutable`);
    this.statementId = statementId;
  }
}

/**
 * A statement voids a voiding statement, which cannot be voided.
 * Source: xAPI 1.0.3, Data 2.3.2 ("Any Statement that voids another cannot itself be voided").
 */
export class InvalidVoidingError extends DomainError {
  /**
   * @param statementId the voiding statement's id
   * @param targetId the id of the voiding statement it targets, lowercase
   */
  constructor(statementId: string, targetId: string) {
    super(`statement ${statementId}: object.id targets ${targetId}, a voiding statement; voiding statements cannot be voided`);
  }
}

/**
 * If-Match or If-None-Match does not hold for the stored document.
 * Source: xAPI 1.0.3, Communication 3.1 (412 Precondition Failed), RFC 9110 13.1.1-13.1.2.
 */
export class PreconditionFailedError extends DomainError {}

/**
 * A PUT without If-Match or If-None-Match would overwrite a document the client has not seen.
 * Source: xAPI 1.0.3, Communication 3.1 (3.1.s3.b2: 409 Conflict).
 */
export class DocumentConflictError extends DomainError {}

/**
 * A PUT that must carry If-Match or If-None-Match carries neither, and no document exists.
 * Source: xAPI 1.0.3, Communication 3.1 (3.1.s3.b1: 400 Bad Request).
 */
export class PreconditionRequiredError extends DomainError {}

/**
 * A document is not what the operation needs: POST merges application/json objects only.
 * Source: xAPI 1.0.3, Communication 2.2 (2.2.s7, 2.2.s8: 400 Bad Request).
 */
export class InvalidDocumentError extends DomainError {}

/** A merged document would outgrow this LRS's limit (MAX_DOCUMENT_BYTES, src/lrs/store/documents.ts). */
export class DocumentTooLargeError extends DomainError {}
