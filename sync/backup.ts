/**
 * Git backups of the notes and of a Taskwarrior export, after a sync that changed anything.
 *
 * - mode `state` (default): a repository of its own under the state folder
 *   (`.planager/backup`), holding copies of the notes and `taskwarrior.json`;
 * - mode `workspace`: the workspace's own repository, when it has one and the user chose it;
 *   only the notes, `.planager/taskwarrior.json` and the activity log are committed (git commit
 *   with paths), so nothing else the user has staged or changed is touched.
 * Git runs through simple-git (argv, no shell). A failing git leaves notes and state alone.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { writeAtomic } from './fsutil.js';
import { loadState } from './engine.js';
import { listNorgFiles } from './workspace.js';

export type BackupMode = 'state' | 'workspace';

export interface BackupResult {
  ok: boolean;
  commit?: string;
  message?: string;
}

const IDENT = ['-c', 'user.name=Planager', '-c', 'user.email=planager@localhost', '-c', 'commit.gpgsign=false'];

function git(dir: string): SimpleGit {
  // No user config of the machine is needed or changed: identity is per command.
  return simpleGit({ baseDir: dir, config: IDENT.filter((x) => x !== '-c') });
}

async function exportJson(stateDir: string): Promise<string> {
  const state = await loadState(stateDir);
  const tasks = Object.values(state.cache).sort((a, b) => a.uuid.localeCompare(b.uuid));
  return JSON.stringify(tasks, null, 1) + '\n';
}

export async function backup(workspace: string, stateDir: string, mode: BackupMode, message: string): Promise<BackupResult> {
  try {
    const files = await listNorgFiles(workspace, [stateDir]);
    if (mode === 'workspace') {
      const g = git(workspace);
      if (!(await g.checkIsRepo())) return { ok: false, message: `${workspace} is not a git repository (use backup = "state")` };
      await writeAtomic(join(stateDir, 'taskwarrior.json'), await exportJson(stateDir));
      const rel = (p: string) => p.slice(workspace.length + 1);
      const paths = [...files, rel(join(stateDir, 'taskwarrior.json')), rel(join(stateDir, 'activity.jsonl'))];
      await g.add(paths);
      const status = await g.status(paths);
      if (status.staged.length === 0 && status.created.length === 0) return { ok: true };
      const r = await g.commit(message, paths);
      return { ok: true, commit: r.commit };
    }
    const repo = join(stateDir, 'backup');
    await mkdir(repo, { recursive: true });
    const g = git(repo);
    if (!(await g.checkIsRepo()).valueOf() || !(await readFile(join(repo, '.git', 'HEAD')).catch(() => null))) await g.init();
    for (const f of files) {
      const to = join(repo, 'notes', f);
      await mkdir(dirname(to), { recursive: true });
      await copyFile(join(workspace, f), to);
    }
    await writeFile(join(repo, 'taskwarrior.json'), await exportJson(stateDir));
    await copyFile(join(stateDir, 'activity.jsonl'), join(repo, 'activity.jsonl')).catch(() => {});
    await g.add(['-A']);
    const status = await g.status();
    if (status.isClean()) return { ok: true };
    const r = await g.commit(message);
    return { ok: true, commit: r.commit };
  } catch (e) {
    return { ok: false, message: `git backup failed: ${(e as Error).message}` };
  }
}

export interface BackupEntry {
  commit: string;
  date: string;
  message: string;
}

export async function listBackups(workspace: string, stateDir: string, mode: BackupMode): Promise<BackupEntry[]> {
  const dir = mode === 'workspace' ? workspace : join(stateDir, 'backup');
  try {
    const g = git(dir);
    if (!(await g.checkIsRepo())) return [];
    const log = await g.log(mode === 'workspace' ? { file: join(stateDir, 'taskwarrior.json') } : {});
    return log.all.map((c) => ({ commit: c.hash, date: c.date, message: c.message }));
  } catch {
    return [];
  }
}

/** Bring notes back from a backup commit (all of them, or one file). Returns the files written. */
export async function restoreBackup(
  workspace: string,
  stateDir: string,
  mode: BackupMode,
  commit: string,
  file?: string,
): Promise<{ ok: true; files: string[] } | { ok: false; message: string }> {
  const dir = mode === 'workspace' ? workspace : join(stateDir, 'backup');
  const prefix = mode === 'workspace' ? '' : 'notes/';
  try {
    const g = git(dir);
    const listed = (await g.raw(['ls-tree', '-r', '--name-only', commit])).split('\n').filter((p) => p.startsWith(prefix) && p.endsWith('.norg'));
    const wanted = listed.map((p) => p.slice(prefix.length)).filter((p) => !file || p === file);
    if (wanted.length === 0) return { ok: false, message: file ? `${file} is not in backup ${commit}` : `no notes in backup ${commit}` };
    for (const f of wanted) await writeAtomic(join(workspace, f), await g.show([`${commit}:${prefix}${f}`]));
    return { ok: true, files: wanted };
  } catch (e) {
    return { ok: false, message: `cannot restore from ${commit}: ${(e as Error).message}` };
  }
}
