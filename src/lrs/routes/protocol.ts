import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isAlternateSyntax, parseForm, toStandardRequest } from '../alternate-syntax.ts';
import { XapiError, badRequest } from '../errors/xapi-error.ts';
import { decodeUtf8 } from '../strict-json.ts';
import { versionProblem } from '../parameters.ts';
import { xapiResources } from './site.ts';

/** Response headers of a replayed request that belong to its own transfer, not to the answer. */
const HOP_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date']);
/** Headers of the POST itself that describe its form body, not the request it carries. */
const FORM_HEADERS = ['content-type', 'content-length'];

/**
 * Add to the xAPI scope what every resource shares: the X-Experience-API-Version check and the
 * alternate request syntax. Call it on the scope before registering the resources' plugins (it
 * adds hooks to the scope itself, so they apply to every route registered after it).
 *
 * - Every request but those to `about` must carry X-Experience-API-Version 1.0.x (400 otherwise).
 * - A POST with `?method=` and a form body is replayed as the request it stands for (with
 *   Fastify's inject, through every hook and check of that request) and its response returned;
 *   `?method=` on any other method is a 400. Header form fields (Authorization, If-Match, ...)
 *   win over the POST's own headers of the same name, which clients may also send.
 * @param xapi the Fastify scope mounted at the xAPI base (e.g. /xapi)
 * Sources: xAPI 1.0.3, Communication 3.3 (Versioning), 2.8 (About: no version required),
 * 1.3 (Alternate Request Syntax).
 */
export function installProtocol(xapi: FastifyInstance): void {
  xapi.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (request, body, done) => {
    if (isAlternateSyntax(request)) {
      try {
        done(null, decodeUtf8(body as Buffer, 'body'));
      } catch (error) {
        done(error as Error, undefined);
      }
    } else {
      done(
        new XapiError(
          415,
          'Content-Type: application/x-www-form-urlencoded is only taken with the alternate request syntax (POST ...?method=GET, PUT, POST or DELETE); ' +
            'otherwise send statements as application/json or multipart/mixed, and documents with their own type',
        ),
        undefined,
      );
    }
  });

  xapi.addHook('onRequest', checkRequest);

  const replay = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const standard = toStandardRequest({
      query: request.query as Record<string, string | string[] | undefined>,
      contentType: request.headers['content-type'],
      body: typeof request.body === 'string' ? request.body : '',
      url: request.url.split('?')[0] ?? request.url,
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && !FORM_HEADERS.includes(name)) {
        headers[name] = value;
      }
    }
    const response = await xapi.inject({
      method: standard.method,
      url: standard.url,
      headers: { ...headers, ...standard.headers },
      ...(standard.payload === undefined ? {} : { payload: standard.payload }),
    });
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined && !HOP_HEADERS.has(name)) {
        reply.header(name, value);
      }
    }
    return reply.code(response.statusCode).send(response.rawPayload);
  };

  xapi.addHook('preValidation', async (request, reply) => {
    if (isAlternateSyntax(request)) {
      return replay(request, reply);
    }
    return undefined;
  });
  // Resources without a POST of their own (activities, agents, about) still take the alternate syntax.
  // Its query string is the alternate syntax's (`method`, read by toStandardRequest) or, on a
  // resource without a POST, answered 404 whatever it holds: so any query passes its schema.
  xapi.withTypeProvider<ZodTypeProvider>().post('/*', { schema: { querystring: z.looseObject({}) } }, async (request, reply) => {
    if (isAlternateSyntax(request)) {
      return replay(request, reply);
    }
    throw new XapiError(404, `no xAPI resource answers POST ${request.url.split('?')[0] ?? ''}; ${xapiResources(xapi.prefix)}`);
  });
}

/**
 * The checks every xAPI request gets first (installProtocol's onRequest hook): no parameter with a
 * percent-encoding that is not UTF-8 or with U+0000, `?method=` only on a POST, and, but for the
 * alternate syntax and `about`, a 1.0.x X-Experience-API-Version (versionProblem).
 * @throws XapiError 400 naming the parameter or header
 */
async function checkRequest(request: FastifyRequest): Promise<void> {
  // Fastify keeps a percent-encoding that is not UTF-8 ("%FF") as literal text, so stateId=%FF
  // and stateId=%25FF would name one document: refuse it, naming the parameter. U+0000 is
  // refused too: PostgreSQL text cannot hold it, and no identifier needs it.
  const search = request.url.indexOf('?');
  if (search !== -1) {
    for (const [name, value] of parseForm(request.url.slice(search + 1))) {
      if (name.includes('\u0000') || value.includes('\u0000')) {
        throw badRequest(`${JSON.stringify(name).slice(1, -1)}: holds U+0000 (NUL), which no parameter may hold`);
      }
    }
  }
  const query = request.query as Record<string, unknown>;
  if ('method' in query && request.method !== 'POST') {
    throw badRequest(`method: the alternate request syntax is a POST; this is a ${request.method}`);
  }
  if (isAlternateSyntax(request) || request.url.split('?')[0]?.endsWith('/about')) {
    return;
  }
  // Before the credential is checked, so the routes' header schemas (xapiHeaders) never see it fail.
  const problem = versionProblem(request.headers['x-experience-api-version']);
  if (problem !== undefined) {
    throw badRequest(problem);
  }
}
