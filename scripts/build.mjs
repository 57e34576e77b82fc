// Bundles with esbuild: one file per entry point, so Neovim starts the host (and the shell
// the CLI) without resolving a module graph at run time.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node18', format: 'esm', sourcemap: 'linked', logLevel: 'warning' };
// Bundled CommonJS dependencies (the neovim client) need a require in ESM output.
const banner = { js: "import { createRequire as __planagerRequire } from 'node:module'; const require = __planagerRequire(import.meta.url);" };

// The neovim client requires winston (and with it ~300 KB of logging code) for a default
// logger; the host always passes its own, so the client's logger module is a no-op here.
const noWinston = {
  name: 'no-winston',
  setup(b) {
    b.onResolve({ filter: /\/utils\/logger(\.js)?$/ }, (a) =>
      a.importer.includes('node_modules/neovim/') ? { path: 'neovim-logger', namespace: 'stub' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: 'const quiet = { info() {}, warn() {}, error() {}, debug() {}, level: "error" }; exports.getLogger = () => quiet;',
      loader: 'js',
    }));
  },
};

// dist/cli.cjs is the entry alone (Node built-ins: a quiet `remind` or `sync --remote` answers
// before the rest loads, cli/quiet.ts, cli/remotequiet.ts); it imports dist/main.js, the CLI,
// only when there is work, or dist/driver.js, the merge driver alone (git starts it per note).
// CommonJS: Node starts it ≈10 ms sooner than an ES module (cli/bin.ts).
const mainApart = {
  name: 'main-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/(main|driver)\.js$/ }, (a) =>
      a.importer.endsWith('cli/bin.ts') || a.importer.endsWith('cli/driver.ts') ? { path: a.path, external: true } : undefined,
    );
    // planningrun.ts's way from the sources (no dist/planning.cjs): never taken once built.
    b.onResolve({ filter: /^\.\/planning\.js$/ }, (a) => (a.importer.endsWith('cli/planningrun.ts') ? { path: a.path, external: true } : undefined));
  },
};

// main.js is the router: it imports the commands' code from dist/planning.js (plan, agenda) or
// dist/commands.js (the others) when one runs.
const apart = (importer, names) => ({
  name: 'apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/\w+\.js$/ }, (a) => (a.importer.endsWith(importer) && names.includes(a.path) ? { path: a.path, external: true } : undefined));
  },
});

const entries = [
  { in: 'index.ts', out: 'dist/index.js' },
  {
    in: 'cli/main.ts',
    out: 'dist/main.js',
    plugins: [apart('cli/main.ts', ['./planning.js', './commands.js']), apart('cli/planningrun.ts', ['./planning.js'])],
  },
  { in: 'cli/driver.ts', out: 'dist/driver.js', plugins: [mainApart] },
  { in: 'cli/planning.ts', out: 'dist/planning.js' },
  { in: 'cli/commands.ts', out: 'dist/commands.js' },
  { in: 'bench/main.ts', out: 'dist/bench.js', dev: true },
];

await Promise.all(
  entries.map((e) =>
    build({
      ...common,
      entryPoints: [e.in],
      outfile: e.out,
      banner,
      // The bench compares against Lezer; the product never loads it.
      external: e.dev ? [] : ['@lezer/*'],
      plugins: e.plugins ?? [],
    }),
  ),
);
if (existsSync('rplugin/host.ts')) {
  // The host: dist/host.cjs (rplugin/boot.ts, Node built-ins only) loads two CommonJS bundles
  // through V8's code cache (vm.Script takes a script, not a module): the RPC glue with the
  // neovim client at start, the engine at setup. Minified: less to read and checksum.
  const host = { ...common, format: 'cjs', external: ['@lezer/*'], minify: true, banner: undefined };
  await Promise.all([
    build({ ...host, entryPoints: ['rplugin/host.ts'], outfile: 'dist/host-main.cjs', plugins: [noWinston] }),
    build({ ...host, entryPoints: ['rplugin/engine.ts'], outfile: 'dist/host-engine.cjs' }),
    build({ ...host, entryPoints: ['rplugin/boot.ts'], outfile: 'dist/host.cjs', sourcemap: false, minify: false }),
    // plan and agenda's code, for the CLI to load through the same cache (cli/main.ts).
    build({ ...host, entryPoints: ['cli/planning.ts'], outfile: 'dist/planning.cjs' }),
  ]);
  // Node before 20.8 has no loader to lend vm.Script (rplugin/codecache.ts): an import() left in
  // these bundles would reject there, and only on the path that reaches it (it once hid in the
  // lock's wait). Bundled code has no need of one; a build that keeps one fails here.
  for (const f of ['dist/host-main.cjs', 'dist/host-engine.cjs', 'dist/planning.cjs']) {
    const m = /[^\w.$]import\(\s*["'`][^)]*\)/.exec(readFileSync(f, 'utf8'));
    if (m) throw new Error(`${f} keeps a dynamic ${m[0].slice(1)}: import it statically (it runs through vm.Script)`);
  }
}
await build({
  ...common,
  format: 'cjs',
  entryPoints: ['cli/bin.ts'],
  outfile: 'dist/cli.cjs',
  banner: { js: '#!/usr/bin/env node' },
  inject: ['scripts/import-meta-url.js'],
  define: { 'import.meta.url': 'import_meta_url' },
  plugins: [mainApart],
});
chmodSync('dist/cli.cjs', 0o755);
// The entry's name before it was CommonJS, which merge drivers set up then (git config), links
// and scripts still name: it runs the new one (an ES module importing CommonJS).
writeFileSync('dist/cli.js', "#!/usr/bin/env node\n// The entry is dist/cli.cjs; this name is kept for what was set up with it.\nimport './cli.cjs';\n", {
  mode: 0o755,
});
chmodSync('dist/cli.js', 0o755);
if (!process.argv.includes('--no-types')) {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
