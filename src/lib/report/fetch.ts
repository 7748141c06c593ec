import type { Statement } from '@xapi/xapi';
import { meros } from 'meros/browser';
import { LrsError } from '../xapi/lrs-error.ts';

/** Where and how to read statements: any conformant LRS's xAPI endpoint and a read credential. */
export interface LrsReader {
  /** The xAPI base URL, e.g. "http://127.0.0.1:4321/xapi/" (with or without the final slash). */
  endpoint: string;
  /** HTTP Basic credential with statement read permission. */
  key: string;
  secret: string;
}

/**
 * Read statements page by page with standard query parameters (xAPI 1.0.3 Communication
 * 2.1.3: verb, activity, related_activities, registration, since, until, limit), following the
 * `more` links until done. Yields statements one by one, so callers aggregate as they stream.
 * @param query query parameters, e.g. { since: "2026-01-01T00:00:00Z" }
 * @param onPage called after each page with the running count
 * @throws LrsError on a non-2xx answer or a body that is not a StatementResult;
 *   an AbortError when `signal` aborts
 */
export async function* readStatements(
  reader: LrsReader,
  query: Record<string, string> = {},
  options: { signal?: AbortSignal; onPage?: (count: number) => void; fetchImpl?: typeof fetch } = {},
): AsyncGenerator<Statement> {
  const base = reader.endpoint.endsWith('/') ? reader.endpoint : `${reader.endpoint}/`;
  const headers = {
    Authorization: `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${reader.key}:${reader.secret}`)))}`,
    'X-Experience-API-Version': '1.0.3',
  };
  const doFetch = options.fetchImpl ?? fetch;
  let url: string | null = new URL(`statements?${new URLSearchParams({ limit: '500', ...query })}`, base).href;
  let count = 0;
  while (url) {
    // credentials "omit": the Authorization header is explicit, and without cookies a browser
    // never opens its own login prompt on a 401 (Fetch standard, HTTP-network-or-cache fetch).
    const response = await doFetch(url, { headers, credentials: 'omit', ...(options.signal ? { signal: options.signal } : {}) });
    if (!response.ok)
      throw new LrsError(`${response.status} ${response.statusText}: ${(await response.text()).slice(0, 300)}`, response.status);
    const body = (await response.json()) as { statements?: Statement[]; more?: string };
    if (!Array.isArray(body.statements)) throw new LrsError('the answer is not an xAPI StatementResult');
    for (const s of body.statements) yield s;
    count += body.statements.length;
    options.onPage?.(count);
    // `more` is relative to the LRS's origin (Communication 2.1.3), not to the endpoint path.
    url = body.more ? new URL(body.more, base).href : null;
  }
}

/** A statement with the attachment contents that came with it. */
export interface StatementWithParts {
  statement: Statement;
  /**
   * Attachment contents of its page by lowercase hex SHA-2 (X-Experience-API-Hash), as UTF-8
   * text: enough for signatures (a JWS is ASCII); shared by every statement of the page.
   */
  parts: ReadonlyMap<string, string>;
}

/**
 * Like readStatements, with attachments=true: each page comes as multipart/mixed (the
 * StatementResult first, then one part per attachment; Communication 1.5.2, 2.1.3), read with
 * meros, which works on a fetch Response in the browser and in Node. An LRS that answers plain
 * JSON (no attachments to send) is read as JSON.
 * @param query query parameters, e.g. { since: "2026-01-01T00:00:00Z" }
 * @throws LrsError on a non-2xx answer or a first part that is not a StatementResult;
 *   an AbortError when `signal` aborts
 */
export async function* readStatementsWithAttachments(
  reader: LrsReader,
  query: Record<string, string> = {},
  options: { signal?: AbortSignal; onPage?: (count: number) => void; fetchImpl?: typeof fetch } = {},
): AsyncGenerator<StatementWithParts> {
  const base = reader.endpoint.endsWith('/') ? reader.endpoint : `${reader.endpoint}/`;
  const headers = {
    Authorization: `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${reader.key}:${reader.secret}`)))}`,
    'X-Experience-API-Version': '1.0.3',
  };
  const doFetch = options.fetchImpl ?? fetch;
  let url: string | null = new URL(`statements?${new URLSearchParams({ limit: '500', ...query, attachments: 'true' })}`, base).href;
  let count = 0;
  while (url) {
    const response = await doFetch(url, { headers, credentials: 'omit', ...(options.signal ? { signal: options.signal } : {}) });
    if (!response.ok)
      throw new LrsError(`${response.status} ${response.statusText}: ${(await response.text()).slice(0, 300)}`, response.status);
    let body: unknown;
    const parts = new Map<string, string>();
    const multipart = await meros<unknown>(response);
    if (multipart instanceof Response) body = await multipart.json();
    else {
      for await (const part of multipart) {
        if (body === undefined) body = part.json ? part.body : JSON.parse(String(part.body));
        else {
          const hash = part.headers['x-experience-api-hash'];
          if (hash) parts.set(hash.toLowerCase(), typeof part.body === 'string' ? part.body : JSON.stringify(part.body));
        }
      }
    }
    const result = body as { statements?: Statement[]; more?: string } | undefined;
    if (!Array.isArray(result?.statements)) throw new LrsError('the answer is not an xAPI StatementResult');
    for (const statement of result.statements) yield { statement, parts };
    count += result.statements.length;
    options.onPage?.(count);
    url = result.more ? new URL(result.more, base).href : null;
  }
}
