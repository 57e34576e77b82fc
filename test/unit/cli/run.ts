/**
 * Run the built `planager` (dist/cli.cjs) as a child process, as a user's shell would: exit code,
 * stdout and stderr are the process's. Build first (`npm run build`); a dist older than the
 * sources fails loudly instead of testing stale code.
 */
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../../helpers/shared.js';

const exec = promisify(execFile);
export const CLI = join(ROOT, 'dist', 'cli.cjs');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

export function assertBuilt(): void {
  let built = 0;
  try {
    // The entry and the CLI it loads (dist/main.js) are built together: the older counts.
    built = Math.min(statSync(CLI).mtimeMs, statSync(join(ROOT, 'dist', 'main.js')).mtimeMs);
  } catch {
    throw new Error(`${CLI} or dist/main.js is missing: run npm run build first`);
  }
  const src = Math.max(...['cli', 'sync', 'parser', 'graph', 'plan'].map((d) => newest(join(ROOT, d))));
  if (src > built) throw new Error(`${CLI} is older than the sources: run npm run build first`);
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export async function planager(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<Run> {
  try {
    const r = await exec(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: { ...opts.env, NODE_PATH: '' }, timeout: 20_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
