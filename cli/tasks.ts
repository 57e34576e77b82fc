/** `planager tasks FILE… [--json]`: the list-item tasks of norg files, in document order. */
import { readFile } from 'node:fs/promises';
import { decodeUtf8, extractTasks, parse, type TaskItem } from '../parser/index.js';
import { join } from 'node:path';
import { listNorgFiles } from '../sync/index.js';
import type { CommandResult } from './result.js';
import { findWorkspace } from './workspace.js';

/** The fields `planager tasks --json` prints (issue #2), in that order. */
export type TaskJson = Pick<TaskItem, 'line' | 'level' | 'status' | 'description' | 'priority' | 'due' | 'start' | 'parent' | 'project'>;

export function toJson(t: TaskItem): TaskJson {
  return {
    line: t.line,
    level: Math.min(t.level, 6),
    status: t.status,
    description: t.description,
    priority: t.priority,
    due: t.due,
    start: t.start,
    parent: t.parent,
    project: t.project,
  };
}

type Read = { ok: true; tasks: TaskJson[] } | { ok: false; message: string };

async function readTasks(path: string): Promise<Read> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    return { ok: false, message: `${path}: ${why}` };
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) return { ok: false, message: `${path}: not valid UTF-8 (first bad byte at offset ${decoded.byteOffset}); the file was not changed` };
  return { ok: true, tasks: extractTasks(parse(decoded.text)).map(toJson) };
}

const STATUS_MARK: Record<TaskItem['status'], string> = {
  undone: '( )',
  done: '(x)',
  pending: '(-)',
  onhold: '(=)',
  cancelled: '(_)',
  urgent: '(!)',
  recurring: '(+)',
  uncertain: '(?)',
};

function table(tasks: TaskJson[]): string {
  if (tasks.length === 0) return '(no tasks)\n';
  const rows = tasks.map((t) => [
    String(t.line),
    STATUS_MARK[t.status],
    t.priority ?? '',
    t.due ?? '',
    t.project.join(' / '),
    '  '.repeat(t.level - 1) + t.description,
  ]);
  const head = ['line', 'status', 'pri', 'due', 'project', 'description'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [fmt(head), ...rows.map(fmt)].join('\n') + '\n';
}

/**
 * FILEs are relative to the current folder, as in any shell tool. With no FILE, every note of the
 * workspace (`--workspace`, else found upward as for sync), paths relative to the workspace.
 */
export async function tasksCommand(files: string[], json: boolean, workspace?: string): Promise<CommandResult> {
  if (files.length === 0) {
    const w = findWorkspace(workspace);
    if (!w.ok) return { code: 2, stderr: `planager tasks: ${w.message}\n` };
    if (w.how === 'cwd' && workspace === undefined)
      return { code: 2, stderr: 'planager tasks: name at least one .norg file (or --workspace DIR for every note of a workspace)\n' };
    const notes = await listNorgFiles(w.dir, [join(w.dir, '.planager')]);
    if (notes.length === 0) return { code: 0, stdout: json ? '{}\n' : `(no notes in ${w.dir})\n` };
    return listTasks(
      notes.map((n) => join(w.dir, n)),
      notes,
      json,
      true,
    );
  }
  if (workspace !== undefined) {
    const w = findWorkspace(workspace);
    if (!w.ok) return { code: 2, stderr: `planager tasks: ${w.message}\n` };
  }
  return listTasks(files, files, json, false);
}

/** `labels[i]` names `paths[i]` in the output; `keyed` keys JSON by label even for one file. */
async function listTasks(paths: string[], labels: string[], json: boolean, keyed: boolean): Promise<CommandResult> {
  const files = labels;
  const results = await Promise.all(paths.map(readTasks));
  const errors = results.flatMap((r) => (r.ok ? [] : [r.message]));
  if (errors.length > 0) return { code: 2, stderr: errors.map((e) => `planager tasks: ${e}\n`).join('') };
  const lists = results.map((r) => (r.ok ? r.tasks : []));
  if (json) {
    const out = files.length === 1 && !keyed ? lists[0] : Object.fromEntries(files.map((f, i) => [f, lists[i]]));
    return { code: 0, stdout: JSON.stringify(out, null, 2) + '\n' };
  }
  if (files.length === 1 && !keyed) return { code: 0, stdout: table(lists[0]) };
  return { code: 0, stdout: files.map((f, i) => `${f}\n${table(lists[i])}`).join('\n') };
}
