import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCommandLine } from '../scripts/cli.ts';
import { isLanguage } from '../src/i18n/languages.ts';

// Build time and peak memory of the whole site, then of the site with its content doubled
// (every lesson copied under a new slug), to check that doubling the content does not more than
// double the time. Prints pages per second. Usage: npm run bench:build

readCommandLine(
  {
    name: 'npm run bench:build',
    usage: `usage: npm run bench:build

Build time, pages per second and peak memory of the site, then of the site with its content
doubled (into temporary folders; dist/ is not touched).

options:
  --help   print this and exit`,
  },
  { options: {} },
);

function build(contentDir: string, outDir: string): { seconds: number; pages: number; peakMb: number } {
  const start = process.hrtime.bigint();
  // GNU time reports the peak resident memory of the build and its children.
  const run = spawnSync('/usr/bin/time', ['-f', '%M', 'npx', 'astro', 'build', '--outDir', outDir], {
    env: { ...process.env, CONTENT_DIR: contentDir },
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`build failed:\n${run.stderr.slice(-2000)}`);
  const pages = Number(/(\d+) page\(s\) built/.exec(run.stdout + run.stderr)?.[1] ?? 0);
  const peakKb = Number(run.stderr.trim().split('\n').at(-1));
  return { seconds, pages, peakMb: Math.round(peakKb / 1024) };
}

function doubled(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dce-double-'));
  cpSync(source, dir, { recursive: true });
  for (const lang of readdirSync(dir).filter((d) => isLanguage(d))) {
    const lessons = join(dir, lang, 'lessons');
    for (const module of readdirSync(lessons)) {
      const folder = join(lessons, module);
      if (!statSync(folder).isDirectory()) continue;
      for (const file of readdirSync(folder)) cpSync(join(folder, file), join(folder, file.replace(/\.mdx$/, '-copy.mdx')));
    }
  }
  return dir;
}

const out = mkdtempSync(join(tmpdir(), 'dce-build-'));
const source = process.env['CONTENT_DIR'] ?? './content';
const base = build(source, join(out, 'a'));
const twiceDir = doubled();
const twice = build(twiceDir, join(out, 'b'));
rmSync(twiceDir, { recursive: true, force: true });
rmSync(out, { recursive: true, force: true });
const line = (label: string, r: typeof base) =>
  `${label}: ${r.pages} pages in ${r.seconds.toFixed(1)} s (${(r.pages / r.seconds).toFixed(1)} pages/s), peak memory ${r.peakMb} MB`;
console.log(line('site', base));
console.log(line('content doubled', twice));
console.log(
  `time ratio ${(twice.seconds / base.seconds).toFixed(2)} for ${(twice.pages / base.pages).toFixed(2)}x the pages (targets: under 120 s, under 2048 MB, ratio at most 2)`,
);
