import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import type { LrsDatabase } from '../db/open.ts';
import type { Schema } from '../db/schema.ts';
import { XapiError, badRequest } from '../errors/xapi-error.ts';
import { ifiKey, indexTerms } from '../statement-index.ts';
import { MAX_DEFINITION_BYTES, isUuid, parseTimestamp } from '../validate.ts';
import type { Actor, Agent, Statement } from '../validate.ts';

/** Filters of GET /xapi/statements, already validated; every field is optional. */
export interface StatementFilter {
  /** Identifier key of an Agent or identified Group (see ifiKey). */
  agent?: string | undefined;
  /** Match the agent as authority, instructor, team or inside a SubStatement too. */
  relatedAgents?: boolean | undefined;
  /** Verb IRI. */
  verb?: string | undefined;
  /** Activity IRI. */
  activity?: string | undefined;
  /** Match the activity as a context activity or inside a SubStatement too. */
  relatedActivities?: boolean | undefined;
  /** Registration UUID, lowercased. */
  registration?: string | undefined;
  /** Only statements stored after this instant (ISO 8601 UTC, exclusive). */
  since?: string | undefined;
  /** Only statements stored at or before this instant (ISO 8601 UTC, inclusive). */
  until?: string | undefined;
  /** Oldest first instead of newest first. */
  ascending?: boolean | undefined;
  /** Only statements stored with this credential key (the statements/read/mine scope). */
  authorityKey?: string | undefined;
}

/** One page of a statement query. */
export interface StatementPage {
  /** The statements' JSON as stored (format=exact), in the requested order of storage. */
  json: string[];
  /** The storage sequence number of the last statement, to continue after; undefined when empty. */
  last: number | undefined;
  /** The storage sequence number of each statement of `json`, in the same order (to cut a page short). */
  seqs: number[];
  /** Whether more statements match after this page. */
  more: boolean;
}

/** Attachment content received with statements (multipart/mixed), by lowercase hex SHA-2. */
export type AttachmentParts = ReadonlyMap<string, { contentType: string; content: Buffer }>;

/** Who stores a batch: the authority set on its statements and the credential's key. */
export interface Storer {
  /** The Agent that becomes each statement's authority (Data 2.4.9). */
  authority: Agent;
  /** The credential's key, kept beside the statement for statements/read/mine. */
  key: string;
  /**
   * false when the credential lacks the scope define (or all): the statements are stored as sent
   * but the canonical Activity definitions and the known Agents do not change (xAPI 1.0.3
   * Communication 4.2, "define"). Default true.
   */
  define?: boolean | undefined;
}

/** Persistence of statements with the xAPI rules that need the stored data: duplicates, voiding. */
export interface StatementStore {
  /**
   * Store a batch in one write transaction: all statements or none.
   * @param statements validated statements; missing ids, stored, timestamp, version are filled in,
   *   authority is replaced by the storer's
   * @param storer authority and credential key
   * @param attachments content of attachments sent with the batch (by sha2), stored once each
   * @returns the statement ids, in the order given
   * @throws XapiError 409 when an id is stored with different content; 400 when a statement voids
   *   a voiding statement
   */
  save(statements: readonly Statement[], storer: Storer, attachments?: AttachmentParts): Promise<string[]>;
  /**
   * Read one statement by id.
   * @param id statement UUID, any case
   * @param voided false to find it only when not voided (statementId), true only when voided
   *   (voidedStatementId)
   * @param authorityKey when given, find it only if stored with this credential key
   * @returns the statement and its stored time, or undefined
   */
  get(id: string, voided: boolean, authorityKey?: string): Promise<{ statement: Statement; stored: string } | undefined>;
  /**
   * Find statements matching a filter, one page at a time, voided statements excluded.
   * @param filter the validated filter
   * @param page `after`: continue after this sequence number; `limit`: page size (1 or more)
   * @returns the page
   */
  query(filter: StatementFilter, page: { after?: number | undefined; limit: number }): Promise<StatementPage>;
  /**
   * The attachments cited by statements, for GET with attachments=true.
   * @param sha2s lowercase hex hashes
   * @returns the content found, by hash (attachments sent by fileUrl only have none)
   */
  attachments(sha2s: readonly string[]): Promise<Map<string, { contentType: string; content: Buffer }>>;
  /**
   * The instant up to which every statement is visible to queries: the X-Experience-API-
   * Consistent-Through header (Communication 2.1.3).
   * @returns ISO 8601 UTC
   */
  consistentThrough(): Promise<string>;
  /**
   * The canonical definition of an Activity: the merge of every definition stored for it.
   * @param activityId the Activity's IRI
   * @returns the definition, or undefined when none was ever given
   */
  definition(activityId: string): Promise<Record<string, unknown> | undefined>;
}

/** Most batches stored in one write transaction (group commit). */
const MAX_GROUP = 64;
/** Rows per multi-row INSERT: well under SQLite's 32,766 and PostgreSQL's 65,535 bound values. */
const CHUNK = 400;

/** What else happens when statements are stored. */
export interface StatementStoreOptions {
  /**
   * Called inside the storing transaction with the statements newly stored (as stored, duplicates
   * left out): what it writes commits or rolls back with them (src/lrs/forward.ts queues them).
   */
  onStored?: ((trx: Transaction<Schema>, statements: readonly Statement[]) => Promise<void>) | undefined;
}

/**
 * Create the statement store over an open, migrated database (see openDatabase).
 * @param database the database; the caller keeps ownership and closes it
 * @param options see StatementStoreOptions
 * @returns the store
 * Sources: xAPI 1.0.3, Communication 2.1.1-2.1.4 (PUT, POST, GET, voided statements), Data 2.3
 * (comparison, voiding), Data 2.4.7-2.4.10 (timestamp, stored, authority, version), Data 2.4.11
 * (attachments), Communication 2.5 (the canonical Activity definition).
 */
export function createStatementStore(database: LrsDatabase, options: StatementStoreOptions = {}): StatementStore {
  const { db } = database;

  async function saveBatch(
    trx: Transaction<Schema>,
    statements: readonly Statement[],
    storer: Storer,
    attachments: AttachmentParts | undefined,
  ): Promise<string[]> {
    // stored never goes backwards, even if the clock does, so its order agrees with seq.
    const previous = await trx.selectFrom('statements').select('stored').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const stored = new Date(Math.max(Date.now(), previous === undefined ? 0 : Date.parse(previous.stored))).toISOString();

    const withIds = statements.map((statement) => ({ statement, id: statement.id ?? randomUUID() }));
    const referenced = withIds.flatMap(({ statement }) =>
      statement.object.objectType === 'StatementRef' ? [statement.object.id.toLowerCase()] : [],
    );
    const known = new Map<string, { statement: string; voiding: number }>();
    for (const ids of chunks([...new Set([...withIds.map(({ id }) => id.toLowerCase()), ...referenced])], CHUNK)) {
      const rows = await trx.selectFrom('statements').select(['id', 'statement', 'voiding']).where('id', 'in', ids).execute();
      for (const row of rows) {
        known.set(row.id, row);
      }
    }

    const fresh: Array<{ statement: Statement; key: string; terms: ReturnType<typeof indexTerms> }> = [];
    for (const { statement: incoming, id } of withIds) {
      const key = id.toLowerCase();
      const existing = known.get(key);
      if (existing !== undefined) {
        if (comparable(JSON.parse(existing.statement) as Statement) !== comparable(incoming)) {
          throw new XapiError(409, `statement ${id} is already stored with different content; statements are immutable`);
        }
        continue;
      }
      // id first: reviewers read the stored JSON; incoming.id, when present, is this same id.
      const statement: Statement = {
        id,
        ...incoming,
        timestamp: incoming.timestamp === undefined ? stored : toUtc(incoming.timestamp),
        stored,
        authority: storer.authority,
        version: incoming.version ?? '1.0.0',
      };
      const terms = indexTerms(statement);
      if (terms.voiding && terms.refId !== null && known.get(terms.refId)?.voiding === 1) {
        throw badRequest(
          `statement ${id}: object.id targets ${terms.refId}, a voiding statement; voiding statements cannot be voided`,
        );
      }
      fresh.push({ statement, key, terms });
    }
    if (fresh.length === 0) {
      return withIds.map(({ id }) => id);
    }

    // A voiding statement may arrive before its target (Data 2.3.2 forbids rejecting it), so a new
    // statement is voided at once when a stored voiding statement targets it.
    const alreadyVoided = new Set<string>();
    for (const ids of chunks(fresh.map(({ key }) => key), CHUNK)) {
      const rows = await trx.selectFrom('statements').select('ref_id').where('voiding', '=', 1).where('ref_id', 'in', ids).execute();
      rows.forEach((row) => row.ref_id !== null && alreadyVoided.add(row.ref_id));
    }
    const voidedInBatch = new Set(fresh.filter(({ terms }) => terms.voiding).map(({ terms }) => terms.refId ?? ''));

    const seqs = new Map<string, number>();
    for (const part of chunks(fresh, CHUNK)) {
      const rows = await trx
        .insertInto('statements')
        .values(
          part.map(({ statement, key, terms }) => ({
            id: key,
            actor_ifi: terms.actorIfi,
            verb_id: terms.verbId,
            activity_id: terms.activityId,
            registration: terms.registration,
            ref_id: terms.refId,
            voiding: terms.voiding ? 1 : 0,
            voided: !terms.voiding && (alreadyVoided.has(key) || voidedInBatch.has(key)) ? 1 : 0,
            stored,
            timestamp: statement.timestamp ?? stored,
            authority_key: storer.key,
            statement: JSON.stringify(statement),
          })),
        )
        .returning(['id', 'seq'])
        .execute();
      rows.forEach((row) => seqs.set(row.id, Number(row.seq)));
    }

    const voidTargets = fresh.flatMap(({ terms }) => (terms.voiding && terms.refId !== null ? [terms.refId] : []));
    for (const ids of chunks(voidTargets, CHUNK)) {
      await trx.updateTable('statements').set({ voided: 1 }).where('id', 'in', ids).where('voiding', '=', 0).execute();
    }

    const agentRows = fresh.flatMap(({ key, terms }) =>
      [...terms.agents].map(([ifi, direct]) => ({ ifi, direct: direct ? 1 : 0, seq: seqs.get(key) ?? 0 })),
    );
    for (const part of chunks(agentRows, CHUNK)) {
      await trx.insertInto('statement_agents').values(part).onConflict((conflict) => conflict.doNothing()).execute();
    }
    const activityRows = fresh.flatMap(({ key, terms }) =>
      [...terms.activities].map(([activityId, direct]) => ({ activity_id: activityId, direct: direct ? 1 : 0, seq: seqs.get(key) ?? 0 })),
    );
    for (const part of chunks(activityRows, CHUNK)) {
      await trx.insertInto('statement_activities').values(part).onConflict((conflict) => conflict.doNothing()).execute();
    }

    await saveAttachments(trx, fresh.map(({ statement }) => statement), attachments);
    if (storer.define !== false) {
      await saveDefinitions(trx, fresh.map(({ statement }) => statement));
      await saveAgents(trx, fresh.map(({ statement }) => statement));
    }
    await options.onStored?.(trx, fresh.map(({ statement }) => statement));
    return withIds.map(({ id }) => id);
  }

  // Group commit: batches that arrive while a write transaction runs are stored together in the
  // next one, each inside its own savepoint, so that many small concurrent POSTs share one commit
  // (one fsync) instead of queueing for one each. A batch that fails is rolled back to its
  // savepoint and rejected alone; every batch is acknowledged only once the commit succeeded.
  const pending: Array<{ work: (trx: Transaction<Schema>) => Promise<string[]>; resolve: (ids: string[]) => void; reject: (error: unknown) => void }> = [];
  let draining = false;
  async function drain(): Promise<void> {
    draining = true;
    try {
      while (pending.length > 0) {
        const group = pending.splice(0, MAX_GROUP);
        const outcomes: Array<{ ids?: string[]; error?: unknown }> = [];
        try {
          await database.writeTransaction(async (trx) => {
            for (const [index, { work }] of group.entries()) {
              if (group.length === 1) {
                outcomes.push({ ids: await work(trx) });
                continue;
              }
              const savepoint = sql.raw(`batch_${index}`);
              await sql`SAVEPOINT ${savepoint}`.execute(trx);
              try {
                outcomes.push({ ids: await work(trx) });
                await sql`RELEASE SAVEPOINT ${savepoint}`.execute(trx);
              } catch (error) {
                await sql`ROLLBACK TO SAVEPOINT ${savepoint}`.execute(trx);
                outcomes.push({ error });
              }
            }
            // A group of one fails as a whole: the transaction rolls back and its error is rethrown.
          });
        } catch (error) {
          group.forEach(({ reject }) => reject(error));
          continue;
        }
        group.forEach(({ resolve, reject }, index) => {
          const outcome = outcomes[index];
          if (outcome?.ids !== undefined) {
            resolve(outcome.ids);
          } else {
            reject(outcome?.error);
          }
        });
      }
    } finally {
      draining = false;
    }
  }

  return {
    save: (statements, storer, attachments) =>
      new Promise<string[]>((resolve, reject) => {
        pending.push({ work: (trx) => saveBatch(trx, statements, storer, attachments), resolve, reject });
        if (!draining) {
          // Let the event loop read the requests already waiting first, so that they join this group.
          draining = true;
          setImmediate(() => void drain());
        }
      }),

    async get(id, voided, authorityKey) {
      let query = db
        .selectFrom('statements')
        .select(['stored', 'statement'])
        .where('id', '=', id.toLowerCase())
        .where('voided', '=', voided ? 1 : 0);
      if (authorityKey !== undefined) {
        query = query.where('authority_key', '=', authorityKey);
      }
      const row = await query.executeTakeFirst();
      return row === undefined ? undefined : { statement: JSON.parse(row.statement) as Statement, stored: row.stored };
    },

    async query(filter, { after, limit }) {
      const rows = await pageQuery(db, filter, after, limit + 1);
      // One extra row tells whether another page exists without a COUNT query.
      const page = rows.slice(0, limit);
      return {
        json: page.map((row) => row.statement),
        last: page.at(-1)?.seq,
        seqs: page.map((row) => row.seq),
        more: rows.length > limit,
      };
    },

    async attachments(sha2s) {
      const found = new Map<string, { contentType: string; content: Buffer }>();
      for (const part of chunks([...new Set(sha2s)], CHUNK)) {
        const rows = await db.selectFrom('attachments').selectAll().where('sha2', 'in', part).execute();
        rows.forEach((row) => found.set(row.sha2, { contentType: row.content_type, content: Buffer.from(row.content) }));
      }
      return found;
    },

    async consistentThrough() {
      const now = Date.now();
      if (!(await database.writeInProgress())) {
        // A writer starting now stores at `now` or later: everything before it is visible.
        return new Date(now - 1).toISOString();
      }
      // A writer is under way: it stores at or after the last committed `stored`.
      const last = await db.selectFrom('statements').select('stored').orderBy('seq', 'desc').limit(1).executeTakeFirst();
      return new Date((last === undefined ? now : Date.parse(last.stored)) - 1).toISOString();
    },

    async definition(activityId) {
      const row = await db.selectFrom('activities').select('definition').where('activity_id', '=', activityId).executeTakeFirst();
      return row === undefined ? undefined : (JSON.parse(row.definition) as Record<string, unknown>);
    },
  };
}

/** Store each attachment's content once; a hash already stored keeps its first copy. */
async function saveAttachments(
  trx: Transaction<Schema>,
  statements: readonly Statement[],
  parts: AttachmentParts | undefined,
): Promise<void> {
  if (parts === undefined || parts.size === 0) {
    return;
  }
  const rows = new Map<string, { sha2: string; content_type: string; content: Buffer }>();
  for (const statement of statements) {
    for (const attachment of statement.attachments ?? []) {
      const sha2 = attachment.sha2.toLowerCase();
      const part = parts.get(sha2);
      if (part !== undefined) {
        rows.set(sha2, { sha2, content_type: attachment.contentType, content: part.content });
      }
    }
  }
  for (const part of chunks([...rows.values()], 50)) {
    await trx.insertInto('attachments').values(part).onConflict((conflict) => conflict.column('sha2').doNothing()).execute();
  }
}

/**
 * Keep each Activity's canonical definition: properties of a newer definition replace older ones,
 * language maps are merged language by language (Communication 2.5: the LRS returns "the
 * canonical definition ... as determined by the LRS").
 */
async function saveDefinitions(trx: Transaction<Schema>, statements: readonly Statement[]): Promise<void> {
  const incoming = new Map<string, Record<string, unknown>>();
  const collect = (object: Statement['object'] | undefined): void => {
    if (object !== undefined && (object.objectType === undefined || object.objectType === 'Activity') && 'definition' in object && object.definition !== undefined) {
      incoming.set(object.id, mergeDefinition(incoming.get(object.id), object.definition as Record<string, unknown>));
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
  if (incoming.size === 0) {
    return;
  }
  const stored = new Map<string, Record<string, unknown>>();
  for (const ids of chunks([...incoming.keys()], CHUNK)) {
    const rows = await trx.selectFrom('activities').selectAll().where('activity_id', 'in', ids).execute();
    rows.forEach((row) => stored.set(row.activity_id, JSON.parse(row.definition) as Record<string, unknown>));
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

const LANGUAGE_MAPS = new Set(['name', 'description']);

/**
 * The canonical definition after a newer one: the newer one's properties win, name and description
 * are merged language by language. Should the merge outgrow MAX_DEFINITION_BYTES (many statements,
 * each with other languages), the newer definition alone is kept: what one client sends never
 * grows a stored definition past the size a single statement may carry (src/lrs/validate.ts).
 */
function mergeDefinition(older: Record<string, unknown> | undefined, newer: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...older };
  for (const [property, value] of Object.entries(newer)) {
    const before = merged[property];
    merged[property] =
      LANGUAGE_MAPS.has(property) && isPlainObject(before) && isPlainObject(value) ? { ...before, ...value } : value;
  }
  return older === undefined || Buffer.byteLength(JSON.stringify(merged)) <= MAX_DEFINITION_BYTES ? merged : newer;
}

/**
 * Names kept per Agent for the Agents resource's Person object (Communication 2.4): the most
 * recently seen ones. Each name is at most MAX_NAME_LENGTH long (src/lrs/validate.ts), so an
 * Agent's row stays small whatever one client sends.
 */
export const MAX_NAMES_PER_AGENT = 10;

/** Remember each Agent seen as actor or object (with Group members), for the Agents resource. */
async function saveAgents(trx: Transaction<Schema>, statements: readonly Statement[]): Promise<void> {
  const seen = new Map<string, { agent: Agent; names: Set<string> }>();
  const add = (actor: Actor | undefined): void => {
    if (actor === undefined) {
      return;
    }
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
      .onConflict((conflict) => conflict.column('ifi').doUpdateSet((eb) => ({ agent: eb.ref('excluded.agent'), names: eb.ref('excluded.names') })))
      .execute();
  }
}

/**
 * One page of a filtered query, read in storage order from an index whatever the database size.
 *
 * A statement matches when it meets every filter itself ("direct" matches) or when it targets,
 * through a StatementRef chain of any length, a statement that does (Communication 2.1.3,
 * "Filter Conditions for StatementRefs"); the voided flag, the time bounds, the cursor and
 * statements/read/mine apply to the returned statement itself (Communication 2.1.4).
 * - Direct matches are read from one index in seq order and stop at the page size: the
 *   agent or activity filter drives (statement_agents / statement_activities primary keys,
 *   (id, direct, seq)), else verb or registration ((verb_id, seq), (registration, seq)), else
 *   the primary key; the other filters are checked row by row.
 * - Matches through StatementRefs are found from the statements that have a ref_id (few: in
 *   practice voiding statements), following each chain to its targets.
 * stored never decreases as seq grows (see save), so a time bound is a seq bound: the last seq
 * stored at or before the instant, found in O(log n) through statements_by_stored.
 */
async function pageQuery(
  db: Kysely<Schema>,
  filter: StatementFilter,
  after: number | undefined,
  limit: number,
): Promise<Array<{ seq: number; statement: string }>> {
  const ascending = filter.ascending === true;
  const order = ascending ? sql`ASC` : sql`DESC`;
  const lastSeqAt = (instant: string) =>
    sql`coalesce((SELECT b.seq FROM statements b WHERE b.stored <= ${instant} ORDER BY b.stored DESC, b.seq DESC LIMIT 1), 0)`;

  // Conditions on the returned statement, alias s.
  const returned = [sql`s.voided = 0`];
  if (filter.since !== undefined) {
    returned.push(sql`s.seq > ${lastSeqAt(filter.since)}`);
  }
  if (filter.until !== undefined) {
    returned.push(sql`s.seq <= ${lastSeqAt(filter.until)}`);
  }
  if (after !== undefined) {
    returned.push(ascending ? sql`s.seq > ${after}` : sql`s.seq < ${after}`);
  }
  if (filter.authorityKey !== undefined) {
    returned.push(sql`s.authority_key = ${filter.authorityKey}`);
  }

  // The filters proper, on a statement aliased `alias`.
  const agentDirect = filter.relatedAgents === true ? sql`` : sql` AND x.direct = 1`;
  const activityDirect = filter.relatedActivities === true ? sql`` : sql` AND x.direct = 1`;
  const matches = (alias: string) => {
    const t = sql.raw(alias);
    const list = [];
    if (filter.agent !== undefined) {
      list.push(sql`EXISTS (SELECT 1 FROM statement_agents x WHERE x.ifi = ${filter.agent}${agentDirect} AND x.seq = ${t}.seq)`);
    }
    if (filter.activity !== undefined) {
      list.push(sql`EXISTS (SELECT 1 FROM statement_activities x WHERE x.activity_id = ${filter.activity}${activityDirect} AND x.seq = ${t}.seq)`);
    }
    if (filter.verb !== undefined) {
      list.push(sql`${t}.verb_id = ${filter.verb}`);
    }
    if (filter.registration !== undefined) {
      list.push(sql`${t}.registration = ${filter.registration}`);
    }
    return list;
  };
  const all = (conditions: ReturnType<typeof sql>[]) => (conditions.length === 0 ? sql`1 = 1` : sql.join(conditions, sql` AND `));

  // Direct matches, driven by the most selective index available. CROSS JOIN (joined in WHERE, which
  // both databases accept) keeps SQLite from reordering the join; PostgreSQL plans it as it sees fit.
  let direct;
  if (filter.agent !== undefined || filter.activity !== undefined) {
    const byAgent = filter.agent !== undefined;
    const drive = byAgent
      ? sql`statement_agents d CROSS JOIN statements s WHERE s.seq = d.seq AND d.ifi = ${filter.agent}${filter.relatedAgents === true ? sql`` : sql` AND d.direct = 1`}`
      : sql`statement_activities d CROSS JOIN statements s WHERE s.seq = d.seq AND d.activity_id = ${filter.activity}${filter.relatedActivities === true ? sql`` : sql` AND d.direct = 1`}`;
    const rest = matches('s').slice(1);
    direct = sql`SELECT s.seq AS seq FROM ${drive} AND ${all([...rest, ...returned])} ORDER BY d.seq ${order} LIMIT ${limit}`;
  } else {
    direct = sql`SELECT s.seq AS seq FROM statements s WHERE ${all([...matches('s'), ...returned])} ORDER BY s.seq ${order} LIMIT ${limit}`;
  }
  const filtered = matches('target').length > 0;
  const query = filtered
    ? sql`WITH RECURSIVE chain(seq, target) AS (
          SELECT r.seq, r.ref_id FROM statements r WHERE r.ref_id IS NOT NULL
          UNION
          SELECT c.seq, n.ref_id FROM chain c CROSS JOIN statements n WHERE n.id = c.target AND n.ref_id IS NOT NULL
        ),
        referring(seq) AS (
          SELECT c.seq FROM chain c CROSS JOIN statements target WHERE target.id = c.target AND ${all(matches('target'))}
        )
        SELECT p.seq, p.statement FROM statements p WHERE p.seq IN (
          SELECT seq FROM (${direct}) direct_matches
          UNION
          SELECT seq FROM (
            SELECT s.seq AS seq FROM statements s WHERE s.seq IN (SELECT seq FROM referring) AND ${all(returned)}
            ORDER BY s.seq ${order} LIMIT ${limit}
          ) referring_matches
        )
        ORDER BY p.seq ${order} LIMIT ${limit}`
    : sql`SELECT p.seq, p.statement FROM statements p WHERE p.seq IN (SELECT seq FROM (${direct}) direct_matches)
        ORDER BY p.seq ${order} LIMIT ${limit}`;
  const { rows } = await query.execute(db);
  return (rows as Array<{ seq: number; statement: string }>).map((row) => ({ seq: Number(row.seq), statement: row.statement }));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) {
    result.push(items.slice(index, index + size));
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An instant in the UTC ISO form the LRS returns (Data 4.5: "SHOULD* return the Timestamp in UTC"). */
function toUtc(timestamp: string): string {
  return parseTimestamp(timestamp)?.toISOString() ?? timestamp;
}

/**
 * The text two statements share when they count as the same statement: authority, stored,
 * timestamp and version are left out, keys sorted, Group members unordered, UUIDs lowercased.
 * Source: xAPI 1.0.3, Data 2.3.1 (Statement Comparison Requirements).
 */
export function comparable(statement: Statement): string {
  const significant: Partial<Statement> = { ...statement };
  delete significant.authority;
  delete significant.stored;
  delete significant.timestamp;
  delete significant.version;
  return JSON.stringify(canonical(significant, undefined));
}

function canonical(value: unknown, key: string | undefined): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => canonical(item, undefined));
    return key === 'member' ? items.map((item) => JSON.stringify(item)).sort() : items;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([name, item]) => [name, canonical(item, name)]));
  }
  if (typeof value === 'string' && (key === 'id' || key === 'registration') && isUuid(value)) {
    return value.toLowerCase();
  }
  return value;
}
