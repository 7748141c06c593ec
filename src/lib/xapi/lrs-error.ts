/**
 * A request to an LRS that failed. `status` is the LRS's HTTP status (400 invalid, 401 wrong
 * credential, 403 not permitted, 409 conflict, 5xx server error), absent when the LRS could not
 * be reached or its answer was not what xAPI 1.0.3 (Communication 2.1) prescribes.
 * Used by the outbox when sending and by the report when reading.
 */
export class LrsError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'LrsError';
    this.status = status;
  }
}
