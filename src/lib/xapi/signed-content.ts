// Whether a signed statement's JWS payload is the statement it is attached to (xAPI 1.0.3 Data
// 2.6, compared by the one rule of Data 2.3.1 in src/lib/xapi/statement-equivalence.ts). Pure and
// browser-safe: the LRS checks it on every signed statement it receives (src/lrs/signature.ts),
// and the Secretariat's report checks it again before it counts a completion as verified
// (src/lib/report/verify.ts).
import { SIGNATURE_USAGE_TYPE, SIGNED_PAYLOAD_RULES, sameStatement } from './statement-equivalence.ts';

/** The usageType of the attachment that carries a statement's signature (Data 2.6). */
export { SIGNATURE_USAGE_TYPE };

type Json = Record<string, unknown>;

/**
 * Whether a JWS payload and a statement are the same statement: sameStatement under
 * SIGNED_PAYLOAD_RULES (src/lib/xapi/statement-equivalence.ts). `authority` and `stored` are
 * ignored; `id`, `version` and `timestamp` are compared only when both sides have them, ids
 * ignoring case, timestamps as instants; signature attachments are left out of both sides.
 * @param payload the decoded JWS payload (a JSON object)
 * @param statement the statement the signature is attached to
 * @param instant milliseconds since the epoch of an ISO 8601 timestamp, or undefined when it is not
 *   one; default Date.parse (the LRS passes its own stricter parser, src/lrs/validate.ts)
 * @returns true when they are the same statement
 * Sources: xAPI 1.0.3 Data 2.6 (the payload is the statement as it was before signing), Data 2.3.1
 * (statement comparison).
 */
export function sameSignedContent(payload: Json, statement: Json, instant?: (text: string) => number | undefined): boolean {
  return sameStatement(payload, statement, { ...SIGNED_PAYLOAD_RULES, instant });
}
