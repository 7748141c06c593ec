import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every command of package.json a person runs (lrs, its credentials subcommand, report,
 * conformance, each bench:*) answers --help with its usage, and an unknown option with one line
 * naming it and exit code 2, never a stack trace (scripts/cli.ts). Each command is spawned as npm
 * runs it, with this test's Node (process.execPath, Node 24 from node_modules/.bin).
 */

const root = resolve(import.meta.dirname, '../..');
const scripts = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The node arguments of an npm script such as "node --expose-gc bench/report.ts". */
function nodeArguments(name: string): string[] {
  const words = (scripts[name] ?? '').split(/\s+/);
  expect(words[0], `npm run ${name} is a node command`).toBe('node');
  return words.slice(1);
}

const commands: Array<{ name: string; args: string[] }> = [
  ...['lrs', 'report', 'conformance', ...Object.keys(scripts).filter((name) => name.startsWith('bench:'))].map((name) => ({
    name,
    args: nodeArguments(name),
  })),
  { name: 'lrs credentials', args: [...nodeArguments('lrs'), 'credentials'] },
];

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    // A port no test uses, so that a command that wrongly starts a server cannot clash.
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, PORT: '4406', LRS_DB_PATH: '/tmp/h6-commands-test/never-created.sqlite' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${args.join(' ')} did not exit within 50 s (did it start something?)\n${stdout}${stderr}`));
    }, 50_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

describe.concurrent('commands', () => {
  it.each(commands)(
    'npm run $name -- --help prints its usage and exits 0 without starting anything',
    async ({ args }) => {
      const { code, stdout, stderr } = await run([...args, '--help']);
      expect(code, stderr).toBe(0);
      expect(stdout).toMatch(/^usage:/i);
      expect(stdout).toContain('--help');
      expect(stdout).not.toMatch(/LRS endpoint|listening/i);
    },
    60_000,
  );

  it.each(commands)(
    'npm run $name -- --bogus answers one line naming the option, exit code 2',
    async ({ args }) => {
      const { code, stdout, stderr } = await run([...args, '--bogus']);
      expect(code, stdout + stderr).toBe(2);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('--bogus');
      expect(stderr).not.toMatch(/^\s+at /m);
    },
    60_000,
  );

  it.each([
    { name: 'report', extra: ['--endpoint', 'http://127.0.0.1:4406/xapi/', '--since', '2026-11-01', '--format', 'xml'], names: '--format' },
    { name: 'report', extra: ['--endpoint', 'http://127.0.0.1:4406/xapi/', '--since', 'last tuesday'], names: '--since' },
    { name: 'bench:report', extra: ['many'], names: '"many"' },
    { name: 'bench:lrs', extra: ['--sizes', '10,x'], names: '--sizes' },
    { name: 'lrs', extra: ['credentials', 'create', 'everything'], names: 'everything' },
  ])(
    'npm run $name with a bad value ($names) answers one line naming it, exit code 2',
    async ({ name, extra, names }) => {
      const { code, stdout, stderr } = await run([...nodeArguments(name), ...extra]);
      expect(code, stdout + stderr).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(names);
    },
    60_000,
  );
});
