// Validation of what clients send: statements, Agents and the formats of xAPI values. One module
// per concern under src/lrs/validate/; this file is the entry point the LRS imports.
export { MAX_DEFINITION_BYTES } from './validate/activity.ts';
export type { Activity } from './validate/activity.ts';
export { MAX_NAME_LENGTH, parseAgentParameter } from './validate/agent.ts';
export type { Actor, Agent, Group } from './validate/agent.ts';
export { instantBound, isIri, isSupportedVersion, isUuid, parseTimestamp, timestampProblem } from './validate/formats.ts';
export { VOIDED_VERB, parseStatementBody } from './validate/statement.ts';
export type { Statement } from './validate/statement.ts';
