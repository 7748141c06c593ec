import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';
import { languages } from '../../i18n/languages.ts';
import { gradeQuiz, responseProblem, type Grade, type QuestionResponse } from '../../lib/grading.ts';
import { inPreTest, moduleCompleted, preTestScored, questionAnswered, quizScored, type EventContext } from '../../lib/xapi/statements.ts';
import type { Access } from '../auth.ts';
import type { LrsDatabase } from '../db/open.ts';
import { XapiError, badRequest } from '../errors/xapi-error.ts';
import type { FinalAssessment } from '../final-assessments.ts';
import { GRADER_ACCOUNT_NAME, JWKS_PATH } from '../../lib/report/verify.ts';
import { jwks, signStatement, type SigningKey } from '../signing.ts';
import { gradeResponse, jwksResponse } from '../responses.ts';
import { ifiKey } from '../statement-index.ts';
import type { StatementStore } from '../store/statements.ts';
import { parseStatementBody, parseTimestamp, type Agent, type Statement } from '../validate.ts';

/** Namespace of the statement ids made from an attempt id (uuid v5): the same attempt, the same ids. */
export const ATTEMPT_NAMESPACE = '6f1b8f8e-3c0e-5b7e-9d57-2f4a1c0b9e11';
/** How far in the future an attempt's timestamp may be (clocks of phones drift), in ms. */
const FUTURE_SLACK_MS = 5 * 60_000;
/** The longest attempt the server records, in ms (a week). */
const MAX_DURATION_MS = 7 * 24 * 3600_000;

/**
 * The site's grader agent: the authority of server-graded statements (contract of issue 11,
 * section 2); its account name and the JWKS path are defined once, beside the verifier that
 * checks them (src/lib/report/verify.ts).
 * @param publicOrigin the LRS's public origin, e.g. "http://127.0.0.1:4321"
 */
export function graderAgent(publicOrigin: string): Agent {
  return { objectType: 'Agent', name: 'Site grader', account: { homePage: publicOrigin, name: GRADER_ACCOUNT_NAME } };
}

/** What the assessment routes need from the app. */
export interface AssessmentRoutesOptions {
  /** The final assessments by quiz id (see loadFinalAssessments). */
  assessments: ReadonlyMap<string, FinalAssessment>;
  /** The route hook that checks HTTP Basic credentials and sets request.principal (src/lrs/auth.ts). */
  authorize: (access: Access) => (request: FastifyRequest) => Promise<void>;
  database: LrsDatabase;
  store: StatementStore;
  signingKey: SigningKey;
  /** The LRS's public origin: the homePage of the grader's account. */
  publicOrigin: string;
}

const attemptBody = z.strictObject({
  attempt: z.uuid({ message: 'must be a UUID' }), // made on the device; the idempotency key
  timestamp: z.string().refine((text) => parseTimestamp(text) !== undefined, 'must be an ISO 8601 timestamp with a time zone'),
  language: z.enum(languages, { message: 'must be "en", "fr" or "es"' }),
  registration: z.uuid({ message: 'must be a UUID' }),
  workshop: z
    .strictObject({
      cohort: z.string().max(200, 'must be at most 200 characters'),
      country: z.string().regex(/^([A-Z]{2})?$/, 'must be an ISO 3166-1 alpha-2 code such as "SN"'),
    })
    .optional(),
  responses: z.record(z.string(), z.unknown()),
  durationMs: z.number().int('must be a whole number of milliseconds').min(0).max(MAX_DURATION_MS).optional(),
});
type AttemptBody = z.infer<typeof attemptBody>;

/** Parse the body; a failure is a 400 naming the field and the rule. */
function parseAttempt(body: unknown): AttemptBody {
  const result = attemptBody.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue === undefined || issue.path.length === 0 ? 'body' : issue.path.join('.');
    throw badRequest(`${path}: ${issue?.message ?? 'is not valid'}`);
  }
  const at = parseTimestamp(result.data.timestamp);
  if (at !== undefined && at.getTime() > Date.now() + FUTURE_SLACK_MS) throw badRequest('timestamp: must not be in the future');
  return result.data;
}

/** Check every question has a well-formed response and nothing else is answered. */
function checkResponses(assessment: FinalAssessment, responses: Record<string, unknown>): Record<string, QuestionResponse> {
  const ids = new Set(assessment.quiz.questions.map((q) => q.id));
  for (const id of Object.keys(responses))
    if (!ids.has(id)) throw badRequest(`responses.${id}: quiz "${assessment.id}" has no question "${id}"`);
  for (const q of assessment.quiz.questions) {
    if (!(q.id in responses)) throw badRequest(`responses.${q.id}: every question needs a response`);
    const problem = responseProblem(q, responses[q.id]);
    if (problem !== undefined) throw badRequest(`responses.${q.id}: ${problem}`);
  }
  return responses as Record<string, QuestionResponse>;
}

/**
 * The statements of a graded attempt, with ids made from the attempt id (uuid v5), in the shapes the
 * browser sends for a knowledge check (src/lib/xapi/statements.ts). A final assessment: "answered"
 * per question, "passed" or "failed", and on a pass "completed" for the module. A pre-test:
 * "answered" per question and "completed" for the pre-test with its score, all in the pre-test
 * category (no pass mark, no module completion). The statement that carries the score ("passed",
 * "failed", the pre-test's "completed") and the module's "completed" carry the signature
 * attachment; their content goes in `parts`.
 */
async function attemptStatements(
  assessment: FinalAssessment,
  body: AttemptBody,
  responses: Record<string, QuestionResponse>,
  actor: Agent,
  options: AssessmentRoutesOptions,
): Promise<{ statements: Record<string, unknown>[]; parts: Map<string, { contentType: string; content: Buffer }> }> {
  const timestamp = parseTimestamp(body.timestamp)?.toISOString() ?? body.timestamp;
  const workshop = body.workshop && (body.workshop.cohort || body.workshop.country) ? body.workshop : undefined;
  const context = (name: string): EventContext => ({
    id: uuidv5(`${body.attempt.toLowerCase()}/${name}`, ATTEMPT_NAMESPACE),
    timestamp,
    actor: actor as EventContext['actor'],
    registration: body.registration.toLowerCase(),
    language: body.language,
    workshop,
  });
  const { quiz, ref } = assessment;
  const preTest = quiz.kind === 'pre-test';
  const grade = gradeQuiz(quiz, responses);
  const built = quiz.questions.map((q) => {
    const answered = questionAnswered(
      context(`answered/${q.id}`),
      ref,
      assessment.id,
      q,
      responses[q.id] as QuestionResponse,
      preTest ? 'verdict' : 'key',
    );
    return preTest ? inPreTest(answered) : answered;
  });
  const outcome = { raw: grade.raw, max: grade.max, passMark: quiz.passMark, durationMs: body.durationMs ?? 0 };
  const scored = preTest ? preTestScored(context('scored'), ref, outcome) : quizScored(context('scored'), ref, outcome);
  if (body.durationMs === undefined) delete scored.result?.duration;
  built.push(scored);
  if (grade.passed && !preTest) built.push(moduleCompleted(context('completed'), ref.module));
  const authority = graderAgent(options.publicOrigin);
  const parts = new Map<string, { contentType: string; content: Buffer }>();
  const statements: Record<string, unknown>[] = [];
  for (const statement of built) {
    const complete: Record<string, unknown> = { ...statement, authority, version: '1.0.0' };
    const verb = (statement.verb as { id: string }).id;
    // Every statement with a score, and the module's completion: a failed final assessment is a
    // post-test score too (the learning gain counts it, src/lib/report/gain.ts), so it is signed.
    if (statement.result?.score !== undefined || verb.endsWith('/completed')) {
      const signature = await signStatement(complete, options.signingKey);
      parts.set(signature.sha2, { contentType: 'application/octet-stream', content: signature.content });
      complete['attachments'] = [signature.attachment];
    }
    statements.push(complete);
  }
  return { statements, parts };
}

/**
 * The grade the learner is told: a final assessment's as graded; a pre-test's without the
 * verdict of each question (`questions` empty) and never `passed`, since a pre-test has no pass
 * mark and must not reveal which answers were right (the final assessment measures the same
 * learning objectives later; docs/xapi-profile.md, "Pre-tests").
 */
function answerOf(assessment: FinalAssessment, grade: Grade): Grade {
  return assessment.quiz.kind === 'pre-test' ? { ...grade, passed: false, questions: {} } : grade;
}

/**
 * POST /api/assessments/{quizId}/attempts: grade a final assessment or pre-test attempt with the
 * shared grading module, write its statements under the grader's authority (signed: the statement
 * with the score, and the module's `completed`), and answer the grade (a pre-test's without
 * verdicts, answerOf); GET /.well-known/jwks.json: the public keys that check those signatures.
 *
 * The request needs HTTP Basic with a learner credential (bound to an Agent, POST /api/learners):
 * 401 without a valid credential, 403 with one not bound to an Agent. The body:
 * `{ attempt: uuid, timestamp: ISO 8601, language: "en"|"fr"|"es", registration: uuid,
 * workshop?: { cohort, country }, responses: { [questionId]: response }, durationMs?: number }`,
 * where every question of the quiz has a well-formed response (src/lib/grading.ts responseProblem).
 * The answer: 200 `{ raw, max, scaled, passed, passMark, questions: { [questionId]: boolean } }`.
 * Idempotent per attempt: a retry gets the first grade and stores nothing twice (one row in
 * assessment_attempts, statement ids made from the attempt id); an attempt id already used for
 * another quiz or learner is a 409.
 * @param app the Fastify scope, at the server's root
 * @param options see AssessmentRoutesOptions
 * Sources: issue 11 (final assessments graded by the server) and its contract (section 2); issue 15 (pre-tests);
 * xAPI 1.0.3 Data 2.6 (signed statements), 2.4.9 (authority); RFC 7517 (JWK Set), RFC 8615.
 */
export async function assessmentRoutes(app: FastifyInstance, options: AssessmentRoutesOptions): Promise<void> {
  const { database, store } = options;
  const grader = graderAgent(options.publicOrigin);

  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get(JWKS_PATH, { schema: { response: { 200: jwksResponse } } }, async (_request, reply) => {
    // Public keys, meant to be fetched by any reviewer's page or program.
    reply.header('Cache-Control', 'public, max-age=300').header('Access-Control-Allow-Origin', '*');
    return jwks(database);
  });

  // The body is parsed in the handler (parseAttempt, with attemptBody), after the credential and
  // quiz checks, so a request with neither a learner credential nor a valid body stays a 401/403.
  routes.post(
    '/api/assessments/:quizId/attempts',
    {
      onRequest: options.authorize('statements/write'),
      schema: { params: z.object({ quizId: z.string() }), response: { 200: gradeResponse } },
    },
    async (request) => {
      const principal = request.principal;
      if (principal === undefined) throw new XapiError(401, 'send a learner credential with HTTP Basic in the Authorization header');
      if (principal.agent === undefined) {
        throw new XapiError(
          403,
          'a final assessment is graded for a learner: use a learner credential (POST /api/learners), bound to its agent',
        );
      }
      const assessment = options.assessments.get(request.params.quizId);
      if (assessment === undefined)
        throw badRequest(`quizId: "${request.params.quizId}" is not a final assessment or pre-test of this site`);
      const body = parseAttempt(request.body);
      const responses = checkResponses(assessment, body.responses);
      const attempt = body.attempt.toLowerCase();
      const agentIfi = ifiKey(principal.agent) ?? '';

      const previous = await database.db.selectFrom('assessment_attempts').selectAll().where('attempt', '=', attempt).executeTakeFirst();
      if (previous !== undefined) {
        if (previous.quiz_id !== assessment.id || previous.agent_ifi !== agentIfi) {
          throw new XapiError(409, `attempt: ${attempt} was already graded for another quiz or learner; make a new attempt id`);
        }
        return JSON.parse(previous.grade) as Grade;
      }

      const grade = answerOf(assessment, gradeQuiz(assessment.quiz, responses));
      const { statements, parts } = await attemptStatements(assessment, body, responses, principal.agent, options);
      const { statements: valid } = parseStatementBody(statements);
      await store.save(valid as Statement[], { authority: grader, key: principal.key }, parts);
      await database.db
        .insertInto('assessment_attempts')
        .values({ attempt, quiz_id: assessment.id, agent_ifi: agentIfi, grade: JSON.stringify(grade), created: new Date().toISOString() })
        .onConflict((conflict) => conflict.doNothing())
        .execute();
      return grade;
    },
  );
}
