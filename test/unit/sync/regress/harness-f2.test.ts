/**
 * Found by the harness (issue 13, finding F2): a line removed from a note, then that note's
 * state shard garbled before the next sync. The rebuild must carry out the removal (the
 * catalog still says where the task lived), not pull the task back in as new.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settle, setup } from './util.js';

const shard = (ws: string, file: string) => join(ws, '.planager', 'shards', createHash('sha1').update(file).digest('hex').slice(0, 20) + '.json');

describe('harness F2: a removed line and a garbled shard', () => {
  it('the task is deleted, not brought back', async () => {
    const env = setup({ 'a.norg': '* One\n  - ( ) apple n1\n', 'b.norg': '* One\n  - ( ) bread n2\n  - ( ) cheese n3\n' });
    expect((await env.run()).code).toBe(0);
    const bread = env.tw('bread n2').uuid;
    env.edit('b.norg', /\n {2}- \( \) bread n2 %#[0-9a-f]+%/, '');
    writeFileSync(shard(env.ws, 'b.norg'), '{"garbled": [1, 2,');
    const r = await env.run();
    expect(r.code, r.error?.message).toBe(0);
    expect(r.warnings.join('\n')).toMatch(/could not be read/);
    expect(env.read('b.norg')).not.toContain('bread n2');
    expect(env.byUuid(bread)!.status).toBe('deleted');
    expect((await env.log()).some((e) => e.uuid === bread && e.action === 'delete')).toBe(true);
    await settle(env, ['apple n1', 'cheese n3']);
  });
});
