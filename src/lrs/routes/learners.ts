import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticate } from '../auth.ts';
import { XapiError, badRequest } from '../errors/xapi-error.ts';
import type { CredentialStore, Scope } from '../store/credentials.ts';
import { CODE_PATTERN } from '../store/learners.ts';
import type { LearnerStore } from '../store/learners.ts';
import type { Agent } from '../validate.ts';
import { learnerCredentialResponse, transferCodeResponse } from '../responses.ts';

/**
 * The scopes of a learner credential. What it may do is narrower than these scopes say: bound to
 * its Agent, it writes statements only with that actor, reads only that Agent's statements and
 * State, and nothing else (see LEARNER_ACCESS and assertOwnAgent in src/lrs/auth.ts).
 */
export const LEARNER_SCOPES: readonly Scope[] = ['statements/write', 'statements/read/mine', 'state'];

/** A rate limit for @fastify/rate-limit: at most `max` requests per client address per `timeWindow` ms. */
export interface RateLimit {
  max: number;
  timeWindow: number;
}

/**
 * Issuing: a 30-person workshop behind one NAT address, each on a laptop and a phone, fits in
 * an hour's allowance with room to spare; a script making credentials in bulk does not.
 */
export const ISSUE_LIMIT: RateLimit = { max: 120, timeWindow: 60 * 60_000 };
/** Claims: the code has 29^8 values and lives 10 minutes; 30 guesses per 10 minutes per address. */
export const CLAIM_LIMIT: RateLimit = { max: 30, timeWindow: 10 * 60_000 };
/** Transfer codes asked for by one address: a learner asks for a few. */
export const TRANSFER_LIMIT: RateLimit = { max: 30, timeWindow: 10 * 60_000 };

/** What the learner routes need from the app. */
export interface LearnerRoutesOptions {
  credentials: CredentialStore;
  learners: LearnerStore;
  /** The LRS's public origin: the homePage of learners' accounts and of authorities. */
  publicOrigin: string;
  /** Limits per client address; the defaults are ISSUE_LIMIT, CLAIM_LIMIT, TRANSFER_LIMIT. */
  limits?: { issue?: RateLimit | undefined; claim?: RateLimit | undefined; transfer?: RateLimit | undefined } | undefined;
}

const learnerSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  email: z.email().max(254).optional(),
});
const claimSchema = z.strictObject({ code: z.string() });

/**
 * Register the learner credential routes (mount under /api):
 *
 * - `POST /learners` JSON `{ "name": string (trimmed, 1..100), "email"?: string }` -> 201
 *   `{ key, secret, agent }`: a new credential bound to a new Agent
 *   `{ objectType: "Agent", name, account: { homePage: <public origin>, name: <UUID> } }`; the email
 *   stays with the learner record (an Agent has one identifier). Rate-limited per client address.
 * - `POST /learners/transfer`, Basic auth with a learner credential -> 201 `{ code: "XXXX-XXXX",
 *   expires: ISO 8601 }`: a one-time code, valid 10 minutes, stored as a SHA-256 hash.
 * - `POST /learners/claim` JSON `{ code }` -> 200 `{ key, secret, agent }`: a NEW credential bound to
 *   the same Agent; 400 for a malformed, expired or used code, 404 for an unknown one. Rate-limited.
 *
 * Bodies and responses are declared as zod schemas; a body that fails its schema is a 400
 * "<field>: <rule>" (schemaError of src/lrs/parameters.ts). Errors are `{ error, message }`
 * (src/lrs/errors/handler.ts); 429 past a rate limit.
 * @param app the Fastify scope mounted at /api, with @fastify/rate-limit registered (global: false)
 * @param options stores, public origin and limits
 * Source: issue 11 section 1, the helpers' contract section 1.
 */
export async function learnerRoutes(app: FastifyInstance, options: LearnerRoutesOptions): Promise<void> {
  const { credentials, learners, publicOrigin } = options;
  const limits = {
    issue: options.limits?.issue ?? ISSUE_LIMIT,
    claim: options.limits?.claim ?? CLAIM_LIMIT,
    transfer: options.limits?.transfer ?? TRANSFER_LIMIT,
  };
  const issue = async (agent: Agent): Promise<{ key: string; secret: string; agent: Agent }> => {
    const account = agent.account?.name ?? '';
    const { key, secret } = await credentials.create(LEARNER_SCOPES, `learner ${account}`, agent);
    return { key, secret, agent };
  };

  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.post(
    '/learners',
    { config: { rateLimit: limits.issue }, schema: { body: learnerSchema, response: { 201: learnerCredentialResponse } } },
    async (request, reply) => {
      const { name, email } = request.body;
      const agent = await learners.register(name, email, publicOrigin);
      return reply.code(201).send(await issue(agent));
    },
  );

  routes.post(
    '/learners/transfer',
    { config: { rateLimit: limits.transfer }, schema: { response: { 201: transferCodeResponse } } },
    async (request, reply) => {
      const principal = await authenticate(credentials, publicOrigin, request);
      if (principal === null) {
        throw new XapiError(401, 'send the learner credential as HTTP Basic credentials in the Authorization header', {
          'WWW-Authenticate': 'Basic realm="xAPI LRS", charset="UTF-8"',
        });
      }
      if (principal.agent === undefined) {
        throw new XapiError(403, 'only a learner credential (from POST /api/learners) can be carried to another device');
      }
      return reply.code(201).send(await learners.issueCode(principal.agent, principal.key));
    },
  );

  routes.post(
    '/learners/claim',
    { config: { rateLimit: limits.claim }, schema: { body: claimSchema, response: { 200: learnerCredentialResponse } } },
    async (request) => {
      const code = request.body.code.trim().toUpperCase();
      if (!CODE_PATTERN.test(code)) {
        throw badRequest('code: must be the 8-character code shown on the other device, e.g. 7KQ4-M2XD');
      }
      const claimed = await learners.claimCode(code);
      if ('failure' in claimed) {
        switch (claimed.failure) {
          case 'unknown':
            throw new XapiError(404, 'code: no such transfer code; check it on the other device');
          case 'expired':
            throw badRequest('code: has expired (a code works for 10 minutes); ask for a new one on the other device');
          case 'used':
            throw badRequest('code: was already used; ask for a new one on the other device');
        }
      }
      return issue(claimed.agent);
    },
  );
}
