// Bundles with esbuild: one file per entry point, so Neovim starts the host (and the shell
// the CLI) without resolving a module graph at run time.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node18', format: 'esm', sourcemap: 'linked', logLevel: 'warning' };
// Bundled CommonJS dependencies (the neovim client) need a require in ESM output.
const banner = { js: "import { createRequire as __planagerRequire } from 'node:module'; const require = __planagerRequire(import.meta.url);" };

const entries = [
  { in: 'index.ts', out: 'dist/index.js' },
  { in: 'cli/bin.ts', out: 'dist/cli.js', shebang: true },
  { in: 'bench/main.ts', out: 'dist/bench.js', dev: true },
];
if (existsSync('rplugin/host.ts')) entries.push({ in: 'rplugin/host.ts', out: 'dist/host.js' });

await Promise.all(
  entries.map((e) =>
    build({
      ...common,
      entryPoints: [e.in],
      outfile: e.out,
      banner: e.shebang ? { js: '#!/usr/bin/env node\n' + banner.js } : banner,
      // The bench compares against Lezer; the product never loads it.
      external: e.dev ? [] : ['@lezer/*'],
    }),
  ),
);
chmodSync('dist/cli.js', 0o755);
if (!process.argv.includes('--no-types')) {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
