/**
 * Notes a sync cannot write (not valid UTF-8): what it does not write, nothing else may show
 * or count as done (round3-f3).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setup } from './regress/util.js';

describe('notes a sync cannot write', () => {
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
