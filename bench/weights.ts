import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** What a first visit to a built page downloads, in gzip bytes. */
export interface PageWeight {
  html: number;
  css: number;
  /** Scripts loaded without interaction: entry scripts, islands and their static imports. */
  js: number;
  /** Scripts imported dynamically by those (the xAPI client, loaded when a statement is sent). */
  lazyJs: number;
  /** Script paths counted in `js`. */
  scripts: string[];
}

const gz = (path: string) => gzipSync(readFileSync(path)).length;

/**
 * Weigh a built page as a first visit fetches it: the HTML, its stylesheets, and its scripts
 * with their static imports (islands included); dynamic imports are counted apart.
 * @param dist the build folder, e.g. "dist"
 * @param page a page path, e.g. "/en/modules/x/y/"
 * @throws Error when the page is not in the build
 */
export function weighPage(dist: string, page: string): PageWeight {
  const local = (url: string) => join(dist, url.split('?')[0]!);
  const file = join(dist, page, 'index.html');
  const html = readFileSync(file, 'utf8');
  const css = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)].map((m) => m[1]!);
  const entries = [
    ...[...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/(?:component-url|renderer-url)="([^"]+)"/g)].map((m) => m[1]!),
  ];
  const seen = new Set<string>();
  const lazy = new Set<string>();
  const visit = (entry: string): void => {
    if (seen.has(entry) || !existsSync(local(entry))) return;
    seen.add(entry);
    const code = readFileSync(local(entry), 'utf8');
    const base = `http://x${entry.slice(0, entry.lastIndexOf('/') + 1)}`;
    for (const m of code.matchAll(/(?:import|export)\s*(?:[^'"()`]*?from\s*)?["']([^"']+\.js)["']/g)) visit(new URL(m[1]!, base).pathname);
    for (const m of code.matchAll(/import\(\s*["'`]([^"'`]+\.js)["'`]\s*\)/g)) lazy.add(new URL(m[1]!, base).pathname);
  };
  entries.forEach(visit);
  const sum = (files: string[]) => files.reduce((n, f) => n + gz(local(f)), 0);
  return { html: gz(file), css: sum(css), js: sum([...seen]), lazyJs: sum([...lazy].filter((l) => !seen.has(l))), scripts: [...seen] };
}

/**
 * The gzip bytes a first search fetches: the language's index and every text shard (the most
 * a search can fetch).
 */
export function weighSearch(dist: string, lang: string): { index: number; texts: number } {
  const dir = join(dist, lang, 'search-text');
  return { index: gz(join(dist, lang, 'search-index.json')), texts: readdirSync(dir).reduce((n, f) => n + gz(join(dir, f)), 0) };
}
