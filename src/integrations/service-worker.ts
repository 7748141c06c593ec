import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { generateSW } from 'workbox-build';
import { isLanguage } from '../i18n/languages.ts';
import { cacheNames } from '../lib/cache-names.ts';

/**
 * The pages of a learner's path, relative to the build folder: each language's home page and
 * glossary, module overviews, lessons and final assessments. Not the facilitator guides and
 * handouts, slides, search, trainer, review or continue pages.
 */
function learnerPages(dist: string): string[] {
  const pages: string[] = [];
  const add = (path: string) => existsSync(join(dist, path)) && pages.push(path);
  for (const lang of readdirSync(dist).filter((d) => isLanguage(d))) {
    add(`${lang}/index.html`);
    add(`${lang}/glossary/index.html`);
    const modules = join(dist, lang, 'modules');
    if (!existsSync(modules)) continue;
    for (const module of readdirSync(modules)) {
      add(`${lang}/modules/${module}/index.html`);
      if (!existsSync(join(modules, module, 'index.html'))) continue;
      for (const page of readdirSync(join(modules, module)))
        if (page !== 'guide' && page !== 'handout') add(`${lang}/modules/${module}/${page}/index.html`);
    }
  }
  return pages;
}

/**
 * The built scripts and styles a learner's path needs, relative to the build folder: those its
 * pages load (entry scripts, islands, stylesheets) and everything they import, statically or on
 * demand (the xAPI client, the final assessment's client), so that a downloaded module works
 * offline. The QR code library is left out: it draws a one-time code from the server, which
 * needs the network anyway.
 */
export function learnerAssets(dist: string): string[] {
  const isQrCode = (path: string) => readFileSync(join(dist, path), 'utf8').includes('cannot contain this amount of data');
  const found = new Set<string>();
  const visit = (url: string): void => {
    const path = url.split(/[?#]/)[0]!.replace(/^\//, '');
    if (found.has(path) || !path.startsWith('_astro/') || !existsSync(join(dist, path))) return;
    if (path.endsWith('.js') && isQrCode(path)) return;
    found.add(path);
    if (!path.endsWith('.js')) return;
    const code = readFileSync(join(dist, path), 'utf8');
    const here = posix.dirname(`/${path}`);
    for (const m of code.matchAll(
      /(?:import|export)\s*(?:[^'"()`]*?from\s*)?["']([^"']+\.js)["']|import\(\s*["'`]([^"'`]+\.js)["'`]\s*\)/g,
    )) {
      visit(posix.resolve(here, (m[1] ?? m[2])!));
    }
  };
  for (const page of learnerPages(dist)) {
    const html = readFileSync(join(dist, page), 'utf8');
    for (const m of html.matchAll(/(?:src|href|component-url|renderer-url)="(\/_astro\/[^"]+)"/g)) visit(m[1]!);
  }
  return [...found].sort();
}

/**
 * Generate the service worker with Workbox after every build (dist/sw.js). It precaches only
 * what a learner's path needs (learnerAssets: the scripts and styles of lessons, modules and
 * assessments; the SVG icon; the offline pages), so that a first visit stays light on metered data
 * (issue 13; bench/page-weight.ts); every page a learner opens is kept for offline reading (network first, cache when
 * the network fails or is slow), and a page never saved opens the site's offline page in the
 * address's language (src/pages/[lang]/offline.astro, precached); the other built scripts (trainer, review, slides, search) are
 * cached when first used (cache first: their names change with their content), and the search
 * index once fetched. The LRS (/xapi/) is never cached: statements go through the
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
          // No web app manifest and no PNG icon (src/lib/icons.ts): a phone installs the site
          // online, fetching its language's manifest and the icons it lists then. Precached, the
          // smallest PNG icon alone (2.5 KB) would take a first visit over its 150 KB goal
          // (docs/deploy.md, "Icons").
          globPatterns: [...learnerAssets(globDirectory), 'favicon.svg', '*/offline/index.html'],
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
              options: {
                cacheName: cacheNames.pages,
                networkTimeoutSeconds: 5,
                matchOptions: { ignoreSearch: true },
                // A page never saved, and no network: the site's offline page in the language of
                // the address (its first segment), else English (the registry's source language). Workbox
                // serialises this function into sw.js, so it uses nothing from this file: any first
                // segment is tried, and only the registry's languages have an offline page. The
                // precache keeps the page under a revision query, hence ignoreSearch.
                plugins: [
                  {
                    handlerDidError: async ({ request }: { request: Request }) => {
                      const lang = /^\/([a-z]{2,3})\//.exec(new URL(request.url).pathname)?.[1] ?? 'en';
                      return (
                        (await caches.match(`/${lang}/offline/index.html`, { ignoreSearch: true })) ??
                        (await caches.match('/en/offline/index.html', { ignoreSearch: true })) ??
                        undefined
                      );
                    },
                  },
                ],
              },
            },
            {
              urlPattern: ({ url }) => url.pathname.startsWith('/_astro/'),
              handler: 'CacheFirst',
              options: { cacheName: cacheNames.assets },
            },
            {
              // Serialised too: any language folder (only the registry's have a search index).
              urlPattern: ({ url }) => /^\/[a-z]{2,3}\/search-(index|text\/[\w-]+)\.json$/.test(url.pathname),
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
