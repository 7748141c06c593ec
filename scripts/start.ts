import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// `npm start`: build the site when dist/ is missing or older than its sources, then serve the
// site and the embedded LRS on one address (src/lrs/server.ts), and print where to start.

const sources = ['src', 'content', 'locales', 'public', 'astro.config.mjs', 'package-lock.json'];
const stamp = join('dist', '.build-stamp');
// Variables baked into the pages at build time: a change must trigger a rebuild.
const buildEnv = ['SITE_URL', 'PUBLIC_LRS_ENDPOINT', 'PUBLIC_XAPI_ACTIVITY_BASE', 'HOST', 'PORT']
  .map((k) => `${k}=${process.env[k] ?? ''}`)
  .join('\n');

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

function isStale(): boolean {
  if (!existsSync(stamp)) return true;
  if (readFileSync(stamp, 'utf8') !== buildEnv) return true;
  return Math.max(...sources.map(newest)) > statSync(stamp).mtimeMs;
}

if (isStale()) {
  console.log('Building the site (dist/ is missing or older than its sources)...');
  const build = spawnSync('npx', ['astro', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeFileSync(stamp, buildEnv);
}

const host = process.env['HOST'] ?? '127.0.0.1';
const port = process.env['PORT'] ?? '4321';
const lesson = `http://${host}:${port}/en/modules/understanding-the-convention/objectives-and-principles/`;
const server = spawn(process.execPath, ['src/lrs/server.ts'], { stdio: 'inherit' });
console.log(`\nA lesson to start with: ${lesson}\n(French: /fr/..., Spanish: /es/...; stop with Ctrl+C)\n`);
if (process.env['DISPLAY'] && !process.env['CI'])
  spawn('xdg-open', [lesson], { stdio: 'ignore', detached: true })
    .on('error', () => {})
    .unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
