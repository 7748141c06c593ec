import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Find Debian's Chromium for the browser tests, installing it with apt when running as root.
 * Playwright cannot download its own browsers on these machines (no network but the package
 * registries), so the system package is used: /usr/bin/chromium, or CHROMIUM_PATH.
 * @returns the path to the Chromium executable
 * @throws Error with the exact command to run when Chromium is missing and cannot be installed
 */
export function ensureChromium(): string {
  const path = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  if (existsSync(path)) return path;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || process.env['CHROMIUM_PATH'])
    throw new Error(
      `Chromium was not found at ${path}. Install Debian's package: sudo apt-get update && sudo apt-get install -y chromium (or set CHROMIUM_PATH).`,
    );
  console.log("Chromium not found: installing Debian's chromium with apt-get (needs a minute)...");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  if (!existsSync(path)) throw new Error(`apt-get installed chromium but ${path} does not exist`);
  return path;
}
