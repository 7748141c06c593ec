import type { FastifyInstance, FastifyRequest } from 'fastify';
import { XapiError } from './errors/xapi-error.ts';

/** One brake: at most `max` failed authentications per `windowMs` milliseconds. */
export interface FailureLimit {
  max: number;
  windowMs: number;
}

/** The brakes on failed HTTP Basic authentication, per client address and per key. */
export interface AuthLimits {
  perAddress: FailureLimit;
  perKey: FailureLimit;
}

/**
 * Defaults. Per address, 30 failures a minute: a workshop of 30 behind one NAT address, each with
 * a stale credential, is refused only for the rest of that minute, while a guesser from one
 * address gets 30 tries a minute instead of ~50 a second. Per key, 100 failures in 10 minutes:
 * guessing one key's secret from many addresses stays as slow as that; learner and generated
 * secrets are 144 random bits anyway (src/lrs/store/credentials.ts).
 */
export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  perAddress: { max: 30, windowMs: 60_000 },
  perKey: { max: 100, windowMs: 600_000 },
};

/** What authenticate needs: refuse cheaply before hashing, count a failure after. */
export interface AuthBrakes {
  /**
   * Refuse, before any scrypt, a client whose address or key failed too often lately.
   * @param request the request (its address: request.ip, which honours Fastify's trustProxy)
   * @param key the HTTP Basic user name it sent
   * @throws XapiError 429 with Retry-After (seconds) and the reason
   */
  check(request: FastifyRequest, key: string): Promise<void>;
  /** Count one failed authentication against the request's address and the key. */
  failed(request: FastifyRequest, key: string): Promise<void>;
}

/**
 * Build the brakes on failed authentication with @fastify/rate-limit's counters
 * (`createRateLimit`; the plugin must be registered, global or not). Only failures are counted
 * (`failed`); `check` reads the counters without counting, so honest requests are never slowed
 * or counted, and requests over a limit are refused before the ~40 ms of scrypt.
 * @param app a Fastify scope where @fastify/rate-limit is registered
 * @param limits the limits (DEFAULT_AUTH_LIMITS)
 * @returns the brakes
 * Source: OWASP Authentication Cheat Sheet (account and address throttling); RFC 6585 4 (429),
 * RFC 9110 10.2.3 (Retry-After).
 */
export function createAuthBrakes(app: FastifyInstance, limits: AuthLimits = DEFAULT_AUTH_LIMITS): AuthBrakes {
  const keys = new WeakMap<FastifyRequest, string>();
  const byAddress = app.createRateLimit({ max: limits.perAddress.max, timeWindow: limits.perAddress.windowMs, keyGenerator: (request) => request.ip });
  const byKey = app.createRateLimit({ max: limits.perKey.max, timeWindow: limits.perKey.windowMs, keyGenerator: (request) => keys.get(request) ?? '' });
  const brakes: Array<[typeof byAddress, string]> = [
    [byAddress, 'from this address'],
    [byKey, 'for this key'],
  ];
  return {
    async check(request, key) {
      keys.set(request, key);
      for (const [limiter, what] of brakes) {
        const status = await limiter(request, { increment: false });
        if (!status.isAllowed && status.remaining === 0) {
          const seconds = Math.max(1, status.ttlInSeconds);
          throw new XapiError(
            429,
            `too many failed authentications ${what} (${status.max} in ${Math.round(status.timeWindow / 1000)} s); try again in ${seconds} s`,
            { 'Retry-After': String(seconds) },
          );
        }
      }
    },
    async failed(request, key) {
      keys.set(request, key);
      for (const [limiter] of brakes) {
        await limiter(request);
      }
    },
  };
}
