/**
 * Notes a sync cannot write (read-only, not valid UTF-8): what it does not write, nothing else
 * may show or count as done (round3-f2, f3).
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setup } from './regress/util.js';

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
});
