import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { generateSW } from 'workbox-build';

/** The Cache Storage names the site uses; the module download button writes into `pages`. */
export const cacheNames = { pages: 'dce-pages', search: 'dce-search' } as const;

/**
 * Generate the service worker with Workbox after every build (dist/sw.js). It precaches the
 * site shell (scripts, styles, icons, manifests, home and 404 pages), keeps every page a learner
 * opens for offline reading (network first, cache when the network fails or is slow), and caches
 * the search index once fetched. The LRS (/xapi/) is never cached: statements go through the
 * outbox, which keeps them until the LRS acknowledges them.
 * Source: Workbox generateSW (workbox-build 7).
 */
export function serviceWorker(): AstroIntegration {
  return {
    name: 'dce-service-worker',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const globDirectory = fileURLToPath(dir);
        const { count, size, warnings } = await generateSW({
          globDirectory,
          globPatterns: ['_astro/**/*.{js,css}', 'favicon.svg', 'icon-*.png', '*/manifest.webmanifest', '{en,fr,es}/index.html', '{en,fr,es}/404/index.html'],
          swDest: `${globDirectory}sw.js`,
          skipWaiting: true,
          clientsClaim: true,
          cleanupOutdatedCaches: true,
          // Hashed file names make these URLs unique per version: no cache-busting query needed.
          dontCacheBustURLsMatching: /^_astro\//,
          runtimeCaching: [
            {
              urlPattern: ({ request, url }) => request.mode === 'navigate' && !url.pathname.startsWith('/xapi/'),
              handler: 'NetworkFirst',
              options: { cacheName: cacheNames.pages, networkTimeoutSeconds: 5, matchOptions: { ignoreSearch: true } },
            },
            {
              urlPattern: ({ url }) => /^\/(en|fr|es)\/search-(index|text\/[\w-]+)\.json$/.test(url.pathname),
              handler: 'StaleWhileRevalidate',
              options: { cacheName: cacheNames.search },
            },
          ],
        });
        for (const w of warnings) logger.warn(w);
        logger.info(`service worker: ${count} files precached (${Math.round(size / 1024)} KiB)`);
      },
    },
  };
}
