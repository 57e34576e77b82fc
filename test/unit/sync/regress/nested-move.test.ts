/**
 * A nested task moved to another heading by a project change in Taskwarrior (harness seed
 * 100439): its block kept its depth (`-- cable`), so under the new heading it read as a subtask
 * of the item before it there, while Taskwarrior kept the old parent's `depends` on it. It now
 * lands as a first-level item with its own subtasks under it, and the parent it left drops it.
 */
import { describe, expect, it } from 'vitest';
import { dependsOf } from '../../../../sync/mapping.js';
import { setup } from './util.js';

const NOTE = '@document.meta\nproject: beta\n@end\n\n* One\n  - ( ) apple\n\n* Two\n  - ( ) pear\n  -- ( ) cable\n  --- ( ) wire\n';

describe('a nested task moved to another heading', () => {
  it('lands as a first-level item with its subtasks; the parent it left no longer depends on it; a sync after changes nothing', async () => {
    const env = setup({ 'b.norg': NOTE });
    expect((await env.run()).code).toBe(0);
    expect(dependsOf(env.tw('pear'))).toEqual([env.tw('cable').uuid]);
    env.sb.task(env.tw('cable').uuid, 'modify', 'project:beta.One');
    const r = await env.run();
    expect(r.code).toBe(0);
    const text = env.read('b.norg');
    expect(text).toMatch(/\* One\n {2}- \( \) apple %#[0-9a-f]+%\n {2}- \( \) cable %#[0-9a-f]+%\n {2}-- \( \) wire %#[0-9a-f]+%\n/);
    expect(text).toMatch(/\* Two\n {2}- \( \) pear %#[0-9a-f]+%\n$/);
    expect(dependsOf(env.tw('pear'))).toEqual([]);
    expect(dependsOf(env.tw('apple'))).toEqual([]);
    expect(dependsOf(env.tw('cable'))).toEqual([env.tw('wire').uuid]);
    const again = await env.run();
    expect([again.code, again.changed, again.processes]).toEqual([0, false, 0]);
  });
});
