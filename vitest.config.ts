/// <reference types="vitest/config" />
import { getViteConfig } from 'astro/config';

// Through Astro's Vite config so unit tests can render components with the Container API
// (stack notes, pitfall 10). Browser tests are Playwright's (tests/e2e), not vitest's.
export default getViteConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/lrs/**/*.test.ts'],
    pool: 'forks',
  },
});
