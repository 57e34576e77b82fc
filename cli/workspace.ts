/**
 * Which folder a command works on, found the way git finds its repository:
 *   1. `--workspace DIR`, when given;
 *   2. else the nearest folder upward (from the current folder, or from the file a pull/push
 *      names) that holds a `.planager` folder;
 *   3. else `$PLANAGER_WORKSPACE`;
 *   4. else the current folder (or the named file's folder).
 * A workspace named by the flag or the variable must be an existing folder: a command never
 * creates it (a typo in `--workspace` used to make `/typo/.planager` and report "nothing to do").
 */
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export type Found = { ok: true; dir: string; how: 'flag' | 'found' | 'env' | 'cwd' } | { ok: false; message: string };

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The nearest folder from `start` upward holding a `.planager` folder, or null. */
export function findUpward(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    if (isDir(join(dir, '.planager'))) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

function existing(dir: string, what: string): Found {
  if (isDir(dir)) return { ok: true, dir, how: what === '--workspace' ? 'flag' : 'env' };
  let why = 'does not exist';
  try {
    if (!statSync(dir).isDirectory()) why = 'is not a folder';
  } catch {
    // missing
  }
  return { ok: false, message: `workspace ${dir} (from ${what}) ${why}; name an existing folder (it is never created)` };
}

export function findWorkspace(flag: string | undefined, opts: { cwd?: string; env?: NodeJS.ProcessEnv; file?: string } = {}): Found {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  if (flag !== undefined) {
    if (flag === '') return { ok: false, message: '--workspace needs a folder' };
    return existing(resolve(cwd, flag), '--workspace');
  }
  const start = opts.file ? dirname(resolve(cwd, opts.file)) : cwd;
  const up = findUpward(start);
  if (up) return { ok: true, dir: up, how: 'found' };
  if (env.PLANAGER_WORKSPACE) return existing(resolve(cwd, env.PLANAGER_WORKSPACE), '$PLANAGER_WORKSPACE');
  return { ok: true, dir: start, how: 'cwd' };
}
