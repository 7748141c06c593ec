import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { MAX_DEFINITION_BYTES } from '../validate.ts';
import type { Statement } from '../validate.ts';
import { CHUNK, chunks } from './chunks.ts';

// The canonical Activity definitions (the activities table): written and read only here.

type Definition = Record<string, unknown>;

/**
 * Keep each Activity's canonical definition up to date with the definitions the statements carry
 * (object, a SubStatement's object, context activities): properties of a newer definition replace
 * older ones, language maps are merged language by language (see mergeDefinition). Only the
 * Activities whose canonical definition changes are written.
 * @param trx the storing transaction
 * @param statements the statements newly stored, in order
 * Source: xAPI 1.0.3, Communication 2.5 (the LRS returns "the canonical definition ... as
 * determined by the LRS").
 */
export async function saveDefinitions(trx: Transaction<Schema>, statements: readonly Statement[]): Promise<void> {
  const incoming = definitionsIn(statements);
  if (incoming.size === 0) {
    return;
  }
  const stored = new Map<string, Definition>();
  for (const ids of chunks([...incoming.keys()], CHUNK)) {
    const rows = await trx.selectFrom('activities').selectAll().where('activity_id', 'in', ids).execute();
    rows.forEach((row) => stored.set(row.activity_id, JSON.parse(row.definition) as Definition));
  }
  // Most statements repeat a definition already known: write only those that change it.
  const rows = [...incoming].flatMap(([activityId, definition]) => {
    const before = stored.get(activityId);
    const merged = JSON.stringify(mergeDefinition(before, definition));
    return before !== undefined && merged === JSON.stringify(before) ? [] : [{ activity_id: activityId, definition: merged }];
  });
  for (const part of chunks(rows, CHUNK)) {
    await trx
      .insertInto('activities')
      .values(part)
      .onConflict((conflict) => conflict.column('activity_id').doUpdateSet((eb) => ({ definition: eb.ref('excluded.definition') })))
      .execute();
  }
}

/**
 * The canonical definition of an Activity: the merge of every definition stored for it.
 * @param db the database
 * @param activityId the Activity's IRI
 * @returns the definition, or undefined when none was ever given
 * Source: xAPI 1.0.3, Communication 2.5 (Activities Resource).
 */
export async function readDefinition(db: Kysely<Schema>, activityId: string): Promise<Definition | undefined> {
  const row = await db.selectFrom('activities').select('definition').where('activity_id', '=', activityId).executeTakeFirst();
  return row === undefined ? undefined : (JSON.parse(row.definition) as Definition);
}

/** The definitions a batch carries, by Activity id, those of one Activity merged in order. */
function definitionsIn(statements: readonly Statement[]): Map<string, Definition> {
  const incoming = new Map<string, Definition>();
  const collect = (object: Statement['object'] | undefined): void => {
    if (
      object !== undefined &&
      (object.objectType === undefined || object.objectType === 'Activity') &&
      'definition' in object &&
      object.definition !== undefined
    ) {
      incoming.set(object.id, mergeDefinition(incoming.get(object.id), object.definition as Definition));
    }
  };
  for (const statement of statements) {
    collect(statement.object);
    if (statement.object.objectType === 'SubStatement') {
      collect(statement.object.object as Statement['object']);
    }
    for (const list of Object.values(statement.context?.contextActivities ?? {})) {
      for (const activity of list ?? []) {
        collect(activity as Statement['object']);
      }
    }
  }
  return incoming;
}

const LANGUAGE_MAPS = new Set(['name', 'description']);

/**
 * The canonical definition after a newer one: the newer one's properties win, name and description
 * are merged language by language. Should the merge outgrow MAX_DEFINITION_BYTES (many statements,
 * each with other languages), the newer definition alone is kept: what one client sends never
 * grows a stored definition past the size a single statement may carry (src/lrs/validate.ts).
 */
function mergeDefinition(older: Definition | undefined, newer: Definition): Definition {
  const merged: Definition = { ...older };
  for (const [property, value] of Object.entries(newer)) {
    const before = merged[property];
    merged[property] = LANGUAGE_MAPS.has(property) && isPlainObject(before) && isPlainObject(value) ? { ...before, ...value } : value;
  }
  return older === undefined || Buffer.byteLength(JSON.stringify(merged)) <= MAX_DEFINITION_BYTES ? merged : newer;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
