/**
 * The quiet run of `planager sync --remote`: with nothing changed anywhere it must cost one
 * `git fetch` and one `task sync` and little else (issue 18: ≤ 1.3× those two commands alone);
 * loading the whole CLI and running the two-way sync alone cost more than both.
 *
 * A full run that ended at rest (cli/remote.ts: the branch equal to its upstream, the notes as
 * committed, a two-way sync that would find nothing to do) records a stamp (size, mtime, ctime,
 * inode, or absence) of every file that run's decisions rest on: the notes and the folders
 * holding them, the sync's index and journal, Taskwarrior's data files, hooks and rc files, the
 * git files naming the branch and its upstream (HEAD, the branch's ref, packed-refs, the index,
 * the config), and this program's own files. A later run with the same environment starts
 * `git fetch` and (when the taskrc names a server) `task sync` side by side as soon as it holds
 * the lock, checks the stamps while they run, and is done when every stamp was as recorded, the
 * fetch left the upstream where the branch is and the task sync left Taskwarrior's data files as
 * they were. Anything else goes to the full run, handing it what those two commands did so that
 * it runs neither again (`Handoff`).
 *
 * Side by side is safe: the full run's steps those two stand for touch disjoint things (a fetch
 * moves remote-tracking refs only; a task sync writes Taskwarrior only; committing and merging
 * write the notes and the branch), and both still come before the two-way sync that reads them.
 *
 * Node built-ins only: bin.ts calls this before it loads the rest of the CLI.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { findGit, readRef } from '../sync/gitrefs.js';
import { acquireLock, type Lock } from '../sync/lock.js';
import { findWorkspace } from './workspace.js';

export type Ran = { ok: boolean; code: number; stdout: string; stderr: string };

/** What the full run records after it ended at rest (in .planager/remote.json). */
export interface RemoteQuiet {
  /** The workspace and the environment that chose every file and program (`quietKey`). */
  key: string;
  remote: string;
  /** The branch's ref (`refs/heads/main`) and its remote-tracking ref, both at `commit`. */
  branch: string;
  tracking: string;
  commit: string;
  /** Whether the taskrc names a taskd server (the taskrc and what it includes are stamped). */
  server: boolean;
  /** Every file the decisions rest on, with its stamp (null: absent). */
  files: [string, string | null][];
  /** Taskwarrior's data files among them: stamped again after the task sync. */
  tw: string[];
}

/** What the quiet run already did when it found work: the full run takes it as its own. */
export interface Handoff {
  remote: string;
  fetch: Ran;
  /**
   * Null when no server is configured (then no task sync ran). Maybe still running: a fetch
   * that brought commits hands over at once, and the full run's commit and merge go on beside
   * the task sync (the full run waits for it where its step stands).
   */
  taskSync: Promise<Ran> | null;
  /** The workspace's sync --remote lock, taken by the quiet run and held on for the full one. */
  lock?: Lock;
}

/** The folder of the lock one `sync --remote` at a time holds (`<dir>/lock`: sync/lock.ts). */
export const remoteLockDir = (ws: string): string => join(ws, '.planager', 'remote');
/** How long a run waits for another to finish: a convergence of thousands of tasks takes seconds. */
export const REMOTE_LOCK_MS = 120_000;

export const fetchArgs = (remote: string): string[] => ['fetch', '--quiet', remote];
export const TASK_SYNC_ARGS = ['rc.confirmation=off', 'rc.hooks=on', 'sync'];

/**
 * node:child_process, loaded when a process is started (a quiet `planager remind`, same entry,
 * never needs it), and through require: an import() would start Node's ES module loader on the
 * quiet run's way to its first process (≈7 ms of it), and put that start a tick later.
 */
let childProcess: typeof import('node:child_process') | undefined;
const loadChildProcess = () => (childProcess ??= createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process'));

/** Runs CMD, started before this returns (the quiet run starts its two side by side at once). */
export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, timeout = 120_000): Promise<Ran> {
  const { execFile } = loadChildProcess();
  return new Promise((done) => {
    // A start that throws (not ENOENT and its like, which come to the callback) rejects, as when this was async.
    const child = execFile(cmd, args, { cwd, env, timeout, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 127) : 0;
      done({ ok: !err, code, stdout: String(stdout), stderr: err && !stderr ? err.message : String(stderr) });
    });
    // Without a terminal `task` may ask and wait: nothing to read from.
    child.stdin?.end();
  });
}

/** The last non-empty line of a command's output, for a one-line report. */
export function lastLine(s: string): string {
  return (
    s
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? ''
  );
}

/** The report line of a task sync that went well ("Sync successful. No changes." is on stderr). */
export function taskSyncLine(r: Ran, when: string): string {
  return `task sync${when}: ${(lastLine(r.stderr) || lastLine(r.stdout)).replace(/\s+/g, ' ')}`;
}

/**
 * Size, mtime, ctime and inode, or null when absent. The ctime too: a tool that puts an edited
 * file's mtime back (cp -p, rsync -t) cannot put its ctime back.
 */
export function stampOf(path: string): string | null {
  const s = statSync(path, { throwIfNoEntry: false });
  return s ? `${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}` : null;
}

/**
 * The workspace and everything in the environment that picks a file or a program: git's and
 * Taskwarrior's variables, HOME, PATH (which `git`, which `task`), TZ, this Node.
 */
export function quietKey(ws: string, env: NodeJS.ProcessEnv): string {
  const picked = Object.keys(env)
    .filter((k) => /^(GIT_|TASK)/.test(k) || ['HOME', 'PATH', 'TZ', 'XDG_CONFIG_HOME'].includes(k))
    .sort()
    .map((k) => [k, env[k]]);
  return JSON.stringify([ws, process.execPath, process.version, picked]);
}

/** `sync --remote` with at most `--workspace DIR`: the words a quiet run answers; else null. */
export function remoteWords(args: readonly string[]): { workspace?: string } | null {
  if (args[0] !== 'sync') return null;
  let remote = false;
  let workspace: string | undefined;
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--remote' && !remote) remote = true;
    else if ((a === '--workspace' || a === '-w') && workspace === undefined && i + 1 < args.length) workspace = args[++i];
    else if (a.startsWith('--workspace=') && workspace === undefined) workspace = a.slice('--workspace='.length);
    else return null;
  }
  return remote ? { workspace } : null;
}

function recordOf(ws: string, env: NodeJS.ProcessEnv): RemoteQuiet | null {
  try {
    const q = (JSON.parse(readFileSync(join(ws, '.planager', 'remote.json'), 'utf8')) as { quiet?: RemoteQuiet }).quiet;
    return q && q.key === quietKey(ws, env) ? q : null;
  } catch {
    return null;
  }
}

const hold = (files: [string, string | null][]): boolean => files.every(([p, s]) => stampOf(p) === s);

/**
 * The quiet run, when the words are `sync --remote [--workspace DIR]`: true when it proved
 * nothing to do (and printed so); a Handoff when it ran the fetch and task sync and found
 * work; false when it ran nothing (not these words, no record, or a stamp moved).
 */
export async function quietRemote(args: readonly string[], env: NodeJS.ProcessEnv): Promise<boolean | Handoff> {
  const words = remoteWords(args);
  if (!words) return false;
  const found = findWorkspace(words.workspace);
  if (!found.ok) return false;
  const ws = found.dir;
  const q = recordOf(ws, env);
  const g = findGit(ws);
  if (!q || !g) return false;
  // Another run under way: the full run waits for it (its fetch and task sync must not interleave).
  const locked = await acquireLock(remoteLockDir(ws), 0);
  if (!locked.ok) return false;
  // Both started before the stamps are checked: they are the run's cost, the stamps' check is
  // done while they run. A stamp that moved needs the full run, which starts the same two
  // (the task sync beside its first step, the fetch after committing the notes, which a fetch
  // does not touch): it takes these instead. The task sync first: the longer, it ends the run.
  const syncing = q.server ? run('task', TASK_SYNC_ARGS, ws) : null;
  const fetching = run('git', fetchArgs(q.remote), ws);
  const held = hold(q.files);
  const fetch = await fetching;
  const handoff: Handoff = { remote: q.remote, fetch, taskSync: syncing, lock: locked.lock };
  if (!held || !fetch.ok || readRef(g, q.tracking) !== q.commit || readRef(g, q.branch) !== q.commit) return handoff;
  const taskSync = syncing ? await syncing : null;
  if (taskSync && (!taskSync.ok || !hold(q.files.filter(([p]) => q.tw.includes(p))))) return handoff;
  await locked.lock.release();
  process.stdout.write(
    [
      'notes: nothing new to commit',
      `git: ${q.remote} has nothing new`,
      taskSync ? taskSyncLine(taskSync, '') : 'task sync: no server in the taskrc (taskd.server), skipped',
      'sync: nothing to do (notes, tasks and git as the last run left them)',
      'git: nothing to push',
      '',
    ].join('\n'),
  );
  return true;
}
