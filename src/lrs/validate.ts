import { z } from 'zod';
import { badRequest } from './errors/xapi-error.ts';
import { MAX_DEPTH, parseStrictJson } from './strict-json.ts';

/** The reserved verb whose StatementRef object voids another statement (xAPI 1.0.3, Data 2.3.2). */
export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';

// Formats. Full IRI and RFC 5646 validation is impractical; Data 2.2 allows best effort, so these
// catch what matters in practice: a missing scheme, whitespace, a wrong shape.
// Control characters (\p{Cc}, NUL included) are in no IRI (RFC 3987 2.2) and no address.
const IRI = /^[a-z][a-z0-9+.-]*:[^\s\p{Cc}<>"{}|\\^`]+$/iu;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const MAILTO = /^mailto:[^\s\p{Cc}@]+@[^\s\p{Cc}@]+$/u;
const SHA1 = /^[0-9a-f]{40}$/i;
const SHA2 = /^(?:[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i;
// RFC 5646 token lengths: language(-extlang)(-script)(-region)(-variant)*(-extension)*(-privateuse).
const LANGUAGE_TAG =
  /^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wyz](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?|x(?:-[a-z\d]{1,8})+|i-[a-z]{2,8})$/i;
// ISO 8601 durations in the format of ISO 8601:2004 4.4.3.2 (Data 4.6); weeks stand alone.
const NUM = String.raw`\d+(?:[.,]\d+)?`;
const DURATION = new RegExp(
  `^P(?:${NUM}W|(?=\\d|T\\d)(?:${NUM}Y)?(?:${NUM}M)?(?:${NUM}D)?(?:T(?=\\d)(?:${NUM}H)?(?:${NUM}M)?(?:${NUM}S)?)?)$`,
);
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const VERSION = /^1\.0(?:\.\d+)?$/;

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

const iri = z.string().regex(IRI, 'must be an IRI with a scheme, e.g. https://example.org/id');
const uuid = z.string().regex(UUID, 'must be a UUID in standard string form');
const timestamp = z.string().superRefine((value, context) => {
  const problem = timestampProblem(value);
  if (problem !== undefined) {
    context.addIssue({ code: 'custom', message: problem });
  }
});
const languageTag = z.string().regex(LANGUAGE_TAG, 'must be an RFC 5646 language tag, e.g. en or fr-CA');
const languageMap = z.record(languageTag, z.string());
// Extension values are free JSON, null included (Data 2.2, 4.1); only the keys are checked.
const extensions = z.record(iri, z.unknown());

const inverseFunctionalIdentifiers = {
  mbox: z.string().regex(MAILTO, 'must be a mailto IRI, e.g. mailto:learner@example.org').optional(),
  mbox_sha1sum: z.string().regex(SHA1, 'must be 40 hexadecimal characters').optional(),
  openid: iri.optional(),
  account: z.strictObject({ homePage: iri, name: z.string().min(1) }).optional(),
};
const IFI_NAMES = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;

function countIdentifiers(value: Partial<Record<(typeof IFI_NAMES)[number], unknown>>): number {
  return IFI_NAMES.filter((name) => value[name] !== undefined).length;
}

const IFI_RULE = 'inverse functional identifier (mbox, mbox_sha1sum, openid or account)';

function exactlyOneIdentifier(
  value: Partial<Record<(typeof IFI_NAMES)[number], unknown>>,
  context: z.RefinementCtx,
): void {
  const count = countIdentifiers(value);
  if (count !== 1) {
    context.addIssue({ code: 'custom', message: `an Agent needs exactly one ${IFI_RULE}; found ${count}` });
  }
}

/**
 * Longest Agent or Group name this LRS takes, in UTF-16 code units: the Agents resource keeps the
 * names seen per Agent (src/lrs/store/statements.ts), so one client must not grow them at will.
 * A limit of this LRS, not of xAPI; a person's name is far shorter.
 */
export const MAX_NAME_LENGTH = 500;
/**
 * Largest Activity definition this LRS takes, in bytes of its JSON (UTF-8): the LRS keeps each
 * Activity's canonical definition and sends it with every statement in format=canonical
 * (Communication 2.5). A limit of this LRS, not of xAPI.
 */
export const MAX_DEFINITION_BYTES = 64 * 1024;

const agentName = z
  .string()
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters long (a limit of this LRS)`);
const agentFields = { name: agentName.optional(), ...inverseFunctionalIdentifiers };
const agent = z
  .strictObject({ objectType: z.literal('Agent').optional(), ...agentFields })
  .superRefine(exactlyOneIdentifier);
// As a statement's object an Agent must say so (Data 2.4.4.2).
const agentAsObject = z
  .strictObject({ objectType: z.literal('Agent'), ...agentFields })
  .superRefine(exactlyOneIdentifier);
const group = z
  .strictObject({
    objectType: z.literal('Group'),
    name: agentName.optional(),
    member: z.array(agent).optional(),
    ...inverseFunctionalIdentifiers,
  })
  .superRefine((value, context) => {
    const count = countIdentifiers(value);
    if (count > 1) {
      context.addIssue({ code: 'custom', message: `an identified Group needs exactly one ${IFI_RULE}; found ${count}` });
    } else if (count === 0 && value.member === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['member'],
        message: `is required in an anonymous Group (one without an ${IFI_RULE})`,
      });
    }
  });
const actor = z.discriminatedUnion('objectType', [agent, group], {
  error: 'must be "Agent" (or absent) or "Group"',
});

// An authority is an Agent, or for three-legged OAuth an anonymous Group of exactly two Agents
// (the application and the user) (Data 2.4.9).
const authority = actor.superRefine((value, context) => {
  if (value.objectType === 'Group' && (countIdentifiers(value) !== 0 || value.member?.length !== 2)) {
    context.addIssue({
      code: 'custom',
      message: 'a Group authority must be an anonymous Group of exactly two Agents (Data 2.4.9)',
    });
  }
});

const verb = z.strictObject({ id: iri, display: languageMap.optional() });

const INTERACTION_TYPES = [
  'true-false',
  'choice',
  'fill-in',
  'long-fill-in',
  'matching',
  'performance',
  'sequencing',
  'likert',
  'numeric',
  'other',
] as const;
/** Which interaction types each interaction component list belongs to (Data 2.4.4.1). */
const COMPONENT_LISTS = {
  choices: ['choice', 'sequencing'],
  scale: ['likert'],
  source: ['matching'],
  target: ['matching'],
  steps: ['performance'],
} as const satisfies Record<string, readonly (typeof INTERACTION_TYPES)[number][]>;

const interactionComponents = z.array(
  z.strictObject({ id: z.string().min(1), description: languageMap.optional() }),
);
const activityDefinition = z
  .strictObject({
    name: languageMap.optional(),
    description: languageMap.optional(),
    type: iri.optional(),
    moreInfo: iri.optional(),
    extensions: extensions.optional(),
    interactionType: z.enum(INTERACTION_TYPES).optional(),
    correctResponsesPattern: z.array(z.string()).optional(),
    choices: interactionComponents.optional(),
    scale: interactionComponents.optional(),
    source: interactionComponents.optional(),
    target: interactionComponents.optional(),
    steps: interactionComponents.optional(),
  })
  .superRefine((definition, context) => {
    const bytes = Buffer.byteLength(JSON.stringify(definition));
    if (bytes > MAX_DEFINITION_BYTES) {
      context.addIssue({
        code: 'custom',
        message: `is ${bytes} bytes as JSON; at most ${MAX_DEFINITION_BYTES} bytes are accepted (a limit of this LRS)`,
      });
    }
    const type = definition.interactionType;
    if (type === undefined && definition.correctResponsesPattern !== undefined) {
      context.addIssue({ code: 'custom', path: ['interactionType'], message: 'is required with correctResponsesPattern' });
    }
    for (const [list, types] of Object.entries(COMPONENT_LISTS)) {
      const components: unknown = definition[list as keyof typeof COMPONENT_LISTS];
      if (!Array.isArray(components)) {
        continue;
      }
      if (type === undefined || !(types as readonly string[]).includes(type)) {
        context.addIssue({
          code: 'custom',
          path: [list],
          message: `is only used with interactionType ${types.map((t) => `"${t}"`).join(' or ')}`,
        });
      }
      const ids = components.map((component: { id?: unknown }) => component.id);
      const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
      if (repeated !== undefined) {
        context.addIssue({ code: 'custom', path: [list], message: `repeats the component id ${JSON.stringify(repeated)}` });
      }
    }
  });
const activity = z.strictObject({
  objectType: z.literal('Activity').optional(),
  id: iri,
  definition: activityDefinition.optional(),
});
const statementRef = z.strictObject({ objectType: z.literal('StatementRef'), id: uuid });

const score = z
  .strictObject({
    scaled: z.number().min(-1).max(1).optional(),
    raw: z.number().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .superRefine(({ raw, min, max }, context) => {
    const isNumber = (n: unknown): n is number => typeof n === 'number';
    if (isNumber(min) && isNumber(max) && min >= max) {
      context.addIssue({ code: 'custom', path: ['min'], message: 'must be less than max' });
    }
    if (isNumber(raw) && isNumber(min) && raw < min) {
      context.addIssue({ code: 'custom', path: ['raw'], message: 'must not be below min' });
    }
    if (isNumber(raw) && isNumber(max) && raw > max) {
      context.addIssue({ code: 'custom', path: ['raw'], message: 'must not be above max' });
    }
  });
const result = z.strictObject({
  score: score.optional(),
  success: z.boolean().optional(),
  completion: z.boolean().optional(),
  response: z.string().optional(),
  duration: z.string().regex(DURATION, 'must be an ISO 8601 duration, e.g. PT1M30S').optional(),
  extensions: extensions.optional(),
});

// A single Activity is accepted for 0.95 compatibility and always returned as an array (Data 2.4.6.2).
const contextActivityList = z.preprocess((value) => (Array.isArray(value) ? value : [value]), z.array(activity));
const context = z.strictObject({
  registration: uuid.optional(),
  instructor: actor.optional(),
  team: group.optional(),
  contextActivities: z
    .strictObject({
      parent: contextActivityList.optional(),
      grouping: contextActivityList.optional(),
      category: contextActivityList.optional(),
      other: contextActivityList.optional(),
    })
    .optional(),
  revision: z.string().optional(),
  platform: z.string().optional(),
  language: languageTag.optional(),
  statement: statementRef.optional(),
  extensions: extensions.optional(),
});

const attachment = z.strictObject({
  usageType: iri,
  display: languageMap,
  description: languageMap.optional(),
  contentType: z.string().min(1),
  length: z.int().nonnegative(),
  sha2: z.string().regex(SHA2, 'must be a hexadecimal SHA-2 hash'),
  fileUrl: iri.optional(),
});

interface StatementShape {
  verb: { id?: unknown };
  object: { objectType?: unknown };
  context?: { revision?: unknown; platform?: unknown } | undefined;
}

/** Rules that span several properties, shared by statements and SubStatements. */
function crossPropertyRules(statement: StatementShape, context: z.RefinementCtx): void {
  const objectType = statement.object.objectType;
  if (statement.verb.id === VOIDED_VERB && objectType !== 'StatementRef') {
    context.addIssue({
      code: 'custom',
      path: ['object', 'objectType'],
      message: 'must be "StatementRef" in a voiding statement (Data 2.3.2)',
    });
  }
  if (objectType !== undefined && objectType !== 'Activity') {
    for (const property of ['revision', 'platform'] as const) {
      if (statement.context?.[property] !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['context', property],
          message: 'is only allowed when the object is an Activity (Data 2.4.6)',
        });
      }
    }
  }
}

const statementBody = {
  actor,
  verb,
  result: result.optional(),
  context: context.optional(),
  timestamp: timestamp.optional(),
  attachments: z.array(attachment).optional(),
};
const subStatement = z
  .strictObject({
    objectType: z.literal('SubStatement'),
    ...statementBody,
    object: z.discriminatedUnion('objectType', [activity, agentAsObject, group, statementRef], {
      error: 'must be "Activity" (or absent), "Agent", "Group" or "StatementRef": a SubStatement cannot nest',
    }),
  })
  .superRefine(crossPropertyRules);
const statementSchema = z
  .strictObject({
    id: uuid.optional(),
    ...statementBody,
    object: z.discriminatedUnion('objectType', [activity, agentAsObject, group, statementRef, subStatement], {
      error: 'must be "Activity" (or absent), "Agent", "Group", "StatementRef" or "SubStatement"',
    }),
    stored: timestamp.optional(),
    authority: authority.optional(),
    version: z.string().regex(VERSION, 'must start with 1.0 (e.g. "1.0.0")').optional(),
  })
  .superRefine(crossPropertyRules);

/** A valid xAPI 1.0.3 statement, contextActivities normalised to arrays. */
export type Statement = z.output<typeof statementSchema>;
/** An Agent: one inverse functional identifier, optional name. */
export type Agent = z.output<typeof agent>;
/** An identified or anonymous Group. */
export type Group = z.output<typeof group>;
/** Who can be an actor, instructor or authority. */
export type Actor = Agent | Group;
/** An Activity object, definition included. */
export type Activity = z.output<typeof activity>;

/**
 * Validate the body of POST or PUT /xapi/statements: one statement or an array of them.
 * @param body the parsed JSON body (any JSON value)
 * @returns the statements (each validated and normalised) and whether the body was an array
 * @throws XapiError 400 naming the field path of up to five problems, e.g.
 *   `statements[1].actor.mbox: must be a mailto IRI`; also when two statements of a batch share an
 *   id, and when the JSON nests more than 100 levels deep (a limit of this LRS)
 * Sources: xAPI 1.0.3, Data 2.2 and 2.4 (statement properties), Communication 2.1.1 and 2.1.2
 * (a batch with a repeated id is rejected), Communication 3.2 (one bad statement rejects the batch).
 */
export function parseStatementBody(body: unknown): { statements: Statement[]; batch: boolean } {
  const batch = Array.isArray(body);
  const label = batch ? 'statements' : 'statement';
  if (nestsDeeperThan(body, MAX_DEPTH)) {
    throw badRequest(`${label}: nests JSON deeper than ${MAX_DEPTH} levels`);
  }
  const schema = batch ? z.array(statementSchema) : statementSchema;
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw badRequest(describeIssues(label, parsed.error, body));
  }
  const statements = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  const seen = new Map<string, number>();
  statements.forEach((statement, index) => {
    const id = statement.id?.toLowerCase();
    if (id === undefined) {
      return;
    }
    const first = seen.get(id);
    if (first !== undefined) {
      throw badRequest(`statements[${index}].id: repeats the id of statements[${first}] in the same batch`);
    }
    seen.set(id, index);
  });
  return { statements, batch };
}

/**
 * Validate the `agent` query parameter of GET /xapi/statements.
 * @param json the parameter's text: a JSON Agent or identified Group
 * @returns the Agent or Group
 * @throws XapiError 400 when the text is not JSON, not an Agent or Group, or is an anonymous Group
 *   (which has no identifier to match)
 * Source: xAPI 1.0.3, Communication 2.1.3 (agent: "Agent or Identified Group Object (JSON)") and
 * Data 2.2 ("validate parameter values to the same standards ... as in Statements").
 */
export function parseAgentParameter(json: string): Actor {
  try {
    JSON.parse(json);
  } catch {
    throw badRequest('agent: must be a JSON Agent or identified Group, e.g. {"mbox":"mailto:a@example.org"}');
  }
  // Exact JSON (strict-json.ts): a lone surrogate in an mbox would otherwise name another Agent.
  const value = parseStrictJson(json, 'agent');
  const parsed = actor.safeParse(value);
  if (!parsed.success) {
    throw badRequest(describeIssues('agent', parsed.error, value));
  }
  if (countIdentifiers(parsed.data) === 0) {
    throw badRequest(`agent: an anonymous Group cannot be used as a filter; give an ${IFI_RULE}`);
  }
  return parsed.data;
}

const MAX_REPORTED_ISSUES = 5;


/** Whether a JSON value nests deeper than `limit`, checked without recursion. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (item.value === null || typeof item.value !== 'object') {
      continue;
    }
    if (item.depth >= limit) {
      return true;
    }
    for (const child of Object.values(item.value)) {
      pending.push({ value: child, depth: item.depth + 1 });
    }
  }
  return false;
}

function describeIssues(label: string, error: z.ZodError, input: unknown): string {
  return error.issues
    .slice(0, MAX_REPORTED_ISSUES)
    .map((issue) => describeIssue(label, issue, input))
    .join('; ');
}

function describeIssue(label: string, issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys
        .map((key) => `${formatPath(label, [...issue.path, key])}: is not a property xAPI allows here`)
        .join('; ');
    case 'invalid_key':
      return `${formatPath(label, issue.path)}: key ${issue.issues[0]?.message ?? 'is invalid'}`;
    case 'invalid_type':
      if (isMissing(input, issue.path)) {
        return `${formatPath(label, issue.path)}: is required`;
      }
      return `${formatPath(label, issue.path)}: expected ${issue.expected}`;
    default:
      return `${formatPath(label, issue.path)}: ${issue.message}`;
  }
}

/** Whether the property at `path` is absent from the input (rather than present and wrong). */
function isMissing(input: unknown, path: readonly PropertyKey[]): boolean {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !(key in value)) {
      return true;
    }
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value === undefined;
}

function formatPath(label: string, path: readonly PropertyKey[]): string {
  let text = label;
  for (const key of path) {
    if (typeof key === 'number') {
      text += `[${key}]`;
    } else {
      const name = String(key);
      text += /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
    }
  }
  return text;
}
