/**
 * The host's entry point (dist/host.cjs, what Lua starts). It answers the first pings itself,
 * straight from stdin (first.ts), before any bundle is loaded; then it loads the host's two bundles
 * through V8's code cache, so that a start compiles nothing an earlier start compiled:
 * dist/host-main.cjs (the RPC glue and the neovim client) right after that first answer, and dist/host-engine.cjs
 * (the sync engine, parser, graph) when the host asks for it at setup (the cache: codecache.ts).
 * CommonJS, and Node built-ins only, so that nothing is resolved or compiled before the cache is read.
 */
import { join } from 'node:path';
import { loadCommonJs } from './codecache.js';
import { FirstReader, pingAnswer, pingResponse } from './first.js';

const here = __dirname;
const loaded = new Map<string, unknown>();

/** Load one of the host's bundles (dist/NAME) as CommonJS, through the code cache. */
function load(name: string): unknown {
  const have = loaded.get(name);
  if (have) return have;
  // Saved a few seconds after the bundle ran, in idle time, so that it holds what a session compiled.
  const exp = loadCommonJs(join(here, name), { saveAfterMs: Number(process.env.PLANAGER_CACHE_DELAY_MS) || 3000 });
  loaded.set(name, exp);
  return exp;
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
