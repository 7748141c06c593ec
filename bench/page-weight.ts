import { readCommandLine } from '../scripts/cli.ts';
import { weighPage, weighSearch } from './weights.ts';

// Prints the gzip bytes a first visit downloads (HTML, CSS, scripts) for a lesson with a quiz,
// a module overview and the home page in every language, and the search index per language.
// Usage, after a build: npm run bench:weight [-- /en/some/page/ ...]

const { positionals } = readCommandLine(
  {
    name: 'npm run bench:weight',
    usage: `usage: npm run bench:weight [-- /en/some/page/ ...]

After a build (dist/): the gzip bytes a first visit downloads (HTML, CSS, scripts) for each page
given (default: the home page, a module and a lesson in every language), and of the search index.

options:
  --help   print this and exit`,
  },
  { allowPositionals: true, options: {} },
);
const pages = positionals.length
  ? positionals
  : ['en', 'fr', 'es'].flatMap((l) => [`/${l}/`, `/${l}/modules/understanding-the-convention/`, `/${l}/modules/understanding-the-convention/objectives-and-principles/`]);

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log('page | HTML | CSS | JS before interaction | total | + xAPI client on first statement');
for (const page of pages) {
  const w = weighPage('dist', page);
  console.log(`${page} | ${kb(w.html)} | ${kb(w.css)} | ${kb(w.js)} (${w.scripts.length} files) | ${kb(w.html + w.css + w.js)} | ${kb(w.lazyJs)}`);
}
for (const lang of ['en', 'fr', 'es']) {
  const s = weighSearch('dist', lang);
  console.log(`search ${lang}: index ${kb(s.index)} gz; all text shards ${kb(s.texts)} gz`);
}
