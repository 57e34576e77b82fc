import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    // Fails the run when the user's ~/.task, ~/.taskrc or Neovim config appears (test/helpers/home-guard.ts).
    globalSetup: ['test/helpers/home-guard.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // e2e tests start real Neovim and task processes; two cores here.
    maxWorkers: 2,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
