import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/lrs/app.ts';
import type { AppOptions } from '../../src/lrs/app.ts';
import { createTestDatabase } from './database.ts';
import type { QuestionResponse } from '../../src/lib/grading.ts';
import type { Question } from '../../src/schemas/quiz.ts';
import { loadModuleFacts } from '../../src/lrs/certificates/modules.ts';
import { lessonId } from '../../src/lib/xapi/activities.ts';

/** The credentials every test app is built with (the server's defaults). */
export const WRITE = { key: 'site', secret: 'site-write-secret' };
export const READ = { key: 'reviewer', secret: 'reviewer-read-secret' };
/** The administrator credential of test apps: scope "all". */
export const ADMIN = { key: 'admin', secret: 'admin-secret' };
/** The origin of the site in the browser, allowed by CORS in test apps. */
export const SITE_ORIGIN = 'http://127.0.0.1:4321';

/**
 * The value of an HTTP Basic Authorization header.
 * @param credential key and secret
 * @returns "Basic base64(key:secret)" (RFC 7617)
 */
export function basic(credential: { key: string; secret: string }): string {
  return `Basic ${Buffer.from(`${credential.key}:${credential.secret}`).toString('base64')}`;
}

/** Headers of a write request as @xapi/xapi 3 sends it. */
export const writeHeaders = {
  authorization: basic(WRITE),
  'content-type': 'application/json',
  'x-experience-api-version': '1.0.3',
};
/** Headers of a request with the administrator credential (scope "all"), without a content type. */
export const adminHeaders = {
  authorization: basic(ADMIN),
  'x-experience-api-version': '1.0.3',
};
/** Headers of a reviewer's read request. */
export const readHeaders = {
  authorization: basic(READ),
  'x-experience-api-version': '1.0.3',
};

/** A test app over a real, empty database (see createTestDatabase). */
export interface TestLrs {
  app: FastifyInstance;
  /** The database: a SQLite file, or a PostgreSQL URL under LRS_TEST_DATABASE_URL. */
  database: string;
  /** POST statements with the write credential. */
  post(body: unknown): Promise<LightMyRequestResponse>;
  /** GET /xapi/statements with the read credential and the given query string (no "?"). */
  get(query?: string): Promise<LightMyRequestResponse>;
  /** Any request. */
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** Close the app (and its database) and delete the folder. */
  close(): Promise<void>;
}

/**
 * Build an LRS app over a fresh database (SQLite, or PostgreSQL under LRS_TEST_DATABASE_URL);
 * close() removes it.
 * @param overrides options to change, e.g. { siteRoot }
 * @returns the app and request helpers
 */
export async function createTestLrs(overrides: Partial<AppOptions> = {}): Promise<TestLrs> {
  const database = await createTestDatabase();
  const app = buildApp({
    database: database.location,
    credentials: { write: WRITE, read: READ, admin: ADMIN },
    corsOrigins: [SITE_ORIGIN],
    ...overrides,
  });
  await app.ready();
  return {
    app,
    database: database.location,
    post: (body) => app.inject({ method: 'POST', url: '/xapi/statements', headers: writeHeaders, payload: JSON.stringify(body) }),
    get: (query = '') => app.inject({ method: 'GET', url: `/xapi/statements${query === '' ? '' : `?${query}`}`, headers: readHeaders }),
    inject: (options) => app.inject(options),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

/** The activity IRI base the site uses. */
const BASE = 'https://w3id.org/dce-training/';

/**
 * A statement like those the site sends: a learner answering a choice question of a lesson,
 * with result, context activities in all four lists, registration and language.
 * @param overrides top-level properties to replace (undefined values remove the property)
 * @returns a fresh statement object with its own id
 */
export function answeredStatement(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const statement: Record<string, unknown> = {
    id: randomUUID(),
    actor: { objectType: 'Agent', name: 'Ana', account: { homePage: SITE_ORIGIN, name: 'learner-1' } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { en: 'answered', fr: 'a répondu', es: 'respondió' } },
    object: {
      objectType: 'Activity',
      id: `${BASE}en/modules/m1/quiz/q1`,
      definition: {
        name: { en: 'Question 1', fr: 'Question 1', es: 'Pregunta 1' },
        description: { en: 'Which year was the Convention adopted?' },
        type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
        interactionType: 'choice',
        correctResponsesPattern: ['b'],
        choices: [
          { id: 'a', description: { en: '2001' } },
          { id: 'b', description: { en: '2005' } },
        ],
      },
    },
    result: { success: true, response: 'b', score: { scaled: 1, raw: 1, min: 0, max: 1 }, duration: 'PT12.5S' },
    context: {
      registration: '6f1d9a4e-2b7c-4d8e-9f0a-1b2c3d4e5f60',
      contextActivities: {
        parent: [{ id: `${BASE}en/modules/m1/quiz`, objectType: 'Activity' }],
        grouping: [{ id: `${BASE}en/modules/m1` }],
        category: [{ id: 'https://w3id.org/xapi/cmi5/context/categories/cmi5' }],
        other: [{ id: `${BASE}en/modules/m1/lessons/l2` }],
      },
      language: 'en',
      platform: 'dce-training site',
    },
    timestamp: '2025-03-01T10:15:30.123Z',
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) {
      delete statement[key];
    } else {
      statement[key] = value;
    }
  }
  return statement;
}

/** The voiding statement for a statement id (xAPI 1.0.3, Data 2.3.2). */
export function voidingStatement(targetId: string, id: string = randomUUID()): Record<string, unknown> {
  return {
    id,
    actor: { mbox: 'mailto:admin@example.org' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { en: 'voided' } },
    object: { objectType: 'StatementRef', id: targetId },
  };
}

/**
 * A well-formed wrong response to a question (another option, the other truth value, the order
 * reversed, a number outside the tolerance, another target), for attempts graded below the pass mark.
 */
export function wrongResponse(q: Question): QuestionResponse {
  switch (q.type) {
    case 'single-choice':
      return [q.options.find((o) => o.id !== q.correct)?.id ?? ''];
    case 'multiple-response':
      return [q.options.find((o) => !q.correct.includes(o.id))?.id ?? ''];
    case 'true-false':
      return !q.answer;
    case 'sequencing':
      return [...q.correct].reverse();
    case 'numeric':
      return q.answer + q.tolerance + 1;
    case 'fill-in':
      return 'not this';
    case 'matching': {
      const targets = q.targets.map((t) => t.id);
      return Object.fromEntries(Object.entries(q.correct).map(([s, t]) => [s, targets.find((x) => x !== t) ?? t]));
    }
  }
}

/** The learner's own `completed` statements for every lesson of module 1, as their browser sends them when knowledge checks pass. */
export async function completeLessons(
  app: { inject: TestLrs['inject'] },
  who: { key: string; secret: string; agent: Record<string, unknown> },
  module = 'understanding-the-convention',
): Promise<void> {
  const lessons = loadModuleFacts('content').get(module)?.lessonSlugs ?? [];
  const res = await app.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers: { authorization: basic(who), 'content-type': 'application/json', 'x-experience-api-version': '1.0.3' },
    payload: JSON.stringify(
      lessons.map((lesson) => ({
        actor: who.agent,
        verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
        object: { objectType: 'Activity', id: lessonId(module, lesson) },
        result: { completion: true },
      })),
    ),
  });
  if (res.statusCode !== 200) throw new Error(`lesson completions refused: ${res.statusCode} ${res.body}`);
}

/** A learner credential from POST /api/learners (201), as a learner's browser gets it. */
export async function registerLearner(
  app: { inject: TestLrs['inject'] },
  name: string,
): Promise<{ key: string; secret: string; agent: Record<string, unknown> }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/learners',
    headers: { 'content-type': 'application/json' },
    payload: { name },
  });
  if (res.statusCode !== 201) throw new Error(`POST /api/learners answered ${res.statusCode}: ${res.body}`);
  return res.json();
}
