import { randomUUID } from 'node:crypto';
import type { Database, Statement as PreparedStatement } from 'better-sqlite3';
import { XapiError, badRequest } from '../errors/xapi-error.ts';
import { indexTerms } from '../statement-index.ts';
import { isUuid, parseTimestamp } from '../validate.ts';
import type { Agent, Statement } from '../validate.ts';

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
}

/** One page of a statement query. */
export interface StatementPage {
  /** The statements, in the requested order of storage. */
  statements: Statement[];
  /** The storage sequence number of the last statement, to continue after; undefined when empty. */
  last: number | undefined;
  /** Whether more statements match after this page. */
  more: boolean;
}

/** Persistence of statements with the xAPI rules that need the stored data: duplicates, voiding. */
export interface StatementStore {
  /**
   * Store a batch in one transaction: all statements or none.
   * @param statements validated statements; missing ids, stored, timestamp, version are filled in
   * @param authority the Agent of the credential that sent them
   * @returns the statement ids, in the order given
   * @throws XapiError 409 when an id is stored with different content; 400 when a statement voids
   *   a voiding statement
   */
  save(statements: readonly Statement[], authority: Agent): string[];
  /**
   * Read one statement by id.
   * @param id statement UUID, any case
   * @param voided false to find it only when not voided (statementId), true only when voided
   *   (voidedStatementId)
   * @returns the statement and its stored time, or undefined
   */
  get(id: string, voided: boolean): { statement: Statement; stored: string } | undefined;
  /**
   * Find statements matching a filter, one page at a time, voided statements excluded.
   * @param filter the validated filter
   * @param page `after`: continue after this sequence number; `limit`: page size (1 or more)
   * @returns the page
   */
  query(filter: StatementFilter, page: { after?: number | undefined; limit: number }): StatementPage;
}

interface StatementRow {
  seq: number;
  stored: string;
  statement: string;
}

/**
 * Create the statement store over an open, migrated database (see openDatabase).
 * @param db the better-sqlite3 database; the caller keeps ownership and closes it
 * @returns the store
 * Sources: xAPI 1.0.3, Communication 2.1.1-2.1.4 (PUT, POST, GET, voided statements), Data 2.3
 * (comparison, voiding), Data 2.4.7-2.4.10 (timestamp, stored, authority, version).
 */
export function createStatementStore(db: Database): StatementStore {
  const lastStored = db.prepare('SELECT stored FROM statements ORDER BY seq DESC LIMIT 1').pluck();
  const findById = db.prepare('SELECT statement, voiding FROM statements WHERE id = ?');
  const isVoidedByStoredStatement = db
    .prepare('SELECT 1 FROM statements WHERE ref_id = ? AND voiding = 1 LIMIT 1')
    .pluck();
  const markVoided = db.prepare('UPDATE statements SET voided = 1 WHERE id = ? AND voiding = 0');
  const insertStatement = db.prepare(`
    INSERT INTO statements
      (id, actor_ifi, verb_id, activity_id, registration, ref_id, voiding, voided, stored, timestamp, statement)
    VALUES
      (@id, @actorIfi, @verbId, @activityId, @registration, @refId, @voiding, @voided, @stored, @timestamp, @statement)
  `);
  const insertAgent = db.prepare('INSERT OR IGNORE INTO statement_agents (ifi, direct, seq) VALUES (?, ?, ?)');
  const insertActivity = db.prepare(
    'INSERT OR IGNORE INTO statement_activities (activity_id, direct, seq) VALUES (?, ?, ?)',
  );
  const selectOne = db.prepare('SELECT stored, statement FROM statements WHERE id = ? AND voided = ?');
  const queries = new Map<string, PreparedStatement>();

  const saveBatch = db.transaction((statements: readonly Statement[], authority: Agent): string[] => {
    // stored never goes backwards, even if the clock does, so its order agrees with seq.
    const previous = lastStored.get() as string | undefined;
    const stored = new Date(Math.max(Date.now(), previous === undefined ? 0 : Date.parse(previous))).toISOString();
    return statements.map((incoming) => {
      const id = incoming.id ?? randomUUID();
      const key = id.toLowerCase();
      const existing = findById.get(key) as { statement: string } | undefined;
      if (existing !== undefined) {
        if (comparable(JSON.parse(existing.statement) as Statement) !== comparable(incoming)) {
          throw new XapiError(
            409,
            `statement ${id} is already stored with different content; statements are immutable`,
          );
        }
        return id;
      }
      // id first: reviewers read the stored JSON; incoming.id, when present, is this same id.
      const statement: Statement = {
        id,
        ...incoming,
        timestamp: incoming.timestamp === undefined ? stored : toUtc(incoming.timestamp),
        stored,
        authority,
        version: incoming.version ?? '1.0.0',
      };
      const terms = indexTerms(statement);
      if (terms.voiding && terms.refId !== null) {
        const target = findById.get(terms.refId) as { voiding: number } | undefined;
        if (target?.voiding === 1) {
          throw badRequest(
            `statement ${id}: object.id targets ${terms.refId}, a voiding statement; voiding statements cannot be voided`,
          );
        }
        markVoided.run(terms.refId);
      }
      const { lastInsertRowid } = insertStatement.run({
        id: key,
        actorIfi: terms.actorIfi,
        verbId: terms.verbId,
        activityId: terms.activityId,
        registration: terms.registration,
        refId: terms.refId,
        voiding: terms.voiding ? 1 : 0,
        // The voiding statement may have arrived before its target (Data 2.3.2 forbids rejecting it).
        voided: !terms.voiding && isVoidedByStoredStatement.get(key) !== undefined ? 1 : 0,
        stored,
        timestamp: statement.timestamp,
        statement: JSON.stringify(statement),
      });
      const seq = Number(lastInsertRowid);
      for (const [ifi, direct] of terms.agents) {
        insertAgent.run(ifi, direct ? 1 : 0, seq);
      }
      for (const [activityId, direct] of terms.activities) {
        insertActivity.run(activityId, direct ? 1 : 0, seq);
      }
      return id;
    });
  });

  return {
    save: (statements, authority) => saveBatch(statements, authority),

    get(id, voided) {
      const row = selectOne.get(id.toLowerCase(), voided ? 1 : 0) as Omit<StatementRow, 'seq'> | undefined;
      return row === undefined ? undefined : { statement: JSON.parse(row.statement) as Statement, stored: row.stored };
    },

    query(filter, { after, limit }) {
      const { sql, parameters } = buildQuery(filter, after !== undefined);
      let prepared = queries.get(sql);
      if (prepared === undefined) {
        prepared = db.prepare(sql);
        queries.set(sql, prepared);
      }
      const values = after === undefined ? parameters : [...parameters, after];
      // One extra row tells whether another page exists without a COUNT query.
      const rows = prepared.all(...values, limit + 1) as StatementRow[];
      const page = rows.slice(0, limit);
      return {
        statements: page.map((row) => JSON.parse(row.statement) as Statement),
        last: page.at(-1)?.seq,
        more: rows.length > limit,
      };
    },
  };
}

/**
 * SQL for a filtered page. The non-time filters are matched by a recursive CTE so that a
 * statement targeting a matching statement through a StatementRef matches too, at any depth
 * (Communication 2.1.3, "Filter Conditions for StatementRefs"); the voided flag and the time and
 * sequence bounds apply to the returned statements themselves (Communication 2.1.4).
 */
function buildQuery(filter: StatementFilter, continued: boolean): { sql: string; parameters: string[] } {
  const match: string[] = [];
  const parameters: string[] = [];
  if (filter.agent !== undefined) {
    match.push(`seq IN (SELECT seq FROM statement_agents WHERE ifi = ?${filter.relatedAgents === true ? '' : ' AND direct = 1'})`);
    parameters.push(filter.agent);
  }
  if (filter.verb !== undefined) {
    match.push('verb_id = ?');
    parameters.push(filter.verb);
  }
  if (filter.activity !== undefined) {
    match.push(
      `seq IN (SELECT seq FROM statement_activities WHERE activity_id = ?${filter.relatedActivities === true ? '' : ' AND direct = 1'})`,
    );
    parameters.push(filter.activity);
  }
  if (filter.registration !== undefined) {
    match.push('registration = ?');
    parameters.push(filter.registration);
  }
  const where = ['voided = 0'];
  if (match.length > 0) {
    where.push('seq IN (SELECT seq FROM matched)');
  }
  // stored never decreases as seq grows (see save), so a time bound is a seq bound: the last seq
  // stored at or before the instant, found in O(log n) through statements_by_stored, whose
  // entries end with the rowid. The page then reads the primary key in order.
  const lastSeqAt = `coalesce((SELECT seq FROM statements WHERE stored <= ? ORDER BY stored DESC, seq DESC LIMIT 1), 0)`;
  if (filter.since !== undefined) {
    where.push(`seq > ${lastSeqAt}`);
    parameters.push(filter.since);
  }
  if (filter.until !== undefined) {
    where.push(`seq <= ${lastSeqAt}`);
    parameters.push(filter.until);
  }
  const ascending = filter.ascending === true;
  if (continued) {
    where.push(ascending ? 'seq > ?' : 'seq < ?');
  }
  const cte =
    match.length === 0
      ? ''
      : `WITH RECURSIVE matched(seq, id) AS (
           SELECT seq, id FROM statements WHERE ${match.join(' AND ')}
           UNION
           SELECT t.seq, t.id FROM statements t JOIN matched m ON t.ref_id = m.id
         ) `;
  const sql = `${cte}SELECT seq, stored, statement FROM statements WHERE ${where.join(' AND ')}
    ORDER BY seq ${ascending ? 'ASC' : 'DESC'} LIMIT ?`;
  return { sql, parameters };
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
function comparable(statement: Statement): string {
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
