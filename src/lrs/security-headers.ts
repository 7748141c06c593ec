import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CSP_HASHES_FILE, collectInlineHashes } from '../lib/csp.ts';
import type { InlineCodeHashes } from '../lib/csp.ts';

/**
 * The policy of every LRS response (/xapi/, /api/, /.well-known/): nothing may load or run, no
 * page may frame it, and should a browser ever render one as a page (a stored document fetched
 * by navigation, e.g. a cross-site form in the alternate request syntax), it renders in a
 * sandbox: an opaque origin with scripts, forms and popups off.
 * Source: W3C CSP Level 3 (default-src, frame-ancestors), CSP Level 2 7.14 (sandbox).
 */
export const API_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";

/**
 * Stored documents whose type a browser renders without running anything: sent inline. Every
 * other type (text/html, application/xhtml+xml, image/svg+xml, text/xml, application/xml, PDF,
 * anything unknown) is sent with `Content-Disposition: attachment`, so a navigation to it saves
 * a file instead of showing a page on the LRS's origin.
 */
const INERT_DOCUMENT_TYPES = new Set([
  'application/json',
  'application/octet-stream',
  'text/plain',
  'text/csv',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
]);

/**
 * The headers a stored document (State, Activity Profile, Agent Profile) is served with, beside
 * its Content-Type: the sandboxing API_POLICY, and an attachment disposition unless its media
 * type is inert (JSON, +json, plain text, raster images, octet-stream).
 * @param contentType the Content-Type the document was stored with, e.g. "text/html; charset=utf-8"
 * @returns header names and values to set on the response
 * Source: RFC 6266 4.2 (attachment), W3C CSP Level 2 7.14 (sandbox); X-Content-Type-Options
 * nosniff comes with every response (see registerSecurityHeaders).
 */
export function documentHeaders(contentType: string): Record<string, string> {
  const media = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  const inert = INERT_DOCUMENT_TYPES.has(media) || /^application\/[a-z0-9!#$&^_.+-]+\+json$/.test(media);
  return {
    'Content-Security-Policy': API_POLICY,
    ...(inert ? {} : { 'Content-Disposition': 'attachment' }),
  };
}

/** Pages that read statements from any LRS the reviewer names (src/pages/[lang]/review.astro). */
function readsOtherOrigins(url: string | undefined): boolean {
  return /^\/[a-z]{2}\/review\/(?:index\.html)?(?:\?|$)/.test(url ?? '');
}

/**
 * The inline code hashes of the built site: dist/csp-hashes.json (written by
 * src/integrations/csp-hashes.ts), or, for a build made before that file existed, collected from
 * the HTML files now.
 * @param siteRoot the built site's folder, or undefined when no site is served
 * @returns the hashes (empty lists without a site)
 */
export function readInlineHashes(siteRoot: string | undefined): InlineCodeHashes {
  if (siteRoot === undefined) {
    return { scripts: [], handlers: [] };
  }
  try {
    return JSON.parse(readFileSync(join(siteRoot, CSP_HASHES_FILE), 'utf8')) as InlineCodeHashes;
  } catch {
    const pages = readdirSync(siteRoot, { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.html'));
    return collectInlineHashes(pages.map((path) => readFileSync(join(siteRoot, path), 'utf8')));
  }
}

/**
 * Register @fastify/helmet for every response, with the site's Content-Security-Policy:
 *
 * - scripts: the site's own files ('self') and the inline scripts the build hashed
 *   (readInlineHashes); event-handler attributes only by hash ('unsafe-hashes');
 * - styles: 'self' and inline (Astro inlines the stylesheet; React, reveal.js and Chart.js set
 *   style attributes);
 * - images 'self' and data: (QR codes, icons); fetches 'self' (the site's /xapi/ and /api/
 *   calls, the search index) and the LRS's origin if the build named another one, and on the
 *   review page any https or http LRS;
 * - workers and the manifest 'self' (the service worker, the install manifest);
 * - frames: 'self' may frame the site and be framed by it (reveal.js's presenter view shows the
 *   slides in iframes of the same origin), nobody else (frame-ancestors 'self', X-Frame-Options
 *   SAMEORIGIN);
 * - base-uri and form-action 'self', object-src 'none'.
 *
 * With it: X-Content-Type-Options nosniff, Referrer-Policy no-referrer, Cross-Origin-Opener-
 * Policy and Cross-Origin-Resource-Policy same-origin, HSTS for 180 days (browsers heed it only
 * over HTTPS), and helmet's other defaults. The LRS scopes replace the policy with API_POLICY
 * (see apiSecurityHeaders).
 * @param app the root Fastify instance, before any route is registered
 * @param siteRoot the built site's folder (for the hashes and the LRS origin), or undefined
 * Source: W3C CSP Level 3; Fetch (X-Content-Type-Options, CORP); HTML (COOP); RFC 6797 (HSTS).
 */
export function registerSecurityHeaders(app: FastifyInstance, siteRoot: string | undefined): void {
  const { scripts, handlers, connect: elsewhere = [] } = readInlineHashes(siteRoot);
  const connect = ["'self'", ...elsewhere].join(' ');
  app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...scripts, ...(handlers.length > 0 ? ["'unsafe-hashes'", ...handlers] : [])],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: [(request) => (readsOtherOrigins(request.url) ? `${connect} https: http:` : connect)],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        frameSrc: ["'self'"],
        frameAncestors: ["'self'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 180 * 24 * 3600, includeSubDomains: false },
    xFrameOptions: { action: 'sameorigin' },
  });
  // A policy and X-Frame-Options govern documents and workers only; on a script, stylesheet, image
  // or JSON file the browser ignores them. They cost about 1 KB per response, 40 KB of a learner's
  // first visit to a lesson (npm run bench:weight), so the site's static files other than pages
  // and the service worker go without them (errors keep theirs). The API policy (API_POLICY) always stays.
  app.addHook('onSend', async (request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    const policy = reply.getHeader('content-security-policy');
    if (
      reply.statusCode < 400 &&
      policy !== API_POLICY &&
      !/^text\/html|^application\/xhtml\+xml|^image\/svg\+xml/.test(type) &&
      !/\/sw\.js(?:\?|$)/.test(request.url)
    ) {
      reply.removeHeader('content-security-policy');
      reply.removeHeader('x-frame-options');
    }
    return payload;
  });
}

/**
 * Make every response of an LRS scope (the xAPI, the site's API) carry API_POLICY and
 * X-Frame-Options DENY instead of the site's policy. Call it on the scope before its routes.
 * @param scope the Fastify scope, e.g. the one mounted at /xapi
 */
export function apiSecurityHeaders(scope: FastifyInstance): void {
  scope.addHook('onRequest', async (_request, reply) => {
    setApiHeaders(reply);
  });
}

/**
 * Set API_POLICY, nosniff and X-Frame-Options DENY on one reply: for errors answered before
 * routing (frameworkErrors), which no hook sees.
 * @param reply the reply
 */
export function setApiHeaders(reply: FastifyReply): void {
  reply.header('Content-Security-Policy', API_POLICY).header('X-Frame-Options', 'DENY').header('X-Content-Type-Options', 'nosniff');
}
