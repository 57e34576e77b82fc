/**
 * `planager sync --remote`: every device in step through the servers people already run, a git
 * remote for the notes and Taskwarrior's own sync server (taskd) for the tasks. The steps, each
 * reporting one line:
 *
 *   1. commit the notes this device changed since the last run (only `*.norg` and
 *      .gitattributes, with `git commit -- PATHS`: whatever else is staged stays staged);
 *   2. `git fetch` the branch's upstream;
 *   3. merge it (`git merge`, with the notes' merge driver: `planager remote setup` first); never
 *      a rebase, never a force: the user's history is only ever added to;
 *   4. `task sync`, when the taskrc names a server (taskd.server);
 *   5. the usual two-way sync (cli/sync.ts);
 *   6. commit the notes the sync changed;
 *   7. `task sync` again when the sync changed Taskwarrior;
 *   8. `git push` when this branch has commits the upstream lacks.
 * A step that fails stops the run with exit 2 and says what to do; what the steps before it did
 * is complete on its own (a commit, a merge — an unfinished merge is aborted —, a task sync),
 * so the next run finishes the job.
 *
 * Nothing changed anywhere: one `git fetch` and one `task sync`, no other process. Whether the
 * notes changed is told by their stamps (size and mtime, kept in .planager/remote.json after
 * each run), and whether there is something to merge or push by reading .git's refs
 * (sync/gitrefs.ts); the two-way sync itself starts no `task` process then (engine.ts).
 */
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { listNorgFiles, loadState, type SyncReport } from '../sync/index.js';
import { currentBranch, findGit, type GitDirs, readRef, upstreamOf } from '../sync/gitrefs.js';
import type { CommandResult } from './result.js';
import { logIncoming } from './mergedriver.js';
import { configuredDriver, hasAttribute } from './remotesetup.js';
import { taskrcPath } from './setup.js';
import { type CommonFlags, syncCommand } from './sync.js';
import { findWorkspace } from './workspace.js';

type Run = { ok: boolean; code: number; stdout: string; stderr: string };

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, timeout = 120_000): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(cmd, args, { cwd, env, timeout, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 127) : 0;
      done({ ok: !err, code, stdout: String(stdout), stderr: err && !stderr ? err.message : String(stderr) });
    });
    // Without a terminal `task` may ask and wait: nothing to read from.
    child.stdin?.end();
  });
}

/** The last non-empty line of a command's output, for a one-line report. */
function lastLine(s: string): string {
  return (
    s
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? ''
  );
}

/** What a run remembers: the stamps of the notes as last committed. */
interface RemoteState {
  stamps: Record<string, string>;
}

async function stampsOf(ws: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of [...(await listNorgFiles(ws)), '.gitattributes']) {
    const st = statSync(join(ws, p), { throwIfNoEntry: false });
    if (st) out[p] = `${st.size}:${st.mtimeMs}`;
  }
  return out;
}

function changedPaths(before: Record<string, string>, now: Record<string, string>): { present: string[]; gone: string[] } {
  const present = Object.keys(now).filter((p) => before[p] !== now[p]);
  const gone = Object.keys(before).filter((p) => !(p in now));
  return { present, gone };
}

/** `taskd.server` in the taskrc or a file it includes (read, no `task` process), or null. */
export function taskdServer(env: NodeJS.ProcessEnv = process.env): string | null {
  const seen = new Set<string>();
  const look = (file: string): string | null => {
    if (seen.has(file)) return null;
    seen.add(file);
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return null;
    }
    let found: string | null = null;
    for (const raw of text.split('\n')) {
      const line = raw.replace(/#.*$/, '').trim();
      const inc = /^include\s+(.+)$/.exec(line);
      if (inc) {
        const p = inc[1].trim().replace(/^~(?=\/)/, env.HOME ?? '');
        found = look(p.startsWith('/') ? p : join(dirname(file), p)) ?? found;
        continue;
      }
      const m = /^taskd\.server\s*=\s*(.*)$/.exec(line);
      if (m) found = m[1].trim() || null;
    }
    return found;
  };
  return look(taskrcPath(env));
}

interface Ctx {
  ws: string;
  g: GitDirs;
  branch: string;
  remote: string;
  tracking: string;
  /** The upstream branch as the remote names it (`refs/heads/main`). */
  ref: string;
  lines: string[];
  /** Tasks the merge kept with an edit although another device deleted them (notemerge.ts). */
  undelete: string[];
  state: RemoteState;
}

class StepFailed extends Error {}

function fail(c: Ctx, what: string, why: string, fix: string): never {
  c.lines.push(`${what}: failed: ${why}`, `  ${fix}`);
  throw new StepFailed(what);
}

/**
 * The author date of a notes commit is when the newest of its notes was written (not when the
 * commit is made): the merge driver on another device compares it with its own note's mtime,
 * to let the newer edit win.
 */
function authorEnv(ws: string, paths: string[]): NodeJS.ProcessEnv {
  let newest = 0;
  for (const p of paths) newest = Math.max(newest, statSync(join(ws, p), { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return newest > 0 ? { ...process.env, GIT_AUTHOR_DATE: `@${Math.floor(newest / 1000)} +0000` } : process.env;
}

/** Commits the notes whose stamps moved; returns the stamps now committed. */
async function commitNotes(c: Ctx, message: string): Promise<void> {
  const now = await stampsOf(c.ws);
  const { present, gone } = changedPaths(c.state.stamps, now);
  if (present.length + gone.length === 0) {
    c.lines.push('notes: nothing new to commit');
    return;
  }
  // A note that vanished counts if git had it (in the last commit: a `git mv` already took it
  // out of the index; or only in the index); one never committed is nothing to commit.
  const tracked = gone.length
    ? [
        ...new Set(
          [await run('git', ['ls-tree', '-z', '--name-only', 'HEAD', '--', ...gone], c.ws), await run('git', ['ls-files', '-z', '--', ...gone], c.ws)].flatMap(
            (r) => r.stdout.split('\0').filter(Boolean),
          ),
        ),
      ]
    : [];
  if (present.length) {
    const add = await run('git', ['add', '--', ...present], c.ws);
    if (!add.ok) fail(c, 'commit', lastLine(add.stderr), 'fix what git says, then run planager sync --remote again');
  }
  const ident = (await run('git', ['config', 'user.email'], c.ws)).stdout.trim()
    ? []
    : ['-c', 'user.name=Planager', '-c', `user.email=planager@${hostname() || 'localhost'}`];
  const paths = [...present, ...tracked];
  if (paths.length) {
    const r = await run('git', [...ident, 'commit', '-q', '--no-verify', '-m', message, '--', ...paths], c.ws, authorEnv(c.ws, present));
    // Stamps moved but the text is what git has: nothing to commit, which is fine.
    if (!r.ok && !/nothing (added )?to commit|no changes added/.test(r.stdout + r.stderr))
      fail(c, 'commit', lastLine(r.stderr || r.stdout), 'fix what git says, then run planager sync --remote again');
    if (r.ok) c.lines.push(`notes: committed ${paths.length} note file${paths.length === 1 ? '' : 's'} (${message})`);
  }
  c.state.stamps = now;
}

async function fetchAndMerge(c: Ctx): Promise<void> {
  const f = await run('git', ['fetch', '--quiet', c.remote], c.ws);
  if (!f.ok)
    fail(c, 'git fetch', lastLine(f.stderr), `the remote ${c.remote} is unreachable (offline?); nothing changed here: run planager sync --remote again later`);
  const head = readRef(c.g, `refs/heads/${c.branch}`);
  const theirs = readRef(c.g, c.tracking);
  if (!theirs || theirs === head) {
    c.lines.push(`git: ${c.remote} has nothing new`);
    return;
  }
  if (!hasAttribute(c.ws) || !configuredDriver(c.g.commonDir))
    fail(
      c,
      'git merge',
      'the notes merge driver is not set up here',
      'run planager remote setup --yes (git would otherwise write conflict markers into notes)',
    );
  const t = await run('git', ['log', '-1', '--format=%at', theirs], c.ws);
  const env = { ...process.env, PLANAGER_MERGE_THEIRS_TIME: t.stdout.trim() };
  const ident = (await run('git', ['config', 'user.email'], c.ws)).stdout.trim() ? [] : ['-c', 'user.name=Planager', '-c', 'user.email=planager@localhost'];
  // This device's notes as they were: what the merge overwrites goes into the log (below).
  const before = new Map<string, string>();
  for (const p of await listNorgFiles(c.ws)) before.set(p, readFileSync(join(c.ws, p), 'utf8'));
  const m = await run(
    'git',
    [...ident, 'merge', '--no-edit', '--no-verify', '-m', `planager: merge ${c.tracking.replace('refs/remotes/', '')}`, theirs],
    c.ws,
    env,
  );
  if (!m.ok) {
    // Back to how it was: a merge half done is worse than none (the next run tries again).
    await run('git', ['merge', '--abort'], c.ws);
    fail(
      c,
      'git merge',
      lastLine(m.stderr || m.stdout),
      'a file other than a note conflicts, or the work tree has uncommitted changes git would overwrite: commit or stash them, then run planager sync --remote again',
    );
  }
  const conflicted = new Set<string>();
  for (const l of m.stderr.split('\n').filter((x) => x.startsWith('planager merge'))) {
    c.lines.push(`  ${l}`);
    const both = /task ([0-9a-f]+): .* changed on both sides/.exec(l);
    if (both) conflicted.add(both[1]);
    const kept = /task ([0-9a-f]+) was deleted on one side and edited on the other/.exec(l);
    if (kept) c.undelete.push(kept[1]);
  }
  const from = c.tracking.replace('refs/remotes/', '');
  const read = (p: string): string | null => {
    try {
      return readFileSync(join(c.ws, p), 'utf8');
    } catch {
      return null;
    }
  };
  const logged = await logIncoming(c.ws, before, read, conflicted, `replaced by the merge of ${from} (${theirs.slice(0, 7)})`);
  c.lines.push(
    `git: merged ${from} (${theirs.slice(0, 7)})${logged ? `; ${logged} task line${logged === 1 ? '' : 's'} changed, the old values in the history` : ''}`,
  );
  c.state.stamps = await stampsOf(c.ws);
}

async function taskSync(c: Ctx, when: string): Promise<void> {
  const r = await run('task', ['rc.confirmation=off', 'rc.hooks=on', 'sync'], c.ws);
  if (!r.ok)
    fail(
      c,
      'task sync',
      lastLine(r.stderr || r.stdout),
      'check the server and the taskd.* settings (task diagnostics); a device that never synced runs `task sync init` once; then run planager sync --remote again',
    );
  // "Sync successful.  No changes." goes to stderr, after "Syncing with HOST" on stdout.
  c.lines.push(`task sync${when}: ${(lastLine(r.stderr) || lastLine(r.stdout)).replace(/\s+/g, ' ')}`);
}

/**
 * The notes kept a task one device deleted and another edited (the edit wins: notemerge.ts);
 * the deletion reached this Taskwarrior through taskd (or was made here): bring the task back,
 * so the sync that follows sends the edit to a live task and every device ends the same.
 */
async function undelete(c: Ctx): Promise<void> {
  if (c.undelete.length === 0) return;
  const state = await loadState(join(c.ws, '.planager')).catch(() => null);
  const byId = new Map(Object.values(state?.tasks ?? {}).map((t) => [t.id, t.uuid]));
  for (const id of c.undelete) {
    const uuid = byId.get(id);
    if (!uuid) continue;
    const r = await run('task', ['rc.confirmation=off', 'rc.verbose=nothing', uuid, 'status:deleted', 'modify', 'status:pending', 'end:'], c.ws);
    if (r.ok) c.lines.push(`taskwarrior: task ${id} back to pending (edited on one device, deleted on another: the edit wins)`);
  }
}

async function push(c: Ctx): Promise<void> {
  const head = readRef(c.g, `refs/heads/${c.branch}`);
  if (head === readRef(c.g, c.tracking)) {
    c.lines.push('git: nothing to push');
    return;
  }
  // No --force, ever: a push the remote refuses (it moved on) waits for the next run's merge.
  const r = await run('git', ['push', '--quiet', c.remote, `refs/heads/${c.branch}:${c.ref}`], c.ws);
  if (!r.ok)
    fail(c, 'git push', lastLine(r.stderr), 'the remote moved on meanwhile or refused; the notes are committed here: run planager sync --remote again');
  c.lines.push(`git: pushed ${c.branch} to ${c.remote}`);
}

export async function remoteSyncCommand(flags: CommonFlags): Promise<CommandResult> {
  const f = findWorkspace(flags.workspace);
  if (!f.ok) return { code: 2, stderr: `planager sync --remote: ${f.message}\n` };
  const ws = f.dir;
  const g = findGit(ws);
  if (!g) return { code: 2, stderr: `planager sync --remote: ${ws} is not in a git repository (git init, git remote add origin URL, planager remote setup)\n` };
  const branch = currentBranch(g);
  const up = branch ? upstreamOf(g, branch) : null;
  if (!branch || !up)
    return {
      code: 2,
      stderr: `planager sync --remote: the branch${branch ? ` ${branch}` : ''} has no upstream: push it once with git push -u origin ${branch ?? 'main'}\n`,
    };
  const statePath = join(ws, '.planager', 'remote.json');
  let state: RemoteState = { stamps: {} };
  try {
    state = JSON.parse(readFileSync(statePath, 'utf8')) as RemoteState;
  } catch {
    // First run: every note counts as changed; committing unchanged text is a no-op.
  }
  const c: Ctx = { ws, g, branch, remote: up.remote, tracking: up.tracking, ref: up.ref, lines: [], state, undelete: [] };
  const server = taskdServer();
  const host = hostname() || 'this device';
  try {
    await commitNotes(c, `planager: notes from ${host}`);
    await fetchAndMerge(c);
    if (server) await taskSync(c, '');
    else c.lines.push('task sync: no server in the taskrc (taskd.server), skipped');
    await undelete(c);
    let report: SyncReport | null = null;
    const s = await syncCommand({ ...flags, json: false }, (r) => {
      report = r;
    });
    const sr = report as SyncReport | null;
    c.lines.push(...(s.stdout ?? s.stderr ?? '').trimEnd().split('\n'));
    if (s.code !== 0) fail(c, 'sync', 'the two-way sync did not finish (above)', 'see above; then run planager sync --remote again');
    await commitNotes(c, `planager: notes synced on ${host}`);
    const twChanged = sr !== null && sr.taskwarrior.created.length + sr.taskwarrior.updated.length + sr.taskwarrior.deleted.length > 0;
    if (server && twChanged) await taskSync(c, ' (again)');
    await push(c);
  } catch (e) {
    if (!(e instanceof StepFailed)) throw e;
    await saveState(statePath, c.state);
    return { code: 2, stderr: `${c.lines.join('\n')}\n` };
  }
  await saveState(statePath, c.state);
  return { code: 0, stdout: `${c.lines.join('\n')}\n` };
}

async function saveState(path: string, s: RemoteState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(s)}\n`);
}
