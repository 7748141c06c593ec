/// <reference types="vitest/config" />
import { getViteConfig } from 'astro/config';

// Through Astro's Vite config so unit tests can render components with the Container API
// (docs/stack-notes.md, "Vitest through Astro's Vite config"). Browser tests are Playwright's (tests/e2e), not vitest's.
export default getViteConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/lrs/**/*.test.ts'],
    pool: 'forks',
  },
});
