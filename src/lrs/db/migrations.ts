import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The two databases the LRS runs on. */
export type Dialect = 'sqlite' | 'postgres';

/** Run each statement of a script (both databases take one statement per query here). */
async function run(db: Kysely<unknown>, script: string): Promise<void> {
  for (const statement of script
    .split(';')
    .map((text) => text.trim())
    .filter((text) => text !== '')) {
    await sql.raw(statement).execute(db);
  }
}

/** Column types that differ between the two databases. */
function types(dialect: Dialect): { seq: string; seqRef: string; blob: string; strict: string; withoutRowid: string } {
  return dialect === 'sqlite'
    ? {
        seq: 'INTEGER PRIMARY KEY AUTOINCREMENT',
        seqRef: 'INTEGER',
        blob: 'BLOB',
        strict: ' STRICT',
        withoutRowid: ' STRICT, WITHOUT ROWID',
      }
    : { seq: 'BIGSERIAL PRIMARY KEY', seqRef: 'BIGINT', blob: 'BYTEA', strict: '', withoutRowid: '' };
}

/**
 * Schema migrations by name, applied in name order by Kysely's Migrator, which records them in
 * kysely_migration and, on PostgreSQL, holds an advisory lock so that several LRS processes
 * starting together migrate once. Append new ones; never edit one that has shipped.
 *
 * 001 is the schema of the first release (written with IF NOT EXISTS so that databases created
 * before migrations moved to Kysely are adopted as they are); 002 adds everything else.
 * Every statement query parameter has an index: verb, registration, since/until (stored), agent
 * and activity (through statement_agents and statement_activities, whose primary keys lead with
 * the identifier), StatementRef targets (ref_id), and statements/read/mine (authority_key).
 * @param dialect which database the DDL is for
 * @returns the migrations
 */
export function migrations(dialect: Dialect): Record<string, Migration> {
  const t = types(dialect);
  return {
    '001-statements': {
      up: (db) =>
        run(
          db,
          `
          CREATE TABLE IF NOT EXISTS statements (
            seq           ${t.seq},
            id            TEXT NOT NULL UNIQUE,
            actor_ifi     TEXT,
            verb_id       TEXT NOT NULL,
            activity_id   TEXT,
            registration  TEXT,
            ref_id        TEXT,
            voiding       INTEGER NOT NULL CHECK (voiding IN (0, 1)),
            voided        INTEGER NOT NULL CHECK (voided IN (0, 1)),
            stored        TEXT NOT NULL,
            timestamp     TEXT NOT NULL,
            statement     TEXT NOT NULL
          )${t.strict};
          CREATE INDEX IF NOT EXISTS statements_by_verb ON statements (verb_id, seq);
          CREATE INDEX IF NOT EXISTS statements_by_registration ON statements (registration, seq);
          CREATE INDEX IF NOT EXISTS statements_by_stored ON statements (stored, seq);
          CREATE INDEX IF NOT EXISTS statements_by_ref ON statements (ref_id);
          CREATE TABLE IF NOT EXISTS statement_agents (
            ifi     TEXT NOT NULL,
            direct  INTEGER NOT NULL CHECK (direct IN (0, 1)),
            seq     ${t.seqRef} NOT NULL REFERENCES statements (seq),
            PRIMARY KEY (ifi, direct, seq)
          )${t.withoutRowid};
          CREATE TABLE IF NOT EXISTS statement_activities (
            activity_id  TEXT NOT NULL,
            direct       INTEGER NOT NULL CHECK (direct IN (0, 1)),
            seq          ${t.seqRef} NOT NULL REFERENCES statements (seq),
            PRIMARY KEY (activity_id, direct, seq)
          )${t.withoutRowid}
          `,
        ),
    },
    '002-resources': {
      up: (db) =>
        run(
          db,
          `
          ALTER TABLE statements ADD COLUMN authority_key TEXT;
          CREATE INDEX statements_by_authority ON statements (authority_key, seq);
          CREATE TABLE attachments (
            sha2          TEXT PRIMARY KEY,
            content_type  TEXT NOT NULL,
            content       ${t.blob} NOT NULL
          )${t.strict};
          CREATE TABLE activities (
            activity_id  TEXT PRIMARY KEY,
            definition   TEXT NOT NULL
          )${t.strict};
          CREATE TABLE agents (
            ifi    TEXT PRIMARY KEY,
            agent  TEXT NOT NULL,
            names  TEXT NOT NULL
          )${t.strict};
          CREATE TABLE documents (
            kind          TEXT NOT NULL,
            activity_id   TEXT NOT NULL,
            agent_ifi     TEXT NOT NULL,
            registration  TEXT NOT NULL,
            document_id   TEXT NOT NULL,
            content       ${t.blob} NOT NULL,
            content_type  TEXT NOT NULL,
            etag          TEXT NOT NULL,
            updated       TEXT NOT NULL,
            PRIMARY KEY (kind, activity_id, agent_ifi, registration, document_id)
          )${t.strict};
          CREATE INDEX documents_by_updated ON documents (kind, activity_id, agent_ifi, registration, updated);
          CREATE TABLE credentials (
            key          TEXT PRIMARY KEY,
            secret_hash  TEXT NOT NULL,
            scopes       TEXT NOT NULL,
            label        TEXT NOT NULL,
            created      TEXT NOT NULL,
            revoked      TEXT
          )${t.strict}
          `,
        ),
    },
    // Learner credentials (issue 11): a credential may be bound to one Agent (JSON), the learner
    // record keeps the optional email (an Agent has one identifier, Data 2.4.2.1), `role` marks the
    // credential configured from the environment for a role (write, read, admin) so that a new
    // one revokes the old; transfer codes carry a learner's credential to another device.
    '003-learner-credentials': {
      up: (db) =>
        run(
          db,
          `
          ALTER TABLE credentials ADD COLUMN agent TEXT;
          ALTER TABLE credentials ADD COLUMN role TEXT;
          UPDATE credentials SET role = 'write' WHERE label = 'configured write credential';
          UPDATE credentials SET role = 'read' WHERE label = 'configured read credential';
          UPDATE credentials SET role = 'admin' WHERE label = 'configured admin credential';
          CREATE INDEX credentials_by_role ON credentials (role);
          CREATE TABLE learners (
            account_name  TEXT PRIMARY KEY,
            name          TEXT NOT NULL,
            email         TEXT,
            created       TEXT NOT NULL
          )${t.strict};
          CREATE TABLE transfer_codes (
            code_hash  TEXT PRIMARY KEY,
            agent      TEXT NOT NULL,
            issued_by  TEXT NOT NULL,
            expires    TEXT NOT NULL,
            used       TEXT
          )${t.strict}
          `,
        ),
    },
    // Server-graded final assessments (issue 11): the keys that sign `passed` and `completed`
    // (RS256, made on first start; src/lrs/signing.ts) and one row per graded attempt, so that a
    // retried attempt gets the same result and stores nothing twice (src/lrs/routes/assessments.ts).
    '004-signing-and-attempts': {
      up: (db) =>
        run(
          db,
          `
          CREATE TABLE signing_keys (
            kid          TEXT PRIMARY KEY,
            private_jwk  TEXT NOT NULL,
            public_jwk   TEXT NOT NULL,
            created      TEXT NOT NULL
          )${t.strict};
          CREATE TABLE assessment_attempts (
            attempt    TEXT PRIMARY KEY,
            quiz_id    TEXT NOT NULL,
            agent_ifi  TEXT NOT NULL,
            grade      TEXT NOT NULL,
            created    TEXT NOT NULL
          )${t.strict}
          `,
        ),
    },
    // Statements waiting to be sent to another LRS (src/lrs/forward.ts), queued in the transaction
    // that stores them; rows leave the table once delivered.
    '005-forwarding': {
      up: (db) =>
        run(
          db,
          `
          CREATE TABLE forward_queue (
            seq           ${t.seq},
            statement_id  TEXT NOT NULL,
            statement     TEXT NOT NULL,
            attempts      INTEGER NOT NULL,
            next_attempt  TEXT NOT NULL,
            last_error    TEXT,
            rejected      INTEGER NOT NULL CHECK (rejected IN (0, 1))
          )${t.strict};
          CREATE INDEX forward_queue_due ON forward_queue (rejected, next_attempt, seq)
          `,
        ),
    },
    // Open Badges 3.0 certificates (issue 14; src/lrs/certificates/): the ES256 key that signs
    // them as VC-JWTs (published in the issuer's DID document), and one row per certificate, with
    // its index in the revocation status list (W3C Bitstring Status List) and its revocation.
    '006-certificates': {
      up: (db) =>
        run(
          db,
          `
          CREATE TABLE issuer_keys (
            kid          TEXT PRIMARY KEY,
            private_jwk  TEXT NOT NULL,
            public_jwk   TEXT NOT NULL,
            created      TEXT NOT NULL
          )${t.strict};
          CREATE TABLE certificates (
            id            TEXT PRIMARY KEY,
            status_index  INTEGER NOT NULL UNIQUE,
            agent_ifi     TEXT NOT NULL,
            module        TEXT NOT NULL,
            attempt       TEXT NOT NULL,
            credential    TEXT NOT NULL,
            issued        TEXT NOT NULL,
            revoked       TEXT,
            UNIQUE (agent_ifi, module)
          )${t.strict}
          `,
        ),
    },
  };
}
