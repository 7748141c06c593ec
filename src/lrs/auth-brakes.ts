import type { FastifyInstance, FastifyRequest } from 'fastify';
import { XapiError } from './errors/xapi-error.ts';

/** One brake: at most `max` failed authentications per `windowMs` milliseconds. */
export interface FailureLimit {
  max: number;
  windowMs: number;
}

/** The brakes on failed HTTP Basic authentication: per client address, per key, and in all. */
export interface AuthLimits {
  perAddress: FailureLimit;
  perKey: FailureLimit;
  overall: FailureLimit;
}

/**
 * Defaults. Per address, 30 failures a minute: a workshop of 30 behind one NAT address, each with
 * a stale credential, is refused only for the rest of that minute, while a guesser from one
 * address gets 30 tries a minute instead of ~50 a second. Per key, 100 failures in 10 minutes:
 * guessing one key's secret from many addresses stays as slow as that; learner and generated
 * secrets are 144 random bits anyway (src/lrs/store/credentials.ts). In all, 300 failures a
 * minute: guessers spread over many addresses and keys then cost at most 5 scrypts a second
 * (a fifth of one core), whatever their number; only failures count, so honest clients are
 * refused by it only while such an attack goes on, and only for a pair not verified lately.
 */
export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  perAddress: { max: 30, windowMs: 60_000 },
  perKey: { max: 100, windowMs: 600_000 },
  overall: { max: 300, windowMs: 60_000 },
};

/** What authenticate needs: refuse cheaply before hashing, count a failure after. */
export interface AuthBrakes {
  /**
   * Refuse, before any scrypt, a client whose address or key failed too often lately, counting
   * the verifications of that address and key still under way as failures to come (a burst
   * arriving faster than scrypt answers gets no more tries than the limit).
   * @param request the request (its address: request.ip, which honours Fastify's trustProxy)
   * @param key the HTTP Basic user name it sent
   * @throws XapiError 429 with Retry-After (seconds) and the reason
   */
  begin(request: FastifyRequest, key: string): Promise<void>;
  /**
   * End what begin started: a failed verification is counted against the address and the key.
   * @param failed whether the key and secret were refused
   */
  end(request: FastifyRequest, key: string, failed: boolean): Promise<void>;
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
  const byAddress = app.createRateLimit({
    max: limits.perAddress.max,
    timeWindow: limits.perAddress.windowMs,
    keyGenerator: (request) => request.ip,
  });
  const byKey = app.createRateLimit({
    max: limits.perKey.max,
    timeWindow: limits.perKey.windowMs,
    keyGenerator: (request) => keys.get(request) ?? '',
  });
  const overall = app.createRateLimit({ max: limits.overall.max, timeWindow: limits.overall.windowMs, keyGenerator: () => 'all' });
  // Verifications under way, per "address:..." and "key:..." (waiting for or running scrypt).
  const underWay = new Map<string, number>();
  const brakes: Array<[typeof byAddress, string, (request: FastifyRequest, key: string) => string]> = [
    [byAddress, 'from this address', (request) => `address:${request.ip}`],
    [byKey, 'for this key', (_request, key) => `key:${key}`],
    [overall, 'on this server', () => 'all'],
  ];
  const move = (name: string, by: number): void => {
    const count = (underWay.get(name) ?? 0) + by;
    if (count === 0) {
      underWay.delete(name);
    } else {
      underWay.set(name, count);
    }
  };
  return {
    async begin(request, key) {
      keys.set(request, key);
      // Counted at once, before any await, so that a burst sees its own earlier requests.
      const ahead = brakes.map(([, , name]) => {
        move(name(request, key), 1);
        return (underWay.get(name(request, key)) ?? 1) - 1;
      });
      try {
        for (const [index, [limiter, what]] of brakes.entries()) {
          const status = await limiter(request, { increment: false });
          if (!status.isAllowed && status.remaining - (ahead[index] ?? 0) <= 0) {
            // With failures still under way and none counted yet, the window has not started.
            const seconds = Math.max(1, status.ttlInSeconds || Math.ceil(status.timeWindow / 1000));
            throw new XapiError(
              429,
              `too many failed authentications ${what} (${status.max} in ${Math.round(status.timeWindow / 1000)} s); try again in ${seconds} s`,
              { 'Retry-After': String(seconds) },
            );
          }
        }
      } catch (error) {
        brakes.forEach(([, , name]) => move(name(request, key), -1));
        throw error;
      }
    },
    async end(request, key, failed) {
      keys.set(request, key);
      for (const [limiter, , name] of brakes) {
        move(name(request, key), -1);
        if (failed) {
          await limiter(request);
        }
      }
    },
  };
}
