/**
 * Harness seed 1002175: the line of a done task removed from its note, then the note's sync
 * state (its shard) garbled before a sync carried the removal out. The sync rebuilds a lost
 * shard's tasks from the catalog so that a removal is still carried out, but it did so only for
 * pending and waiting tasks: the done one stayed done in Taskwarrior, its removal neither made
 * nor logged. A done task's line removed is a deletion like any other (as with its shard).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../../../sync/index.js';
import { settle, setup } from './util.js';

describe('seed 1002175: a done line removed, then its note’s shard garbled before the sync', () => {
  it('the task is deleted and the deletion logged, as with the shard intact', async () => {
    const env = setup({ 'b.norg': '@document.meta\nproject: beta\n@end\n\n* One\n  - (x) apple n1\n  - ( ) grape n2\n' });
    expect((await env.run()).code).toBe(0);
    const apple = env.tw('apple n1');
    expect(apple.status).toBe('completed');
    env.edit('b.norg', /\s*- \(x\) apple n1 %#[0-9a-f]+%/, '');
    writeFileSync(new Store(join(env.ws, '.planager')).shardPath('b.norg'), '{"garbled": [1, 2,');
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(r.warnings.join('\n')).toMatch(/could not be read; what it held was rebuilt/);
    expect(env.byUuid(apple.uuid)?.status).toBe('deleted');
    expect((await env.log()).some((e) => e.uuid === apple.uuid && e.action === 'delete')).toBe(true);
    await settle(env, ['grape n2']);
  });
});
