import { basicAuthorization, parseCredential, parseLearner, type Learner, type LearnerCredential } from './learner.ts';

// Browser-side: the learner's own LRS credential, asked of the site's server the first time the
// learner acts and kept in localStorage. The server's endpoints are described in docs/lrs.md
// (POST /api/learners, /api/learners/transfer, /api/learners/claim).

/** localStorage key of the learner's credential: JSON { key, secret, agent }. */
export const CREDENTIAL_KEY = 'dce.credential';
const LEARNER_KEY = 'dce.learner';

/**
 * Why a credential could not be had: the server's answer (status and reason) or, with no
 * status, an unreachable server. Not an LrsError, so the outbox never takes it for a refused
 * statement: statements wait until a credential can be had (src/lib/xapi/outbox.ts).
 */
export class CredentialError extends Error {
  /** HTTP status of the server's answer; undefined when the server could not be reached. */
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'CredentialError';
    this.status = status;
  }
}

/**
 * The site's API base, on the same origin as the LRS endpoint the layout renders into
 * <body data-lrs-endpoint> (src/layouts/BaseLayout.astro).
 * @param path e.g. "learners" or "learners/claim"
 */
export function apiUrl(path: string): string {
  const endpoint = new URL(document.body.dataset['lrsEndpoint'] ?? '/xapi/', location.href);
  return new URL(`/api/${path}`, endpoint).href;
}

/** The credential kept on this device, or null. */
export function storedCredential(): LearnerCredential | null {
  return parseCredential(localStorage.getItem(CREDENTIAL_KEY));
}

/** Keep a credential on this device (after a claim, or from the server's first answer). */
export function saveCredential(credential: LearnerCredential): void {
  localStorage.setItem(CREDENTIAL_KEY, JSON.stringify(credential));
}

/** Forget the credential (the server no longer accepts it, or the learner changes). */
export function forgetCredential(): void {
  localStorage.removeItem(CREDENTIAL_KEY);
}

/**
 * POST JSON to the site's API and read the JSON answer.
 * @throws CredentialError with the status and the server's message, or without status when
 *   the server cannot be reached
 */
export async function postApi(path: string, body: unknown, authorization?: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(apiUrl(path), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new CredentialError(`the server cannot be reached: ${(error as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) {
    let reason = text;
    try {
      reason = String((JSON.parse(text) as { message?: unknown }).message ?? text);
    } catch {
      // not JSON: keep the text
    }
    throw new CredentialError(reason || res.statusText, res.status);
  }
  return JSON.parse(text) as unknown;
}

let pending: Promise<LearnerCredential> | undefined;

/**
 * The learner's credential: the stored one, or a new one from POST /api/learners with the
 * learner's name and, only if they gave it, their email. Calls in one page share one request;
 * tabs share one through a Web Lock where the browser has it (secure contexts), and the
 * answer is kept only if the same learner is still on the device.
 * @throws CredentialError when the server cannot be reached or refuses (e.g. 429)
 */
export function ensureCredential(learner: Learner): Promise<LearnerCredential> {
  const now = storedCredential();
  if (now) return Promise.resolve(now);
  pending ??= withLock(async () => {
    const stored = storedCredential();
    if (stored) return stored;
    const answer = parseCredential(
      JSON.stringify(await postApi('learners', { name: learner.name, ...(learner.email ? { email: learner.email } : {}) })),
    );
    if (!answer) throw new CredentialError('the server answered without a key, a secret and an agent account', 502);
    if (parseLearner(localStorage.getItem(LEARNER_KEY))?.registration === learner.registration) saveCredential(answer);
    return answer;
  }).finally(() => (pending = undefined));
  return pending;
}

function withLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? locks.request('dce.credential', task) : task();
}

/**
 * A one-time code that carries the credential to another device
 * (POST /api/learners/transfer, authenticated with the learner's credential).
 * @returns the code "XXXX-XXXX" and when it expires (ISO 8601)
 * @throws CredentialError as postApi
 */
export async function transferCode(credential: LearnerCredential): Promise<{ code: string; expires: string }> {
  return (await postApi('learners/transfer', {}, basicAuthorization(credential))) as { code: string; expires: string };
}

/**
 * Trade a code shown on another device for a new credential bound to the same agent
 * (POST /api/learners/claim).
 * @param code "XXXX-XXXX"; spaces are removed and letters uppercased
 * @throws CredentialError (400/404 with the server's reason for a wrong, used or expired code)
 */
export async function claimCode(code: string): Promise<LearnerCredential> {
  const answer = parseCredential(JSON.stringify(await postApi('learners/claim', { code: normalizeCode(code) })));
  if (!answer) throw new CredentialError('the server answered without a key, a secret and an agent account', 502);
  return answer;
}

/** A transfer code as typed: spaces removed, uppercase, a hyphen after four characters. */
export function normalizeCode(code: string): string {
  const plain = code.replace(/[\s-]/g, '').toUpperCase();
  return plain.length === 8 ? `${plain.slice(0, 4)}-${plain.slice(4)}` : plain;
}
