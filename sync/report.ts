/**
 * What a sync tells its caller: the report, and the failures it can end with (values with a
 * code and a message, never exceptions).
 */
import type { TaskEdit } from '../graph/index.js';
import type { Fields } from './mapping.js';
import type { TwError } from './taskwarrior.js';

export interface NoteChange {
  file: string;
  before: string;
  after: string;
  edits: TaskEdit[];
}

export interface Conflict {
  uuid: string;
  id: string;
  field: keyof Fields;
  note: unknown;
  taskwarrior: unknown;
  winner: 'note' | 'taskwarrior';
}

export interface SyncReport {
  ok: boolean;
  /** 0 success, 1 stopped to ask (bulk guard), 2 error. */
  code: 0 | 1 | 2;
  error?: { code: string; message: string };
  notes: { file: string; edits: number }[];
  taskwarrior: { created: string[]; updated: string[]; deleted: string[] };
  conflicts: Conflict[];
  warnings: string[];
  /** `task` processes this sync started. */
  processes: number;
  dryRun: boolean;
  changed: boolean;
  /** Note changes (for the host to apply to open buffers). */
  noteChanges: NoteChange[];
}

export function emptyReport(dryRun: boolean): SyncReport {
  return {
    ok: true,
    code: 0,
    notes: [],
    taskwarrior: { created: [], updated: [], deleted: [] },
    conflicts: [],
    warnings: [],
    processes: 0,
    dryRun,
    changed: false,
    noteChanges: [],
  };
}

export function fail(r: SyncReport, code: string, message: string, exit: 1 | 2 = 2): SyncReport {
  return { ...r, ok: false, code: exit, error: { code, message } };
}

export function twFail(r: SyncReport, e: TwError): SyncReport {
  return fail(r, e.code, `${e.message}; notes and Taskwarrior are as they were`);
}

/**
 * A file-system failure (EACCES, EROFS, ENOSPC, a garbled state file) as a report that names
 * the file, instead of a stack trace. Whatever was not yet written stays as it was.
 */
export function fsFail(r: SyncReport, e: unknown): SyncReport | null {
  const err = e as NodeJS.ErrnoException;
  if (!err || typeof err.code !== 'string' || !/^E[A-Z]+$/.test(err.code)) return null;
  const what = err.path ? `${err.path}: ` : '';
  const hint: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EISDIR: 'is a folder',
    ENOTDIR: 'a path component is not a folder',
  };
  return fail(r, `fs-${err.code.toLowerCase()}`, `${what}${hint[err.code] ?? err.message}; nothing after that was written, and the next sync finishes the job`);
}
