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
    // The unit files first, two at a time (the machine's cores: they compute); then the integration files, five at a
    // time: most of their wall time is spent waiting on real processes (a leak verdict needs its two minutes, a
    // Prometheus its scrapes, a Docker engine its containers), not on the CPU.
    projects: [
      { test: { ...shared, name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/integration/**'], maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { test: { ...shared, name: 'integration', include: ['test/integration/**/*.test.ts'], maxWorkers: 5, sequence: { groupOrder: 1 } } },
    ],
  },
});
