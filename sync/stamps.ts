/**
 * What a read-only run's output depended on, collected while it reads, so that the same run
 * later can be answered from a record (cli/replay.ts) when nothing it read has changed: every
 * file and folder read, stamped *before* it was read (a write during the read then changes the
 * stamp, and the next run reads again), the moment the output stops holding (a task's wait date
 * passing), and whether anything was read that no stamp can vouch for (a `task export`).
 *
 * Node built-ins only: the entry of the command (cli/bin.ts) checks stamps before the rest of
 * the CLI is loaded.
 */
import { statSync } from 'node:fs';

/**
 * Size, mtime, ctime and inode of a file or folder (a folder's mtime moves when an entry is
 * added, removed or renamed); null when it does not exist; '?' when it cannot be looked at.
 * ctime and inode catch what size and mtime miss: a copy that keeps the old mtime (rsync -t,
 * tar) and a file replaced by a rename.
 */
export function stampOf(path: string): string | null {
  try {
    const s = statSync(path, { throwIfNoEntry: false });
    return s ? `${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}` : null;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOTDIR' ? null : '?';
  }
}

/** The mtime a stamp holds (ms), or null. */
export function stampTime(stamp: string | null): number | null {
  if (stamp === null || stamp === '?') return null;
  return Number(stamp.split(':')[1]);
}

export class Inputs {
  /** Each path read, with its stamp from before the first read. */
  readonly files = new Map<string, string | null>();
  /** The output may differ from this moment on (ms since the epoch). */
  until = Number.POSITIVE_INFINITY;
  /** Why the run cannot be replayed, when it cannot. */
  why: string | null = null;

  /** Call before reading `path` (a file, or a folder before listing it). */
  file(path: string): void {
    if (this.files.has(path)) return;
    const s = stampOf(path);
    if (s === '?') this.cannot(`${path} cannot be stat'ed`);
    this.files.set(path, s);
  }

  expires(at: number): void {
    if (at < this.until) this.until = at;
  }

  cannot(why: string): void {
    this.why ??= why;
  }
}
