import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { DatabaseIntrospector, Kysely as AnyKysely, SchemaMetadata, TableMetadata, Transaction } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations.ts';
import type { Dialect } from './migrations.ts';
import type { Schema } from './schema.ts';

export type { Dialect } from './migrations.ts';

/** An open, migrated LRS database. */
export interface LrsDatabase {
  /** Kysely over better-sqlite3 (one connection, queries one at a time) or a pg pool. */
  db: Kysely<Schema>;
  dialect: Dialect;
  /** The location as given, with any password masked: for logs. */
  description: string;
  /**
   * Run `work` in a write transaction that excludes every other writer of this database, in this
   * process and in any other: statement ids, voiding and `stored` order are decided inside it.
   * SQLite: the single connection is held for the whole transaction. PostgreSQL: a transaction-level
   * advisory lock (pg_advisory_xact_lock), released at commit or rollback.
   * @param work the transaction's queries; its error rolls everything back and is rethrown
   * @returns what work returns, once committed
   */
  writeTransaction<T>(work: (trx: Transaction<Schema>) => Promise<T>): Promise<T>;
  /**
   * Whether a write transaction is under way now (in any process, for PostgreSQL): while one is,
   * statements stored at its `stored` instant may not be visible yet.
   */
  writeInProgress(): Promise<boolean>;
  /** Close the connection or pool. */
  close(): Promise<void>;
}

/** The advisory lock key of statement and document writes (any constant bigint; "xAPI" in ASCII). */
const WRITE_LOCK = 0x78415049;

/**
 * Tell which database a location names.
 * @param location "postgres://user:pass@host:5432/db" or "postgresql://...", else a SQLite file path or ":memory:"
 * @returns "postgres" or "sqlite"
 */
export function dialectOf(location: string): Dialect {
  return /^postgres(?:ql)?:\/\//i.test(location) ? 'postgres' : 'sqlite';
}

/**
 * Open (creating if needed) the LRS database at a location and bring its schema up to date.
 *
 * SQLite (the default, for a laptop): WAL so reviewers read while learners write;
 * synchronous=FULL because a 200 from POST /xapi/statements tells the browser to drop its copy
 * from the outbox: in WAL mode NORMAL lets a power cut roll back transactions already
 * acknowledged; FULL syncs the WAL at every commit (one fsync per batch, not per statement).
 * busy_timeout waits 5 s for a lock held by another program (e.g. a reviewer's sqlite3 shell).
 * PostgreSQL (for several LRS processes or machines): a pool of `poolSize` connections; the
 * database's default durability (synchronous_commit on) applies; BIGINT columns read as numbers.
 * @param location see dialectOf; a SQLite file's folder is created
 * @param options poolSize: PostgreSQL connections (default 10)
 * @returns the open database; the caller closes it
 * @throws the driver's error when the database cannot be reached or opened, or a migration fails
 *   (a failed migration is rolled back)
 */
export async function openDatabase(location: string, options: { poolSize?: number | undefined } = {}): Promise<LrsDatabase> {
  const dialect = dialectOf(location);
  const { db, description, writeInProgress } = dialect === 'sqlite' ? openSqlite(location) : openPostgres(location, options.poolSize ?? 10);
  try {
    await migrate(db, dialect, description);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    db,
    dialect,
    description,
    writeTransaction: (work) =>
      db.transaction().execute(async (trx) => {
        if (dialect === 'postgres') {
          await sql`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`.execute(trx);
        }
        return work(trx);
      }),
    writeInProgress,
    close: () => db.destroy(),
  };
}

/** A connection not yet migrated: the parts of {@link LrsDatabase} that depend on the driver. */
type Connection = Pick<LrsDatabase, 'db' | 'description' | 'writeInProgress'>;

/**
 * SQLite with the pragmas of {@link openDatabase}; the file's folder is created.
 * @param location a file path or ":memory:"
 */
function openSqlite(location: string): Connection {
  if (location !== ':memory:') {
    mkdirSync(dirname(location), { recursive: true });
  }
  const sqlite = new Database(location);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Kysely prepares every query it runs; keep the prepared statements (the LRS runs a few
  // dozen distinct queries) so that each is compiled by SQLite once.
  const prepared = new Map<string, Database.Statement>();
  const cached = {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      let statement = prepared.get(text);
      if (statement === undefined) {
        statement = sqlite.prepare(text);
        if (prepared.size > 500) {
          prepared.clear();
        }
        prepared.set(text, statement);
      }
      return statement;
    },
  };
  return {
    db: new Kysely<Schema>({ dialect: new SqliteDialect({ database: cached }) }),
    description: `SQLite ${location}`,
    // One connection, one query at a time: a write transaction in this process holds it.
    writeInProgress: async () => sqlite.inTransaction,
  };
}

/**
 * A PostgreSQL pool; BIGINT columns read as numbers.
 * @param location a postgres:// or postgresql:// URL
 * @param poolSize the pool's most connections
 */
function openPostgres(location: string, poolSize: number): Connection {
  const pool = new pg.Pool({
    connectionString: location,
    max: poolSize,
    // seq is a BIGINT (type 20): far below 2^53 for any LRS, read it as a number.
    types: {
      getTypeParser: (oid: number, format?: string) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format as 'text')),
    } as pg.CustomTypesConfig,
  });
  const db = new Kysely<Schema>({ dialect: new CurrentSchemaPostgresDialect({ pool }) });
  return {
    db,
    description: `PostgreSQL ${location.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1:***@')}`,
    writeInProgress: async () => {
      // Free now means no writer holds it; take and release it at once.
      const { rows } = await sql<{ free: boolean }>`SELECT pg_try_advisory_xact_lock(${WRITE_LOCK}) AS free`.execute(db);
      return rows[0]?.free !== true;
    },
  };
}

/**
 * Brings the schema up to date (src/lrs/db/migrations.ts).
 * @throws an Error naming the failed migration (rolled back), with the driver's error as cause
 */
async function migrate(db: Kysely<Schema>, dialect: Dialect, description: string): Promise<void> {
  // Kysely's migrator looks for its own tables in every schema unless told which one: name the
  // schema of the search_path, so that two databases in one PostgreSQL (test schemas side by
  // side) never take each other's kysely_migration_lock for theirs.
  const schema =
    dialect === 'postgres' ? (await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(dialect) },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`${description}: migration ${failed} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
}

/**
 * Kysely's PostgreSQL introspector lists the tables of every schema in the database, calling
 * has_schema_privilege by schema name; a schema dropped meanwhile (another database sharing the
 * server, e.g. the test schemas of tests/lrs/database.ts) makes that query fail. The migrator
 * only asks whether its own tables exist, so this introspector looks at current_schema() only:
 * one small query, whatever else the server holds.
 */
class CurrentSchemaIntrospector implements DatabaseIntrospector {
  readonly #db: AnyKysely<unknown>;

  constructor(db: AnyKysely<unknown>) {
    this.#db = db;
  }

  /** The current schema only. */
  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`SELECT current_schema() AS name`.execute(this.#db);
    return rows;
  }

  /** Tables and views of the current schema, without their columns (the migrator needs names only). */
  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; schema: string; kind: string }>`
      SELECT c.relname AS name, n.nspname AS schema, c.relkind AS kind
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'p', 'f')`.execute(this.#db);
    return rows.map(({ name, schema, kind }) => ({ name, schema, isView: kind === 'v', isForeign: kind === 'f', columns: [] }));
  }
}

/** Kysely's PostgresDialect with CurrentSchemaIntrospector. */
class CurrentSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: AnyKysely<unknown>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}
