import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lrs/db/open.ts';
import { createStatementStore } from '../../src/lrs/store/statements.ts';

/** The schema of the first release (PRAGMA user_version 1), before migrations moved to Kysely. */
const FIRST_RELEASE_SCHEMA = `
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
  `;

const dir = mkdtempSync(join(tmpdir(), 'lrs-upgrade-'));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a SQLite database of the first release', () => {
  it('is adopted and migrated, keeping its statements queryable', async () => {
    const path = join(dir, 'lrs.sqlite');
    const old = new Database(path);
    old.exec(FIRST_RELEASE_SCHEMA);
    old.pragma('user_version = 1');
    const statement = {
      id: 'f6a6f1b8-9d55-4f0b-8d0e-6f1f3a1c2b3d',
      actor: { mbox: 'mailto:ana@example.org' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
      object: { objectType: 'Activity', id: 'https://w3id.org/dce-training/en/modules/m1' },
      stored: '2026-01-01T00:00:00.000Z',
      timestamp: '2026-01-01T00:00:00.000Z',
      version: '1.0.0',
    };
    const { lastInsertRowid } = old
      .prepare(
        `INSERT INTO statements (id, actor_ifi, verb_id, activity_id, registration, ref_id, voiding, voided, stored, timestamp, statement)
         VALUES (?, 'mbox|mailto:ana@example.org', ?, ?, NULL, NULL, 0, 0, ?, ?, ?)`,
      )
      .run(statement.id, statement.verb.id, statement.object.id, statement.stored, statement.timestamp, JSON.stringify(statement));
    old.prepare('INSERT INTO statement_agents VALUES (?, 1, ?)').run('mbox|mailto:ana@example.org', lastInsertRowid);
    old.close();

    const database = await openDatabase(path);
    try {
      const store = createStatementStore(database);
      const page = await store.query({ agent: 'mbox|mailto:ana@example.org' }, { limit: 10 });
      expect(page.json.map((text) => JSON.parse(text).id)).toEqual([statement.id]);
      expect(await database.db.selectFrom('statements').select('authority_key').execute()).toEqual([{ authority_key: null }]);
    } finally {
      await database.close();
    }
  });
});
