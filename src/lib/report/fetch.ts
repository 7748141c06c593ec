import type { Statement } from '@xapi/xapi';
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
    if (!response.ok) throw new LrsError(`${response.status} ${response.statusText}: ${(await response.text()).slice(0, 300)}`, response.status);
    const body = (await response.json()) as { statements?: Statement[]; more?: string };
    if (!Array.isArray(body.statements)) throw new LrsError('the answer is not an xAPI StatementResult');
    for (const s of body.statements) yield s;
    count += body.statements.length;
    options.onPage?.(count);
    // `more` is relative to the LRS's origin (Communication 2.1.3), not to the endpoint path.
    url = body.more ? new URL(body.more, base).href : null;
  }
}
