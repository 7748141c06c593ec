import type { Participant } from '../xapi/attendance.ts';

// The trainer page's data (src/pages/[lang]/trainer.astro, program in trainer-client.ts): the
// workshops a trainer created on this device, and the participant list typed for attendance.
// Nothing here loads the xAPI client: attendance.ts loads when attendance is recorded.

/** localStorage key of the workshops created on this device: JSON SavedWorkshop[], newest first. */
export const WORKSHOPS_KEY = 'dce.trainer.workshops';

/** sessionStorage key of the trainer's credential: JSON { key, secret }, gone when the browser session ends. */
export const TRAINER_CREDENTIAL_KEY = 'dce.trainer.credential';

/** A workshop cohort as the trainer created it: its registration and the participants' link. */
export interface SavedWorkshop {
  /** The workshop's registration, a UUID made in the browser (xAPI context.registration). */
  registration: string;
  /** The module's slug (src/schemas/module.ts) and its title in the page's language. */
  module: string;
  moduleTitle: string;
  /** The language the participants study in: a code of src/i18n/languages.ts. */
  lang: string;
  /** The cohort's name and its ISO 3166-1 alpha-2 country code. */
  cohort: string;
  country: string;
  /** Where and when (YYYY-MM-DD dates), as typed; may be empty. */
  place: string;
  start: string;
  end: string;
  /** The participants' link (src/lib/xapi/learner.ts, workshopLink). */
  link: string;
}

/** The workshops saved on this device, newest first; none when nothing was saved. */
export function savedWorkshops(storage: Storage = localStorage): SavedWorkshop[] {
  return JSON.parse(storage.getItem(WORKSHOPS_KEY) ?? '[]') as SavedWorkshop[];
}

/** Keep a new workshop on this device, before the others. */
export function saveWorkshop(workshop: SavedWorkshop, storage: Storage = localStorage): void {
  storage.setItem(WORKSHOPS_KEY, JSON.stringify([workshop, ...savedWorkshops(storage)]));
}

/**
 * Check the workshop form's fields.
 * @param fields the typed cohort, country (any case) and start and end dates (YYYY-MM-DD or empty)
 * @returns the first problem, as the key of its message in the page's strings, or null
 */
export function workshopProblem(fields: {
  cohort: string;
  country: string;
  start: string;
  end: string;
}): 'invalidCohort' | 'invalidCountry' | 'invalidDates' | null {
  if (!fields.cohort) return 'invalidCohort';
  if (!/^[A-Z]{2}$/.test(fields.country.toUpperCase())) return 'invalidCountry';
  if (fields.start && fields.end && fields.end < fields.start) return 'invalidDates';
  return null;
}

/**
 * Read the participant list of the attendance form: one participant a line, "Name <email>";
 * blank lines are skipped and spaces around a line are ignored.
 * @param text the textarea's value
 * @returns the participants in order, or the 1-based number of the first line that is not
 *   "Name <address@domain.tld>"
 */
export function parseParticipants(text: string): { participants: Participant[] } | { invalidLine: number } {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const participants: Participant[] = [];
  for (const [i, line] of lines.entries()) {
    const match = /^(.+?)\s*<([^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)>$/.exec(line);
    if (!match) return { invalidLine: i + 1 };
    participants.push({ name: match[1]!, email: match[2]! });
  }
  return { participants };
}

/**
 * The LRS's own message from an error body such as {"error": ..., "message": "..."}; the body
 * itself when it is not such JSON.
 */
export function lrsReason(body: string): string {
  try {
    return String((JSON.parse(body) as { message?: unknown }).message ?? body);
  } catch {
    return body;
  }
}
