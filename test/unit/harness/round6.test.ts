/**
 * Findings of harness round 6, each a minimal history written by hand from what the harness
 * shrank it to. Each test says the seed and command that found it.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setup } from '../sync/regress/util.js';

const B = '@document.meta\nproject: beta\n@end\n\n* One\n  - (!) dance n3\n\n* Two\n';

describe('harness round 6 findings', () => {
  it('round6-c1: a task done in Taskwarrior, then the catalog lost, stays urgent in its note', async () => {
    // `npm run harness -- --seed 100827 --runs 1 --steps 40` (fault delete-state), shrunk to 14 steps, then by hand.
    const env = setup({ 'b.norg': B });
    expect((await env.run()).code).toBe(0);
    expect(env.read('b.norg')).toMatch(/- \(!\) dance n3 %#[0-9a-f]+%/);
    const { uuid } = env.tw('dance n3');
    env.sb.task(uuid, 'done');
    rmSync(join(env.ws, '.planager', 'catalog.json'));
    const r = await env.run();
    expect(r.code, r.error?.message).toBe(0);
    expect(env.tw('dance n3').status).toBe('completed');
    expect(env.read('b.norg')).toMatch(/- \(x\) dance n3 %#[0-9a-f]+%/);
    const text = env.read('b.norg');
    const again = await env.run();
    expect([again.code, again.changed]).toEqual([0, false]);
    expect(env.read('b.norg')).toBe(text);
  });
});
