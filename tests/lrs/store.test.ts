import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, openDatabase } from '../../src/lrs/store/sqlite.ts';
import { createStatementStore } from '../../src/lrs/store/statements.ts';
import { parseStatementBody } from '../../src/lrs/validate.ts';
import { answeredStatement } from './helper.ts';

let dir: string;
let db: Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lrs-store-'));
  db = openDatabase(join(dir, 'nested', 'folder', 'lrs.sqlite'));
});
afterEach(() => {
  if (db.open) {
    db.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

const authority = { objectType: 'Agent' as const, account: { homePage: 'http://127.0.0.1:4321', name: 'site' } };

describe('openDatabase', () => {
  it('creates the folder, migrates to the latest schema and sets WAL and synchronous=FULL', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('reopens an existing database without migrating it again, keeping its statements', () => {
    createStatementStore(db).save(parseStatementBody(answeredStatement()).statements, authority);
    const path = db.name;
    db.close();
    db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT count(*) FROM statements').pluck().get()).toBe(1);
  });

  it('refuses a database from a newer LRS', () => {
    const path = db.name;
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openDatabase(path)).toThrow('newer than this LRS');
  });

  it.each([
    ['statementId', 'SELECT * FROM statements WHERE id = ?', 'sqlite_autoindex_statements_1'],
    ['verb', 'SELECT * FROM statements WHERE verb_id = ? ORDER BY seq DESC', 'statements_by_verb'],
    ['registration', 'SELECT * FROM statements WHERE registration = ? ORDER BY seq DESC', 'statements_by_registration'],
    ['since/until', 'SELECT seq FROM statements WHERE stored <= ? ORDER BY stored DESC, seq DESC LIMIT 1', 'statements_by_stored'],
    ['StatementRef targets', 'SELECT * FROM statements WHERE ref_id = ?', 'statements_by_ref'],
    ['agent', 'SELECT seq FROM statement_agents WHERE ifi = ? AND direct = 1', 'PRIMARY KEY'],
    ['activity', 'SELECT seq FROM statement_activities WHERE activity_id = ?', 'PRIMARY KEY'],
  ])('answers the %s parameter from an index', (_label, sql, index) => {
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 'x'));
    expect(JSON.stringify(plan)).toContain(index);
  });
});

describe('createStatementStore', () => {
  it('keeps stored from going backwards when the clock does', () => {
    const store = createStatementStore(db);
    store.save(parseStatementBody(answeredStatement()).statements, authority);
    db.prepare("UPDATE statements SET stored = '2999-01-01T00:00:00.000Z'").run();
    store.save(parseStatementBody(answeredStatement()).statements, authority);
    const stored = db.prepare('SELECT stored FROM statements ORDER BY seq').pluck().all();
    expect(stored[1]).toBe('2999-01-01T00:00:00.000Z');
  });

  it('indexes the actor, the activity and the related agents and activities', () => {
    const statement = answeredStatement();
    createStatementStore(db).save(parseStatementBody(statement).statements, authority);
    const row = db.prepare('SELECT actor_ifi, verb_id, activity_id, registration, voided FROM statements').get();
    expect(row).toEqual({
      actor_ifi: 'account|["http://127.0.0.1:4321","learner-1"]',
      verb_id: 'http://adlnet.gov/expapi/verbs/answered',
      activity_id: 'https://w3id.org/dce-training/en/modules/m1/quiz/q1',
      registration: '6f1d9a4e-2b7c-4d8e-9f0a-1b2c3d4e5f60',
      voided: 0,
    });
    expect(db.prepare('SELECT ifi, direct FROM statement_agents ORDER BY ifi').all()).toEqual([
      { ifi: 'account|["http://127.0.0.1:4321","learner-1"]', direct: 1 },
      { ifi: 'account|["http://127.0.0.1:4321","site"]', direct: 0 },
    ]);
    expect(db.prepare('SELECT count(*) FROM statement_activities WHERE direct = 0').pluck().get()).toBe(4);
  });
});
