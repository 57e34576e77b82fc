/**
 * Harness seed 2001037: a task added in Taskwarrior for beta.One, whose heading is in b.norg,
 * and b.norg not valid UTF-8 at the first sync. Its home unknown, the task was recorded
 * unclaimed (looked at again when a heading appears). b.norg repaired, the next sync was a push:
 * it read b.norg's headings and recorded them, but placed nothing; from then on no sync saw a
 * heading change, and the task stayed on no line. It waits for that note instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settle, setup } from './util.js';

describe('seed 2001037: a task whose home note could not be read, then a push', () => {
  it('gets its line from the next sync that pulls', async () => {
    const env = setup({
      'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) bread n3\n',
      'b.norg': '@document.meta\nproject: beta\n@end\n\n* One\n\n* Two\n',
    });
    env.importJson([
      { uuid: 'c4d79c4b-0e61-47de-99d9-b5ca5a8661b3', description: 'apple n2', status: 'pending', project: 'beta.One', entry: '20261201T100000Z' },
    ]);
    const good = readFileSync(join(env.ws, 'b.norg'));
    writeFileSync(join(env.ws, 'b.norg'), Buffer.concat([good, Buffer.from([0x62, 0xff, 0xfe, 0x0a])]));
    expect((await env.run()).code).toBe(0);
    writeFileSync(join(env.ws, 'b.norg'), good);
    expect((await env.run({ direction: 'push' })).code).toBe(0);
    expect((await env.run()).code).toBe(0);
    expect(env.read('b.norg')).toMatch(/\* One\n {2}- \( \) apple n2 %#c4d79c4b%/);
    await settle(env, ['bread n3', 'apple n2']);
  });
});
