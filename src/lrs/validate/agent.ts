import { z } from 'zod';
import { badRequest } from '../errors/xapi-error.ts';
import { parseStrictJson } from '../strict-json.ts';
import { MAILTO, SHA1, iri } from './formats.ts';
import { describeIssues } from './issues.ts';

// Agents, Groups and authorities (xAPI 1.0.3, Data 2.4.2 and 2.4.9).

const inverseFunctionalIdentifiers = {
  mbox: z.string().regex(MAILTO, 'must be a mailto IRI, e.g. mailto:learner@example.org').optional(),
  mbox_sha1sum: z.string().regex(SHA1, 'must be 40 hexadecimal characters').optional(),
  openid: iri.optional(),
  account: z.strictObject({ homePage: iri, name: z.string().min(1) }).optional(),
};
const IFI_NAMES = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;

function countIdentifiers(value: Partial<Record<(typeof IFI_NAMES)[number], unknown>>): number {
  return IFI_NAMES.filter((name) => value[name] !== undefined).length;
}

const IFI_RULE = 'inverse functional identifier (mbox, mbox_sha1sum, openid or account)';

function exactlyOneIdentifier(value: Partial<Record<(typeof IFI_NAMES)[number], unknown>>, context: z.RefinementCtx): void {
  const count = countIdentifiers(value);
  if (count !== 1) {
    context.addIssue({ code: 'custom', message: `an Agent needs exactly one ${IFI_RULE}; found ${count}` });
  }
}

/**
 * Longest Agent or Group name this LRS takes, in UTF-16 code units: the Agents resource keeps the
 * names seen per Agent (src/lrs/store/agents.ts), so one client must not grow them at will.
 * A limit of this LRS, not of xAPI; a person's name is far shorter.
 */
export const MAX_NAME_LENGTH = 500;

const agentName = z.string().max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters long (a limit of this LRS)`);
const agentFields = { name: agentName.optional(), ...inverseFunctionalIdentifiers };
/** Zod schema of an Agent (Data 2.4.2.1): exactly one inverse functional identifier. */
export const agent = z.strictObject({ objectType: z.literal('Agent').optional(), ...agentFields }).superRefine(exactlyOneIdentifier);
/** Zod schema of an Agent as a statement's object, which must say objectType Agent (Data 2.4.4.2). */
export const agentAsObject = z.strictObject({ objectType: z.literal('Agent'), ...agentFields }).superRefine(exactlyOneIdentifier);
/** Zod schema of an identified or anonymous Group (Data 2.4.2.2). */
export const group = z
  .strictObject({
    objectType: z.literal('Group'),
    name: agentName.optional(),
    member: z.array(agent).optional(),
    ...inverseFunctionalIdentifiers,
  })
  .superRefine((value, context) => {
    const count = countIdentifiers(value);
    if (count > 1) {
      context.addIssue({ code: 'custom', message: `an identified Group needs exactly one ${IFI_RULE}; found ${count}` });
    } else if (count === 0 && value.member === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['member'],
        message: `is required in an anonymous Group (one without an ${IFI_RULE})`,
      });
    }
  });
/** Zod schema of an actor: an Agent or a Group (Data 2.4.2). */
export const actor = z.discriminatedUnion('objectType', [agent, group], {
  error: 'must be "Agent" (or absent) or "Group"',
});

/**
 * Zod schema of an authority: an Agent, or for three-legged OAuth an anonymous Group of exactly
 * two Agents (the application and the user) (Data 2.4.9).
 */
export const authority = actor.superRefine((value, context) => {
  if (value.objectType === 'Group' && (countIdentifiers(value) !== 0 || value.member?.length !== 2)) {
    context.addIssue({
      code: 'custom',
      message: 'a Group authority must be an anonymous Group of exactly two Agents (Data 2.4.9)',
    });
  }
});

/** An Agent: one inverse functional identifier, optional name. */
export type Agent = z.output<typeof agent>;
/** An identified or anonymous Group. */
export type Group = z.output<typeof group>;
/** Who can be an actor, instructor or authority. */
export type Actor = Agent | Group;

/**
 * Validate the `agent` query parameter of GET /xapi/statements.
 * @param json the parameter's text: a JSON Agent or identified Group
 * @returns the Agent or Group
 * @throws XapiError 400 when the text is not JSON, not an Agent or Group, or is an anonymous Group
 *   (which has no identifier to match)
 * Source: xAPI 1.0.3, Communication 2.1.3 (agent: "Agent or Identified Group Object (JSON)") and
 * Data 2.2 ("validate parameter values to the same standards ... as in Statements").
 */
export function parseAgentParameter(json: string): Actor {
  try {
    JSON.parse(json);
  } catch {
    throw badRequest('agent: must be a JSON Agent or identified Group, e.g. {"mbox":"mailto:a@example.org"}');
  }
  // Exact JSON (strict-json.ts): a lone surrogate in an mbox would otherwise name another Agent.
  const value = parseStrictJson(json, 'agent');
  const parsed = actor.safeParse(value);
  if (!parsed.success) {
    throw badRequest(describeIssues('agent', parsed.error, value));
  }
  if (countIdentifiers(parsed.data) === 0) {
    throw badRequest(`agent: an anonymous Group cannot be used as a filter; give an ${IFI_RULE}`);
  }
  return parsed.data;
}
