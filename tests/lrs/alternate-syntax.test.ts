import { describe, expect, it } from 'vitest';
import { toStandardRequest } from '../../src/lrs/alternate-syntax.ts';
import type { AlternateRequest } from '../../src/lrs/alternate-syntax.ts';
import { XapiError } from '../../src/lrs/errors/xapi-error.ts';

const FORM = 'application/x-www-form-urlencoded';
const ID = 'c70c2b85-c294-464f-baca-cebd4fb9b348';
const STATEMENT = JSON.stringify({
  id: ID,
  actor: { objectType: 'Agent', mbox: 'mailto:example@example.com', name: 'Test User' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced' } },
  object: { id: 'http://example.com/xAPI/activities/myactivity', objectType: 'Activity' },
});

/** A POST /xapi/statements?method=<method> with a form body built from `fields`. */
function request(method: string, fields: Record<string, string> | string, overrides: Partial<AlternateRequest> = {}): AlternateRequest {
  return {
    query: { method },
    contentType: FORM,
    body: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(),
    url: '/xapi/statements',
    ...overrides,
  };
}

/** The message of the 400 toStandardRequest throws for `input`. */
function rejection(input: AlternateRequest): string {
  try {
    toStandardRequest(input);
  } catch (error) {
    expect(error).toBeInstanceOf(XapiError);
    expect((error as XapiError).statusCode).toBe(400);
    return (error as XapiError).message;
  }
  throw new Error('the request was accepted');
}

describe('toStandardRequest', () => {
  it('turns the spec example (Appendix C) into a PUT with headers, query and JSON content', () => {
    const result = toStandardRequest(
      request('PUT', {
        statementId: ID,
        Authorization: 'Basic VGVzdFVzZXI6cGFzc3dvcmQ=',
        'X-Experience-API-Version': '1.0.3',
        'Content-Type': 'application/json',
        'Content-Length': '351',
        content: STATEMENT,
      }),
    );
    expect(result).toEqual({
      method: 'PUT',
      url: `/xapi/statements?statementId=${ID}`,
      headers: {
        authorization: 'Basic VGVzdFVzZXI6cGFzc3dvcmQ=',
        'x-experience-api-version': '1.0.3',
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(STATEMENT)),
      },
      payload: STATEMENT,
    });
  });

  it('maps every listed header field, whatever its case', () => {
    const { headers } = toStandardRequest(
      request('PUT', {
        authorization: 'Basic abc',
        'x-experience-api-version': '1.0.3',
        'CONTENT-TYPE': 'application/octet-stream',
        'If-Match': '"abc"',
        'if-none-match': '*',
        content: 'x',
      }),
    );
    expect(headers).toEqual({
      authorization: 'Basic abc',
      'x-experience-api-version': '1.0.3',
      'content-type': 'application/octet-stream',
      'if-match': '"abc"',
      'if-none-match': '*',
      'content-length': '1',
    });
  });

  it('rebuilds the query string from the other fields, in form order, re-encoded', () => {
    const agent = JSON.stringify({ mbox: 'mailto:a+b@example.org' });
    const result = toStandardRequest(request('GET', { agent, limit: '1', since: '2024-01-01T00:00:00Z' }));
    expect(result.method).toBe('GET');
    expect(result.payload).toBeUndefined();
    expect(result.headers).toEqual({});
    const url = new URL(result.url, 'http://lrs.test');
    expect(url.pathname).toBe('/xapi/statements');
    expect([...url.searchParams]).toEqual([
      ['agent', agent],
      ['limit', '1'],
      ['since', '2024-01-01T00:00:00Z'],
    ]);
  });

  it('keeps the bare path when the form has no query fields', () => {
    expect(toStandardRequest(request('GET', '')).url).toBe('/xapi/statements');
  });

  it('url-decodes the content as UTF-8, plus signs included', () => {
    const body = `statementId=${ID}&content=${encodeURIComponent('{"name":"Zoë ✓"}').replace(/%20/g, '+')}+%2B1`;
    const { payload, headers } = toStandardRequest(request('PUT', body));
    expect(payload).toBe('{"name":"Zoë ✓"} +1');
    expect(headers['content-length']).toBe(String(Buffer.byteLength('{"name":"Zoë ✓"} +1')));
  });

  it('defaults the content type to application/json when content comes without one', () => {
    const { headers } = toStandardRequest(request('POST', { content: STATEMENT }));
    expect(headers['content-type']).toBe('application/json');
  });

  it('sets no content headers without content', () => {
    const { headers, payload } = toStandardRequest(request('DELETE', { stateId: 's', 'Content-Length': '10' }));
    expect(payload).toBeUndefined();
    expect(headers).toEqual({});
  });

  it('accepts HEAD and a form content type with parameters', () => {
    const result = toStandardRequest(
      request('HEAD', { statementId: ID }, { contentType: 'Application/X-WWW-Form-Urlencoded; charset=UTF-8' }),
    );
    expect(result.method).toBe('HEAD');
  });

  it('rejects any query parameter besides method', () => {
    const input = request('PUT', { content: STATEMENT }, { query: { method: 'PUT', statementId: ID } });
    expect(rejection(input)).toMatch(/statementId/);
  });

  it('ignores query entries the parser left undefined', () => {
    expect(toStandardRequest(request('GET', '', { query: { method: 'GET', other: undefined } })).method).toBe('GET');
  });

  it('rejects a missing, unknown, lowercase or repeated method', () => {
    expect(rejection(request('GET', '', { query: {} }))).toMatch(/^method:/);
    expect(rejection(request('PATCH', ''))).toMatch(/^method:/);
    expect(rejection(request('put', ''))).toMatch(/^method:/);
    expect(rejection(request('GET', '', { query: { method: ['GET', 'PUT'] } }))).toMatch(/^method:/);
  });

  it('rejects a body that is not form-encoded', () => {
    expect(rejection(request('PUT', { content: STATEMENT }, { contentType: 'application/json' }))).toMatch(/Content-Type/);
    expect(rejection(request('PUT', { content: STATEMENT }, { contentType: undefined }))).toMatch(/Content-Type/);
  });

  it('rejects a repeated form field, header names compared case-insensitively', () => {
    expect(rejection(request('GET', 'limit=1&limit=2'))).toMatch(/^limit:/);
    expect(rejection(request('PUT', 'content=a&content=b'))).toMatch(/^content:/);
    expect(rejection(request('PUT', 'Authorization=a&authorization=b'))).toMatch(/^authorization:/);
  });

  it('rejects a method form field', () => {
    expect(rejection(request('POST', { method: 'GET' }))).toMatch(/^method:/);
  });
});
