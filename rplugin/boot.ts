/**
 * The host's entry point (dist/host.cjs, what Lua starts). It loads the host's two bundles
 * through V8's code cache, so that a start compiles nothing an earlier start compiled:
 * dist/host-main.cjs (the RPC glue and the neovim client) at once, and dist/host-engine.cjs
 * (the sync engine, parser, graph) when the host asks for it at setup. Node 22+ has
 * module.enableCompileCache for this; Node 18/20 get vm.Script with cachedData. CommonJS, and
 * Node built-ins only, so that nothing is resolved or compiled before the cache is read.
 *
 * The cache lives in $PLANAGER_CACHE (Lua passes stdpath('cache') .. '/planager'), else in a
 * per-user folder under the temp folder: one file per bundle build and Node build (named by
 * the bundle's size and mtime, Node's version and arch), written atomically (temp name, then
 * rename) a few seconds after the bundle ran, so that it holds what a session compiled. Before
 * use it is checked (magic, length, a checksum of the payload: V8 checks only its own header, its
 * version and flags and the source's length, not the payload); V8 may still reject it. A
 * missing, stale or corrupt cache is ignored and replaced; it can never stop the host.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import vm from 'node:vm';

const here = __dirname;
const MAGIC = Buffer.from('PLNGRCC1');

function cacheDir(): string {
  if (process.env.PLANAGER_CACHE) return process.env.PLANAGER_CACHE;
  const { tmpdir, userInfo } = require('node:os') as typeof import('node:os');
  let who = 'user';
  try {
    who = String(userInfo().uid >= 0 ? userInfo().uid : userInfo().username);
  } catch {
    // no passwd entry: one shared name, still in the temp folder
  }
  return join(tmpdir(), `planager-${who}`);
}

/**
 * A 32-bit checksum of the payload, over its 32-bit words (FNV-1a style, with a running sum,
 * and the tail bytes): not zlib.crc32, whose module alone took longer to load (≈2 ms at every
 * start) than this takes over the ≈110 KB cache of the main bundle. It guards against a
 * truncated or damaged file, which V8 would take as it is (it checks no payload checksum).
 */
function checksum(b: Buffer): number {
  if (b.byteOffset & 3) b = Buffer.concat([b]); // a word-aligned copy
  const n = b.length >>> 2;
  const words = new Int32Array(b.buffer, b.byteOffset, n);
  let h = 0x811c9dc5 | 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    h = Math.imul(h ^ words[i], 16777619);
    sum = (sum + h) | 0;
  }
  for (let i = n << 2; i < b.length; i++) h = Math.imul(h ^ b[i], 16777619);
  return (h ^ Math.imul(sum, 0x9e3779b1) ^ b.length) >>> 0;
}

/** The cached payload for this bundle, or undefined when there is none or it does not check out. */
function readCache(file: string): Buffer | undefined {
  try {
    const b = readFileSync(file);
    if (b.length < 16 || !b.subarray(0, 8).equals(MAGIC)) return undefined;
    const len = b.readUInt32LE(8);
    const sum = b.readUInt32LE(12);
    const payload = b.subarray(16);
    if (payload.length !== len || checksum(payload) !== sum) return undefined;
    return payload;
  } catch {
    return undefined;
  }
}

function writeCache(dir: string, file: string, prefix: string, payload: Buffer): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const head = Buffer.alloc(16);
    MAGIC.copy(head, 0);
    head.writeUInt32LE(payload.length, 8);
    head.writeUInt32LE(checksum(payload), 12);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.concat([head, payload]), { mode: 0o600 });
    renameSync(tmp, file);
    // Caches of earlier builds are of no use any more.
    for (const n of readdirSync(dir)) if (n.startsWith(`${prefix}-v`) && n.endsWith('.cache') && join(dir, n) !== file) unlinkSync(join(dir, n));
  } catch {
    // best effort: the next start compiles again
  }
}

const compile = Module as unknown as { enableCompileCache?: (dir: string) => unknown };
let builtin = false;
if (typeof compile.enableCompileCache === 'function') {
  try {
    compile.enableCompileCache(cacheDir());
    builtin = true;
  } catch {
    // no cache: compile as usual
  }
}

type Wrapper = (exports: unknown, require: NodeRequire, module: unknown, filename: string, dirname: string) => void;
const loaded = new Map<string, unknown>();

/** Load one of the host's bundles (dist/NAME) as CommonJS, through the code cache. */
function load(name: string): unknown {
  const have = loaded.get(name);
  if (have) return have;
  const file = join(here, name);
  const req = createRequire(file);
  if (builtin) {
    const exp = req(file);
    loaded.set(name, exp);
    return exp;
  }
  const dir = cacheDir();
  let cache = '';
  let cachedData: Buffer | undefined;
  try {
    const st = statSync(file);
    cache = join(dir, `${name.replace(/\.cjs$/, '')}-${process.version}-${process.arch}-${st.size}-${Math.round(st.mtimeMs)}.cache`);
    cachedData = readCache(cache);
  } catch {
    // unreadable: compiled as usual
  }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  if (cache && (!cachedData || script.cachedDataRejected)) {
    // In idle time, after the first requests compiled what a session uses; never waited for.
    const delay = Number(process.env.PLANAGER_CACHE_DELAY_MS) || 3000;
    setTimeout(() => writeCache(dir, cache, name.replace(/\.cjs$/, ''), script.createCachedData()), delay).unref();
  }
  const m = { exports: {} as unknown };
  (script.runInThisContext() as Wrapper).call(m.exports, m.exports, req, m, file, here);
  loaded.set(name, m.exports);
  return m.exports;
}

(globalThis as { __planagerLoad?: (name: string) => unknown }).__planagerLoad = load;
const t0 = performance.now();
load('host-main.cjs');
// With PLANAGER_TIMING: when (ms since the process started) boot began and the bundle ran.
(globalThis as { __planagerBoot?: number[] }).__planagerBoot = [t0, performance.now()];
