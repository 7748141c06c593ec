import { readBuildEnvironment } from '../config/env.ts';

/**
 * The LRS address the built pages give to the browser, read at build time from
 * PUBLIC_LRS_ENDPOINT (with the environment schema of src/config/env.ts): the LRS's xAPI base URL,
 * absolute or relative to the site; default "/xapi/".
 * No credential is built into any page: each learner gets their own from the site's server
 * (POST /api/learners, src/lib/xapi/credential.ts), and a trainer types theirs in the trainer page.
 * @returns the endpoint
 * @throws Error naming HOST or PORT when the build's environment is not valid
 */
export function lrsClientSettings(env: Record<string, string | undefined> = process.env): { endpoint: string } {
  return { endpoint: readBuildEnvironment(env).lrsEndpoint };
}
