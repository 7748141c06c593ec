import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  DocumentConflictError,
  DocumentTooLargeError,
  InvalidDocumentError,
  InvalidVoidingError,
  PreconditionFailedError,
  PreconditionRequiredError,
  StatementConflictError,
} from '../../src/lrs/errors/domain.ts';
import { errorHandler } from '../../src/lrs/errors/handler.ts';
import { XapiError } from '../../src/lrs/errors/xapi-error.ts';

async function answerTo(error: Error) {
  const app = Fastify();
  app.setErrorHandler(errorHandler);
  app.get('/', async () => {
    throw error;
  });
  try {
    return await app.inject({ method: 'GET', url: '/' });
  } finally {
    await app.close();
  }
}

describe('errorHandler', () => {
  it('answers an XapiError with its status, reason and headers', async () => {
    const response = await answerTo(new XapiError(409, 'taken', { 'x-reason': 'immutable' }));
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ error: 'Conflict', message: 'taken' });
    expect(response.headers['x-reason']).toBe('immutable');
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('keeps the status of Fastify client errors', async () => {
    const error = Object.assign(new Error('Unsupported Media Type: text/csv'), { statusCode: 415 });
    const response = await answerTo(error);
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({ error: 'Unsupported Media Type', message: 'Unsupported Media Type: text/csv' });
  });

  it('answers an unexpected error with 500 and no internals', async () => {
    const response = await answerTo(new TypeError('cannot read properties of undefined (secret stack)'));
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: 'Internal Server Error', message: 'The LRS failed to process the request.' });
  });
});

describe('errorHandler and the domain errors storage raises', () => {
  it.each([
    [new StatementConflictError('e05aa883-acaf-40ad-bf54-02c8ce485fb0'), 409, 'Conflict'],
    [new InvalidVoidingError('e05aa883-acaf-40ad-bf54-02c8ce485fb0', '0b6a1bd4-52a1-4c53-9d3c-1d2e3f4a5b6c'), 400, 'Bad Request'],
    [new PreconditionFailedError('If-Match: "x" does not match'), 412, 'Precondition Failed'],
    [new DocumentConflictError('the document already exists'), 409, 'Conflict'],
    [new PreconditionRequiredError('If-Match or If-None-Match: needed'), 400, 'Bad Request'],
    [new InvalidDocumentError('the posted document is not a JSON object'), 400, 'Bad Request'],
    [new DocumentTooLargeError('document: too large'), 413, 'Payload Too Large'],
  ])('answers %s with %i and its message', async (error, status, reason) => {
    const response = await answerTo(error);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual({ error: reason, message: error.message });
  });

  it('keeps the xAPI reason of a conflict word for word', () => {
    expect(new StatementConflictError('E05AA883-ACAF-40AD-BF54-02C8CE485FB0').message).toBe(
      'statement E05AA883-ACAF-40AD-BF54-02C8CE485FB0 is already stored with different content; statements are immutable',
    );
  });
});
