/**
 * The LRS address and the site's public credential, as the built pages give them to the
 * browser. Read at build time from the environment (the same variables the LRS reads, so that
 * `npm start` needs no configuration):
 * - PUBLIC_LRS_ENDPOINT: the LRS's xAPI base URL, absolute or relative to the site; default "/xapi/".
 * - LRS_WRITE_KEY / LRS_WRITE_SECRET: the write-only credential; defaults "site" / "site-write-secret".
 * This credential is public by design (it is in every page); the LRS lets it write statements only.
 * @returns endpoint, and auth as an HTTP Basic Authorization header value (RFC 7617)
 */
export function lrsClientSettings(env: Record<string, string | undefined> = process.env): { endpoint: string; auth: string } {
  const endpoint = env['PUBLIC_LRS_ENDPOINT'] ?? '/xapi/';
  const key = env['LRS_WRITE_KEY'] ?? 'site';
  const secret = env['LRS_WRITE_SECRET'] ?? 'site-write-secret';
  return { endpoint, auth: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}` };
}
