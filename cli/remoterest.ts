/**
 * The files a full `sync --remote` decides by, for the quiet record (cli/remotequiet.ts): as
 * long as none of them moved, a run would decide the same, and do nothing.
 *
 * - the notes as the two-way sync finds them (sync/workspace.ts's walk), with every folder the
 *   walk enters: a note added, removed or renamed changes its folder's mtime;
 * - .gitattributes (committed with the notes: the merge driver's attribute);
 * - the sync's index and journal in .planager (what tells the two-way sync it has nothing to do),
 *   not the rest of that folder, which reminders and editors write to;
 * - Taskwarrior's data files, its hooks and its rc files;
 * - the git files naming the branch, its commit and its upstream;
 * - this program (an upgrade may decide otherwise).
 */
import { readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GitDirs } from '../sync/gitrefs.js';
import { Inputs } from '../sync/stamps.js';
import { walkNorgFiles } from '../sync/workspace.js';

export interface RestInput {
  ws: string;
  g: GitDirs;
  branch: string;
  /** Taskwarrior's data folder. */
  dataDir: string;
  /** The taskrc and the files it includes. */
  taskrc: string[];
}

/** Every path to stamp (`all`), and Taskwarrior's data files among them (`tw`). */
export function restingFiles(i: RestInput): { all: string[]; tw: string[] } {
  const tw = ['pending.data', 'completed.data', 'undo.data', 'taskchampion.sqlite3'].map((f) => join(i.dataDir, f));
  const state = join(i.ws, '.planager');
  const all = [
    ...noteTree(i.ws, state),
    join(i.ws, '.gitattributes'),
    ...['index.json', 'journal.json', 'catalog.json'].map((f) => join(state, f)),
    ...tw,
    ...entries(join(i.dataDir, 'hooks')),
    ...i.taskrc,
    ...gitFiles(i.g, i.branch),
    ...self(),
  ];
  return { all: [...new Set(all)], tw };
}

/**
 * The notes sync/workspace.ts's walk finds, with every folder it enters (and the linked notes
 * and other workspaces' folders it stamps): the same walk, so the two never disagree.
 */
function noteTree(ws: string, stateDir: string): string[] {
  const seen = new Inputs();
  const notes = walkNorgFiles(ws, [stateDir], seen);
  return [...seen.files.keys(), ...notes.map((n) => join(ws, n))];
}

/** A folder and what it holds (a hook edited in place changes the file, not the folder). */
function entries(dir: string): string[] {
  try {
    return [dir, ...readdirSync(dir).map((n) => join(dir, n))];
  } catch {
    return [dir];
  }
}

function gitFiles(g: GitDirs, branch: string): string[] {
  // A `.git` file (a linked work tree) names the git folder; a `.git` folder's own mtime moves
  // with every lock file git makes, so it is not stamped.
  const dotgit = join(g.root, '.git');
  return [
    ...(g.gitDir === dotgit ? [] : [dotgit]),
    join(g.gitDir, 'HEAD'),
    join(g.gitDir, 'index'),
    join(g.gitDir, 'MERGE_HEAD'),
    join(g.commonDir, 'config'),
    join(g.commonDir, 'packed-refs'),
    join(g.commonDir, 'refs', 'heads', branch),
  ];
}

/** The command's entry and this bundle. */
function self(): string[] {
  const out = [fileURLToPath(import.meta.url)];
  try {
    if (process.argv[1]) out.push(realpathSync(process.argv[1]));
  } catch {
    // run some other way (tests calling the function): the bundle alone
  }
  return out;
}
