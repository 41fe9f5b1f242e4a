import { defineConfig } from 'vitest/config';

// One runner for the whole project. Tests run in forked processes so that GC and memory figures of one file do not
// leak into another; `--expose-gc` lets tests measure retained memory the way users' own memory tests will.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    execArgv: ['--expose-gc'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default'] : ['default'],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.d.ts'],
      reporter: ['text-summary', 'json-summary'],
    },
  },
});
