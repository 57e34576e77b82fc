/**
 * The merge of the notes' upstream in `planager sync --remote`, with every note both sides
 * changed merged in this process (sync/notemerge.ts, as the merge driver does) instead of by
 * git starting `planager merge-driver` once per note: a Node start each (~140 ms), 30 of them
 * in issue 18's convergence run.
 *
 * How: `git merge` runs with the driver overridden to `false` (`-c merge.planager.driver=false`),
 * so git leaves each note it would have handed the driver unmerged, its three versions in the
 * index (stages 1, 2, 3) and this device's text in the work tree (a failing driver writes
 * nothing: no conflict markers). The driver command holds no placeholder: no path is ever put
 * into a shell string, and the versions are read from the index (`git cat-file --batch`), not
 * from files a script copied. Then each note is merged here, written, `git add`ed, and the merge
 * committed with the message `git merge` would have used.
 *
 * Which side wins a field both changed depends on this device's note mtime *before* the merge
 * (mergedriver.ts `preferredSide`); those times, the incoming commit and the message are kept in
 * .planager/remote/merge.json from before `git merge` starts until the merge is committed. A run
 * stopped in between (a crash, the machine off) leaves git mid-merge with that record: the next
 * run finishes the merge from the index first (`resumeMerge`), so merging a note twice or half
 * is harmless. A merge that cannot finish here (a note deleted on one side and edited on the
 * other as whole files, a file other than a note in conflict) is aborted (`git merge --abort`):
 * the work tree is as before the merge, and the next run tries again.
 *
 * Inner merges of a criss-cross history (two merge bases) take the bases' own common version
 * for a note both bases changed (`merge.planager.recursive=binary`); the outer merge then decides
 * field by field as always.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { GitDirs } from '../sync/gitrefs.js';
import { mergeNotes, type NoteMerge } from '../sync/notemerge.js';
import { logLosers, report, sideByTimes } from './mergedriver.js';
import { lastLine, run } from './remotequiet.js';

/** What a merge under way needs to finish (kept in the workspace: `markerPath`). */
export interface MergeRecord {
  theirs: string;
  /** The incoming commit's author time, seconds. */
  theirsTime: number;
  message: string;
  /** Each note's mtime (ms) before the merge, by its path from the repository's root. */
  ours: Record<string, number>;
}

export interface MergedNote {
  path: string;
  merge: NoteMerge;
  /** The lines for the report (what the driver prints on stderr). */
  lines: string[];
}

export type MergeOutcome = { ok: true; notes: MergedNote[]; resumed: boolean } | { ok: false; code: 'git-failed' | 'not-a-note'; message: string };

interface Repo {
  ws: string;
  g: GitDirs;
  /** `-c user.name=… -c user.email=…` when git has no identity. */
  ident: string[];
}

export const markerPath = (ws: string): string => join(ws, '.planager', 'remote', 'merge.json');

/** Notes' mtimes by their path from the repository's root, for `MergeRecord.ours`. */
export function oursTimes(ws: string, root: string, notes: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of notes) {
    const st = statSync(join(ws, p), { throwIfNoEntry: false });
    if (st) out[relative(root, join(ws, p))] = st.mtimeMs;
  }
  return out;
}

/** `git merge` of `rec.theirs`, the notes git leaves unmerged merged here. */
export async function mergeUpstream(r: Repo, rec: MergeRecord): Promise<MergeOutcome> {
  await mkdir(dirname(markerPath(r.ws)), { recursive: true });
  await writeFile(markerPath(r.ws), `${JSON.stringify(rec)}\n`);
  const m = await run(
    'git',
    [
      ...r.ident,
      '-c',
      'merge.planager.driver=false',
      '-c',
      'merge.planager.recursive=binary',
      'merge',
      '--no-edit',
      '--no-verify',
      '-m',
      rec.message,
      rec.theirs,
    ],
    r.g.root,
  );
  if (m.ok) {
    await rm(markerPath(r.ws), { force: true });
    return { ok: true, notes: [], resumed: false };
  }
  if (!existsSync(join(r.g.gitDir, 'MERGE_HEAD'))) return abort(r, 'git-failed', lastLine(m.stderr || m.stdout));
  return conclude(r, rec, false);
}

/**
 * A merge an earlier run left under way (its record, and git's MERGE_HEAD naming the same
 * commit): finished now. Null when there is none; a record git no longer backs is dropped.
 */
export async function resumeMerge(r: Repo): Promise<MergeOutcome | null> {
  let rec: MergeRecord;
  try {
    rec = JSON.parse(readFileSync(markerPath(r.ws), 'utf8')) as MergeRecord;
  } catch {
    return null;
  }
  let head = '';
  try {
    head = readFileSync(join(r.g.gitDir, 'MERGE_HEAD'), 'utf8').trim();
  } catch {
    // no merge under way: the run stopped before git merge began, or after the commit
  }
  if (head !== rec.theirs) {
    await rm(markerPath(r.ws), { force: true });
    return null;
  }
  return conclude(r, rec, true);
}

/** Back to before the merge (a merge half done is worse than none: the next run tries again). */
export async function abort(r: Repo, code: 'git-failed' | 'not-a-note', message: string): Promise<MergeOutcome> {
  if (existsSync(join(r.g.gitDir, 'MERGE_HEAD'))) await run('git', ['merge', '--abort'], r.g.root);
  await rm(markerPath(r.ws), { force: true });
  return { ok: false, code, message };
}

interface Unmerged {
  path: string;
  /** Blob ids by stage (1 base, 2 ours, 3 theirs). */
  stages: Map<number, string>;
  regular: boolean;
}

async function unmerged(r: Repo): Promise<Unmerged[]> {
  const ls = await run('git', ['ls-files', '-u', '-z', '--full-name'], r.g.root);
  const byPath = new Map<string, Unmerged>();
  for (const entry of ls.stdout.split('\0').filter(Boolean)) {
    // "MODE OID STAGE\tPATH": the path is everything after the tab (it may hold anything else).
    const tab = entry.indexOf('\t');
    const [mode, oid, stage] = entry.slice(0, tab).split(' ');
    const path = entry.slice(tab + 1);
    const u = byPath.get(path) ?? { path, stages: new Map(), regular: true };
    u.stages.set(Number(stage), oid);
    u.regular &&= mode === '100644' || mode === '100755';
    byPath.set(path, u);
  }
  return [...byPath.values()];
}

/** Blob texts by id, one `git cat-file --batch` for all. */
function blobs(root: string, ids: string[]): Promise<Map<string, string>> {
  return new Promise((done, fail) => {
    const child = execFile('git', ['cat-file', '--batch'], { cwd: root, encoding: 'buffer', maxBuffer: 1 << 30 }, (err, out) => {
      if (err) return fail(err);
      const map = new Map<string, string>();
      let at = 0;
      while (at < out.length) {
        const nl = out.indexOf(10, at);
        const [id, , size] = out.subarray(at, nl).toString('latin1').split(' ');
        const n = Number(size);
        map.set(id, out.subarray(nl + 1, nl + 1 + n).toString('utf8'));
        at = nl + 1 + n + 1;
      }
      done(map);
    });
    child.stdin?.end(`${ids.join('\n')}\n`);
  });
}

/** Every unmerged note merged, written, added; the merge committed. */
async function conclude(r: Repo, rec: MergeRecord, resumed: boolean): Promise<MergeOutcome> {
  const todo = await unmerged(r);
  const odd = todo.find((u) => !u.path.endsWith('.norg') || !u.regular || !u.stages.has(2) || !u.stages.has(3));
  if (odd)
    return abort(
      r,
      'not-a-note',
      `${odd.path}: ${odd.path.endsWith('.norg') ? 'deleted or renamed on one side and changed on the other' : 'not a note, changed on both sides'}`,
    );
  const notes: MergedNote[] = [];
  try {
    const text = await blobs(r.g.root, [...new Set(todo.flatMap((u) => [...u.stages.values()]))]);
    const now = new Date();
    for (const u of todo) {
      const [base, ours, theirs] = [1, 2, 3].map((s) => text.get(u.stages.get(s) ?? '') ?? '');
      const merge = mergeNotes(base, ours, theirs, sideByTimes(rec.ours[u.path] ?? null, rec.theirsTime));
      await writeFile(join(r.g.root, u.path), merge.text, 'utf8');
      await logLosers(merge, u.path, r.g.root, now);
      notes.push({ path: u.path, merge, lines: report(merge, u.path).split('\n').filter(Boolean) });
    }
  } catch (e) {
    return abort(r, 'git-failed', `merging the notes: ${(e as Error).message}`);
  }
  // Literal pathspecs: a note named like pathspec magic (`:(glob)…`) is still just its name.
  const add = todo.length ? await run('git', ['--literal-pathspecs', 'add', '--', ...todo.map((u) => u.path)], r.g.root) : null;
  if (add && !add.ok) return abort(r, 'git-failed', lastLine(add.stderr));
  const c = await run('git', [...r.ident, 'commit', '-q', '--no-verify', '-m', rec.message], r.g.root);
  if (!c.ok) return abort(r, 'git-failed', lastLine(c.stderr || c.stdout));
  await rm(markerPath(r.ws), { force: true });
  return { ok: true, notes, resumed };
}
