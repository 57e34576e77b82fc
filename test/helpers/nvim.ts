/**
 * One fresh headless Neovim per test (`nvim --embed`), with the repository on 'runtimepath',
 * no user config (-u NONE), and every XDG folder, HOME, TASKRC and TASKDATA in the test's
 * sandbox. Driven through the neovim client.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
import { join } from 'node:path';
import { attach, type NeovimClient } from 'neovim';
import { ROOT } from './shared.js';

const quiet = { info() {}, warn() {}, error() {}, debug() {}, level: 'error' };

export interface Nvim {
  nvim: NeovimClient;
  proc: ChildProcess;
  lua<T = unknown>(code: string, ...args: unknown[]): Promise<T>;
  cmd(c: string): Promise<void>;
  lines(): Promise<string[]>;
  waitFor(pred: () => Promise<boolean>, ms?: number): Promise<number>;
  quit(): Promise<void>;
  log(): string;
}

export function nvimEnv(base: NodeJS.ProcessEnv, dir: string): NodeJS.ProcessEnv {
  return {
    ...base,
    PLANAGER_TIMING: process.env.PLANAGER_TIMING,
    XDG_CACHE_HOME: join(dir, 'xdg-cache'),
    XDG_CONFIG_HOME: join(dir, 'xdg-config'),
    XDG_DATA_HOME: join(dir, 'xdg-data'),
    XDG_STATE_HOME: join(dir, 'xdg-state'),
    XDG_RUNTIME_DIR: join(dir, 'xdg-run'),
  };
}

export async function startNvim(env: NodeJS.ProcessEnv): Promise<Nvim> {
  const { mkdirSync, readFileSync } = await import('node:fs');
  mkdirSync(env.XDG_RUNTIME_DIR!, { recursive: true, mode: 0o700 });
  const proc = spawn('nvim', ['--embed', '--headless', '-u', 'NONE', '-i', 'NONE', '-n', '--cmd', `set rtp^=${ROOT}`], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const nvim = attach({ proc, options: { logger: quiet as never } });
  const n: Nvim = {
    nvim,
    proc,
    lua: (code, ...args) => nvim.lua(code, args as never) as Promise<never>,
    cmd: (c) => nvim.command(c),
    lines: async () => (await nvim.buffer).lines,
    waitFor: async (pred, ms = 5_000) => {
      const t0 = Date.now();
      while (Date.now() - t0 < ms) {
        if (await pred()) return Date.now() - t0;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`condition not met within ${ms} ms`);
    },
    quit: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      // Neovim exits without answering :qa!, so the request is not awaited.
      void nvim.command('qa!').catch(() => {});
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
    log: () => {
      try {
        return readFileSync(join(env.XDG_CACHE_HOME!, 'nvim', 'planager.log'), 'utf8');
      } catch {
        return '';
      }
    },
  };
  return n;
}

/** Is the process running? A zombie (exited, not yet reaped by a container's pid 1) is not. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = require('node:fs').readFileSync(`/proc/${pid}/stat`, 'utf8') as string;
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The host's bundles, built once if a test run starts without them (Neovim starts dist/host.cjs). */
export function ensureHostBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'host.cjs'))) execFileSync(process.execPath, ['scripts/build.mjs', '--no-types'], { cwd: ROOT });
}
