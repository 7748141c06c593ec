import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

// Prints the gzip bytes a first visit to a built page downloads before any interaction: the
// HTML, its stylesheets, and its scripts with their static imports (islands included, since a
// learner scrolls to the quiz). Dynamic imports (the xAPI client, loaded when a statement is
// sent) are listed apart. Usage: npm run bench:weight [-- /en/modules/x/y/ ...] after a build.

const dist = 'dist';
const pages = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['/en/', '/en/modules/understanding-the-convention/', '/en/modules/understanding-the-convention/objectives-and-principles/'];

const gz = (path: string) => gzipSync(readFileSync(path)).length;
const local = (url: string) => join(dist, url.split('?')[0]!);

function scriptGraph(entry: string, seen: Set<string>, lazy: Set<string>): void {
  if (seen.has(entry) || !existsSync(local(entry))) return;
  seen.add(entry);
  const code = readFileSync(local(entry), 'utf8');
  const dir = entry.slice(0, entry.lastIndexOf('/') + 1);
  for (const m of code.matchAll(/(?:import|export)\s*(?:[^'"()]*?from\s*)?["']([^"']+\.js)["']/g)) scriptGraph(new URL(m[1]!, `http://x${dir}`).pathname, seen, lazy);
  for (const m of code.matchAll(/import\(\s*["'`]([^"'`]+\.js)["'`]\s*\)/g)) lazy.add(new URL(m[1]!, `http://x${dir}`).pathname);
}

for (const page of pages) {
  const file = join(dist, page, 'index.html');
  const html = readFileSync(file, 'utf8');
  const css = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)].map((m) => m[1]!);
  const entries = [
    ...[...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/(?:component-url|renderer-url)="([^"]+)"/g)].map((m) => m[1]!),
  ];
  const seen = new Set<string>();
  const lazy = new Set<string>();
  entries.forEach((e) => scriptGraph(e, seen, lazy));
  const js = [...seen];
  const lazyOnly = [...lazy].filter((l) => !seen.has(l));
  const sum = (files: string[]) => files.reduce((n, f) => n + gz(local(f)), 0);
  const htmlBytes = gz(file);
  const cssBytes = sum(css);
  const jsBytes = sum(js);
  console.log(`${page}`);
  console.log(`  HTML ${htmlBytes} B gz, CSS ${cssBytes} B gz (${css.length} files), JS ${jsBytes} B gz (${js.length} files)`);
  console.log(`  total before interaction: ${htmlBytes + cssBytes + jsBytes} B gz; loaded on first statement: ${sum(lazyOnly)} B gz (${lazyOnly.length} files)`);
}
