/**
 * One writer at a time, across processes (two Neovims, the CLI, a cron job): a lock folder
 * created with mkdir (atomic on every local file system) holding the owner's pid. A lock whose
 * owner is gone is taken over; a live one is waited for, up to a timeout.
 */
// Synchronous calls only, on tiny files: cheaper than thread-pool round trips, and node:fs/promises
// stays unloaded on the quiet `sync --remote` (cli/remotequiet.ts), ≈1 ms of it.
import { mkdirSync, readFileSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Lock {
  release(): Promise<void>;
}

function readOwner(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireLock(dir: string, timeoutMs = 30_000): Promise<{ ok: true; lock: Lock } | { ok: false; code: 'lock-timeout'; message: string }> {
  const path = join(dir, 'lock');
  mkdirSync(dir, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let wait = 5;
  for (;;) {
    try {
      // Synchronous: two tiny calls, cheaper than two thread-pool round trips.
      mkdirSync(path);
      writeFileSync(join(path, 'owner'), String(process.pid));
      let released = false;
      return {
        ok: true,
        lock: {
          release: async () => {
            if (released) return;
            released = true;
            // Two plain calls: a recursive rm walks the folder in JavaScript, several times slower.
            try {
              unlinkSync(join(path, 'owner'));
              rmdirSync(path);
            } catch {
              rmSync(path, { recursive: true, force: true });
            }
          },
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number(readOwner(join(path, 'owner')));
    if (owner && !alive(owner)) {
      rmSync(path, { recursive: true, force: true });
      continue;
    }
    if (!owner) {
      // Created but not yet written, or left empty by a crash between mkdir and write.
      const s = statSync(path, { throwIfNoEntry: false });
      if (s && Date.now() - s.mtimeMs > 5_000) rmSync(path, { recursive: true, force: true });
    }
    if (Date.now() > deadline) return { ok: false, code: 'lock-timeout', message: `another Planager sync holds ${path} (pid ${owner || 'unknown'})` };
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 100);
  }
}

/** Runs jobs one after another within a process (the host's queue of writes). */
export class Queue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(job: () => Promise<T>): Promise<T> {
    const next = this.tail.then(job, job);
    this.tail = next.catch(() => {});
    return next;
  }
}
