/**
 * The quiet minute of `planager remind`: run every minute by a timer, it usually has nothing to
 * send, and proving that must cost little more than starting Node (issue 16: ≤ 1.5× a bare
 * `node -e ''`; loading the whole CLI bundle alone was 1.6×). A full run that sent everything
 * records *when the next reminder falls* and a stamp (size and mtime, or absence) of every file
 * it read: Taskwarrior's data files, its rc file, the plan notes of the days it looked at. A
 * later run with the same words, on the same local day, before that moment and with every file
 * as stamped, would find nothing due: it exits here, having read one JSON file and stat'ed a
 * few. Anything else (a changed file, a failed channel, the next day, another flag) runs in full.
 *
 * Node built-ins only: bin.ts calls this before it loads the rest of the CLI.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findWorkspace } from './workspace.js';

export interface Quiet {
  /** The words of the run (less `--now`) and the environment that chose its files. */
  key: string;
  /** Local day (YYYY-MM-DD) the run was on: the plan note it read is that day's. */
  day: string;
  /** The next reminder's moment (ISO): a run at or after it runs in full. */
  until: string;
  /** Each file read, with `size:mtimeMs`, or null when it did not exist. */
  files: [string, string | null][];
}

export function stampOf(path: string): string | null {
  const s = statSync(path, { throwIfNoEntry: false });
  return s ? `${s.size}:${s.mtimeMs}` : null;
}

/** What keys a quiet record: the words less `--now`, and what picks Taskwarrior's files. */
export function quietKey(args: readonly string[], env: NodeJS.ProcessEnv): string {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--now') i++;
    else if (!args[i]!.startsWith('--now=')) words.push(args[i]!);
  }
  return JSON.stringify([words, env.TASKDATA ?? '', env.TASKRC ?? '', env.HOME ?? '', env.TZ ?? '', process.cwd()]);
}

export function localDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** True when `planager remind ARGS` has provably nothing to do (and then did it: nothing). */
export function quietRemind(args: readonly string[], env: NodeJS.ProcessEnv): boolean {
  if (args[0] !== 'remind') return false;
  const rest = args.slice(1);
  if (rest.some((a) => a === '--install-timer' || a === '--watch' || a === '--help' || a === '-h')) return false;
  let now = new Date();
  const at = rest.findIndex((a) => a === '--now' || a.startsWith('--now='));
  if (at >= 0) {
    now = new Date(rest[at] === '--now' ? (rest[at + 1] ?? '') : rest[at]!.slice('--now='.length));
    if (Number.isNaN(now.getTime())) return false;
  }
  let flag: string | undefined;
  const w = rest.findIndex((a) => a === '--workspace' || a === '-w');
  if (w >= 0) flag = rest[w + 1];
  const found = findWorkspace(flag);
  if (!found.ok) return false;
  let q: Quiet | undefined;
  try {
    q = (JSON.parse(readFileSync(join(found.dir, '.planager', 'reminders.json'), 'utf8')) as { quiet?: Quiet }).quiet;
  } catch {
    return false;
  }
  if (!q || q.key !== quietKey(rest, env) || q.day !== localDay(now) || !(now.getTime() < Date.parse(q.until))) return false;
  return q.files.every(([path, stamp]) => stampOf(path) === stamp);
}
