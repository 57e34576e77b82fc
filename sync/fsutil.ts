/**
 * Small file helpers: atomic writes (temp file + rename in the same folder) and JSON state.
 * Synchronous on purpose: these files are small, and a thread-pool round trip per call cost
 * more than the work (measured: a one-task sync did dozens of them). The callers run in the
 * CLI or in the host process, never in Neovim's.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

const made = new Set<string>();

/** Open a temp file; a folder made earlier in this process and removed since is made again. */
function openIn(dir: string, tmp: string, mode: number): number {
  try {
    return openSync(tmp, 'w', mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    mkdirSync(dir, { recursive: true });
    return openSync(tmp, 'w', mode);
  }
}

/**
 * Write a file so that a crash leaves either the old or the new content, never half (rename
 * is atomic). `durable` also flushes it to disk first: used for the user's notes; Planager's
 * own state is recoverable (a lost update only makes the next sync compare again), and a flush
 * costs milliseconds that a one-task sync cannot spare.
 */
export async function writeAtomic(target: string, data: string | Uint8Array, durable = false): Promise<void> {
  const { path, mode } = destination(target);
  const dir = dirname(path);
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  const tmp = join(dir, `.${randomBytes(6).toString('hex')}.planager-tmp`);
  const fd = openIn(dir, tmp, mode);
  try {
    fchmodSync(fd, mode);
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw e;
  }
}

/**
 * Where a write of `path` really goes and with which mode: a symlink's target (the link stays
 * a link), keeping the file's permissions (a 600 note stays 600; new files get 644).
 */
function destination(path: string): { path: string; mode: number } {
  let real = path;
  try {
    if (lstatSync(path).isSymbolicLink()) real = realpathSync(path);
  } catch {
    // not there yet, or a dangling link: written where it points, else as named
  }
  const s = statSync(real, { throwIfNoEntry: false });
  return { path: real, mode: s ? s.mode & 0o7777 : 0o644 };
}

/** A note nobody may write (no write bit at all): reported instead of overwritten, even as root. */
export function isReadOnly(path: string): boolean {
  const s = statSync(path, { throwIfNoEntry: false });
  return !!s && (s.mode & 0o222) === 0;
}

/** Files written (and flushed) to temp names, waiting to be renamed over their targets. */
export interface Staged {
  /** Rename the staged files whose target `keep` accepts over their targets; drop the others. */
  commit(keep?: (path: string) => boolean): void;
  /** Remove every staged temp file. */
  abort(): void;
}

/**
 * Several files, each atomically, flushed together: every temp file is written first, then
 * all are flushed; nothing is renamed until `commit`. One journal commit usually carries all
 * the flushes, so ten notes cost little more than one (measured: 100 notes one by one took
 * 55 ms). Staging apart from renaming lets a sync write and flush its notes while `task`
 * imports, and rename them only once the import succeeded.
 */
export function stageAll(files: { path: string; data: string }[], durable = false): Staged {
  const open: { fd: number; tmp: string; path: string; target: string }[] = [];
  const drop = () => {
    for (const o of open) {
      try {
        closeSync(o.fd);
      } catch {
        // closed already
      }
      try {
        unlinkSync(o.tmp);
      } catch {
        // already gone
      }
    }
  };
  try {
    for (const f of files) {
      const { path, mode } = destination(f.path);
      const dir = dirname(path);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      const tmp = join(dir, `.${randomBytes(6).toString('hex')}.planager-tmp`);
      const fd = openIn(dir, tmp, mode);
      open.push({ fd, tmp, path, target: f.path });
      fchmodSync(fd, mode);
      writeSync(fd, Buffer.from(f.data, 'utf8'));
    }
    if (durable) for (const o of open) fsyncSync(o.fd);
    for (const o of open) closeSync(o.fd);
  } catch (e) {
    drop();
    throw e;
  }
  let done = false;
  return {
    commit(keep = () => true) {
      if (done) return;
      done = true;
      for (const o of open) {
        if (keep(o.target)) renameSync(o.tmp, o.path);
        else unlinkSync(o.tmp);
      }
    },
    abort() {
      if (done) return;
      done = true;
      for (const o of open) {
        try {
          unlinkSync(o.tmp);
        } catch {
          // already gone
        }
      }
    },
  };
}

/** `stageAll` and `commit` at once. */
export async function writeAtomicAll(files: { path: string; data: string }[], durable = false): Promise<void> {
  stageAll(files, durable).commit();
}

export async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
