/**
 * Issue 18 (speed, `npm run bench -- remote`): three of the five `sync --remote` runs there
 * (desk, then laptop and desk again) started a `task import` that received no task. git merge
 * had rewritten the notes and `task sync` had already brought the same values into
 * Taskwarrior, so the two-way sync found nothing to send; yet sync/engine.ts started its early
 * import as soon as the scan saw a changed note, and fed it empty input at the end. The import
 * now starts once the plan holds tasks to send.
 */
import { describe, expect, it } from 'vitest';
import { settle, setup } from './util.js';

const imports = (calls: string[]) => calls.filter((c) => / import -/.test(c));

describe('issue 18: a sync starts a task import only with tasks to send', () => {
  it('the note and Taskwarrior changed to the same value (a merge and a task sync): no task process', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple\n  - ( ) bread\n' });
    expect((await env.run()).code).toBe(0);
    const apple = env.tw('apple');
    // What `task sync` brings from another device: a new priority (and a new `modified`).
    env.sb.task(apple.uuid, 'modify', 'priority:H');
    // What `git merge` brings from it: the same priority on the line.
    env.edit('a.norg', /- \( \) apple/, '- ( |# A) apple');
    env.sb.resetCalls();
    const r = await env.run();
    expect(r.code, r.error?.message).toBe(0);
    expect(imports(env.sb.calls())).toEqual([]);
    expect(r.processes).toBe(0);
    expect(r.taskwarrior).toEqual({ created: [], updated: [], deleted: [] });
    expect(r.notes).toEqual([]);
    expect(env.tw('apple').priority).toBe('H');
    await settle(env, ['apple', 'bread']);
  });

  it('a note edit outside its task lines: no task process', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  Some words.\n  - ( ) apple\n' });
    expect((await env.run()).code).toBe(0);
    env.edit('a.norg', 'Some words.', 'Other words.');
    env.sb.resetCalls();
    const r = await env.run();
    expect(r.code, r.error?.message).toBe(0);
    expect(imports(env.sb.calls())).toEqual([]);
    expect(r.processes).toBe(0);
    await settle(env, ['apple']);
  });

  it('a note edit with something to send still imports it, in one process', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple\n  - ( ) bread\n' });
    expect((await env.run()).code).toBe(0);
    env.edit('a.norg', /- \( \) apple/, '- ( |# A) apple');
    env.sb.resetCalls();
    const r = await env.run();
    expect(r.code, r.error?.message).toBe(0);
    expect(imports(env.sb.calls()).length).toBe(1);
    expect(r.processes).toBe(1);
    expect(r.taskwarrior.updated.length).toBe(1);
    expect(env.tw('apple').priority).toBe('H');
    await settle(env, ['apple', 'bread']);
  });
});
