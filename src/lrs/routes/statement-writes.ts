import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../auth.ts';
import { XapiError, badRequest } from '../errors/xapi-error.ts';
import { checkAttachments, parseStatementRequest } from '../multipart.ts';
import type { AttachmentPart, StatementRequest } from '../multipart.ts';
import { verifySignedStatement } from '../signature.ts';
import { ifiKey } from '../statement-index.ts';
import { parseStatementJson } from '../strict-json.ts';
import { VOIDED_VERB } from '../validate.ts';
import type { Agent, Statement } from '../validate.ts';

/**
 * The request bodies of PUT and POST statements and the rules on who writes what: the helpers of
 * src/lrs/routes/statements.ts for writing.
 */

/** The request bodies PUT and POST statements take, named by a 415 (see errors/handler.ts). */
export const STATEMENT_BODIES =
  'application/json (a statement or an array of statements), multipart/mixed (statements with attachments, Communication 1.5.2) ' +
  'or application/x-www-form-urlencoded with ?method= (the alternate request syntax, Communication 1.3)';

/** A multipart/mixed request body, parsed (see parseStatementRequest). */
class MultipartBody {
  readonly request: StatementRequest;
  constructor(request: StatementRequest) {
    this.request = request;
  }
}

/**
 * Set the statement scope's body parsers: exact JSON from the raw bytes (strict-json.ts: Fastify's
 * own parser would replace bad UTF-8, keep lone surrogates, round numbers and hide where the JSON
 * broke), multipart/mixed for attachments (Communication 1.5.2), and no text/plain (Fastify would
 * parse it into a string; statements are JSON only). multipart/form-data is a 400 that says why.
 * @param app the statement routes' scope
 */
export function installStatementParsers(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseStatementJson(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser('multipart/mixed', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      done(null, new MultipartBody(parseStatementRequest(body as Buffer, request.headers['content-type'] ?? '')));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser('multipart/form-data', (_request, _payload, done) => {
    done(badRequest('Content-Type: statements with attachments are sent as multipart/mixed, not multipart/form-data'), undefined);
  });
}

/** The statements' JSON and the attachment parts of a PUT or POST body. */
export function statementRequest(body: unknown): { json: unknown; parts: Map<string, AttachmentPart> } {
  return body instanceof MultipartBody ? body.request : { json: body, parts: new Map() };
}

/**
 * Check attachments against their parts (every attachment without fileUrl has one; no part is
 * left over) and the signature of signed statements (Data 2.4.11, 2.6).
 * @throws XapiError 400 naming the statement and attachment
 */
export async function checked(statements: Statement[], parts: Map<string, AttachmentPart>): Promise<Statement[]> {
  checkAttachments(statements, parts);
  for (const [index, statement] of statements.entries()) {
    await verifySignedStatement(
      statement as Record<string, unknown>,
      parts,
      statements.length === 1 ? 'statement' : `statements[${index}]`,
    );
  }
  return statements;
}

/**
 * The principal the authorize hook set on the request.
 * @throws Error when a statement route runs without that hook (a bug, answered 500)
 */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === undefined) {
    throw new Error('statement route reached without the authorize hook');
  }
  return request.principal;
}

/**
 * The authority and credential key of the request's credential, and whether it may (re)define
 * Activities and Agents: only with the scope define or all (xAPI 1.0.3 Communication 4.2, "define":
 * without it the LRS "should not update its internal representation of any actors or
 * activities"; the statement itself is stored as sent).
 */
export function storer(request: FastifyRequest): { authority: Agent; key: string; define: boolean } {
  const { authority, key, scopes } = principalOf(request);
  return { authority, key, define: scopes.has('define') || scopes.has('all') };
}

/**
 * Check the statements a learner credential stores: each actor must be its agent (the same
 * identifier, not a Group), and it voids nothing. Other credentials pass.
 * @param principal the request's principal
 * @param statements the validated statements
 * @param path "statement" (PUT or a single POST) or "statements" (a batch), for the message
 * @throws XapiError 403 naming the statement, its actor and the rule
 * Source: issue 11 (a learner credential writes only statements whose actor is its agent);
 * xAPI 1.0.3 Communication 3.2 (403: "not allowed to perform the given action").
 */
export function assertLearnerStatements(principal: Principal, statements: readonly Statement[], path: 'statement' | 'statements'): void {
  if (principal.agent === undefined) {
    return;
  }
  const own = ifiKey(principal.agent);
  for (const [index, statement] of statements.entries()) {
    const where = path === 'statement' ? 'statement' : `statements[${index}]`;
    if (statement.actor.objectType === 'Group' || ifiKey(statement.actor) !== own) {
      throw new XapiError(
        403,
        `${where}.actor: ${JSON.stringify(statement.actor)} is not this learner credential's agent ${JSON.stringify(principal.agent)}; a learner credential stores only statements whose actor is its own agent`,
      );
    }
    if (statement.verb.id === VOIDED_VERB) {
      throw new XapiError(403, `${where}.verb: a learner credential cannot void statements`);
    }
  }
}
