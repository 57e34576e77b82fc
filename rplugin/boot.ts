/**
 * The host's entry point (dist/host.cjs, what Lua starts). It answers the first pings itself,
 * straight from stdin (first.ts), before any bundle is loaded; then it loads the host's two bundles
 * through V8's code cache, so that a start compiles nothing an earlier start compiled:
 * dist/host-main.cjs (the RPC glue and the neovim client) right after that first answer, and dist/host-engine.cjs
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
import { FirstReader, pingAnswer, pingResponse } from './first.js';

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

/**
 * The first answer does not wait for the bundle: FirstReader answers the pings that come
 * before it is loaded (first.ts), and the bundle, loaded right after the first bytes were read
 * (or after HANDOVER_MS when none come), gets the rest of stdin, in order, as if it had read it
 * all: what was not answered is pushed back onto stdin (Readable.unshift) before the neovim
 * client starts reading it. Measured with `npm run bench -- nvim-cold` (Node 20, this machine):
 * jobstart → first answer 1.6–1.8× a bare `node -e ''` before, 1.03–1.32× after (10 runs, median 1.13×); Node's own
 * start is ≈15.5 ms of it, from here to the answer ≈4.5 ms (stdin's socket, one read).
 */
const HANDOVER_MS = 20;
const boot = ((globalThis as { __planagerBoot?: number[] }).__planagerBoot = [process.uptime() * 1000]);
const first = new FirstReader();
const stdin = process.stdin;
let handed = false;
function onData(chunk: Buffer): void {
  for (const id of first.feed(chunk)) {
    process.stdout.write(pingResponse(id, pingAnswer()));
    boot[2] ??= process.uptime() * 1000;
  }
  // After the answers to this chunk: what else came waits for the client.
  setImmediate(handover);
}
/** Neovim is gone before the bundle was loaded: nothing was started, nothing to save. */
function onEnd(): void {
  if (!handed) process.exit(0);
}
/** An answer written to a pipe Neovim closed (EPIPE): gone too. */
function onWriteError(e: NodeJS.ErrnoException): void {
  if (!handed && e.code === 'EPIPE') process.exit(0);
  throw e;
}
function handover(): void {
  if (handed) return;
  handed = true;
  clearTimeout(timer);
  stdin.removeListener('data', onData);
  stdin.removeListener('end', onEnd);
  stdin.removeListener('close', onEnd);
  process.stdout.removeListener('error', onWriteError);
  stdin.pause();
  const rest = first.rest();
  if (rest.length > 0) stdin.unshift(rest);
  boot[1] = process.uptime() * 1000;
  load('host-main.cjs');
  // With PLANAGER_TIMING: when (ms since the process started) the first ping was answered,
  // the bundle began loading and had run.
  boot[3] = process.uptime() * 1000;
}
stdin.on('data', onData);
stdin.on('end', onEnd);
stdin.on('close', onEnd);
process.stdout.on('error', onWriteError);
const timer = setTimeout(handover, HANDOVER_MS);
