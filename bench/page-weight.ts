import { readCommandLine } from '../scripts/cli.ts';
import { languages } from '../src/i18n/languages.ts';
import { firstVisit, parts } from './first-visit.ts';
import { startServer } from './server.ts';
import { weighPage, weighSearch } from './weights.ts';

// What a learner's first visit to a lesson with a quiz downloads, measured in real Chromium
// (bench/first-visit.ts): the page, the quiz island, the learner's credential, the xAPI client
// and records, and the service worker with its precache; printed beside the 150 KB goal
// (issue 13). Then the gzip bytes of each built page's own files and of the search index.
// Usage, after a build: npm run bench:weight [-- --site DIR] [-- /en/some/lesson/ ...]

const GOAL_KB = 150;
const { values, positionals } = readCommandLine(
  {
    name: 'npm run bench:weight',
    usage: `usage: npm run bench:weight [-- --site DIR] [-- /en/some/lesson/ ...]

After a build: everything a learner's first visit to a lesson with a quiz downloads, measured in
Chromium (page, quiz island, credential, xAPI client and records, service worker and its
precache), in transferred bytes beside the ${GOAL_KB} KB goal; then the gzip bytes of the built
HTML, CSS and scripts of each page, and of the search index.

arguments:
  lesson paths   lessons with a quiz to visit (default: objectives-and-principles in en, fr, es)

options:
  --site DIR     the built site (default dist)
  --help         print this and exit`,
  },
  { allowPositionals: true, options: { site: { type: 'string', default: 'dist' } } },
);
const site = values.site;
const lessons = positionals.length
  ? positionals
  : languages.map((l) => `/${l}/modules/understanding-the-convention/objectives-and-principles/`);

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const server = await startServer(4506, site);
try {
  for (const lesson of lessons) {
    const downloads = await firstVisit(server.url, lesson);
    const sum = (list: typeof downloads, f: (d: (typeof downloads)[number]) => number) => list.reduce((n, d) => n + f(d), 0);
    const total = sum(downloads, (d) => d.bytes);
    const bodies = sum(downloads, (d) => d.bytes - d.headers);
    const verdict = (n: number) => (n <= GOAL_KB * 1024 ? 'goal met' : `over the goal by ${kb(n - GOAL_KB * 1024)}`);
    console.log(`\nfirst visit to ${lesson} in Chromium (transferred bytes; bodies as the server compressed them)`);
    console.log('part | bodies | headers | transferred | responses');
    for (const part of parts) {
      const mine = downloads.filter((d) => d.part === part);
      console.log(
        `${part} | ${kb(sum(mine, (d) => d.bytes - d.headers))} | ${kb(sum(mine, (d) => d.headers))} | ${kb(sum(mine, (d) => d.bytes))} | ${mine.length}`,
      );
    }
    console.log(`total | ${kb(bodies)} | ${kb(total - bodies)} | ${kb(total)} | ${downloads.length}`);
    console.log(`goal ${GOAL_KB} KB: compressed bodies ${kb(bodies)}, ${verdict(bodies)}; with headers ${kb(total)}, ${verdict(total)}`);
    if (process.env['BENCH_VERBOSE']) for (const d of downloads) console.log(`  ${d.by} ${d.part} ${d.url} ${kb(d.bytes)}`);
  }
} finally {
  server.stop();
}

console.log('\nbuilt files per page, gzip');
console.log('page | HTML | CSS | JS before interaction | total | + xAPI client on first statement');
const pages = languages.flatMap((l) => [
  `/${l}/`,
  `/${l}/modules/understanding-the-convention/`,
  ...lessons.filter((p) => p.startsWith(`/${l}/`)),
]);
for (const page of pages) {
  const w = weighPage(site, page);
  console.log(
    `${page} | ${kb(w.html)} | ${kb(w.css)} | ${kb(w.js)} (${w.scripts.length} files) | ${kb(w.html + w.css + w.js)} | ${kb(w.lazyJs)}`,
  );
}
for (const lang of languages) {
  const s = weighSearch(site, lang);
  console.log(`search ${lang}: index ${kb(s.index)} gz; all text shards ${kb(s.texts)} gz`);
}
