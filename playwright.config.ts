import { defineConfig } from '@playwright/test';

// Browser tests run against the built site served by the real LRS process (never the dev
// server), in Debian's Chromium (docs/stack-notes.md, "Chromium"). The server gets its own port and a
// fresh SQLite file per run so tests never see a developer's data.
const port = Number(process.env['E2E_PORT'] ?? 4399);
export const baseURL = `http://127.0.0.1:${port}`;
export const e2eDb = process.env['E2E_DB'] ?? './data/e2e.sqlite';
/** The built site the server serves: ./dist, or E2E_SITE_ROOT (a build made with --outDir). */
export const e2eSiteRoot = process.env['E2E_SITE_ROOT'] ?? './dist';

export default defineConfig({
  testDir: 'tests/e2e',
  forbidOnly: !!process.env['CI'],
  retries: 0,
  workers: 1,
  timeout: 60_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL,
    locale: 'en-GB',
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `rm -f ${e2eDb} ${e2eDb}-wal ${e2eDb}-shm && node src/lrs/server.ts`,
    url: `${baseURL}/xapi/about`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      LRS_DB_PATH: e2eDb,
      SITE_ROOT: e2eSiteRoot,
      // The reviewers' read credential the tests read statements with (tests/e2e/helpers.ts
      // readAuth); no credential has a default any more. Loopback only, so a documented secret is allowed.
      LRS_READ_KEY: process.env['LRS_READ_KEY'] ?? 'reviewer',
      LRS_READ_SECRET: process.env['LRS_READ_SECRET'] ?? 'reviewer-read-secret',
      // An administrator's (scope all; tests/e2e/helpers.ts adminAuth), and a plain write-only
      // credential (the review page must refuse it). Both are in DOCUMENTED_SECRETS
      // (src/lrs/configured-credentials.ts): the server takes them on loopback only.
      LRS_ADMIN_KEY: process.env['LRS_ADMIN_KEY'] ?? 'admin',
      LRS_ADMIN_SECRET: process.env['LRS_ADMIN_SECRET'] ?? 'admin-secret',
      LRS_WRITE_KEY: process.env['LRS_WRITE_KEY'] ?? 'site',
      LRS_WRITE_SECRET: process.env['LRS_WRITE_SECRET'] ?? 'site-write-secret',
      // Every browser test's learner comes from 127.0.0.1: more than a workshop's hour of credentials.
      LRS_LEARNERS_PER_HOUR: '10000',
    },
  },
});
