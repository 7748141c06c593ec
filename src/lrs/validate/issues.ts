import type { z } from 'zod';

// How validation problems are told to the client: the JSON path of each, at most five.

const MAX_REPORTED_ISSUES = 5;

/**
 * Whether a JSON value nests deeper than `limit`, checked without recursion (before zod, whose
 * recursion a deep value would exhaust).
 * @param value any JSON value
 * @param limit the most levels allowed, e.g. MAX_DEPTH of src/lrs/strict-json.ts
 * @returns true when deeper
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (item.value === null || typeof item.value !== 'object') {
      continue;
    }
    if (item.depth >= limit) {
      return true;
    }
    for (const child of Object.values(item.value)) {
      pending.push({ value: child, depth: item.depth + 1 });
    }
  }
  return false;
}

/**
 * The message of a 400 answer to invalid input: up to MAX_REPORTED_ISSUES problems, each as the
 * JSON path at fault and the rule, e.g. `statements[1].actor.mbox: must be a mailto IRI`.
 * @param label how the input is named, e.g. `statement`, `statements` or `agent`
 * @param error zod's error
 * @param input the input validated, to tell a missing property from a wrong one
 * @returns the problems joined by "; "
 */
export function describeIssues(label: string, error: z.ZodError, input: unknown): string {
  return error.issues
    .slice(0, MAX_REPORTED_ISSUES)
    .map((issue) => describeIssue(label, issue, input))
    .join('; ');
}

function describeIssue(label: string, issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${formatPath(label, [...issue.path, key])}: is not a property xAPI allows here`).join('; ');
    case 'invalid_key':
      return `${formatPath(label, issue.path)}: key ${issue.issues[0]?.message ?? 'is invalid'}`;
    case 'invalid_type':
      if (isMissing(input, issue.path)) {
        return `${formatPath(label, issue.path)}: is required`;
      }
      return `${formatPath(label, issue.path)}: expected ${issue.expected}`;
    default:
      return `${formatPath(label, issue.path)}: ${issue.message}`;
  }
}

/** Whether the property at `path` is absent from the input (rather than present and wrong). */
function isMissing(input: unknown, path: readonly PropertyKey[]): boolean {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !(key in value)) {
      return true;
    }
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value === undefined;
}

function formatPath(label: string, path: readonly PropertyKey[]): string {
  let text = label;
  for (const key of path) {
    if (typeof key === 'number') {
      text += `[${key}]`;
    } else {
      const name = String(key);
      text += /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
    }
  }
  return text;
}
