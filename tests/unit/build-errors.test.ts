import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const fixture = (p: string) => new URL(`../fixtures/${p}`, import.meta.url).pathname;

/** Run Astro's content sync (the build's first step) over a content tree holding one file. */
function syncWith(relativePath: string, fixturePath: string) {
  const dir = mkdtempSync(join(tmpdir(), 'dce-content-'));
  mkdirSync(join(dir, relativePath, '..'), { recursive: true });
  copyFileSync(fixture(fixturePath), join(dir, relativePath));
  const run = spawnSync('npx', ['astro', 'sync'], { env: { ...process.env, CONTENT_DIR: dir }, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}`, file: join(dir, relativePath) };
}

// Each case runs `astro sync` in a child process: seconds, more on a loaded machine.
describe('a malformed content file fails the build', { timeout: 120_000 }, () => {
  it('names the lesson file and the misspelt field', () => {
    const { status, output, file } = syncWith('en/lessons/understanding-the-convention/broken.mdx', 'malformed/lesson-typo.mdx');
    expect(status).not.toBe(0);
    expect(output).toContain('InvalidContentEntryDataError');
    expect(output).toContain(file);
    expect(output).toContain('objectivs');
  });
  it('names the quiz file and the missing translation', () => {
    const { status, output, file } = syncWith('quizzes/broken.yaml', 'malformed/quiz-missing-spanish.yaml');
    expect(status).not.toBe(0);
    expect(output).toContain('InvalidContentEntryDataError');
    expect(output).toContain(file);
    expect(output).toMatch(/questions\.0\.prompt\.es/);
  });
});
