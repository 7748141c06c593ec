import { z } from 'zod';
import { badRequest } from '../errors/xapi-error.ts';
import { MAX_DEPTH } from '../strict-json.ts';
import { activity } from './activity.ts';
import { actor, agentAsObject, authority, group } from './agent.ts';
import { DURATION, SHA2, VERSION, extensions, iri, languageMap, languageTag, timestamp, uuid } from './formats.ts';
import { describeIssues, nestsDeeperThan } from './issues.ts';

// Statements and SubStatements: verb, result, context, attachments and the rules across them
// (xAPI 1.0.3, Data 2.4).

/** The reserved verb whose StatementRef object voids another statement (xAPI 1.0.3, Data 2.3.2). */
export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';

const verb = z.strictObject({ id: iri, display: languageMap.optional() });

const statementRef = z.strictObject({ objectType: z.literal('StatementRef'), id: uuid });

const score = z
  .strictObject({
    scaled: z.number().min(-1).max(1).optional(),
    raw: z.number().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .superRefine(({ raw, min, max }, context) => {
    const isNumber = (n: unknown): n is number => typeof n === 'number';
    if (isNumber(min) && isNumber(max) && min >= max) {
      context.addIssue({ code: 'custom', path: ['min'], message: 'must be less than max' });
    }
    if (isNumber(raw) && isNumber(min) && raw < min) {
      context.addIssue({ code: 'custom', path: ['raw'], message: 'must not be below min' });
    }
    if (isNumber(raw) && isNumber(max) && raw > max) {
      context.addIssue({ code: 'custom', path: ['raw'], message: 'must not be above max' });
    }
  });
const result = z.strictObject({
  score: score.optional(),
  success: z.boolean().optional(),
  completion: z.boolean().optional(),
  response: z.string().optional(),
  duration: z.string().regex(DURATION, 'must be an ISO 8601 duration, e.g. PT1M30S').optional(),
  extensions: extensions.optional(),
});

// A single Activity is accepted for 0.95 compatibility and always returned as an array (Data 2.4.6.2).
const contextActivityList = z.preprocess((value) => (Array.isArray(value) ? value : [value]), z.array(activity));
const context = z.strictObject({
  registration: uuid.optional(),
  instructor: actor.optional(),
  team: group.optional(),
  contextActivities: z
    .strictObject({
      parent: contextActivityList.optional(),
      grouping: contextActivityList.optional(),
      category: contextActivityList.optional(),
      other: contextActivityList.optional(),
    })
    .optional(),
  revision: z.string().optional(),
  platform: z.string().optional(),
  language: languageTag.optional(),
  statement: statementRef.optional(),
  extensions: extensions.optional(),
});

const attachment = z.strictObject({
  usageType: iri,
  display: languageMap,
  description: languageMap.optional(),
  contentType: z.string().min(1),
  length: z.int().nonnegative(),
  sha2: z.string().regex(SHA2, 'must be a hexadecimal SHA-2 hash'),
  fileUrl: iri.optional(),
});

interface StatementShape {
  verb: { id?: unknown };
  object: { objectType?: unknown };
  context?: { revision?: unknown; platform?: unknown } | undefined;
}

/** Rules that span several properties, shared by statements and SubStatements. */
function crossPropertyRules(statement: StatementShape, context: z.RefinementCtx): void {
  const objectType = statement.object.objectType;
  if (statement.verb.id === VOIDED_VERB && objectType !== 'StatementRef') {
    context.addIssue({
      code: 'custom',
      path: ['object', 'objectType'],
      message: 'must be "StatementRef" in a voiding statement (Data 2.3.2)',
    });
  }
  if (objectType !== undefined && objectType !== 'Activity') {
    for (const property of ['revision', 'platform'] as const) {
      if (statement.context?.[property] !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['context', property],
          message: 'is only allowed when the object is an Activity (Data 2.4.6)',
        });
      }
    }
  }
}

const statementBody = {
  actor,
  verb,
  result: result.optional(),
  context: context.optional(),
  timestamp: timestamp.optional(),
  attachments: z.array(attachment).optional(),
};
const subStatement = z
  .strictObject({
    objectType: z.literal('SubStatement'),
    ...statementBody,
    object: z.discriminatedUnion('objectType', [activity, agentAsObject, group, statementRef], {
      error: 'must be "Activity" (or absent), "Agent", "Group" or "StatementRef": a SubStatement cannot nest',
    }),
  })
  .superRefine(crossPropertyRules);
const statementSchema = z
  .strictObject({
    id: uuid.optional(),
    ...statementBody,
    object: z.discriminatedUnion('objectType', [activity, agentAsObject, group, statementRef, subStatement], {
      error: 'must be "Activity" (or absent), "Agent", "Group", "StatementRef" or "SubStatement"',
    }),
    stored: timestamp.optional(),
    authority: authority.optional(),
    version: z.string().regex(VERSION, 'must start with 1.0 (e.g. "1.0.0")').optional(),
  })
  .superRefine(crossPropertyRules);

/** A valid xAPI 1.0.3 statement, contextActivities normalised to arrays. */
export type Statement = z.output<typeof statementSchema>;

/**
 * Validate the body of POST or PUT /xapi/statements: one statement or an array of them.
 * @param body the parsed JSON body (any JSON value)
 * @returns the statements (each validated and normalised) and whether the body was an array
 * @throws XapiError 400 naming the field path of up to five problems, e.g.
 *   `statements[1].actor.mbox: must be a mailto IRI`; also when two statements of a batch share an
 *   id, and when the JSON nests more than 100 levels deep (a limit of this LRS)
 * Sources: xAPI 1.0.3, Data 2.2 and 2.4 (statement properties), Communication 2.1.1 and 2.1.2
 * (a batch with a repeated id is rejected), Communication 3.2 (one bad statement rejects the batch).
 */
export function parseStatementBody(body: unknown): { statements: Statement[]; batch: boolean } {
  const batch = Array.isArray(body);
  const label = batch ? 'statements' : 'statement';
  if (nestsDeeperThan(body, MAX_DEPTH)) {
    throw badRequest(`${label}: nests JSON deeper than ${MAX_DEPTH} levels`);
  }
  const schema = batch ? z.array(statementSchema) : statementSchema;
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw badRequest(describeIssues(label, parsed.error, body));
  }
  const statements = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  const seen = new Map<string, number>();
  statements.forEach((statement, index) => {
    const id = statement.id?.toLowerCase();
    if (id === undefined) {
      return;
    }
    const first = seen.get(id);
    if (first !== undefined) {
      throw badRequest(`statements[${index}].id: repeats the id of statements[${first}] in the same batch`);
    }
    seen.set(id, index);
  });
  return { statements, batch };
}
