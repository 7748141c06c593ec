import { z } from 'zod';

/**
 * The response bodies of the LRS routes, as zod schemas for the routes' `schema.response`
 * (fastify-type-provider-zod's serializerCompiler checks an object body against them, then
 * JSON.stringify writes it; see app.ts).
 *
 * Two rules keep the bodies exactly what they were:
 * - An object schema writes its keys in the order of its shape, so each shape below lists them in
 *   the order the route builds them.
 * - A statement, a definition, an agent or a key is free-form JSON whose rules are checked on the
 *   way in (validate.ts, signing.ts): it passes through `passThrough`, which keeps the very object
 *   (no key dropped, added or reordered), so statements come back exactly as stored.
 * Bodies a route sends already serialized (the stored JSON of a statement page, a document's bytes,
 * multipart/mixed) skip the serializer (Fastify sends a string with a JSON type, or a Buffer, as it
 * is); their schemas say what the body holds.
 * Sources: xAPI 1.0.3, Communication 2.1.3 (StatementResult), 2.4 (Person), 2.5 (Activity), 2.8 (About).
 */

/** Any JSON object, passed through untouched (see above). */
function passThrough<T extends object = Record<string, unknown>>(what: string): z.ZodType<T> {
  return z.custom<T>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), `must be ${what}`);
}

/** A statement, exactly as stored or in the requested format (Data 2.4; Communication 2.1.3 format). */
export const statementResponse = passThrough('a statement');

/** A StatementResult: a page of statements and the `more` link ("" when none) (Communication 2.1.3). */
export const statementResultResponse = z.strictObject({ statements: z.array(statementResponse), more: z.string() });

/**
 * A body the route has already serialized: JSON text (sent with a JSON Content-Type) or the bytes
 * of multipart/mixed. Fastify sends both as they are, without the serializer.
 */
export const serializedResponse = z.union([z.string(), z.custom<Buffer>((value) => Buffer.isBuffer(value))]);

/**
 * GET statements: one statement (statementId, voidedStatementId) or a StatementResult; a page of
 * statements is sent serialized (the stored JSON, byte for byte) and, with attachments=true, either
 * is sent as multipart/mixed.
 */
export const statementGetResponse = z.union([statementResultResponse, statementResponse, serializedResponse]);
/** The body of GET statements (statementGetResponse). */
export type StatementGetBody = z.output<typeof statementGetResponse>;

/** POST statements: the ids of the statements stored, in the order sent (Communication 2.1.2). */
export const statementIdsResponse = z.array(z.string());

/** 204 No Content: PUT statements and the document writes answer no body. */
export const noContent = z.undefined();

/**
 * GET of a document resource: the ids of the documents (without the id parameter) or one
 * document's bytes, sent with the Content-Type it was stored with (Communication 2.2).
 */
export const documentGetResponse = z.union([z.array(z.string()), serializedResponse]);

/** GET activities: the Activity with its canonical definition, when this LRS has one (Communication 2.5). */
export const activityResponse = z.strictObject({
  objectType: z.literal('Activity'),
  id: z.string(),
  definition: passThrough('an Activity definition').optional(),
});

/** GET agents: the Person object, each property an array (Communication 2.4.s5); shape in person()'s order. */
export const personResponse = z.strictObject({
  objectType: z.literal('Person'),
  name: z.array(z.string()).optional(),
  mbox: z.array(z.string()).optional(),
  mbox_sha1sum: z.array(z.string()).optional(),
  openid: z.array(z.string()).optional(),
  account: z.array(z.strictObject({ homePage: z.string(), name: z.string() })).optional(),
});

/** GET about: the xAPI versions this LRS speaks (Communication 2.8). */
export const aboutResponse = z.strictObject({ version: z.array(z.string()) });

/** A learner credential, issued or claimed (src/lrs/routes/learners.ts). */
export const learnerCredentialResponse = z.strictObject({ key: z.string(), secret: z.string(), agent: passThrough('an Agent') });

/** A transfer code for another device (src/lrs/store/learners.ts TransferCode). */
export const transferCodeResponse = z.strictObject({ code: z.string(), expires: z.string() });

/** The grade of an assessment attempt (src/lib/grading.ts Grade), in gradeQuiz's key order. */
export const gradeResponse = z.strictObject({
  raw: z.number(),
  max: z.number(),
  scaled: z.number(),
  passed: z.boolean(),
  passMark: z.number(),
  questions: z.record(z.string(), z.boolean()),
});

/** The JSON Web Key Set of the grader's public keys (RFC 7517 section 5). */
export const jwksResponse = z.strictObject({ keys: z.array(passThrough<object>('a public JWK')) });

/** The issuer's DID document (src/lrs/certificates/issuer.ts didDocument): free-form JSON. */
export const didDocumentResponse = passThrough<object>('a DID document');

/** The issuer's Open Badges Profile, with its JSON-LD context. */
export const issuerProfileResponse = passThrough('an Open Badges Profile');

/** A learner's certificate (src/lrs/routes/certificates.ts CertificateAnswer), in the order the route builds it. */
export const certificateResponse = z.strictObject({
  id: z.string(),
  module: z.string(),
  issued: z.string(),
  revoked: z.string().nullable(),
  credential: z.string(),
  links: z.strictObject({ credential: z.string(), pdf: z.record(z.string(), z.string()), verify: z.record(z.string(), z.string()) }),
});

/** A learner's certificates, oldest first. */
export const certificatesResponse = z.strictObject({ certificates: z.array(certificateResponse) });
