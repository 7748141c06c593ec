import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { defaultLanguage, isLanguage } from '../../i18n/languages.ts';
import { XapiError } from '../errors/xapi-error.ts';

// Astro writes src/pages/[lang]/404.astro to [lang]/404/index.html under trailingSlash 'always'
// (build.format 'directory'), and to [lang]/404.html under build.format 'file'.
const NOT_FOUND_PAGES = ['404.html', join('404', 'index.html')];

/**
 * The xAPI resources and their methods, in words, for answers to requests that reach none.
 * @param apiPrefix the xAPI base path, e.g. "/xapi"
 * Source: xAPI 1.0.3, Communication 2 (the resources).
 */
export function xapiResources(apiPrefix: string): string {
  return (
    `under ${apiPrefix}/ this LRS answers statements (GET, PUT, POST), activities/state, activities/profile and ` +
    'agents/profile (GET, PUT, POST, DELETE), activities, agents and about (GET) (xAPI 1.0.3 Communication 2)'
  );
}

/**
 * Build the not-found handler: the built site's 404 page in the visitor's language, or a JSON
 * 404 for the xAPI and when there is no site.
 *
 * The language is the path's first segment (/fr/... -> fr/404.html or fr/404/index.html),
 * English otherwise, matching the Astro build (one folder per language, each with a 404 page).
 * @param siteRoot absolute path of the built site folder, or undefined when none is served
 * @param apiPrefix the xAPI base path (e.g. "/xapi"), whose misses are answered in JSON
 * @returns the handler for Fastify's setNotFoundHandler
 * @throws (from the handler) XapiError 404 whenever no HTML page is sent
 */
export function siteNotFoundHandler(
  siteRoot: string | undefined,
  apiPrefix: string,
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '/';
    if (path === apiPrefix || path.startsWith(`${apiPrefix}/`)) {
      throw new XapiError(404, `no xAPI resource answers ${request.method} ${path}; ${xapiResources(apiPrefix)}`);
    }
    const missing = new XapiError(404, `nothing at ${request.method} ${path}`);
    if (siteRoot === undefined) {
      throw missing;
    }
    const first = path.split('/')[1];
    const language = isLanguage(first) ? first : defaultLanguage;
    for (const candidate of NOT_FOUND_PAGES) {
      const page = await readFile(join(siteRoot, language, candidate)).catch(() => undefined);
      if (page !== undefined) {
        return reply.code(404).type('text/html; charset=utf-8').send(page);
      }
    }
    throw missing;
  };
}
