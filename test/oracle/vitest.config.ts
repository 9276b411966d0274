// Config for the oracle recorder only (`npm run oracle`); the normal test run excludes test/oracle/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/oracle/record.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 60_000,
  },
});
