import type { Agent } from '@xapi/xapi';
import { v4 as uuidv4, validate, version } from 'uuid';

/** A UUID of versions 1 to 8 (xAPI registrations); the nil and max UUIDs are refused, as the LRS does. */
const isUuid = (value: string): boolean => validate(value) && version(value) >= 1 && version(value) <= 8;

/** Who is learning on this device: a named learner (name and email) or an anonymous one. */
export type Learner =
  | { kind: 'named'; name: string; email: string; registration: string }
  | { kind: 'anonymous'; id: string; registration: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Create a learner from the first-visit form. Each learner gets a registration UUID of their
 * own, used as context.registration when they did not join through a workshop link.
 * UUIDs come from the `uuid` package because crypto.randomUUID is missing on plain-HTTP
 * workshop networks (it needs a secure context).
 * @param input the name and email, or null for an anonymous learner
 * @throws Error with code 'name' or 'email' when a field is empty or not an email address
 */
export function createLearner(input: { name: string; email: string } | null): Learner {
  if (input === null) return { kind: 'anonymous', id: uuidv4(), registration: uuidv4() };
  const name = input.name.trim();
  const email = input.email.trim().toLowerCase();
  if (!name) throw Object.assign(new Error('name is required'), { code: 'name' });
  if (!EMAIL.test(email)) throw Object.assign(new Error('email is not valid'), { code: 'email' });
  return { kind: 'named', name, email, registration: uuidv4() };
}

/**
 * The xAPI actor of a learner (xAPI 1.0.3 Data 2.4.2.1): an Agent identified by mbox
 * ("mailto:" + email) with the name, or by an account on `homePage` named by the random id.
 * @param homePage the site's origin, e.g. "http://127.0.0.1:4321"
 */
export function learnerActor(learner: Learner, homePage: string): Agent {
  return learner.kind === 'named'
    ? { objectType: 'Agent', name: learner.name, mbox: `mailto:${learner.email}` }
    : { objectType: 'Agent', account: { homePage, name: learner.id } };
}

/**
 * Read a learner saved as JSON; null when absent or malformed (the form is then shown again).
 */
export function parseLearner(json: string | null): Learner | null {
  if (!json) return null;
  try {
    const value = JSON.parse(json) as Partial<Learner> & Record<string, unknown>;
    if (!isUuid(String(value.registration))) return null;
    if (value.kind === 'anonymous' && isUuid(String(value['id']))) return value as Learner;
    if (value.kind === 'named' && typeof value['name'] === 'string' && EMAIL.test(String(value['email']))) return value as Learner;
    return null;
  } catch {
    return null;
  }
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
