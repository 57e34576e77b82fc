/**
 * Small file helpers: atomic writes (temp file + rename in the same folder) and JSON state.
 * Synchronous on purpose: these files are small, and a thread-pool round trip per call cost
 * more than the work (measured: a one-task sync did dozens of them). The callers run in the
 * CLI or in the host process, never in Neovim's.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

const made = new Set<string>();

/**
 * Write a file so that a crash leaves either the old or the new content, never half (rename
 * is atomic). `durable` also flushes it to disk first: used for the user's notes; Planager's
 * own state is recoverable (a lost update only makes the next sync compare again), and a flush
 * costs milliseconds that a one-task sync cannot spare.
 */
export async function writeAtomic(path: string, data: string | Uint8Array, durable = false): Promise<void> {
  const dir = dirname(path);
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  const tmp = join(dir, `.${randomBytes(6).toString('hex')}.planager-tmp`);
  const fd = openSync(tmp, 'w', 0o644);
  try {
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
 * Several files, each atomically, flushed together: every temp file is written first, then
 * all are flushed, then renamed. One journal commit usually carries all the flushes, so ten
 * notes cost little more than one (measured: 100 notes one by one took 55 ms).
 */
export async function writeAtomicAll(files: { path: string; data: string }[], durable = false): Promise<void> {
  const open: { fd: number; tmp: string; path: string }[] = [];
  try {
    for (const f of files) {
      const dir = dirname(f.path);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      const tmp = join(dir, `.${randomBytes(6).toString('hex')}.planager-tmp`);
      const fd = openSync(tmp, 'w', 0o644);
      open.push({ fd, tmp, path: f.path });
      writeSync(fd, Buffer.from(f.data, 'utf8'));
    }
    if (durable) for (const o of open) fsyncSync(o.fd);
  } catch (e) {
    for (const o of open) {
      try {
        closeSync(o.fd);
        unlinkSync(o.tmp);
      } catch {
        // already gone
      }
    }
    throw e;
  }
  for (const o of open) closeSync(o.fd);
  for (const o of open) renameSync(o.tmp, o.path);
}

export async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
