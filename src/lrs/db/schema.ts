import type { Generated } from 'kysely';

/**
 * The LRS's tables, as Kysely sees them (column names as in SQL). One schema for SQLite and
 * PostgreSQL: text for JSON and ISO 8601 instants (UTC, milliseconds, so they sort as they
 * compare), integers 0/1 for flags, BLOB/bytea (a Buffer) for document and attachment bytes.
 * The DDL lives in migrations.ts.
 */
export interface Schema {
  statements: StatementTable;
  statement_agents: StatementAgentTable;
  statement_activities: StatementActivityTable;
  attachments: AttachmentTable;
  activities: ActivityTable;
  agents: AgentTable;
  documents: DocumentTable;
  credentials: CredentialTable;
  learners: LearnerTable;
  transfer_codes: TransferCodeTable;
  signing_keys: SigningKeyTable;
  assessment_attempts: AssessmentAttemptTable;
  forward_queue: ForwardQueueTable;
  issuer_keys: IssuerKeyTable;
  certificates: CertificateTable;
}

/** One stored statement; `statement` is its JSON as returned by GET (format=exact). */
export interface StatementTable {
  /** Storage order: gives `stored` a total order and paging cursors a stable position. */
  seq: Generated<number>;
  /** Statement id, lowercased (UUIDs compare case-insensitively). */
  id: string;
  /** Identifier key of the actor (see ifiKey); null for an anonymous Group. */
  actor_ifi: string | null;
  verb_id: string;
  /** Object id when the object is an Activity. */
  activity_id: string | null;
  /** context.registration, lowercased. */
  registration: string | null;
  /** StatementRef target id, lowercased. */
  ref_id: string | null;
  /** 1 when this statement voids its StatementRef target (Data 2.3.2). */
  voiding: number;
  /** 1 once a voiding statement targets this one. */
  voided: number;
  stored: string;
  timestamp: string;
  /** Key of the credential that stored it: statements/read/mine reads by it. Null before migration 2. */
  authority_key: string | null;
  statement: string;
}

/** Agents and identified Groups a statement involves; direct = 1 where the `agent` filter matches. */
export interface StatementAgentTable {
  ifi: string;
  direct: number;
  seq: number;
}

/** Activities a statement involves; direct = 1 where the `activity` filter matches. */
export interface StatementActivityTable {
  activity_id: string;
  direct: number;
  seq: number;
}

/** Attachment content, stored once per SHA-2 whatever the number of statements citing it. */
export interface AttachmentTable {
  /** Lowercase hex SHA-2 of content, as in the attachment's sha2 property (Data 2.4.11). */
  sha2: string;
  content_type: string;
  content: Buffer;
}

/** The LRS's canonical definition of each Activity it has seen (Communication 2.5). */
export interface ActivityTable {
  activity_id: string;
  /** JSON Activity Definition, language maps merged across statements. */
  definition: string;
}

/** What is known of each Agent, for the Agents resource's Person object (Communication 2.4). */
export interface AgentTable {
  ifi: string;
  /** JSON Agent as last seen (with its name when given). */
  agent: string;
  /** JSON array of the names seen for it. */
  names: string;
}

/**
 * State, Activity Profile and Agent Profile documents (Communication 2.2-2.7). Empty strings
 * stand for "not part of the key" so the primary key works the same in both databases.
 */
export interface DocumentTable {
  /** 'state' | 'activity-profile' | 'agent-profile'. */
  kind: string;
  /** activityId (state, activity profile) or ''. */
  activity_id: string;
  /** Identifier key of the agent (state, agent profile) or ''. */
  agent_ifi: string;
  /** registration, lowercased (state only) or ''. */
  registration: string;
  /** stateId or profileId. */
  document_id: string;
  content: Buffer;
  content_type: string;
  /** Quoted SHA-1 of content, as sent in the ETag header (Communication 3.1). */
  etag: string;
  /** ISO 8601 UTC instant of the last change. */
  updated: string;
}

/** API credentials (HTTP Basic) with their xAPI scopes. */
export interface CredentialTable {
  /** The HTTP Basic user name; also the account name of the authority it sets. */
  key: string;
  /** scrypt hash of the secret: "scrypt$N$r$p$salt$hash" (base64url). */
  secret_hash: string;
  /** JSON array of scopes, e.g. ["statements/write","state"]. */
  scopes: string;
  /** Who or what it is for, e.g. "site" or "Secretariat reviewer". */
  label: string;
  created: string;
  /** ISO 8601 instant it was revoked; null while valid. */
  revoked: string | null;
  /** JSON Agent a learner credential is bound to (migration 003); null for other credentials. */
  agent: string | null;
  /** 'write' | 'read' | 'admin' for the credential configured from the environment for that role; else null. */
  role: string | null;
}

/** Learners who asked for a credential (POST /api/learners); the agent's account name is the key. */
export interface LearnerTable {
  /** The server-made account name of the learner's Agent (a UUID). */
  account_name: string;
  /** The display name the learner gave (1 to 100 characters). */
  name: string;
  /** The email the learner chose to give, kept here only (never in statements); or null. */
  email: string | null;
  /** ISO 8601 UTC. */
  created: string;
}

/** One-time codes that carry a learner credential to another device (POST /api/learners/transfer). */
export interface TransferCodeTable {
  /** SHA-256 (hex) of the code without its dash, upper case; the code itself is never stored. */
  code_hash: string;
  /** JSON Agent the claimed credential is bound to. */
  agent: string;
  /** Key of the credential that asked for the code. */
  issued_by: string;
  /** ISO 8601 UTC instant after which the code no longer works. */
  expires: string;
  /** ISO 8601 UTC instant it was claimed; null until then. */
  used: string | null;
}

/** The site's statement-signing keys (migration 004): the oldest signs, all are published in the JWKS. */
export interface SigningKeyTable {
  /** Key id: the RFC 7638 JWK thumbprint of the public key; the JWS header's `kid`. */
  kid: string;
  /** The RSA private key as a JSON JWK (RFC 7517); whoever reads the database can sign. */
  private_jwk: string;
  /** The RSA public key as a JSON JWK, as published at /.well-known/jwks.json. */
  public_jwk: string;
  /** ISO 8601 UTC instant the key was made. */
  created: string;
}

/** One graded final assessment attempt (POST /api/assessments/{quizId}/attempts). */
export interface AssessmentAttemptTable {
  /** The attempt's UUID, lowercased, as the browser made it. */
  attempt: string;
  /** The quiz id (file name in content/quizzes/). */
  quiz_id: string;
  /** Identifier key of the learner's Agent (see ifiKey in src/lrs/statement-index.ts). */
  agent_ifi: string;
  /** JSON of the grade returned (src/lib/grading.ts Grade). */
  grade: string;
  /** ISO 8601 UTC instant it was graded. */
  created: string;
}

/** A statement waiting to be forwarded to another LRS (migration 005, src/lrs/forward.ts). */
export interface ForwardQueueTable {
  /** Queue order: statements are sent oldest first. */
  seq: Generated<number>;
  /** The statement's id, for logs. */
  statement_id: string;
  /** JSON of the statement to send: as stored, without authority and stored. */
  statement: string;
  /** Failed deliveries so far; the retry delay doubles with each. */
  attempts: number;
  /** ISO 8601 UTC instant before which it is not sent again. */
  next_attempt: string;
  /** The last failure (status and answer, or the network error); null before any. */
  last_error: string | null;
  /** 1 when the other LRS refused it alone with a 4xx: kept, not retried, for an operator to see. */
  rejected: number;
}

/** The key that signs certificates (migration 006, src/lrs/certificates/issuer.ts): ES256, JWKs as JSON. */
export interface IssuerKeyTable {
  /** RFC 7638 thumbprint of the public key: the fragment of its verification method in the DID document. */
  kid: string;
  private_jwk: string;
  public_jwk: string;
  /** ISO 8601 instant; the oldest key signs. */
  created: string;
}

/** One issued Open Badges 3.0 certificate (migration 006, src/lrs/certificates/store.ts). */
export interface CertificateTable {
  /** The credential's id without "urn:uuid:": a random UUID, also the path of its public URLs. */
  id: string;
  /** Its bit in the revocation status list (0 .. STATUS_LIST_LENGTH - 1), chosen at random. */
  status_index: number;
  /** The learner's inverse functional identifier (src/lrs/statement-index.ts ifiKey). */
  agent_ifi: string;
  /** The module's slug, e.g. "understanding-the-convention". */
  module: string;
  /** The server-graded attempt whose pass the certificate attests (assessment_attempts.attempt). */
  attempt: string;
  /** The signed credential: a VC-JWT in compact serialization. */
  credential: string;
  /** ISO 8601 instant of issuance. */
  issued: string;
  /** ISO 8601 instant of revocation, or null. */
  revoked: string | null;
}
