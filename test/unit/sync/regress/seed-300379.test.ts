/**
 * Harness seed 300379 (big, fault bad-utf8; the 600-run batch from seed 300000): lines moved
 * from b.norg to a.norg, then b.norg holding bytes that are not UTF-8 at the sync. Each moved
 * task was imported with no basis, which replaced it: its entry reset to now, its annotations
 * and foreign UDAs gone.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { garble, setup } from './util.js';

const A_NORG = '@document.meta\nproject: alpha\n@end\n\n* Two\n  - ( ) stays\n';
/** The synced line of `mover`, with the line break before it. */
const moverLine = (text: string) => text.match(/\n {2}- \( \) mover[^\n]*/)![0];

describe('seed 300379: a line moved out of a note that is unreadable at the sync', () => {
  it('keeps what the notes cannot express of the moved task', async () => {
    const env = setup({
      'a.norg': A_NORG,
      'b.norg': '@document.meta\nproject: beta\n@end\n\n* One\n  - ( ) mover\n  - ( ) other\n',
    });
    expect((await env.run()).code).toBe(0);
    const before = env.tw('mover');
    env.sb.task(before.uuid, 'annotate', 'kept note');
    env.sb.task(env.tw('other').uuid, 'done');
    expect((await env.run()).code).toBe(0);
    const line = moverLine(env.read('b.norg'));
    env.write('b.norg', env.read('b.norg').replace(line, ''));
    env.write('a.norg', env.read('a.norg') + line.slice(1) + '\n');
    const path = join(env.ws, 'b.norg');
    const { good } = garble(env, 'b.norg');
    expect((await env.run()).code).toBe(0);
    writeFileSync(path, good);
    expect((await env.run()).code).toBe(0);
    const after = env.byUuid(before.uuid)!;
    expect(after.entry).toBe(before.entry);
    expect((after.annotations ?? []).map((a) => a.description)).toEqual(['kept note']);
    expect(after.project).toBe('alpha.Two');
    expect(after.status).toBe('pending');
    expect(env.read('a.norg')).toContain('mover');
  });

  // Passed before the fix as well (a removed note's shard is loaded): the guard of the nearest path.
  it('keeps them too when the note the line left is deleted in the same edit (a note split and removed)', async () => {
    const env = setup({
      'a.norg': A_NORG,
      'b.norg': '@document.meta\nproject: beta\n@end\n\n* One\n  - ( ) mover\n',
    });
    expect((await env.run()).code).toBe(0);
    const before = env.tw('mover');
    env.sb.task(before.uuid, 'annotate', 'kept note');
    expect((await env.run()).code).toBe(0);
    const line = moverLine(env.read('b.norg'));
    env.write('a.norg', env.read('a.norg') + line.slice(1) + '\n');
    rmSync(join(env.ws, 'b.norg'));
    expect((await env.run()).code).toBe(0);
    const after = env.byUuid(before.uuid)!;
    expect(after.status).toBe('pending');
    expect((after.annotations ?? []).map((a) => a.description)).toEqual(['kept note']);
    expect(after.project).toBe('alpha.Two');
  });
});
