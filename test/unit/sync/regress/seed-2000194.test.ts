/**
 * Harness seed 2000194: a line moved from b.norg into a.norg, then a.norg given bytes that are
 * not valid UTF-8 before the sync. That sync could not read a.norg, so the line was on no line
 * it read and b.norg's removal of it looked like a deletion: the task was cancelled, and once
 * a.norg was repaired its line held the id of a deleted task. The id in the unreadable note's
 * bytes makes it a move the sync cannot follow yet: the task is kept until the note is read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settle, setup } from './util.js';

describe('seed 2000194: a line moved into a note that is then not valid UTF-8', () => {
  it('the task is kept while the note cannot be read, and follows the move once it is repaired', async () => {
    const env = setup({
      'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n\n* Two\n',
      'b.norg': '@document.meta\nproject: beta\n@end\n\n* One\n  - ( ) apple n1\n\n* Two\n',
    });
    expect((await env.run()).code).toBe(0);
    const apple = env.tw('apple n1');
    const b = readFileSync(join(env.ws, 'b.norg'), 'utf8');
    const line = /\n {2}- \( \) apple n1 %#[0-9a-f]+%/.exec(b)![0];
    writeFileSync(join(env.ws, 'b.norg'), b.replace(line, ''));
    const good = readFileSync(join(env.ws, 'a.norg'), 'utf8').replace('* Two\n', `* Two${line.replace('apple n1', 'house n2')}\n`);
    writeFileSync(join(env.ws, 'a.norg'), Buffer.concat([Buffer.from(good), Buffer.from([0x62, 0xff, 0xfe, 0x0a])]));
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(env.byUuid(apple.uuid)?.status).toBe('pending');
    writeFileSync(join(env.ws, 'a.norg'), good);
    expect((await env.run()).code).toBe(0);
    const now = env.byUuid(apple.uuid);
    expect(now?.status).toBe('pending');
    expect(now?.description).toBe('house n2');
    expect(now?.project).toBe('alpha.Two');
    await settle(env, ['house n2']);
  });
});
