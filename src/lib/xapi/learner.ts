import type { Agent } from '@xapi/xapi';
import { parse as uuidParse, v4 as uuidv4, validate, version } from 'uuid';
import { regexes } from 'zod/v4/core';
import { fill } from '../../i18n/format.ts';

/** A UUID of versions 1 to 8 (xAPI registrations); the nil and max UUIDs are refused, as the LRS does. */
const isUuid = (value: string): boolean => validate(value) && version(value) >= 1 && version(value) <= 8;

/**
 * Who is learning on this device: the display name they gave (or a pseudonym when they chose
 * not to give one), the email only if they chose to give it, and their own registration.
 * The xAPI actor is not here: it is the agent the server issues with the learner's credential
 * (see LearnerCredential).
 */
export interface Learner {
  /** Display name, trimmed, 1 to 100 characters (the server's rule, POST /api/learners). */
  name: string;
  /** Lowercased email, only when the learner gave one; the server keeps it, statements never carry it. */
  email?: string;
  /** The learner's own registration UUID, context.registration outside a workshop. */
  registration: string;
}

/** The server's email rule (zod's z.email(), src/lrs/routes/learners.ts), so that the form refuses what the server would. */
const EMAIL = regexes.email;
/** Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L). */
const UNAMBIGUOUS = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** The longest display name the server accepts (POST /api/learners, docs/lrs.md). */
export const NAME_MAX = 100;

/**
 * A pseudonym for a learner who keeps their name to themselves, such as "Learner 7K3P".
 * @param template the localized template with {{code}}, e.g. "Apprenant {{code}}"
 * @param seed 16 random bytes (a v4 UUID's); four characters of an unambiguous alphabet come from it
 */
export function pseudonym(template: string, seed: Uint8Array = uuidParse(uuidv4())): string {
  const code = Array.from(seed.slice(0, 4), (b) => UNAMBIGUOUS[b % UNAMBIGUOUS.length]).join('');
  return fill(template, { code });
}

/**
 * Create a learner from the first-visit form. Each learner gets a registration UUID of their
 * own, used as context.registration when they did not join through a workshop link.
 * UUIDs come from the `uuid` package because crypto.randomUUID is missing on plain-HTTP
 * workshop networks (it needs a secure context).
 * @param input the name and the optional email ("" for none), or null for a learner who stays
 *   anonymous: they get a pseudonym made from `pseudonymTemplate`
 * @throws Error with code 'name' when the name is empty or longer than 100 characters, 'email'
 *   when an email is given and is not an email address
 */
export function createLearner(input: { name: string; email: string } | null, pseudonymTemplate = 'Learner {{code}}'): Learner {
  if (input === null) return { name: pseudonym(pseudonymTemplate), registration: uuidv4() };
  const name = input.name.trim();
  const email = input.email.trim().toLowerCase();
  if (!name || name.length > NAME_MAX) throw Object.assign(new Error('name must be 1 to 100 characters'), { code: 'name' });
  if (email && !EMAIL.test(email)) throw Object.assign(new Error('email is not valid'), { code: 'email' });
  return { name, ...(email ? { email } : {}), registration: uuidv4() };
}

/**
 * Read a learner saved as JSON; null when absent or malformed (the form is then shown again).
 * Learners saved by the first release are read too, so progress made before credentials
 * existed is kept: `{kind: 'named', name, email, registration}` keeps its name and email;
 * `{kind: 'anonymous', id, registration}` gets the pseudonym "Learner XXXX" made from its id.
 */
export function parseLearner(json: string | null): Learner | null {
  if (!json) return null;
  try {
    const value = JSON.parse(json) as Record<string, unknown>;
    const registration = String(value['registration']);
    if (!isUuid(registration)) return null;
    if (value['kind'] === 'anonymous' && isUuid(String(value['id'])))
      return { name: pseudonym('Learner {{code}}', uuidParse(String(value['id']))), registration };
    const name = typeof value['name'] === 'string' ? value['name'].trim() : '';
    if (!name || name.length > NAME_MAX) return null;
    const email = typeof value['email'] === 'string' && EMAIL.test(value['email']) ? value['email'] : undefined;
    return { name, ...(email ? { email } : {}), registration };
  } catch {
    return null;
  }
}

/**
 * The actor a statement carries while the learner has no credential yet (an offline first
 * visit): an account on the page's origin named "pending". It is never sent: the outbox's
 * transport replaces every queued statement's actor by the agent the server issued
 * (src/lib/xapi/tracking.ts).
 * @param homePage the site's origin, e.g. "http://127.0.0.1:4321"
 */
export function pendingActor(learner: Learner, homePage: string): Agent {
  return { objectType: 'Agent', name: learner.name, account: { homePage, name: 'pending' } };
}

/**
 * A learner's credential, as POST /api/learners and POST /api/learners/claim return it
 * (docs/lrs.md): HTTP Basic key and secret, and the agent it is bound to (an account on the
 * LRS's public origin with a server-made id, and the display name; xAPI 1.0.3 Data 2.4.2.1).
 */
export interface LearnerCredential {
  key: string;
  secret: string;
  agent: Agent & { account: { homePage: string; name: string } };
}

/** Read a credential saved as JSON (or received from the server); null when absent or malformed. */
export function parseCredential(json: string | null): LearnerCredential | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as Partial<LearnerCredential>;
    const account = v.agent?.account as { homePage?: unknown; name?: unknown } | undefined;
    if (typeof v.key !== 'string' || !v.key || typeof v.secret !== 'string' || !v.secret) return null;
    if (typeof account?.homePage !== 'string' || typeof account.name !== 'string') return null;
    return { key: v.key, secret: v.secret, agent: v.agent as LearnerCredential['agent'] };
  } catch {
    return null;
  }
}

/**
 * The HTTP Basic Authorization header value of a credential (RFC 7617), UTF-8 encoded.
 * @returns "Basic " followed by base64("key:secret")
 */
export function basicAuthorization(credential: { key: string; secret: string }): string {
  const bytes = new TextEncoder().encode(`${credential.key}:${credential.secret}`);
  return `Basic ${btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''))}`;
}

/** A workshop a participant joined through its link: registration, cohort and country. */
export interface WorkshopLink {
  registration: string;
  cohort: string;
  country: string;
}

/**
 * The workshop carried by a participant link such as
 * "/fr/modules/x/?registration=<uuid>&cohort=Dakar%202027&country=SN".
 * @returns the workshop, or null when the registration is missing or not a UUID; a missing or
 *   malformed country (not two letters) or cohort is returned as ""
 */
export function workshopFromQuery(search: string): WorkshopLink | null {
  const registration = registrationFromQuery(search);
  if (!registration) return null;
  const params = new URLSearchParams(search);
  const country = (params.get('country') ?? '').trim().toUpperCase();
  return { registration, cohort: (params.get('cohort') ?? '').trim().slice(0, 120), country: /^[A-Z]{2}$/.test(country) ? country : '' };
}

/**
 * The link participants open to join a workshop: the module page in the workshop's language,
 * with the registration, cohort and country as query parameters.
 * @param origin the site's origin, e.g. "http://127.0.0.1:4321"
 */
export function workshopLink(origin: string, lang: string, module: string, w: WorkshopLink): string {
  const url = new URL(`/${lang}/modules/${module}/`, origin);
  url.searchParams.set('registration', w.registration);
  if (w.cohort) url.searchParams.set('cohort', w.cohort);
  if (w.country) url.searchParams.set('country', w.country);
  return url.href;
}

/**
 * The workshop registration carried by a link such as "/fr/?registration=<uuid>".
 * @param search location.search
 * @returns the UUID, lowercased, or null when absent or not a UUID (nil and max UUIDs included)
 */
export function registrationFromQuery(search: string): string | null {
  const value = new URLSearchParams(search).get('registration');
  return value && isUuid(value) ? value.toLowerCase() : null;
}
