/**
 * Notes a sync cannot write (read-only, not valid UTF-8) and writes it cannot make (a full
 * disk): what it does not write, nothing else may show or count as done (round3-f2, f3, f4).
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { setup } from './regress/util.js';

/** Staging (sync/fsutil.ts) fails with ENOSPC while `full` is set, as on a full disk. */
const disk = vi.hoisted(() => ({ full: false }));
vi.mock('../../../sync/fsutil.js', async (load) => {
  const real = await load<typeof import('../../../sync/fsutil.js')>();
  return {
    ...real,
    stageAll: (...a: Parameters<typeof real.stageAll>) => {
      if (disk.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return real.stageAll(...a);
    },
  };
});

const A = '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple\n\n* Two\n';
const VIEW = '* View\n|planager view project:alpha.One\n|end\n';
const mirrors = (text: string) => [...text.matchAll(/%@([0-9a-f]+)%/g)].map((m) => m[1]);

describe('notes a sync cannot write', () => {
  it('a new line in a read-only note gets no task, and no viewport shows one', async () => {
    const env = setup({ 'a.norg': A, 'v.norg': VIEW });
    chmodSync(join(env.ws, 'a.norg'), 0o444);
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(r.warnings.join('\n')).toContain('a.norg is read-only');
    expect(r.taskwarrior.created).toEqual([]);
    expect(env.sb.exportAll()).toEqual([]);
    expect(mirrors(env.read('v.norg'))).toEqual([]);
    // Writable again: the task, and its one mirror.
    chmodSync(join(env.ws, 'a.norg'), 0o644);
    expect((await env.run()).code).toBe(0);
    const uuid = env.tw('apple').uuid.replace(/-/g, '');
    expect(mirrors(env.read('v.norg')).map((id) => uuid.startsWith(id))).toEqual([true]);
  });

  it('a task bound for a note that is not valid UTF-8 waits: nothing is planned for the note, and the next sync after the repair brings it', async () => {
    const env = setup({ 'b.norg': '@document.meta\nproject: beta\n@end\n\n* Two\n' });
    expect((await env.run()).code).toBe(0);
    env.sb.task('add', 'joker', 'project:beta.Two');
    const b = join(env.ws, 'b.norg');
    const good = readFileSync(b);
    const bad = Buffer.concat([good, Buffer.from([0xff, 0x0a])]);
    writeFileSync(b, bad);
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(r.noteChanges.map((c) => c.file)).toEqual([]);
    expect(readFileSync(b).equals(bad)).toBe(true);
    writeFileSync(b, good);
    expect((await env.run()).code).toBe(0);
    expect(env.read('b.norg')).toMatch(/\* Two\n {2}- \( \) joker %#[0-9a-f]+%\n$/);
  });

  it('a sync that cannot stage its writes (a full disk) refuses before Taskwarrior is written, and the next one converges', async () => {
    const env = setup({ 'a.norg': A });
    disk.full = true;
    let r: Awaited<ReturnType<typeof env.run>>;
    try {
      r = await env.run();
    } finally {
      disk.full = false;
    }
    expect(r.error?.code).toBe('fs-enospc');
    expect(env.sb.exportAll()).toEqual([]);
    expect(existsSync(join(env.ws, '.planager', 'journal.json'))).toBe(false);
    expect(env.read('a.norg')).toBe(A);
    // The user edits the line before the next sync: one task, on its line, nothing deleted.
    env.edit('a.norg', '( ) apple', '( ) apple pie');
    expect((await env.run()).code).toBe(0);
    expect(env.sb.exportAll().map((t) => [t.description, t.status])).toEqual([['apple pie', 'pending']]);
    expect(env.read('a.norg')).toContain(`( ) apple pie %#${env.tw('apple pie').uuid.slice(0, 8)}%`);
  });
});
