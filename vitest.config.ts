import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The oracle recorder runs native lua5.4 and rewrites goldens: only via `npm run oracle`.
    exclude: ['test/oracle/**', '**/node_modules/**'],
    // Each Lua script is a child process with its own 60 s kill timer (test/oracle/lua-runner.ts).
    testTimeout: 120_000,
    hookTimeout: 60_000,
    maxConcurrency: 6,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
