import fc from 'fast-check';

// Fixed seed in CI so a failure reproduces; locally a fresh seed each run finds more.
// fast-check prints the seed, the path and the shrunk counterexample on failure.
fc.configureGlobal({
  seed: process.env.CI ? 20261122 : undefined,
  numRuns: Number(process.env.PLANAGER_RUNS ?? (process.env.CI ? 200 : 100)),
  verbose: 1,
});
