import { defineConfig } from 'vitest/config';

// One runner for the whole project, two projects: `unit` (the SDK, exporter, CLI pieces, fast and runtime-sensitive:
// run on Node 20 and Node 24) and `integration` (real Prometheus, promtool, Alertmanager, Chromium, child processes
// and the packed tarball: run once). Files run in forked processes so one file's GC and memory figures do not leak
// into another; --expose-gc lets tests measure retained memory the way users' memory tests do.
const shared = {
  pool: 'forks' as const,
  execArgv: ['--expose-gc'],
  testTimeout: 30_000,
  hookTimeout: 120_000,
  globalSetup: ['test/global-setup.ts'],
};

export default defineConfig({
  test: {
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.d.ts'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: { lines: 80, branches: 70, functions: 80, statements: 80 },
    },
    projects: [
      { test: { ...shared, name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/integration/**'] } },
      { test: { ...shared, name: 'integration', include: ['test/integration/**/*.test.ts'] } },
    ],
  },
});
