import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Start the real server (site from dist/ and the LRS, fresh SQLite file) on a free port for a
 * benchmark, and resolve once /xapi/about answers.
 * @param port the port, e.g. 4501
 * @param siteRoot the built site to serve (default ./dist; e.g. a build made with --outDir)
 * @returns the base URL and a stop function
 * @throws Error when the server does not answer within 30 s
 */
export async function startServer(port: number, siteRoot = './dist'): Promise<{ url: string; stop: () => void }> {
  const db = join(mkdtempSync(join(tmpdir(), 'dce-bench-')), 'lrs.sqlite');
  const child: ChildProcess = spawn(process.execPath, ['src/lrs/server.ts'], {
    // No credential has a default: the benchmarks' own (bench/report.ts writes and reads with them),
    // documented secrets the server takes on loopback only (src/lrs/configured-credentials.ts).
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LRS_DB_PATH: db,
      SITE_ROOT: siteRoot,
      LRS_WRITE_KEY: 'site',
      LRS_WRITE_SECRET: 'site-write-secret',
      LRS_READ_KEY: 'reviewer',
      LRS_READ_SECRET: 'reviewer-read-secret',
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${url}/xapi/about`)).ok) return { url, stop: () => child.kill('SIGTERM') };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not start on ${url}`);
}

/** Chromium's launch options for benchmarks (Debian's Chromium, as the tests use). */
export const chromiumOptions = {
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};
