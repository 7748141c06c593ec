import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IGNORED, ignored, query } from '../parameters.ts';
import { aboutResponse } from '../responses.ts';

/** The xAPI versions this LRS conforms to, newest first. */
export const SUPPORTED_VERSIONS = ['1.0.3', '1.0.2', '1.0.1', '1.0.0'] as const;

/**
 * Register GET (and HEAD) `about`: the versions this LRS speaks, for anyone, with no credential
 * and no version header, so clients can discover what to send.
 * @param app the Fastify scope mounted at the xAPI base (e.g. /xapi)
 * @throws (from its query schema) XapiError 400 for a query parameter other than cachebuster
 * Source: xAPI 1.0.3, Communication 2.8 (About Resource: "SHOULD allow unauthenticated access",
 * "MUST NOT reject requests based on their version header"), 3.2 (unknown parameters are a 400).
 */
export async function aboutRoutes(app: FastifyInstance): Promise<void> {
  // @xapi/xapi adds cachebuster=<time> when asked to defeat caches (even twice); anything else is unknown.
  const querystring = query({ [IGNORED]: ignored }, { name: `GET ${app.prefix}/about`, repeatable: true });
  app.withTypeProvider<ZodTypeProvider>().get('/about', { schema: { querystring, response: { 200: aboutResponse } } }, async () => ({
    version: [...SUPPORTED_VERSIONS],
  }));
}
