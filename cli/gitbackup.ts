/**
 * `--backup workspace` from the command line: the engine (sync/backup.ts) commits the notes,
 * `.planager/taskwarrior.json` and `.planager/activity.jsonl` in the workspace's own git
 * repository with `git commit -- PATHS`, so what the user staged elsewhere stays staged and
 * uncommitted. Before it runs, the CLI makes the state folder fit a user's repository:
 *
 * - `.planager/.gitignore` ignores everything in the state folder (itself included) except the
 *   two files the backup commits: the rest (shards, index, lock, journal) is Planager's working
 *   state, rebuilt from those, so `git status` stays clean. Written once; a file the user changed
 *   (no marker line) is left alone.
 * - `.planager/activity.jsonl` exists (empty until a sync overwrites a value): on a first sync
 *   it did not, and the commit failed with "pathspec '.planager/activity.jsonl' did not match".
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';

export const GITIGNORE_MARK = '# written by planager (--backup workspace)';
export const GITIGNORE = `${GITIGNORE_MARK}: Planager's working state stays out of git;
# the backup commits only these two (the notes are committed where they are).
*
!taskwarrior.json
!activity.jsonl
`;

/** Null when ready; else why a workspace backup cannot be made. */
export async function prepareWorkspaceBackup(workspace: string, stateDir: string): Promise<string | null> {
  const rel = relative(workspace, stateDir);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
    return `--backup workspace needs the state folder inside the workspace (${stateDir} is not in ${workspace})`;
  try {
    const path = join(stateDir, '.gitignore');
    const have = await readFile(path, 'utf8').catch(() => null);
    if (have === null) await writeFile(path, GITIGNORE);
    await appendFile(join(stateDir, 'activity.jsonl'), '');
    return null;
  } catch (e) {
    return `cannot prepare ${stateDir} for a workspace backup: ${(e as Error).message}`;
  }
}
