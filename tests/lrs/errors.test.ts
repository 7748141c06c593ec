import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
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
