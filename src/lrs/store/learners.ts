import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { LrsDatabase } from '../db/open.ts';
import type { Agent } from '../validate.ts';

/** Letters and digits that cannot be mistaken for one another when read aloud or typed (no 0/O, 1/I/L, U/V). */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';
/** How long a transfer code works: 10 minutes (issue 11, contract section 1). */
export const TRANSFER_CODE_MS = 10 * 60_000;
/** A transfer code as shown to the learner: two groups of four, e.g. "7KQ4-M2XD". */
export const CODE_PATTERN = new RegExp(`^[${CODE_ALPHABET}]{4}-?[${CODE_ALPHABET}]{4}$`);

/** A transfer code just issued: shown once, stored only as a hash. */
export interface TransferCode {
  /** "XXXX-XXXX" over CODE_ALPHABET (29^8, about 5 x 10^11 codes). */
  code: string;
  /** ISO 8601 UTC instant after which it no longer works. */
  expires: string;
}

/** Why a code could not be claimed. */
export type ClaimFailure = 'unknown' | 'expired' | 'used';

/** Learner records and the one-time codes that carry a learner credential to another device. */
export interface LearnerStore {
  /**
   * Record a new learner and make the Agent their credential is bound to.
   * @param name display name, already trimmed (1..100 characters)
   * @param email the email the learner chose to give, kept with this record only, or undefined
   * @param homePage the LRS's public origin, the homePage of the Agent's account
   * @returns `{ objectType: "Agent", name, account: { homePage, name: <UUID> } }` (one identifier,
   *   xAPI 1.0.3 Data 2.4.2.1)
   */
  register(name: string, email: string | undefined, homePage: string): Promise<Agent>;
  /**
   * Issue a one-time transfer code for a learner's Agent.
   * @param agent the Agent of the learner credential asking
   * @param issuedBy that credential's key
   * @param now the current time (tests pass their own)
   * @returns the code and its expiry, TRANSFER_CODE_MS after now
   */
  issueCode(agent: Agent, issuedBy: string, now?: Date): Promise<TransferCode>;
  /**
   * Use a transfer code once: the first claim of a valid code wins, every later one fails.
   * @param code as typed: case and a missing dash do not matter; must match CODE_PATTERN
   * @param now the current time
   * @returns the Agent the code was issued for, or why it cannot be used
   */
  claimCode(code: string, now?: Date): Promise<{ agent: Agent } | { failure: ClaimFailure }>;
}

/**
 * The normal form of a code for hashing: upper case, no dash.
 * @param code a code as typed
 */
function normalize(code: string): string {
  return code.toUpperCase().replace('-', '');
}

function hashCode(code: string): string {
  return createHash('sha256').update(normalize(code)).digest('hex');
}

/**
 * Create the learner store over an open, migrated database (migration 003-learner-credentials).
 * @param database the LRS database; the caller closes it
 * @returns the store
 * Source: issue 11 (a credential per learner; continue on another device), contract section 1.
 */
export function createLearnerStore(database: LrsDatabase): LearnerStore {
  const { db } = database;
  return {
    async register(name, email, homePage) {
      const accountName = randomUUID();
      await db
        .insertInto('learners')
        .values({ account_name: accountName, name, email: email ?? null, created: new Date().toISOString() })
        .execute();
      return { objectType: 'Agent', name, account: { homePage, name: accountName } };
    },

    async issueCode(agent, issuedBy, now = new Date()) {
      const characters = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)] ?? '');
      const code = `${characters.slice(0, 4).join('')}-${characters.slice(4).join('')}`;
      const expires = new Date(now.getTime() + TRANSFER_CODE_MS).toISOString();
      await db
        .insertInto('transfer_codes')
        .values({ code_hash: hashCode(code), agent: JSON.stringify(agent), issued_by: issuedBy, expires, used: null })
        .execute();
      return { code, expires };
    },

    async claimCode(code, now = new Date()) {
      const codeHash = hashCode(code);
      const at = now.toISOString();
      // One UPDATE decides: two devices claiming the same code at once cannot both win.
      const claimed = await db
        .updateTable('transfer_codes')
        .set({ used: at })
        .where('code_hash', '=', codeHash)
        .where('used', 'is', null)
        .where('expires', '>', at)
        .returning('agent')
        .executeTakeFirst();
      if (claimed !== undefined) {
        return { agent: JSON.parse(claimed.agent) as Agent };
      }
      const row = await db.selectFrom('transfer_codes').select(['used', 'expires']).where('code_hash', '=', codeHash).executeTakeFirst();
      return { failure: row === undefined ? 'unknown' : row.used !== null ? 'used' : 'expired' };
    },
  };
}
