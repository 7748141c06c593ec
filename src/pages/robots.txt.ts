import type { APIRoute } from 'astro';
import { SITEMAP_INDEX, disallowedPaths } from '../lib/indexing.ts';

/**
 * /robots.txt: every crawler may read the site except the paths of src/lib/indexing.ts
 * (disallowedPaths: the LRS, the server API, the review and trainer pages), and the sitemap's
 * address, absolute on the site's public address (SITE_URL, astro.config.mjs).
 * Source: RFC 9309 (Robots Exclusion Protocol); sitemaps.org ("Specifying the Sitemap location in
 * your robots.txt file").
 */
export const GET: APIRoute = ({ site }) => {
  const lines = [
    'User-agent: *',
    ...disallowedPaths().map((path) => `Disallow: ${path}`),
    '',
    `Sitemap: ${new URL(SITEMAP_INDEX, site).href}`,
  ];
  return new Response(`${lines.join('\n')}\n`, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
};
