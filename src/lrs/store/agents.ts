import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { ifiKey } from '../statement-index.ts';
import type { Actor, Agent, Statement } from '../validate.ts';
import { CHUNK, chunks } from './chunks.ts';

// The Agents the LRS has seen in statements (the agents table), for the Agents Resource's Person
// object: written and read only here.

/**
 * Names kept per Agent for the Agents resource's Person object (Communication 2.4): the most
 * recently seen ones. Each name is at most MAX_NAME_LENGTH long (src/lrs/validate.ts), so an
 * Agent's row stays small whatever one client sends.
 */
export const MAX_NAMES_PER_AGENT = 10;

/** What the LRS knows of an Agent from the statements it stored (for the Agents Resource). */
export interface KnownAgent {
  /** The Agent as last seen in a statement. */
  agent: Agent;
  /** The names it was seen with, oldest first, at most MAX_NAMES_PER_AGENT. */
  names: string[];
}

/**
 * Remember each Agent seen as actor or object of the statements (with a Group's members): the
 * Agent as last seen and its names, a name seen again moving to the end, the last
 * MAX_NAMES_PER_AGENT kept. Only the Agents whose row changes are written.
 * @param trx the storing transaction
 * @param statements the statements newly stored, in order
 * Source: xAPI 1.0.3, Communication 2.4 (Agents Resource, the Person object).
 */
export async function saveAgents(trx: Transaction<Schema>, statements: readonly Statement[]): Promise<void> {
  const seen = agentsIn(statements);
  if (seen.size === 0) {
    return;
  }
  const known = new Map<string, string[]>();
  for (const ifis of chunks([...seen.keys()], CHUNK)) {
    const rows = await trx.selectFrom('agents').select(['ifi', 'names']).where('ifi', 'in', ifis).execute();
    rows.forEach((row) => known.set(row.ifi, JSON.parse(row.names) as string[]));
  }
  // Oldest first, newest last; a name seen again moves to the end; only the last ten are kept.
  const rows = [...seen].flatMap(([ifi, { agent, names }]) => {
    const before = known.get(ifi);
    const after = [...(before ?? []).filter((name) => !names.has(name)), ...names].slice(-MAX_NAMES_PER_AGENT);
    return before !== undefined && JSON.stringify(after) === JSON.stringify(before)
      ? []
      : [{ ifi, agent: JSON.stringify(agent), names: JSON.stringify(after) }];
  });
  for (const part of chunks(rows, CHUNK)) {
    await trx
      .insertInto('agents')
      .values(part)
      .onConflict((conflict) =>
        conflict.column('ifi').doUpdateSet((eb) => ({ agent: eb.ref('excluded.agent'), names: eb.ref('excluded.names') })),
      )
      .execute();
  }
}

/**
 * What statements told of an Agent, for the Person object of the Agents Resource.
 * @param db the database
 * @param ifi the Agent's identifier key (see ifiKey, src/lrs/statement-index.ts)
 * @returns the Agent last seen and its names, or undefined when no statement involved it
 */
export async function readKnownAgent(db: Kysely<Schema>, ifi: string): Promise<KnownAgent | undefined> {
  const row = await db.selectFrom('agents').select(['agent', 'names']).where('ifi', '=', ifi).executeTakeFirst();
  return row === undefined ? undefined : { agent: JSON.parse(row.agent) as Agent, names: JSON.parse(row.names) as string[] };
}

/** The Agents of a batch (actors, Agent or Group objects, members), by identifier key, with their names. */
function agentsIn(statements: readonly Statement[]): Map<string, { agent: Agent; names: Set<string> }> {
  const seen = new Map<string, { agent: Agent; names: Set<string> }>();
  const add = (actor: Actor): void => {
    for (const each of [actor, ...(actor.objectType === 'Group' ? (actor.member ?? []) : [])]) {
      const key = each.objectType === 'Group' ? null : ifiKey(each);
      if (key === null) {
        continue;
      }
      const entry = seen.get(key) ?? { agent: each as Agent, names: new Set<string>() };
      if (each.name !== undefined) {
        entry.names.add(each.name);
      }
      seen.set(key, entry);
    }
  };
  for (const statement of statements) {
    add(statement.actor);
    if (statement.object.objectType === 'Agent' || statement.object.objectType === 'Group') {
      add(statement.object as Actor);
    }
  }
  return seen;
}
