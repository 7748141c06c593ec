import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/** A running LRS process (src/lrs/server.ts). */
export interface LrsProcess {
  /** The process. */
  child: ChildProcess;
  /** e.g. "http://127.0.0.1:40123"; the xAPI endpoint is `${origin}/xapi`. */
  origin: string;
  /** SIGTERM, resolved once the process has exited. */
  stop(): Promise<void>;
}

/**
 * A TCP port free on 127.0.0.1 now (the OS picks it).
 * @returns the port number
 */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => done(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/**
 * Start the LRS server as a process of its own on a free port of 127.0.0.1, for benchmarks,
 * the conformance suite and the tests that kill it, and wait until /xapi/about answers.
 * @param env variables to set (e.g. LRS_DB_PATH or LRS_DATABASE_URL, credentials); HOST and
 *   PORT are set here, SITE_ROOT defaults to a folder that does not exist (no site)
 * @param options stdio of the child (default: all ignored); port to use instead of a free one
 * @returns the running process
 * @throws Error when the process exits or does not answer within 20 s (it is then killed)
 */
export async function startLrs(env: Record<string, string>, options: { stdio?: StdioOptions; port?: number } = {}): Promise<LrsProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [join(root, 'src/lrs/server.ts')], {
    cwd: root,
    env: { ...process.env, SITE_ROOT: join(root, 'no-site'), ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: options.stdio ?? 'ignore',
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null) {
      throw new Error(`the LRS exited with code ${child.exitCode}`);
    }
    try {
      if ((await fetch(`${origin}/xapi/about`)).ok) {
        return {
          child,
          origin,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) {
                done();
                return;
              }
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        };
      }
    } catch {
      // not listening yet
    }
    await new Promise((wait) => setTimeout(wait, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the LRS did not answer at ${origin}/xapi/about within 20 s`);
}
