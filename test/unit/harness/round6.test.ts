/**
 * Findings of harness round 6, each a minimal history written by hand from what the harness
 * shrank it to. Each test says the seed and command that found it.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setup } from '../sync/regress/util.js';

const UUID = '5a1e0c3e-9f1b-4c8e-8d2a-0b6f3e7d9a41';
const A = '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple n1\n  - ( |< 2026-12-01) apple n3\n';
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

  it('round6-c2: a task added in Taskwarrior, then the shard of its note lost, was imported again as new (entry and annotations gone)', async () => {
    // `npm run harness -- --seed 100940 --runs 1 --steps 40` (fault delete-state), shrunk to 7 steps, then by hand.
    const env = setup({ 'a.norg': A, 'b.norg': B });
    env.importJson([
      {
        uuid: UUID,
        description: 'fence n5',
        status: 'pending',
        entry: '20261201T000000Z',
        project: 'alpha.One',
        annotations: [{ entry: '20261201T000000Z', description: 'call first' }],
      },
    ]);
    expect((await env.run()).code).toBe(0);
    expect(env.read('a.norg')).toMatch(/- \( \) fence n5 %#[0-9a-f]+%/);
    // Another task changed in Taskwarrior: the next sync reads what changed from undo.data, not an export.
    env.sb.task(env.tw('apple n3').uuid, 'annotate', 'dance a4');
    const before = env.byUuid(UUID)!;
    const shards = join(env.ws, '.planager', 'shards');
    for (const f of readdirSync(shards)) if (JSON.parse(env.read(join('.planager', 'shards', f))).file === 'a.norg') rmSync(join(shards, f));
    const r = await env.run();
    expect(r.code, r.error?.message).toBe(0);
    const after = env.byUuid(UUID)!;
    expect([after.entry, after.annotations, after.modified]).toEqual([before.entry, before.annotations, before.modified]);
    const text = env.read('a.norg');
    const again = await env.run();
    expect([again.code, again.changed]).toEqual([0, false]);
    expect(env.read('a.norg')).toBe(text);
  });
});
