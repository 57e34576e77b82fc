/**
 * Harness seed 1000743: a synced line nested under another synced task, then a pull, then a full sync:
 * the nested task's parent never got the dependency the nesting expresses: the pull took the
 * note's depends as the new base without sending them (sync/merge.ts mergeDepends).
 */
import { describe, expect, it } from 'vitest';
import { settle, setup } from './util.js';

describe('seed 1000743: a synced line nested under another, a pull before the push', () => {
  it('the next full sync makes the parent depend on it', async () => {
    const env = setup({ 'b.norg': '@document.meta\nproject: beta\n@end\n\n* Two\n  - ( ) apple n1\n' });
    expect((await env.run()).code).toBe(0);
    env.edit('b.norg', /(apple n1 %#[0-9a-f]+%\n)/, '$1  - (=|# C) cable n10\n');
    expect((await env.run()).code).toBe(0);
    // Nested under apple n1 (apple n1 now depends on it), then a pull before any push.
    env.edit('b.norg', '  - (=|# C) cable n10', '  -- (=|# C) cable n10');
    expect((await env.run({ direction: 'pull' })).code).toBe(0);
    expect((await env.run()).code).toBe(0);
    expect(env.tw('apple n1').depends).toEqual([env.tw('cable n10').uuid]);
    await settle(env, ['apple n1', 'cable n10']);
  });
});
