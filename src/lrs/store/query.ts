import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { LrsDatabase } from '../db/open.ts';
import type { Schema } from '../db/schema.ts';
import type { Statement } from '../validate.ts';
import type { StatementFilter, StatementPage } from './statements.ts';

// The reads of GET /xapi/statements: one statement by id, filtered pages, and the instant up to
// which statements are visible.

type Condition = RawBuilder<unknown>;

/**
 * Read one statement by id.
 * @param db the database
 * @param id statement UUID, any case
 * @param voided false to find it only when not voided (statementId), true only when voided
 *   (voidedStatementId)
 * @param authorityKey when given, find it only if stored with this credential key
 * @returns the statement and its stored time, or undefined
 * Source: xAPI 1.0.3, Communication 2.1.3 (statementId, voidedStatementId) and 2.1.4.
 */
export async function readStatement(
  db: Kysely<Schema>,
  id: string,
  voided: boolean,
  authorityKey: string | undefined,
): Promise<{ statement: Statement; stored: string } | undefined> {
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
}

/**
 * One page of the statements matching a filter, voided statements excluded.
 * @param db the database
 * @param filter the validated filter
 * @param page `after`: continue after this sequence number; `limit`: page size (1 or more)
 * @returns the page
 * Source: xAPI 1.0.3, Communication 2.1.3 (GET Statements, the `more` link).
 */
export async function queryStatements(
  db: Kysely<Schema>,
  filter: StatementFilter,
  page: { after?: number | undefined; limit: number },
): Promise<StatementPage> {
  const rows = await pageQuery(db, filter, page.after, page.limit + 1);
  // One extra row tells whether another page exists without a COUNT query.
  const found = rows.slice(0, page.limit);
  return {
    json: found.map((row) => row.statement),
    last: found.at(-1)?.seq,
    seqs: found.map((row) => row.seq),
    more: rows.length > page.limit,
  };
}

/**
 * The instant up to which every statement is visible to queries: the X-Experience-API-
 * Consistent-Through header.
 * @param database the database
 * @returns ISO 8601 UTC
 * Source: xAPI 1.0.3, Communication 2.1.3.
 */
export async function consistentThrough(database: LrsDatabase): Promise<string> {
  const now = Date.now();
  if (!(await database.writeInProgress())) {
    // A writer starting now stores at `now` or later: everything before it is visible.
    return new Date(now - 1).toISOString();
  }
  // A writer is under way: it stores at or after the last committed `stored`.
  const last = await database.db.selectFrom('statements').select('stored').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return new Date((last === undefined ? now : Date.parse(last.stored)) - 1).toISOString();
}

/**
 * One page of a filtered query, read in storage order from an index whatever the database size.
 *
 * A statement matches when it meets every filter itself ("direct" matches) or when it targets,
 * through a StatementRef chain of any length, a statement that does (Communication 2.1.3,
 * "Filter Conditions for StatementRefs"); the voided flag, the time bounds, the cursor and
 * statements/read/mine apply to the returned statement itself (Communication 2.1.4).
 * - Direct matches are read from one index in seq order and stop at the page size (see
 *   directMatches).
 * - Matches through StatementRefs are found from the statements that have a ref_id (few: in
 *   practice voiding statements), following each chain to its targets.
 */
async function pageQuery(
  db: Kysely<Schema>,
  filter: StatementFilter,
  after: number | undefined,
  limit: number,
): Promise<Array<{ seq: number; statement: string }>> {
  const order = filter.ascending === true ? sql`ASC` : sql`DESC`;
  const returned = returnedConditions(filter, after);
  const direct = directMatches(filter, returned, order, limit);
  const query =
    filterConditions(filter, 'target').length > 0
      ? sql`WITH RECURSIVE chain(seq, target) AS (
          SELECT r.seq, r.ref_id FROM statements r WHERE r.ref_id IS NOT NULL
          UNION
          SELECT c.seq, n.ref_id FROM chain c CROSS JOIN statements n WHERE n.id = c.target AND n.ref_id IS NOT NULL
        ),
        referring(seq) AS (
          SELECT c.seq FROM chain c CROSS JOIN statements target WHERE target.id = c.target AND ${all(filterConditions(filter, 'target'))}
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

/**
 * Conditions on the returned statement (alias s): not voided, within the time bounds, after the
 * cursor, stored with the credential of statements/read/mine. stored never decreases as seq grows
 * (src/lrs/store/save.ts), so a time bound is a seq bound: the last seq stored at or before the
 * instant, found in O(log n) through statements_by_stored.
 */
function returnedConditions(filter: StatementFilter, after: number | undefined): Condition[] {
  const lastSeqAt = (instant: string) =>
    sql`coalesce((SELECT b.seq FROM statements b WHERE b.stored <= ${instant} ORDER BY b.stored DESC, b.seq DESC LIMIT 1), 0)`;
  const returned: Condition[] = [sql`s.voided = 0`];
  if (filter.since !== undefined) {
    returned.push(sql`s.seq > ${lastSeqAt(filter.since)}`);
  }
  if (filter.until !== undefined) {
    returned.push(sql`s.seq <= ${lastSeqAt(filter.until)}`);
  }
  if (after !== undefined) {
    returned.push(filter.ascending === true ? sql`s.seq > ${after}` : sql`s.seq < ${after}`);
  }
  if (filter.authorityKey !== undefined) {
    returned.push(sql`s.authority_key = ${filter.authorityKey}`);
  }
  return returned;
}

/** The filters proper (agent, activity, verb, registration), on a statement aliased `alias`, agent and activity first. */
function filterConditions(filter: StatementFilter, alias: string): Condition[] {
  const t = sql.raw(alias);
  const agentDirect = filter.relatedAgents === true ? sql`` : sql` AND x.direct = 1`;
  const activityDirect = filter.relatedActivities === true ? sql`` : sql` AND x.direct = 1`;
  const list: Condition[] = [];
  if (filter.agent !== undefined) {
    list.push(sql`EXISTS (SELECT 1 FROM statement_agents x WHERE x.ifi = ${filter.agent}${agentDirect} AND x.seq = ${t}.seq)`);
  }
  if (filter.activity !== undefined) {
    list.push(
      sql`EXISTS (SELECT 1 FROM statement_activities x WHERE x.activity_id = ${filter.activity}${activityDirect} AND x.seq = ${t}.seq)`,
    );
  }
  if (filter.verb !== undefined) {
    list.push(sql`${t}.verb_id = ${filter.verb}`);
  }
  if (filter.registration !== undefined) {
    list.push(sql`${t}.registration = ${filter.registration}`);
  }
  return list;
}

/**
 * The seqs of the direct matches, driven by the most selective index available: the agent or
 * activity filter drives (statement_agents / statement_activities primary keys, (id, direct,
 * seq)), else verb or registration ((verb_id, seq), (registration, seq)), else the primary key;
 * the other filters are checked row by row. CROSS JOIN (joined in WHERE, which both databases
 * accept) keeps SQLite from reordering the join; PostgreSQL plans it as it sees fit.
 */
function directMatches(filter: StatementFilter, returned: Condition[], order: Condition, limit: number): Condition {
  if (filter.agent === undefined && filter.activity === undefined) {
    return sql`SELECT s.seq AS seq FROM statements s WHERE ${all([...filterConditions(filter, 's'), ...returned])} ORDER BY s.seq ${order} LIMIT ${limit}`;
  }
  const drive =
    filter.agent !== undefined
      ? sql`statement_agents d CROSS JOIN statements s WHERE s.seq = d.seq AND d.ifi = ${filter.agent}${filter.relatedAgents === true ? sql`` : sql` AND d.direct = 1`}`
      : sql`statement_activities d CROSS JOIN statements s WHERE s.seq = d.seq AND d.activity_id = ${filter.activity}${filter.relatedActivities === true ? sql`` : sql` AND d.direct = 1`}`;
  const rest = filterConditions(filter, 's').slice(1);
  return sql`SELECT s.seq AS seq FROM ${drive} AND ${all([...rest, ...returned])} ORDER BY d.seq ${order} LIMIT ${limit}`;
}

function all(conditions: Condition[]): Condition {
  return conditions.length === 0 ? sql`1 = 1` : sql.join(conditions, sql` AND `);
}
