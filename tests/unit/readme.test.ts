import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

describe('README', () => {
  it('lists only commands that exist in package.json', () => {
    const commands = [...readme.matchAll(/`npm (?:run )?([\w:-]+)`/g)].map((m) => m[1]!).filter((c) => c !== 'ci' && c !== 'run');
    expect(commands.length).toBeGreaterThan(5);
    for (const c of commands) expect(pkg.scripts, `npm ${c}`).toHaveProperty(c);
  });
  it('gives the run and test commands that CI uses', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
    expect(readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8')).toMatch(/^npm test$/m);
  });
});
