import { z } from 'zod';

// The formats of xAPI values (IRI, UUID, timestamps, durations, language tags, versions), as
// functions for parameters and as zod schemas for statements.
// Full IRI and RFC 5646 validation is impractical; Data 2.2 allows best effort, so these
// catch what matters in practice: a missing scheme, whitespace, a wrong shape.
// Control characters (\p{Cc}, NUL included) are in no IRI (RFC 3987 2.2) and no address.
const IRI = /^[a-z][a-z0-9+.-]*:[^\s\p{Cc}<>"{}|\\^`]+$/iu;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
/** A mailto IRI (Data 2.4.2.3). */
export const MAILTO = /^mailto:[^\s\p{Cc}@]+@[^\s\p{Cc}@]+$/u;
/** A hex SHA-1 digest (mbox_sha1sum). */
export const SHA1 = /^[0-9a-f]{40}$/i;
/** A hex SHA-2 digest of 224, 256, 384 or 512 bits (Data 2.4.11). */
export const SHA2 = /^(?:[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i;
// RFC 5646 token lengths: language(-extlang)(-script)(-region)(-variant)*(-extension)*(-privateuse).
const LANGUAGE_TAG =
  /^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wyz](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?|x(?:-[a-z\d]{1,8})+|i-[a-z]{2,8})$/i;
// ISO 8601 durations in the format of ISO 8601:2004 4.4.3.2 (Data 4.6); weeks stand alone.
const NUM = String.raw`\d+(?:[.,]\d+)?`;
/** An ISO 8601 duration. */
export const DURATION = new RegExp(
  `^P(?:${NUM}W|(?=\\d|T\\d)(?:${NUM}Y)?(?:${NUM}M)?(?:${NUM}D)?(?:T(?=\\d)(?:${NUM}H)?(?:${NUM}M)?(?:${NUM}S)?)?)$`,
);
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** A 1.0.x version (Data 2.4.10). */
export const VERSION = /^1\.0(?:\.\d+)?$/;

/**
 * Tell whether a string is an absolute IRI (best effort: a scheme, then no whitespace).
 * @param value any string, e.g. a verb id or a query parameter
 * @returns true when it looks like an IRI with a scheme
 * Source: xAPI 1.0.3, Data 2.2 ("reject ... IRL or IRI values without a scheme").
 */
export function isIri(value: string): boolean {
  return IRI.test(value);
}

/**
 * Tell whether a string is a UUID in standard string form (any version, RFC 4122 variant).
 * @param value any string, e.g. a statement id or a registration
 * @returns true for e.g. "e05aa883-acaf-40ad-bf54-02c8ce485fb0"
 * Source: xAPI 1.0.3, Data 2.4.1 and 4.4.
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * Tell whether a version string is one of the 1.0.x versions this LRS speaks.
 * @param value an X-Experience-API-Version header or a statement's "version"
 * @returns true for "1.0", "1.0.0" ... "1.0.3"
 * Source: xAPI 1.0.3, Data 2.4.10 and Communication 3.3 (Versioning).
 */
export function isSupportedVersion(value: string): boolean {
  return VERSION.test(value);
}

/**
 * Parse an ISO 8601 combined date and time into the instant it names.
 *
 * A timestamp without a zone is read as UTC; "-00:00" (RFC 3339's "unknown offset") is refused
 * because it names no instant. Fractions beyond milliseconds are truncated.
 * @param value e.g. "2025-03-01T10:15:30.123+01:00"
 * @returns the instant, or undefined when the text is not a valid timestamp
 * Source: xAPI 1.0.3, Data 4.5 (ISO 8601 Timestamps).
 */
export function parseTimestamp(value: string): Date | undefined {
  const match = TIMESTAMP.exec(value);
  if (match === null) {
    return undefined;
  }
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone = 'Z'] = match;
  if (/^-00(?::?00)?$/.test(zone)) {
    return undefined;
  }
  const fields = [year, month, day, hour, minute, second].map(Number);
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = fields;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, Number(fraction.slice(0, 3).padEnd(3, '0')));
  // Date rolls 31 February over into March: a changed field means the text named no real date.
  if (
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== mo - 1 ||
    date.getUTCDate() !== d ||
    date.getUTCHours() !== h ||
    date.getUTCMinutes() !== mi ||
    date.getUTCSeconds() !== s
  ) {
    return undefined;
  }
  const offset = zoneOffsetMinutes(zone);
  return offset === undefined ? undefined : new Date(date.getTime() - offset * 60_000);
}

/** Offsets in use on Earth run from -12:00 to +14:00 (IANA tz database); minutes stay below 60. */
const OFFSET_RANGE_MINUTES = { min: -12 * 60, max: 14 * 60 };

/** The offset of a zone designator in minutes east of UTC, or undefined when no real zone has it. */
function zoneOffsetMinutes(zone: string): number | undefined {
  if (zone.toUpperCase() === 'Z') {
    return 0;
  }
  const digits = zone.slice(1).replace(':', '');
  const minutesPart = Number(digits.slice(2) || '0');
  const minutes = Number(digits.slice(0, 2)) * 60 + minutesPart;
  const offset = zone.startsWith('-') ? -minutes : minutes;
  return minutesPart < 60 && offset >= OFFSET_RANGE_MINUTES.min && offset <= OFFSET_RANGE_MINUTES.max ? offset : undefined;
}

/** The first and last instants whose UTC form has a four-digit year (ISO 8601 without expansion). */
const FIRST_INSTANT = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * What is wrong with a statement's timestamp or stored value, if anything.
 * @param value the property's text
 * @returns undefined for e.g. "2013-05-18T05:32:34.804+00:00"; else the rule it breaks: not an
 *   ISO 8601 timestamp (or an offset outside -12:00..+14:00, minutes of 60 or more, "-00:00"), or
 *   an instant whose UTC form falls outside the years 0000-9999 (it could not be stored in UTC as
 *   ISO 8601 writes it without expansion, e.g. "9999-12-31T23:00:00-14:00")
 * Source: xAPI 1.0.3, Data 4.5 (ISO 8601 Timestamps; the LRS returns them in UTC).
 */
export function timestampProblem(value: string): string | undefined {
  const instant = parseTimestamp(value);
  if (instant === undefined) {
    return 'must be an ISO 8601 timestamp, e.g. 2025-01-31T12:00:00.000Z, with an offset between -12:00 and +14:00 (not -00:00)';
  }
  const time = instant.getTime();
  return time < FIRST_INSTANT || time > LAST_INSTANT ? 'must name an instant between the years 0000 and 9999 in UTC' : undefined;
}

/**
 * The UTC text of an instant used as a query bound (since, until): ISO 8601 with milliseconds,
 * so that it compares as text with the stored instants. Instants beyond the years 0000-9999 are
 * brought to the nearest end of that range, which every stored instant lies within, so the
 * comparison keeps its meaning (since=9999-12-31T23:59:59-14:00 is after every statement).
 * @param instant e.g. from parseTimestamp
 * @returns e.g. "2025-01-31T12:00:00.000Z"
 * Source: xAPI 1.0.3, Communication 2.1.3 (since, until) and Data 4.5.
 */
export function instantBound(instant: Date): string {
  return new Date(Math.min(LAST_INSTANT, Math.max(FIRST_INSTANT, instant.getTime()))).toISOString();
}

/** Zod schema of an IRI value (Data 2.2). */
export const iri = z.string().regex(IRI, 'must be an IRI with a scheme, e.g. https://example.org/id');
/** Zod schema of a UUID value (Data 2.4.1). */
export const uuid = z.string().regex(UUID, 'must be a UUID in standard string form');
/** Zod schema of a timestamp value (Data 4.5, see timestampProblem). */
export const timestamp = z.string().superRefine((value, context) => {
  const problem = timestampProblem(value);
  if (problem !== undefined) {
    context.addIssue({ code: 'custom', message: problem });
  }
});
/** Zod schema of an RFC 5646 language tag. */
export const languageTag = z.string().regex(LANGUAGE_TAG, 'must be an RFC 5646 language tag, e.g. en or fr-CA');
/** Zod schema of a Language Map (Data 4.2). */
export const languageMap = z.record(languageTag, z.string());
/** Zod schema of Extensions: IRI keys; values are free JSON, null included (Data 2.2, 4.1). */
export const extensions = z.record(iri, z.unknown());
