import { randomInt, randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { Bitstring } from '@digitalbazaar/bitstring';
import { EARNED_VERB, STATUS_LIST_LENGTH, STATUS_LIST_PATH, certificateIdOf, certificatePaths } from '../../lib/certificates/did.ts';
import { activityBase, lessonId, moduleId } from '../../lib/xapi/activities.ts';

const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
import { extensions } from '../../lib/xapi/statements.ts';
import { activityTypes } from '../../lib/xapi/vocabulary.ts';
import { defaultLanguage, isLanguage } from '../../i18n/languages.ts';
import type { LrsDatabase } from '../db/open.ts';
import type { CertificateTable } from '../db/schema.ts';
import type { FinalAssessment } from '../final-assessments.ts';
import { ATTEMPT_NAMESPACE, graderAgent } from '../routes/assessments.ts';
import { GRADER_ACCOUNT_NAME } from '../../lib/report/verify.ts';
import { signStatement, type SigningKey } from '../signing.ts';
import { ifiKey } from '../statement-index.ts';
import type { StatementStore } from '../store/statements.ts';
import type { Agent, Statement } from '../validate.ts';
import { openBadgeCredential, signCredential } from './credential.ts';
import type { Issuer } from './issuer.ts';
import type { ModuleFacts } from './modules.ts';

/** The Open Badges xAPI recipe's verb, object type and category (Open Badges community of practice, "OB Earning"). */
export const EARNED = {
  verb: EARNED_VERB,
  badgeType: 'http://activitystrea.ms/schema/1.0/badge',
  category: 'http://specification.openbadges.org/xapi/recipe/base/0',
  assertion: 'http://specification.openbadges.org/xapi/extensions/badgeassertion',
} as const;

/** The IRI of a module's certificate as an activity: the object of `earned` statements. */
export const achievementActivityId = (module: string): string => `${activityBase}certificates/${module}`;

/** Why a certificate cannot be issued or found; the routes map each to an HTTP status. */
export class CertificateError extends Error {
  /** "unknown-module" (400), "no-completion" (409), "not-found" (404) */
  readonly reason: 'unknown-module' | 'no-completion' | 'not-found';

  constructor(reason: CertificateError['reason'], message: string) {
    super(message);
    this.name = 'CertificateError';
    this.reason = reason;
  }
}

/** What the certificate service needs from the app. */
export interface CertificateServiceOptions {
  database: LrsDatabase;
  store: StatementStore;
  issuer: Issuer;
  /** The key that signs statements (src/lrs/signing.ts): the `earned` statement is signed as `passed` is. */
  signingKey: SigningKey;
  assessments: ReadonlyMap<string, FinalAssessment>;
  modules: ReadonlyMap<string, ModuleFacts>;
  publicOrigin: string;
}

/** The certificates of this LRS: issue, find, revoke, and the status list. */
export interface CertificateService {
  /**
   * The learner's certificate for a module: the one already issued, else a new one when they meet
   * its criteria: every lesson completed (a `completed` statement of theirs per lesson) and the
   * final assessment passed (their first server-graded pass, assessment_attempts); with the
   * `earned` statement.
   * @param agent the learner credential's Agent
   * @param storerKey that credential's key (kept beside the statement it writes)
   * @param module the module's slug
   * @returns the certificate row
   * @throws CertificateError "unknown-module", or "no-completion" when a lesson or the verified pass is missing
   */
  issue(agent: Agent, storerKey: string, module: string): Promise<CertificateTable>;
  /** Every certificate of a learner, oldest first. */
  mine(agent: Agent): Promise<CertificateTable[]>;
  /** Every certificate issued, oldest first (the Secretariat's list). */
  list(): Promise<CertificateTable[]>;
  /** One certificate by id (a UUID, any case), revoked or not; undefined when there is none. */
  find(id: string): Promise<CertificateTable | undefined>;
  /**
   * Revoke a certificate: its bit in the status list is set from now on, and its `earned`
   * statement is voided (xAPI 1.0.3 Data 2.3.2) under the grader's authority.
   * @returns the revoked row (already revoked: unchanged)
   * @throws CertificateError "not-found"
   */
  revoke(id: string): Promise<CertificateTable>;
  /** The revocation status list credential (W3C Bitstring Status List v1.0), signed as a VC-JWT. */
  statusList(): Promise<string>;
}

/**
 * Create the certificate service over an open, migrated database (migration 006).
 * Sources: issue 14; Open Badges 3.0 (OpenBadgeCredential, VC-JWT); W3C Bitstring Status List v1.0.
 */
export function createCertificateService(options: CertificateServiceOptions): CertificateService {
  const { db } = options.database;
  const find = (id: string) =>
    db.selectFrom('certificates').selectAll().where('id', '=', id.toLowerCase()).where('credential', '!=', '').executeTakeFirst();
  const service: CertificateService = {
    issue: (agent, storerKey, module) => issue(options, agent, storerKey, module),
    mine: (agent) =>
      db
        .selectFrom('certificates')
        .selectAll()
        .where('agent_ifi', '=', ifiKey(agent) ?? '')
        .where('credential', '!=', '')
        .orderBy('issued')
        .execute(),
    list: () => db.selectFrom('certificates').selectAll().where('credential', '!=', '').orderBy('issued').execute(),
    find,
    async revoke(id) {
      const uuid = certificateIdOf(id);
      const row = uuid === undefined ? undefined : await find(uuid);
      if (row === undefined) throw new CertificateError('not-found', `no certificate ${id} on this LRS`);
      if (row.revoked !== null) return row;
      const revoked = new Date().toISOString();
      await db.updateTable('certificates').set({ revoked }).where('id', '=', row.id).where('revoked', 'is', null).execute();
      const grader = graderAgent(options.publicOrigin);
      const voiding = {
        id: uuidv5(`${row.id}/revoked`, ATTEMPT_NAMESPACE),
        timestamp: revoked,
        actor: grader,
        verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-US': 'voided' } },
        object: { objectType: 'StatementRef', id: uuidv5(`${row.id}/earned`, ATTEMPT_NAMESPACE) },
        authority: grader,
        version: '1.0.0',
      };
      await options.store.save([voiding as unknown as Statement], { authority: grader, key: GRADER_ACCOUNT_NAME });
      return { ...row, revoked };
    },
    statusList: () => statusList(options),
  };
  return service;
}

/** The first server-graded pass of the module's final assessment by the learner, and its stored `passed` statement (the score, language and workshop). */
async function passingAttempt(options: CertificateServiceOptions, agentIfi: string, module: string) {
  const quiz = [...options.assessments.values()].find((a) => a.quiz.kind === 'final-assessment' && a.quiz.module === module);
  if (quiz === undefined) throw new CertificateError('unknown-module', `module: "${module}" has no final assessment on this site`);
  const attempts = await options.database.db
    .selectFrom('assessment_attempts')
    .selectAll()
    .where('agent_ifi', '=', agentIfi)
    .where('quiz_id', '=', quiz.id)
    .orderBy('created')
    .execute();
  const passed = attempts.find((row) => (JSON.parse(row.grade) as { passed?: boolean }).passed === true);
  if (passed === undefined) {
    throw new CertificateError(
      'no-completion',
      `module: no verified completion of "${module}" for this learner; pass its final assessment first`,
    );
  }
  const found = await options.store.get(uuidv5(`${passed.attempt}/scored`, ATTEMPT_NAMESPACE), false);
  if (found === undefined)
    throw new CertificateError('no-completion', `module: the passing attempt's statement of "${module}" is no longer in the LRS (voided)`);
  return { attempt: passed.attempt, quiz, statement: found.statement };
}

/** The criteria's first half: a `completed` statement of the learner for every lesson of the module (their knowledge checks passed). */
async function lessonsCompleted(options: CertificateServiceOptions, agentIfi: string, facts: ModuleFacts): Promise<void> {
  const missing: string[] = [];
  for (const lesson of facts.lessonSlugs) {
    const page = await options.store.query({ agent: agentIfi, verb: COMPLETED, activity: lessonId(facts.slug, lesson) }, { limit: 1 });
    if (page.json.length === 0) missing.push(lesson);
  }
  if (missing.length > 0) {
    throw new CertificateError(
      'no-completion',
      `module: complete every lesson of "${facts.slug}" first (their knowledge checks); not yet: ${missing.join(', ')}`,
    );
  }
}

/** The name the learner gave (learners.name), else the agent's. */
async function learnerName(options: CertificateServiceOptions, agent: Agent): Promise<string> {
  const accountName = agent.account?.name;
  const row =
    accountName === undefined
      ? undefined
      : await options.database.db.selectFrom('learners').select('name').where('account_name', '=', accountName).executeTakeFirst();
  return row?.name ?? agent.name ?? '';
}

/** Write the signed `earned` statement of a certificate, in the context of the passing attempt (docs/certificates.md). */
async function earnedStatement(
  options: CertificateServiceOptions,
  row: CertificateTable,
  agent: Agent,
  storerKey: string,
  passed: Statement,
  facts: ModuleFacts,
): Promise<void> {
  const grader = graderAgent(options.publicOrigin);
  const statement: Record<string, unknown> = {
    id: uuidv5(`${row.id}/earned`, ATTEMPT_NAMESPACE),
    timestamp: row.issued,
    actor: agent,
    verb: { id: EARNED.verb, display: { 'en-US': 'earned' } },
    object: {
      objectType: 'Activity',
      id: achievementActivityId(row.module),
      definition: { type: EARNED.badgeType, name: { ...facts.title } },
    },
    result: { extensions: { [EARNED.assertion]: { '@id': `${options.publicOrigin}${certificatePaths.credential(row.id)}` } } },
    context: {
      ...passed.context,
      contextActivities: {
        parent: [{ objectType: 'Activity', id: moduleId(row.module), definition: { type: activityTypes.module } }],
        category: [{ objectType: 'Activity', id: EARNED.category }],
      },
    },
    authority: grader,
    version: '1.0.0',
  };
  const signature = await signStatement(statement, options.signingKey);
  statement['attachments'] = [signature.attachment];
  const parts = new Map([[signature.sha2, { contentType: 'application/octet-stream', content: signature.content }]]);
  await options.store.save([statement as unknown as Statement], { authority: grader, key: storerKey }, parts);
}

/** Insert a certificate row at a random free bit of the status list (herd privacy, Bitstring Status List section 6.1); undefined when the learner got one meanwhile. */
async function insert(
  options: CertificateServiceOptions,
  row: Omit<CertificateTable, 'status_index'>,
): Promise<CertificateTable | undefined> {
  const { db } = options.database;
  for (let tries = 0; tries < 20; tries++) {
    const candidate = { ...row, status_index: randomInt(STATUS_LIST_LENGTH) };
    const taken = await db.selectFrom('certificates').select('id').where('status_index', '=', candidate.status_index).executeTakeFirst();
    if (taken !== undefined) continue;
    return db
      .insertInto('certificates')
      .values(candidate)
      .onConflict((conflict) => conflict.doNothing())
      .returningAll()
      .executeTakeFirst();
  }
  throw new Error('no free index in the certificate status list after 20 tries');
}

/** See CertificateService.issue. */
async function issue(options: CertificateServiceOptions, agent: Agent, storerKey: string, module: string): Promise<CertificateTable> {
  const { db } = options.database;
  const agentIfi = ifiKey(agent) ?? '';
  const existing = await db
    .selectFrom('certificates')
    .selectAll()
    .where('agent_ifi', '=', agentIfi)
    .where('module', '=', module)
    .executeTakeFirst();
  if (existing !== undefined) return existing;
  const facts = options.modules.get(module);
  if (facts === undefined) throw new CertificateError('unknown-module', `module: "${module}" is not a module of this site`);
  const { attempt, quiz, statement } = await passingAttempt(options, agentIfi, module);
  await lessonsCompleted(options, agentIfi, facts);
  const extension = (iri: string) => String(statement.context?.extensions?.[iri] ?? '');
  const workshop = { cohort: extension(extensions.cohort), country: extension(extensions.country) };
  const language = statement.context?.language;
  const id = randomUUID();
  const issued = new Date().toISOString();
  const row = await insert(options, { id, agent_ifi: agentIfi, module, attempt, credential: '', issued, revoked: null });
  if (row === undefined) return issue(options, agent, storerKey, module); // issued at the same moment by another request
  const completion = {
    id,
    issued,
    statusIndex: row.status_index,
    name: await learnerName(options, agent),
    module: facts,
    achievementId: achievementActivityId(module),
    language: language !== undefined && isLanguage(language) ? language : defaultLanguage,
    scaled: statement.result?.score?.scaled ?? 0,
    passMark: quiz.quiz.passMark,
    workshop: workshop.cohort || workshop.country ? workshop : undefined,
  };
  const jwt = await signCredential(openBadgeCredential(completion, options.issuer, options.publicOrigin), options.issuer);
  await db.updateTable('certificates').set({ credential: jwt }).where('id', '=', id).execute();
  const issuedRow = { ...row, credential: jwt };
  await earnedStatement(options, issuedRow, agent, storerKey, statement, facts);
  return issuedRow;
}

/** See CertificateService.statusList. */
async function statusList(options: CertificateServiceOptions): Promise<string> {
  const bits = new Bitstring({ length: STATUS_LIST_LENGTH });
  const rows = await options.database.db.selectFrom('certificates').select('status_index').where('revoked', 'is not', null).execute();
  for (const row of rows) bits.set(row.status_index, true);
  const url = `${options.publicOrigin}${STATUS_LIST_PATH}`;
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: options.issuer.did,
    validFrom: new Date().toISOString(),
    // The multibase "u" prefix: base64url without padding of the GZIP-compressed bits (section 2.1).
    credentialSubject: {
      id: `${url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: `u${await bits.encodeBits()}`,
    },
  };
  return signCredential(credential, options.issuer);
}
