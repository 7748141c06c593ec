/**
 * The `format` parameter of GET statements: `exact`, `ids` and `canonical` renderings of a stored
 * statement. Source: xAPI 1.0.3, Communication 2.1.3 (GET Statements, "format" row, and "Language
 * Filtering Requirements for Canonical Format Statements").
 */

/** The three values of the `format` parameter (Communication 2.1.3). */
export type StatementFormat = 'exact' | 'ids' | 'canonical';

/** What formatStatement needs beyond the statement itself. */
export interface FormatOptions {
  /**
   * Language ranges the client accepts, best first, as parseAcceptLanguage returns them.
   * Only `canonical` uses them; empty means "any language".
   */
  languages: string[];
  /**
   * The LRS's canonical Activity Definition for an Activity id, or undefined when it has none
   * (the statement's own definition is then used). Only `canonical` calls it.
   */
  definitionOf: (activityId: string) => Record<string, unknown> | undefined;
}

type Json = Record<string, unknown>;

/** Inverse functional identifiers, in the order Data 2.4.2.3 lists them. */
const IFI_NAMES = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;
/** Context Activity lists (Data 2.4.6.2). */
const CONTEXT_ACTIVITY_LISTS = ['parent', 'grouping', 'category', 'other'] as const;
/** Interaction component lists, each an array of `{ id, description }` (Data 2.4.4.1). */
const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'] as const;
/** RFC 2616 14.4 qvalue: 0 to 1, at most three decimals. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * Render a stored statement in one of the three formats of GET statements.
 *
 * - `exact`: the statement as received; the input object itself is returned.
 * - `ids`: Agents and identified Groups become `{ objectType, <their one IFI> }`; anonymous Groups
 *   become `{ objectType: 'Group', member: [<members reduced the same way>] }`; Activities become
 *   `{ id }`; Verbs `{ id }`. Applied to actor, object, authority, context.instructor, context.team,
 *   context.contextActivities and everything inside a SubStatement. Other properties are kept.
 * - `canonical`: every Activity gets `options.definitionOf(id)` as its definition (or keeps its own
 *   when that returns undefined), and every language map (Verb display, Activity name and
 *   description, interaction components' description, Attachment display and description) keeps
 *   the one entry pickLanguage chooses for `options.languages`. Agents and Groups stay exact.
 *
 * @param statement a stored statement (StatementRef objects, result, extensions are kept as is)
 * @param format `exact`, `ids` or `canonical`
 * @param options accepted languages and the canonical Activity definitions (see FormatOptions)
 * @returns for `ids` and `canonical` a new object; the input is never mutated
 * Source: xAPI 1.0.3, Communication 2.1.3 (format parameter; Language Filtering Requirements
 * 2.1.3.s4), Data 2.4.2 (Agents, Groups, IFIs).
 */
export function formatStatement<T extends object>(statement: T, format: StatementFormat, options: FormatOptions): T {
  if (format === 'exact') {
    return statement;
  }
  const copy = structuredClone(statement) as Json;
  if (format === 'ids') {
    idsStatement(copy);
  } else {
    canonicalStatement(copy, options);
  }
  return copy as T;
}

/**
 * Parse an Accept-Language header into language ranges, best first.
 *
 * Ranges keep their spelling; ties keep header order; ranges with q=0 ("not acceptable") and
 * entries with a malformed q are dropped.
 * @param header e.g. "fr-CA,fr;q=0.9,en;q=0.5", or undefined when the request had none
 * @returns e.g. ["fr-CA", "fr", "en"]; [] for an absent or empty header
 * Source: RFC 2616 14.4 (Accept-Language), as xAPI 1.0.3 Communication 2.1.3.s4.b5 requires.
 */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (header === undefined) {
    return [];
  }
  const ranges: { range: string; q: number }[] = [];
  for (const entry of header.split(',')) {
    const [range = '', ...parameters] = entry.split(';').map((part) => part.trim());
    if (range === '') {
      continue;
    }
    let q = 1;
    for (const parameter of parameters) {
      const [name = '', value = ''] = parameter.split('=').map((part) => part.trim());
      if (name.toLowerCase() === 'q') {
        q = QVALUE.test(value) ? Number(value) : Number.NaN;
      }
    }
    if (q > 0) {
      ranges.push({ range, q });
    }
  }
  // Array.prototype.sort is stable, so equal q keep header order.
  return ranges.sort((a, b) => b.q - a.q).map(({ range }) => range);
}

/**
 * Choose the one entry of a language map to return for the accepted language ranges.
 *
 * In order: the first range (best first) that matches a tag exactly or as a prefix ("fr" matches
 * "fr-CA"; "*" matches anything), comparing case-insensitively; else the first range whose primary
 * subtag matches a tag's ("fr-CA" finds "fr-FR" or "fr"); else "und"; else the map's first entry.
 * Since one language MUST be returned per map, a map always keeps an entry when it has one.
 * @param languageMap e.g. { "en-US": "answered", "fr": "a répondu" }
 * @param languages accepted ranges, best first (see parseAcceptLanguage)
 * @returns the chosen tag as spelled in the map, or undefined for an empty map
 * Source: xAPI 1.0.3, Communication 2.1.3.s4.b1 and b5; RFC 2616 14.4 (language-range matching).
 */
export function pickLanguage(languageMap: Readonly<Record<string, unknown>>, languages: readonly string[]): string | undefined {
  const tags = Object.keys(languageMap);
  const lower = tags.map((tag) => tag.toLowerCase());
  for (const range of languages.map((language) => language.toLowerCase())) {
    if (range === '*') {
      return tags[0];
    }
    const exact = lower.indexOf(range);
    if (exact !== -1) {
      return tags[exact];
    }
    const prefix = lower.findIndex((tag) => tag.startsWith(`${range}-`));
    if (prefix !== -1) {
      return tags[prefix];
    }
  }
  for (const range of languages) {
    const primary = primarySubtag(range);
    const index = lower.findIndex((tag) => primarySubtag(tag) === primary);
    if (index !== -1) {
      return tags[index];
    }
  }
  const undetermined = lower.indexOf('und');
  return undetermined !== -1 ? tags[undetermined] : tags[0];
}

function primarySubtag(tag: string): string {
  return (tag.split('-')[0] ?? '').toLowerCase();
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Context Activities as stored: an array, or (if not normalised) a single Activity. */
function contextActivities(context: Json, map: (activity: unknown) => unknown): void {
  const lists = context['contextActivities'];
  if (!isObject(lists)) {
    return;
  }
  for (const name of CONTEXT_ACTIVITY_LISTS) {
    const list = lists[name];
    if (Array.isArray(list)) {
      lists[name] = list.map(map);
    } else if (list !== undefined) {
      lists[name] = map(list);
    }
  }
}

// ---- ids ----

function idsStatement(statement: Json): void {
  statement['actor'] = idsActor(statement['actor']);
  statement['verb'] = idsVerb(statement['verb']);
  statement['object'] = idsObject(statement['object']);
  if (statement['authority'] !== undefined) {
    statement['authority'] = idsActor(statement['authority']);
  }
  const context = statement['context'];
  if (isObject(context)) {
    for (const name of ['instructor', 'team'] as const) {
      if (context[name] !== undefined) {
        context[name] = idsActor(context[name]);
      }
    }
    contextActivities(context, idsActivity);
  }
}

/** An Agent or Group reduced to what identifies it (an anonymous Group: its members). */
function idsActor(actor: unknown): unknown {
  if (!isObject(actor)) {
    return actor;
  }
  const isGroup = actor['objectType'] === 'Group';
  const reduced: Json = { objectType: isGroup ? 'Group' : 'Agent' };
  const ifi = IFI_NAMES.find((name) => actor[name] !== undefined);
  if (ifi !== undefined) {
    reduced[ifi] = actor[ifi];
  } else if (isGroup && Array.isArray(actor['member'])) {
    reduced['member'] = actor['member'].map(idsActor);
  }
  return reduced;
}

function idsVerb(verb: unknown): unknown {
  return isObject(verb) ? { id: verb['id'] } : verb;
}

function idsActivity(activity: unknown): unknown {
  return isObject(activity) ? { id: activity['id'] } : activity;
}

function idsObject(object: unknown): unknown {
  if (!isObject(object)) {
    return object;
  }
  switch (object['objectType']) {
    case 'Agent':
    case 'Group':
      return idsActor(object);
    case 'StatementRef':
      return object;
    case 'SubStatement':
      idsStatement(object);
      return object;
    default:
      return idsActivity(object);
  }
}

// ---- canonical ----

function canonicalStatement(statement: Json, options: FormatOptions): void {
  const verb = statement['verb'];
  if (isObject(verb)) {
    filterMap(verb, 'display', options.languages);
  }
  const object = statement['object'];
  if (isObject(object)) {
    if (object['objectType'] === 'SubStatement') {
      canonicalStatement(object, options);
    } else if (object['objectType'] === undefined || object['objectType'] === 'Activity') {
      canonicalActivity(object, options);
    }
  }
  const context = statement['context'];
  if (isObject(context)) {
    contextActivities(context, (activity) => {
      if (isObject(activity)) {
        canonicalActivity(activity, options);
      }
      return activity;
    });
  }
  const attachments = statement['attachments'];
  if (Array.isArray(attachments)) {
    for (const attachment of attachments) {
      if (isObject(attachment)) {
        filterMap(attachment, 'display', options.languages);
        filterMap(attachment, 'description', options.languages);
      }
    }
  }
}

/** Give an Activity (already a private copy) its canonical definition, one language per map. */
function canonicalActivity(activity: Json, options: FormatOptions): void {
  const id = activity['id'];
  const canonical = typeof id === 'string' ? options.definitionOf(id) : undefined;
  const definition = canonical === undefined ? activity['definition'] : structuredClone(canonical);
  if (!isObject(definition)) {
    return;
  }
  filterMap(definition, 'name', options.languages);
  filterMap(definition, 'description', options.languages);
  for (const list of COMPONENT_LISTS) {
    const components = definition[list];
    if (Array.isArray(components)) {
      for (const component of components) {
        if (isObject(component)) {
          filterMap(component, 'description', options.languages);
        }
      }
    }
  }
  activity['definition'] = definition;
}

/** Reduce `owner[key]`, when it is a language map, to the one entry pickLanguage chooses. */
function filterMap(owner: Json, key: string, languages: readonly string[]): void {
  const map = owner[key];
  if (!isObject(map)) {
    return;
  }
  const tag = pickLanguage(map, languages);
  owner[key] = tag === undefined ? {} : { [tag]: map[tag] };
}
