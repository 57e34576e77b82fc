/**
 * Loading a CommonJS bundle through V8's code cache, so that a start compiles nothing an earlier
 * start compiled (the host's bundles, rplugin/boot.ts; `planager plan` and `agenda`'s, cli/main.ts).
 * Node 22+ has module.enableCompileCache for this; Node 18/20 get vm.Script with cachedData.
 * Node built-ins only, so that nothing is resolved or compiled before the cache is read.
 *
 * The cache lives in $PLANAGER_CACHE (Lua passes stdpath('cache') .. '/planager'), else in a
 * per-user folder under the temp folder: one file per bundle build and Node build (named by
 * the bundle's size and mtime, Node's version and arch), written atomically (temp name, then
 * rename) after the bundle ran, so that it holds what the run compiled. Before use it is
 * checked (magic, length, a checksum of the payload: V8 checks only its own header, its
 * version and flags and the source's length, not the payload); V8 may still reject it. A
 * missing, stale or corrupt cache is ignored and replaced; it can never stop a start.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import vm from 'node:vm';
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
let builtin: boolean | null = null;

/** Node 22+'s own compile cache, turned on once; false on Node 18/20 (vm.Script then). */
function builtinCache(): boolean {
  if (builtin !== null) return builtin;
  builtin = false;
  if (typeof compile.enableCompileCache === 'function') {
    try {
      compile.enableCompileCache(cacheDir());
      builtin = true;
    } catch {
      // no cache: compile as usual
    }
  }
  return builtin;
}

type Wrapper = (exports: unknown, require: NodeRequire, module: unknown, filename: string, dirname: string) => void;

export interface LoadOptions {
  /**
   * When to save a new cache: this many ms after the bundle ran (a resident process, in idle
   * time, never waited for), or 'exit' (a command: as the process ends, once, what it compiled).
   */
  saveAfterMs: number | 'exit';
}

/** Run the CommonJS bundle at `file` (an absolute path) through the code cache; its exports. */
export function loadCommonJs(file: string, opts: LoadOptions): unknown {
  const req = createRequire(file);
  if (builtinCache()) return req(file);
  const dir = cacheDir();
  const name = basename(file).replace(/\.c?js$/, '');
  let cache = '';
  let cachedData: Buffer | undefined;
  try {
    const st = statSync(file);
    cache = join(dir, `${name}-${process.version}-${process.arch}-${st.size}-${Math.round(st.mtimeMs)}.cache`);
    cachedData = readCache(cache);
  } catch {
    // unreadable: compiled as usual
  }
  // Without a loader, an import() in the bundle (a library's lazy load) rejects with "A dynamic
  // import callback was not specified"; Node 20.8+ and 21.7+ lend the main context's.
  const importModuleDynamically = (vm as unknown as { constants?: { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } }).constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
    ...(importModuleDynamically ? { importModuleDynamically: importModuleDynamically as never } : {}),
  });
  if (cache && (!cachedData || script.cachedDataRejected)) {
    const save = () => writeCache(dir, cache, name, script.createCachedData());
    if (opts.saveAfterMs === 'exit') process.once('exit', save);
    else setTimeout(save, opts.saveAfterMs).unref();
  }
  const m = { exports: {} as unknown };
  (script.runInThisContext() as Wrapper).call(m.exports, m.exports, req, m, file, dirname(file));
  return m.exports;
}
