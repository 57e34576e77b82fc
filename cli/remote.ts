/**
 * `planager sync --remote`: every device in step through the servers people already run, a git
 * remote for the notes and Taskwarrior's own sync server (taskd) for the tasks. The steps, each
 * reporting one line:
 *
 *   1. commit the notes this device changed since the last run (only `*.norg` and
 *      .gitattributes, with `git commit -- PATHS`: whatever else is staged stays staged);
 *   2. `git fetch` the branch's upstream;
 *   3. merge it (`git merge`; `planager remote setup` first); never a rebase, never a force:
 *      the user's history is only ever added to. The notes both sides changed are merged in
 *      this process by the driver's own code, not by git starting the driver once per note
 *      (cli/remotemerge.ts);
 *   4. `task sync`, when the taskrc names a server (taskd.server): started with step 1, as it
 *      touches nothing steps 1-3 do, and waited for here (a step before it that fails still
 *      waits for it, and says what it did);
 *   5. the usual two-way sync (cli/sync.ts);
 *   6. commit the notes the sync changed;
 *   7. `task sync` again when the sync changed Taskwarrior;
 *   8. `git push` when this branch has commits the upstream lacks.
 * A step that fails stops the run with exit 2 and says what to do; what the steps before it did
 * is complete on its own (a commit, a merge — an unfinished merge is aborted —, a task sync),
 * so the next run finishes the job. A run killed between `git merge` and the merge's commit
 * leaves git mid-merge with no conflict markers in any note (the work tree holds this device's
 * text or the merged one) and .planager/remote/merge.json: the next run finishes that merge
 * before anything else (remotemerge.ts `resumeMerge`).
 *
 * One run at a time in a workspace: the whole run holds .planager/remote/lock (sync/lock.ts; the
 * two-way sync's own .planager/lock is taken inside, by step 5). A second run waits for it, says
 * so, and gives up after REMOTE_LOCK_MS; a lock whose process is gone is taken over.
 *
 * Nothing changed anywhere: one `git fetch` and one `task sync`, no other process, and not
 * even this module loaded: a run that ends at rest records the stamps its decisions rest on
 * (`quietAfter`), and the next run, when they hold, is cli/remotequiet.ts's quiet run. When
 * that run finds work it hands this one its fetch and task sync (`Handoff`), run once only.
 * Whether the notes changed is told by their stamps (size and mtime, kept in
 * .planager/remote.json after each run), and whether there is something to merge or push by
 * reading .git's refs (sync/gitrefs.ts); the two-way sync itself starts no `task` process then
 * (engine.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { acquireLock, listNorgFiles, loadState, syncIsIdle, Taskwarrior } from '../sync/index.js';
import { currentBranch, findGit, type GitDirs, readRef, upstreamOf } from '../sync/gitrefs.js';
import { keepParses } from '../sync/parses.js';
import type { CommandResult } from './result.js';
import { logIncoming } from './mergedriver.js';
import { restingFiles } from './remoterest.js';
import {
  fetchArgs,
  type Handoff,
  lastLine,
  quietKey,
  type Ran,
  REMOTE_LOCK_MS,
  type RemoteQuiet,
  remoteLockDir,
  run,
  stampOf,
  TASK_SYNC_ARGS,
  taskSyncLine,
} from './remotequiet.js';
import { configuredDriver, hasAttribute } from './remotesetup.js';
import { type MergedNote, markerPath, mergeUpstream, oursTimes, resumeMerge } from './remotemerge.js';
import { taskrcPath } from './setup.js';
import { type CommonFlags, syncCommand } from './sync.js';
import { findWorkspace } from './workspace.js';

/** What a run remembers: the stamps of the notes as last committed; after a run that ended at rest, the quiet record. */
interface RemoteState {
  stamps: Record<string, string>;
  quiet?: RemoteQuiet;
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
  return readTaskrc(env).server;
}

/** The taskrc's `taskd.server`, and every file read to find it (the taskrc and its includes). */
function readTaskrc(env: NodeJS.ProcessEnv): { server: string | null; files: string[] } {
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
  const server = look(taskrcPath(env));
  return { server, files: [...seen] };
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
  /** The branch's commit when this run began: an upstream still there has nothing new. */
  startHead: string | null;
  /** What the quiet run already ran (remotequiet.ts), not to be run again. */
  handoff?: Handoff;
  /** The task sync started beside the notes' steps (or handed over) was reported (else a failed step says it ran). */
  handedReported?: boolean;
  /** `hasIdentity`'s answer, once asked. */
  identity?: boolean;
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
  const ident = (await hasIdentity(c)) ? [] : ['-c', 'user.name=Planager', '-c', `user.email=planager@${hostname() || 'localhost'}`];
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

/** Whether git has a user.email here (asked once a run: up to four commits ask). */
async function hasIdentity(c: Ctx): Promise<boolean> {
  c.identity ??= (await run('git', ['config', 'user.email'], c.ws)).stdout.trim() !== '';
  return c.identity;
}

async function identArgs(c: Ctx): Promise<string[]> {
  return (await hasIdentity(c)) ? [] : ['-c', 'user.name=Planager', '-c', 'user.email=planager@localhost'];
}

/** The merged notes' report lines; the tasks whose conflict was logged, and those kept over a deletion. */
function noteReport(c: Ctx, notes: MergedNote[]): Set<string> {
  const conflicted = new Set<string>();
  for (const n of notes) {
    c.lines.push(...n.lines.map((l) => `  ${l}`));
    for (const t of n.merge.tasks) conflicted.add(t.id);
    c.undelete.push(...n.merge.keptOverDelete);
  }
  return conflicted;
}

/**
 * A merge an earlier run left under way (it stopped between `git merge` and the commit:
 * cli/remotemerge.ts) is finished before anything else, or the commits below could not be made.
 */
async function resume(c: Ctx): Promise<void> {
  // The usual case, no record: not even the `git config` for the identity.
  if (!existsSync(markerPath(c.ws))) return;
  const m = await resumeMerge({ ws: c.ws, g: c.g, ident: await identArgs(c) });
  if (!m) return;
  if (!m.ok) fail(c, 'git merge', m.message, 'the unfinished merge of the last run was aborted; run planager sync --remote again');
  noteReport(c, m.notes);
  c.lines.push(`git: finished the merge the last run left under way (${m.notes.length} note${m.notes.length === 1 ? '' : 's'} merged)`);
}

async function fetchAndMerge(c: Ctx): Promise<void> {
  const f = c.handoff?.remote === c.remote ? c.handoff.fetch : await run('git', fetchArgs(c.remote), c.ws);
  if (!f.ok)
    fail(c, 'git fetch', lastLine(f.stderr), `the remote ${c.remote} is unreachable (offline?); nothing changed here: run planager sync --remote again later`);
  const head = readRef(c.g, `refs/heads/${c.branch}`);
  const theirs = readRef(c.g, c.tracking);
  // Still where this run began: only this run's own commit is new (a merge would be a no-op).
  if (!theirs || theirs === head || theirs === c.startHead) {
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
  // This device's notes as they were: what the merge overwrites goes into the log (below).
  const notes = await listNorgFiles(c.ws);
  const before = new Map<string, string>();
  for (const p of notes) before.set(p, readFileSync(join(c.ws, p), 'utf8'));
  const rec = {
    theirs,
    theirsTime: Number(t.stdout.trim()),
    message: `planager: merge ${c.tracking.replace('refs/remotes/', '')}`,
    ours: oursTimes(c.ws, c.g.root, notes),
  };
  const m = await mergeUpstream({ ws: c.ws, g: c.g, ident: await identArgs(c) }, rec);
  if (!m.ok)
    fail(
      c,
      'git merge',
      m.message,
      'a file other than a note conflicts, or the work tree has uncommitted changes git would overwrite: commit or stash them, then run planager sync --remote again',
    );
  const conflicted = noteReport(c, m.notes);
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

async function taskSync(c: Ctx, when: string, given?: Promise<Ran> | null): Promise<void> {
  const r = given ? await given : await run('task', TASK_SYNC_ARGS, c.ws);
  if (given) c.handedReported = true;
  if (!r.ok)
    fail(
      c,
      'task sync',
      lastLine(r.stderr || r.stdout),
      'check the server and the taskd.* settings (task diagnostics); a device that never synced runs `task sync init` once; then run planager sync --remote again',
    );
  c.lines.push(taskSyncLine(r, when));
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

/** Only a plain `sync --remote [--workspace DIR]` keeps a quiet record: the quiet run answers no other words. */
function plainFlags(flags: CommonFlags & { remote?: boolean }): boolean {
  return Object.entries(flags).every(([k, v]) => k === 'workspace' || k === 'remote' || v === undefined || v === false);
}

function sameStamps(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/**
 * The quiet record, when this run ended at rest: a run now would commit, merge, sync and push
 * nothing (the branch where its upstream is, no merge under way, the notes as committed, a
 * two-way sync with nothing to do). Every file is stamped before anything is checked: a write
 * after the stamps moves one, and the next run runs in full.
 */
async function quietAfter(c: Ctx, server: boolean, taskrc: string[]): Promise<RemoteQuiet | undefined> {
  const tw = new Taskwarrior();
  const rest = restingFiles({ ws: c.ws, g: c.g, branch: c.branch, dataDir: tw.dataDir(), taskrc });
  const files = rest.all.map((p): [string, string | null] => [p, stampOf(p)]);
  const commit = readRef(c.g, `refs/heads/${c.branch}`);
  if (!commit || commit !== readRef(c.g, c.tracking) || existsSync(join(c.g.gitDir, 'MERGE_HEAD'))) return undefined;
  if (!sameStamps(c.state.stamps, await stampsOf(c.ws))) return undefined;
  if (!(await syncIsIdle({ workspace: c.ws, tw }))) return undefined;
  return { key: quietKey(c.ws, process.env), remote: c.remote, branch: `refs/heads/${c.branch}`, tracking: c.tracking, commit, server, files, tw: rest.tw };
}

export async function remoteSyncCommand(flags: CommonFlags & { remote?: boolean }, handoff?: Handoff): Promise<CommandResult> {
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
  // One run at a time per workspace (a timer, Neovim and a terminal may start one each): their
  // merges, task syncs and commits must not interleave. Not the two-way sync's own lock
  // (.planager/lock), which this run's sync step takes itself.
  const t0 = Date.now();
  const locked = handoff?.lock ? { ok: true as const, lock: handoff.lock } : await acquireLock(remoteLockDir(ws), REMOTE_LOCK_MS);
  if (!locked.ok)
    return {
      code: 2,
      stderr: `planager sync --remote: ${locked.message}: another sync --remote is still running in ${ws} after ${Math.round(REMOTE_LOCK_MS / 1000)} s; run it again when that one is done\n`,
    };
  try {
    const waited = Date.now() - t0;
    const r = await lockedRun(flags, ws, g, branch, up, handoff);
    const note = waited > 200 ? `waited ${(waited / 1000).toFixed(1)} s for another planager sync --remote in this workspace\n` : '';
    return r.code === 0 ? { ...r, stdout: note + (r.stdout ?? '') } : { ...r, stderr: note + (r.stderr ?? '') };
  } finally {
    await locked.lock.release();
  }
}

async function lockedRun(
  flags: CommonFlags & { remote?: boolean },
  ws: string,
  g: GitDirs,
  branch: string,
  up: { remote: string; ref: string; tracking: string },
  handoff: Handoff | undefined,
): Promise<CommandResult> {
  const statePath = join(ws, '.planager', 'remote.json');
  let state: RemoteState = { stamps: {} };
  try {
    state = JSON.parse(readFileSync(statePath, 'utf8')) as RemoteState;
  } catch {
    // First run: every note counts as changed; committing unchanged text is a no-op.
  }
  // This run may change what the record stood for; a run stopped half way leaves none.
  if (state.quiet) {
    delete state.quiet;
    await saveState(statePath, state);
  }
  const c: Ctx = {
    ws,
    g,
    branch,
    remote: up.remote,
    tracking: up.tracking,
    ref: up.ref,
    lines: [],
    state,
    undelete: [],
    handoff,
    startHead: readRef(g, `refs/heads/${branch}`),
  };
  const taskrc = readTaskrc(process.env);
  const server = taskrc.server;
  const host = hostname() || 'this device';
  // The task sync touches nothing the notes' steps before it do (git, the notes, the activity
  // log; remotequiet.ts): it runs beside them, as the quiet run's runs beside the fetch, and is
  // waited for where its step stands. One handed over by the quiet run may still be running.
  const syncing = handoff?.taskSync ?? (server ? run('task', TASK_SYNC_ARGS, ws) : null);
  // The second task sync (the two-way sync changed Taskwarrior), while under way.
  const later: { again: Promise<Ran> | null } = { again: null };
  // The merge and its log hand their parses of the notes to the two-way sync (sync/parses.ts).
  keepParses(true);
  try {
    await resume(c);
    await commitNotes(c, `planager: notes from ${host}`);
    await fetchAndMerge(c);
    if (server) await taskSync(c, '', syncing);
    else {
      await syncing;
      c.lines.push('task sync: no server in the taskrc (taskd.server), skipped');
    }
    await undelete(c);
    const s = await syncCommand({ ...flags, json: false }, (r) => {
      // Called before the backup: that and the notes' commit touch no Taskwarrior file, so the
      // second task sync runs beside them (waited for where its step stands).
      const twChanged = r.taskwarrior.created.length + r.taskwarrior.updated.length + r.taskwarrior.deleted.length > 0;
      if (server && r.ok && twChanged) later.again = run('task', TASK_SYNC_ARGS, ws);
    });
    keepParses(false);
    c.lines.push(...(s.stdout ?? s.stderr ?? '').trimEnd().split('\n'));
    if (s.code !== 0) fail(c, 'sync', 'the two-way sync did not finish (above)', 'see above; then run planager sync --remote again');
    await commitNotes(c, `planager: notes synced on ${host}`);
    if (later.again) {
      const r = await later.again;
      later.again = null;
      await taskSync(c, ' (again)', Promise.resolve(r));
    }
    await push(c);
    if (plainFlags(flags)) c.state.quiet = await quietAfter(c, server !== null, taskrc.files);
  } catch (e) {
    keepParses(false);
    // Neither task sync is left running past the run (and its lock).
    const ts = syncing ? await syncing : null;
    const ts2 = later.again ? await later.again : null;
    if (!(e instanceof StepFailed)) throw e;
    // Run beside the fetch before this step failed: what it did is done, and said.
    if (ts && !c.handedReported)
      c.lines.push(ts.ok ? `${taskSyncLine(ts, '')} (run beside the fetch)` : `task sync: failed beside the fetch: ${lastLine(ts.stderr || ts.stdout)}`);
    // Likewise the second one, run beside the notes' commit.
    if (ts2)
      c.lines.push(
        ts2.ok
          ? `${taskSyncLine(ts2, ' (again)')} (run beside the notes' commit)`
          : `task sync (again): failed beside the notes' commit: ${lastLine(ts2.stderr || ts2.stdout)}`,
      );
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
