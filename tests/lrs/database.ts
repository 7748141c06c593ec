import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * The PostgreSQL server the LRS tests also run against, e.g. postgres://lrs:lrs@127.0.0.1:5432/lrs_test
 * (.ci/run starts Debian's postgresql and sets it). Unset: the tests run on SQLite only.
 */
export const TEST_DATABASE_URL = process.env['LRS_TEST_DATABASE_URL']?.trim() || undefined;

/** Which database this test run uses: "postgres" when LRS_TEST_DATABASE_URL is set. */
export const TEST_DIALECT: 'sqlite' | 'postgres' = TEST_DATABASE_URL === undefined ? 'sqlite' : 'postgres';

/** A fresh, empty database location for one test, and how to remove it. */
export interface TestDatabase {
  /** SQLite file path or PostgreSQL URL whose search_path is a schema of its own. */
  location: string;
  /** Delete the SQLite folder, or drop the PostgreSQL schema. */
  drop(): Promise<void>;
}

/**
 * Make an empty database for one test: a SQLite file in a temporary folder, or, under
 * LRS_TEST_DATABASE_URL, a new PostgreSQL schema that the returned URL selects through
 * `options=-c search_path=...` (so every test starts from nothing, without creating databases).
 * @returns the location and its cleanup
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_DATABASE_URL === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'lrs-test-'));
    return { location: join(dir, 'data', 'lrs.sqlite'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE SCHEMA ${schema}`);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { location: url.toString(), drop: () => admin(`DROP SCHEMA ${schema} CASCADE`) };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
