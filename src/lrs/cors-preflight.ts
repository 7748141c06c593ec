import type { FastifyRequest } from 'fastify';
import { badRequest } from './errors/xapi-error.ts';

/**
 * onRequest hook, added before @fastify/cors (registered with `strictPreflight: false`): an
 * OPTIONS request is answered only as a CORS preflight, so one without Origin or
 * Access-Control-Request-Method gets a 400 that says what a preflight needs, rather than
 * @fastify/cors's plain-text "Invalid Preflight Request".
 * @param request any request; only OPTIONS requests are checked
 * @throws XapiError 400 naming the missing header(s) and what they should hold
 * Source: Fetch Standard, CORS protocol (a CORS-preflight request carries Origin and
 * Access-Control-Request-Method).
 */
export async function requireCorsPreflight(request: FastifyRequest): Promise<void> {
  if (request.method !== 'OPTIONS') {
    return;
  }
  const missing = (['origin', 'access-control-request-method'] as const).filter((name) => request.headers[name] === undefined);
  if (missing.length > 0) {
    const names = missing.map((name) => (name === 'origin' ? 'Origin' : 'Access-Control-Request-Method')).join(' and ');
    throw badRequest(
      `${names}: missing; OPTIONS is answered only as a CORS preflight, which browsers send with Origin (the page's origin, ` +
        'e.g. https://site.example) and Access-Control-Request-Method (e.g. POST); other clients send their request without OPTIONS',
    );
  }
}
