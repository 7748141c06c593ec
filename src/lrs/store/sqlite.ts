import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';

/**
 * Schema migrations, applied in order; migration N brings PRAGMA user_version from N to N + 1.
 * Append new ones, never edit a released one: databases in the field already ran it.
 */
const MIGRATIONS: readonly string[] = [
  `
  -- seq gives "stored" a total order, so paging cursors stay stable when statements share a
  -- millisecond; AUTOINCREMENT keeps seq from being reused.
  CREATE TABLE statements (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,   -- statement id, lowercased (UUIDs are case-insensitive)
    actor_ifi     TEXT,                   -- actor identifier key; null for an anonymous Group
    verb_id       TEXT NOT NULL,
    activity_id   TEXT,                   -- object id when the object is an Activity
    registration  TEXT,                   -- context registration, lowercased
    ref_id        TEXT,                   -- StatementRef target id, lowercased
    voiding       INTEGER NOT NULL CHECK (voiding IN (0, 1)),
    voided        INTEGER NOT NULL CHECK (voided IN (0, 1)),
    stored        TEXT NOT NULL,          -- ISO 8601 UTC with milliseconds: sorts as it compares
    timestamp     TEXT NOT NULL,
    statement     TEXT NOT NULL CHECK (json_valid(statement))
  ) STRICT;
  -- One index per query parameter; seq second so a filtered page is read in order.
  CREATE INDEX statements_by_verb ON statements (verb_id, seq);
  CREATE INDEX statements_by_registration ON statements (registration, seq);
  CREATE INDEX statements_by_stored ON statements (stored);
  CREATE INDEX statements_by_ref ON statements (ref_id);
  -- The agent and activity filters also match Group members, context activities and
  -- SubStatements (related_agents, related_activities), so they read these tables rather than
  -- statements.actor_ifi and statements.activity_id, which stay for ad-hoc reviewer queries.
  CREATE TABLE statement_agents (
    ifi     TEXT NOT NULL,
    direct  INTEGER NOT NULL CHECK (direct IN (0, 1)),
    seq     INTEGER NOT NULL REFERENCES statements (seq),
    PRIMARY KEY (ifi, direct, seq)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE statement_activities (
    activity_id  TEXT NOT NULL,
    direct       INTEGER NOT NULL CHECK (direct IN (0, 1)),
    seq          INTEGER NOT NULL REFERENCES statements (seq),
    PRIMARY KEY (activity_id, direct, seq)
  ) STRICT, WITHOUT ROWID;
  `,
];

/** The schema version a database has once every migration ran. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Open (creating if needed) the LRS database and bring its schema up to date.
 *
 * WAL lets reviewers read while the site writes. synchronous=FULL because a 200 from
 * POST /xapi/statements is the browser's signal to drop its copy from the outbox: with NORMAL a
 * power cut can roll back transactions already acknowledged, losing records for good. FULL costs
 * one fsync per transaction, a few milliseconds, and the site sends statements in batches.
 * @param path a file path (its folder is created) or ":memory:"
 * @returns the open better-sqlite3 database; the caller closes it
 * @throws the SQLite error when the file cannot be opened or a migration fails (the failed
 *   migration is rolled back and user_version left as it was)
 */
export function openDatabase(path: string): SqliteDatabase {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
  }
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // A reviewer's sqlite3 shell may hold a lock for a moment; wait rather than fail the request.
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function migrate(db: SqliteDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this LRS (${MIGRATIONS.length})`);
  }
  MIGRATIONS.slice(current).forEach((sql, offset) => {
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${current + offset + 1}`);
    })();
  });
}
