import type { Statement } from '@xapi/xapi';
import type { Catalogue } from './catalogue.ts';

// What the completion report (aggregate.ts) reads from one statement: its actor, its module and
// its workshop, by this site's profile (docs/xapi-profile.md).

const TYPE = 'http://adlnet.gov/expapi/activities/';

/** An activity as the report reads it. */
export type Activity = { id: string; objectType?: string; definition?: { type?: string } };

/**
 * The inverse functional identifier of an actor as one string (xAPI 1.0.3 Data 2.4.2.1):
 * "mbox:…", "mbox_sha1sum:…", "openid:…" or "account:homePage|name".
 */
export function actorKey(actor: Statement['actor']): string {
  const a = actor as { mbox?: string; mbox_sha1sum?: string; openid?: string; account?: { homePage: string; name: string } };
  if (a.mbox) return `mbox:${a.mbox.toLowerCase()}`;
  if (a.mbox_sha1sum) return `mbox_sha1sum:${a.mbox_sha1sum}`;
  if (a.openid) return `openid:${a.openid}`;
  if (a.account) return `account:${a.account.homePage}|${a.account.name}`;
  return 'unknown';
}

/**
 * The module a statement belongs to: its object, or its parent or grouping. With a catalogue,
 * only the site's own module IRIs count; without one, activities typed as modules.
 */
export function moduleOf(s: Statement, catalogue: Catalogue | undefined): string | undefined {
  const isModule = catalogue ? (a: Activity) => catalogue.modules.includes(a.id) : (a: Activity) => a.definition?.type === `${TYPE}module`;
  const object = s.object as Activity;
  if (isModule(object)) return object.id;
  const ca = s.context?.contextActivities as { parent?: Activity | Activity[]; grouping?: Activity | Activity[] } | undefined;
  const list = (v: Activity | Activity[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  return [...list(ca?.parent), ...list(ca?.grouping)].find(isModule)?.id;
}

/** The cohort and country of a statement: documented extensions first, then context.team. */
export function workshopOf(s: Statement): { cohort: string; country: string } {
  const ext = (s.context?.extensions ?? {}) as Record<string, unknown>;
  const find = (suffix: string) => Object.entries(ext).find(([k]) => k.endsWith(`/extensions/${suffix}`))?.[1];
  const team = s.context?.team as { name?: string } | undefined;
  return { cohort: String(find('cohort') ?? team?.name ?? ''), country: String(find('country') ?? '') };
}
