import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Proof of the language registry (issue 16): a right-to-left language that the site does not
 * ship, added as docs/languages.md says and nothing more: its entry in the registry
 * (src/i18n/languages.ts), its locale file (locales/ar.json) and content in its folder. The
 * fixture, tests/fixtures/rtl/, holds the three: language.json (the entry), ar.json (the strings
 * the test reads; English fills the rest), and
 * content/ (one module with one lesson, in en, fr, es and ar, and the lesson's quiz with its four
 * languages). The test copies the project's code into a temporary folder, adds the three
 * there, builds the site with `astro build`, and reads the built HTML.
 */

const root = new URL('../../', import.meta.url).pathname;
const fixture = join(root, 'tests/fixtures/rtl');

/** The copy of the project, the build folder, and the build's output (for failure messages). */
let project = '';
let dist = '';
let output = '';

/** Copy what the build reads (not content/: the fixture has its own) and link node_modules entry by entry, so Astro's caches stay in the copy. */
function copyProject(to: string): void {
  for (const item of ['src', 'public', 'locales', 'astro.config.mjs', 'tsconfig.json', 'package.json'])
    cpSync(join(root, item), join(to, item), { recursive: true });
  mkdirSync(join(to, 'node_modules'));
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === '.astro' || entry === '.vite' || entry === '.cache') continue;
    symlinkSync(join(root, 'node_modules', entry), join(to, 'node_modules', entry));
  }
}

/** Add the fixture's registry entry at the end of the registry array of the copy's src/i18n/languages.ts. */
function addRegistryEntry(to: string): void {
  const file = join(to, 'src/i18n/languages.ts');
  const source = readFileSync(file, 'utf8');
  const end = '] as const satisfies readonly LanguageEntry[];';
  expect(source).toContain(end);
  const entry = readFileSync(join(fixture, 'language.json'), 'utf8').trim();
  writeFileSync(file, source.replace(end, `  ${entry},\n${end}`));
}

const html = (path: string) => readFileSync(join(dist, path, 'index.html'), 'utf8');

// One small build (one module, one lesson, four languages): about a minute on a busy machine.
describe('a right-to-left language added through the registry', { timeout: 400_000 }, () => {
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'dce-rtl-'));
    dist = join(project, 'dist');
    copyProject(project);
    addRegistryEntry(project);
    // The fixture's strings are those the test reads; the others are the English ones, so that
    // a string added to the site later does not break this build (a fixture, not a translation).
    const english = JSON.parse(readFileSync(join(root, 'locales/en.json'), 'utf8')) as Record<string, string>;
    const arabic = JSON.parse(readFileSync(join(fixture, 'ar.json'), 'utf8')) as Record<string, string>;
    writeFileSync(join(project, 'locales/ar.json'), JSON.stringify({ ...english, ...arabic }, null, 2));
    const build = spawnSync(process.execPath, [join(project, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', dist], {
      cwd: project,
      env: { ...process.env, CONTENT_DIR: join(fixture, 'content'), BUILD_PDF: '' },
      encoding: 'utf8',
      timeout: 380_000,
    });
    output = `${build.stdout}\n${build.stderr}`;
    if (build.status !== 0) throw new Error(`the build failed (${build.status}):\n${output.slice(-4000)}`);
  }, 400_000);

  afterAll(() => {
    if (project && !process.env['KEEP_RTL']) rmSync(project, { recursive: true, force: true });
  });

  it('builds every page of the language, with <html lang="ar" dir="rtl">', () => {
    for (const page of [
      'ar',
      'ar/modules/understanding-the-convention',
      'ar/modules/understanding-the-convention/fixture-lesson',
      'ar/search',
      'ar/glossary',
    ])
      expect(html(page), page).toMatch(/<html lang="ar" dir="rtl"/);
    expect(html('en')).toMatch(/<html lang="en" dir="ltr"/);
    expect(existsSync(join(dist, 'ar/search-index.json'))).toBe(true);
  });

  it('chooses the Arabic plural form of the count ("few" for 3) and writes the number in Arabic-Indic digits', () => {
    // home.days with count 3: Intl.PluralRules("ar") says "few"; ar-EG digits: ٣.
    expect(html('ar')).toContain('ورشة عمل مدتها ٣ أيام');
    expect(html('en')).toContain('3-day workshop');
  });

  it("writes the lesson length with the language's number format (45 minutes as ٤٥)", () => {
    expect(html('ar/modules/understanding-the-convention')).toContain('٤٥ دقيقة');
  });

  it('offers the language in the language switch, by its own name', () => {
    expect(html('en')).toContain('العربية');
  });
});
