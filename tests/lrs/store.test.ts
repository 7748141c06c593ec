import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../src/lrs/db/migrations.ts';
import { openDatabase } from '../../src/lrs/db/open.ts';
import type { LrsDatabase } from '../../src/lrs/db/open.ts';
import { InvalidVoidingError, StatementConflictError } from '../../src/lrs/errors/domain.ts';
import { createStatementStore } from '../../src/lrs/store/statements.ts';
import { parseStatementBody } from '../../src/lrs/validate.ts';
import { TEST_DIALECT, createTestDatabase } from './database.ts';
import type { TestDatabase } from './database.ts';
import { answeredStatement } from './helper.ts';

let location: TestDatabase;
let database: LrsDatabase;
beforeEach(async () => {
  location = await createTestDatabase();
  database = await openDatabase(location.location);
});
afterEach(async () => {
  await database.close();
  await location.drop();
});

const storer = { authority: { objectType: 'Agent' as const, account: { homePage: 'http://127.0.0.1:4321', name: 'site' } }, key: 'site' };

async function rows<T>(query: string): Promise<T[]> {
  return (await sql.raw<T>(query).execute(database.db)).rows;
}

describe(`openDatabase (${TEST_DIALECT})`, () => {
  it('migrates to the latest schema and records each migration once', async () => {
    const names = await rows<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name');
    const all = Object.keys(migrations(TEST_DIALECT)).sort();
    expect(all.slice(0, 2)).toEqual(['001-statements', '002-resources']);
    expect(names.map(({ name }) => name)).toEqual(all);
  });

  it('reopens an existing database without migrating it again, keeping its statements', async () => {
    await createStatementStore(database).save(parseStatementBody(answeredStatement()).statements, storer);
    await database.close();
    database = await openDatabase(location.location);
    expect(await rows('SELECT name FROM kysely_migration')).toHaveLength(Object.keys(migrations(TEST_DIALECT)).length);
    expect(await rows('SELECT id FROM statements')).toHaveLength(1);
  });

  it.runIf(TEST_DIALECT === 'sqlite')('sets WAL and synchronous=FULL on SQLite', async () => {
    expect(await rows('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await rows('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]);
    expect(await rows('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
  });

  it.each([
    ['statementId', "SELECT * FROM statements WHERE id = 'x'", 'statements_id_key|sqlite_autoindex_statements_1'],
    ['verb', "SELECT * FROM statements WHERE verb_id = 'x' ORDER BY seq DESC", 'statements_by_verb'],
    ['registration', "SELECT * FROM statements WHERE registration = 'x' ORDER BY seq DESC", 'statements_by_registration'],
    ['since/until', "SELECT seq FROM statements WHERE stored <= 'x' ORDER BY stored DESC, seq DESC LIMIT 1", 'statements_by_stored'],
    ['StatementRef targets', "SELECT * FROM statements WHERE ref_id = 'x'", 'statements_by_ref'],
    ['statements/read/mine', "SELECT * FROM statements WHERE authority_key = 'x' ORDER BY seq DESC", 'statements_by_authority'],
    ['agent', "SELECT seq FROM statement_agents WHERE ifi = 'x' AND direct = 1", 'PRIMARY KEY|statement_agents_pkey'],
    ['activity', "SELECT seq FROM statement_activities WHERE activity_id = 'x'", 'PRIMARY KEY|statement_activities_pkey'],
    [
      'documents',
      "SELECT * FROM documents WHERE kind = 'state' AND activity_id = 'x' AND agent_ifi = 'y' AND registration = '' AND updated > 'z'",
      'documents_by_updated|documents_pkey|sqlite_autoindex_documents_1',
    ],
  ])('answers the %s parameter from an index', async (_label, query, index) => {
    // PostgreSQL's planner prefers a scan on a tiny table: forbid that to see the index it would use.
    const plan =
      TEST_DIALECT === 'sqlite'
        ? await rows(`EXPLAIN QUERY PLAN ${query}`)
        : await database.db.connection().execute(async (connection) => {
            await sql.raw('SET enable_seqscan = off').execute(connection);
            return (await sql.raw(`EXPLAIN ${query}`).execute(connection)).rows;
          });
    expect(JSON.stringify(plan)).toMatch(new RegExp(index));
  });
});

describe(`createStatementStore (${TEST_DIALECT})`, () => {
  it('keeps stored from going backwards when the clock does', async () => {
    const store = createStatementStore(database);
    await store.save(parseStatementBody(answeredStatement()).statements, storer);
    await sql`UPDATE statements SET stored = '2999-01-01T00:00:00.000Z'`.execute(database.db);
    await store.save(parseStatementBody(answeredStatement()).statements, storer);
    const stored = await rows<{ stored: string }>('SELECT stored FROM statements ORDER BY seq');
    expect(stored[1]?.stored).toBe('2999-01-01T00:00:00.000Z');
  });

  it('indexes the actor, the activity and the related agents and activities, and keeps the credential key', async () => {
    await createStatementStore(database).save(parseStatementBody(answeredStatement()).statements, storer);
    const [row] = await rows('SELECT actor_ifi, verb_id, activity_id, registration, voided, authority_key FROM statements');
    expect(row).toEqual({
      actor_ifi: 'account|["http://127.0.0.1:4321","learner-1"]',
      verb_id: 'http://adlnet.gov/expapi/verbs/answered',
      activity_id: 'https://w3id.org/dce-training/en/modules/m1/quiz/q1',
      registration: '6f1d9a4e-2b7c-4d8e-9f0a-1b2c3d4e5f60',
      voided: 0,
      authority_key: 'site',
    });
    expect(await rows('SELECT ifi, direct FROM statement_agents ORDER BY ifi')).toEqual([
      { ifi: 'account|["http://127.0.0.1:4321","learner-1"]', direct: 1 },
      { ifi: 'account|["http://127.0.0.1:4321","site"]', direct: 0 },
    ]);
    expect(await rows('SELECT activity_id FROM statement_activities WHERE direct = 0')).toHaveLength(4);
  });

  it('keeps a canonical Activity definition, merging language maps across statements', async () => {
    const store = createStatementStore(database);
    const first = answeredStatement();
    const second = answeredStatement();
    (second['object'] as { definition: Record<string, unknown> }).definition = { name: { 'pt-BR': 'Questão 1' } };
    await store.save(parseStatementBody([first, second]).statements, storer);
    const definition = await store.definition('https://w3id.org/dce-training/en/modules/m1/quiz/q1');
    expect(definition?.['name']).toEqual({ en: 'Question 1', fr: 'Question 1', es: 'Pregunta 1', 'pt-BR': 'Questão 1' });
    expect(definition?.['interactionType']).toBe('choice');
  });
  it('raises StatementConflictError for a stored id with different content, and stores a repeat with the same content once', async () => {
    const store = createStatementStore(database);
    const statement = answeredStatement({ actor: { objectType: 'Agent', mbox: 'mailto:ana@example.org' } });
    await store.save(parseStatementBody(statement).statements, storer);
    // Data 2.3.1.b7: the domain of an email address is case-insensitive.
    const repeat = {
      ...statement,
      id: String(statement['id']).toUpperCase(),
      actor: { objectType: 'Agent', mbox: 'mailto:ana@EXAMPLE.org' },
    };
    await expect(store.save(parseStatementBody(repeat).statements, storer)).resolves.toEqual([repeat['id']]);
    const different = { ...statement, result: { success: false } };
    await expect(store.save(parseStatementBody(different).statements, storer)).rejects.toThrow(StatementConflictError);
    expect(await rows('SELECT id FROM statements')).toHaveLength(1);
  });

  it('raises InvalidVoidingError for a statement that voids a voiding statement', async () => {
    const store = createStatementStore(database);
    const target = answeredStatement();
    const voiding = answeredStatement({
      verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
      object: { objectType: 'StatementRef', id: target['id'] },
    });
    delete voiding['context'];
    delete voiding['result'];
    await store.save(parseStatementBody([target, voiding]).statements, storer);
    const again = { ...voiding, id: answeredStatement()['id'], object: { objectType: 'StatementRef', id: voiding['id'] } };
    await expect(store.save(parseStatementBody(again).statements, storer)).rejects.toThrow(InvalidVoidingError);
    expect(await rows('SELECT voided FROM statements ORDER BY seq')).toEqual([{ voided: 1 }, { voided: 0 }]);
  });
});
