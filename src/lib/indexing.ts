import { languages } from '../i18n/languages.ts';

/**
 * What search engines may list: the pages of the sitemap (@astrojs/sitemap in astro.config.mjs
 * filters with isListedPage) and the rules of /robots.txt (src/pages/robots.txt.ts). Pages for
 * trainers and reviewers, and pages that only make sense on one device, carry
 * `<meta name="robots" content="noindex">` (BaseLayout's `noindex`) and stay out of the
 * sitemap; tests/e2e/site-conventions.spec.ts checks that the two agree on every built page.
 */

/**
 * Pages kept out of the sitemap, by their path after the language prefix: the review, trainer,
 * continue (one-time code), offline and "not found" pages, and facilitator material: module
 * guides, printable materials and slide decks.
 */
const unlisted: readonly RegExp[] = [
  /^(?:review|trainer|continue|offline|404)\/$/,
  /^modules\/[^/]+\/guide\/$/,
  /^modules\/[^/]+\/materials\/[^/]+\/$/,
  /^modules\/[^/]+\/[^/]+\/present\/$/,
];

/**
 * Whether a built page belongs in the sitemap: an HTML page (its URL ends with "/") under a
 * language prefix, not in `unlisted`. The root "/" is not listed: it only sends the visitor to a
 * language (each page's hreflang x-default names /en/ instead).
 * @param url the page's absolute URL, e.g. "https://example.org/fr/glossary/"
 */
export function isListedPage(url: string): boolean {
  const match = /^\/([a-z]{2})\/(.*)$/.exec(new URL(url).pathname);
  if (!match || !(languages as readonly string[]).includes(match[1]!) || !url.endsWith('/')) return false;
  return !unlisted.some((pattern) => pattern.test(match[2]!));
}

/**
 * The paths /robots.txt disallows for every crawler: the LRS (/xapi/) and the site's server API
 * (/api/), which are no pages, and the review and trainer pages in every language, tools with
 * nothing to read. The other unlisted pages stay crawlable so that their noindex is seen.
 */
export function disallowedPaths(): string[] {
  return ['/xapi/', '/api/', ...languages.flatMap((lang) => [`/${lang}/review/`, `/${lang}/trainer/`])];
}

/** The sitemap's index file at the site's root, as @astrojs/sitemap names it (filenameBase "sitemap"). */
export const SITEMAP_INDEX = 'sitemap-index.xml';
