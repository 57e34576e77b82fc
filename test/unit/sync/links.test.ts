/**
 * sync/links.ts: a line a sync writes itself (a task pulled from Taskwarrior, a block moved with
 * its project) under a heading a task links to changes that task's `depends` in the same sync;
 * the sync after it finds nothing changed, so it could not be left for later (round3-f6).
 */
import { describe, expect, it } from 'vitest';
import { dependsOf } from '../../../sync/mapping.js';
import { setup, type Env } from './regress/util.js';

const NOTE = '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple {* Two}\n  - ( ) pear\n\n* Two\n  - ( ) plum\n';
const deps = (env: Env, d: string) => dependsOf(env.tw(d)).sort();
const uuids = (env: Env, ...ds: string[]) => ds.map((d) => env.tw(d).uuid).sort();

/** A sync right after changes nothing: no byte, no `task` process. */
async function idle(env: Env): Promise<void> {
  const text = env.read('a.norg');
  const r = await env.run();
  expect([r.code, r.changed, r.processes]).toEqual([0, false, 0]);
  expect(env.read('a.norg')).toBe(text);
}

describe('links read again after the pull', () => {
  it('a task pulled under a linked heading joins the linker in the same sync', async () => {
    const env = setup({ 'a.norg': NOTE });
    expect((await env.run()).code).toBe(0);
    expect(deps(env, 'apple {* Two}')).toEqual(uuids(env, 'plum'));
    env.sb.task('add', 'joker', 'project:alpha.Two');
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(env.read('a.norg')).toMatch(/\* Two\n.*plum.*\n.*joker/);
    expect(deps(env, 'apple {* Two}')).toEqual(uuids(env, 'plum', 'joker'));
    await idle(env);
  });

  it('a block Taskwarrior moves into the linked heading joins it, one moved out leaves it (logged)', async () => {
    const env = setup({ 'a.norg': NOTE });
    expect((await env.run()).code).toBe(0);
    env.sb.task(env.tw('pear').uuid, 'modify', 'project:alpha.Two');
    env.sb.task(env.tw('plum').uuid, 'modify', 'project:alpha.One');
    expect((await env.run()).code).toBe(0);
    expect(env.read('a.norg')).toMatch(/\* Two\n.*pear/);
    expect(deps(env, 'apple {* Two}')).toEqual(uuids(env, 'pear'));
    const log = await env.log();
    expect(log.some((e) => e.uuid === env.tw('apple {* Two}').uuid && e.side === 'taskwarrior' && 'depends' in e.fields)).toBe(true);
    await idle(env);
  });

  it('a dependency set through task alone stays', async () => {
    const env = setup({ 'a.norg': NOTE });
    expect((await env.run()).code).toBe(0);
    env.sb.task(env.tw('apple {* Two}').uuid, 'modify', `depends:${env.tw('pear').uuid}`);
    env.sb.task('add', 'joker', 'project:alpha.Two');
    expect((await env.run()).code).toBe(0);
    expect(deps(env, 'apple {* Two}')).toEqual(uuids(env, 'pear', 'plum', 'joker'));
    await idle(env);
  });

  it('a pull leaves Taskwarrior alone and the next sync sends the link', async () => {
    const env = setup({ 'a.norg': NOTE });
    expect((await env.run()).code).toBe(0);
    env.sb.task('add', 'joker', 'project:alpha.Two');
    expect((await env.run({ direction: 'pull' })).code).toBe(0);
    expect(env.read('a.norg')).toMatch(/joker/);
    expect(deps(env, 'apple {* Two}')).toEqual(uuids(env, 'plum'));
    expect((await env.run()).code).toBe(0);
    expect(deps(env, 'apple {* Two}')).toEqual(uuids(env, 'plum', 'joker'));
    await idle(env);
  });

  it('a linker in another note gets the pulled task too', async () => {
    const env = setup({ 'a.norg': NOTE, 'b.norg': '@document.meta\nproject: beta\n@end\n\n* One\n  - ( ) kiwi {:a:* Two}\n' });
    expect((await env.run()).code).toBe(0);
    expect(deps(env, 'kiwi {:a:* Two}')).toEqual(uuids(env, 'plum'));
    // Past the window in which the next sync reads the first one's own writes (and loads every note).
    env.sb.task('add', 'elsewhere', 'project:gamma');
    expect((await env.run()).code).toBe(0);
    env.sb.task('add', 'joker', 'project:alpha.Two');
    expect((await env.run()).code).toBe(0);
    expect(deps(env, 'kiwi {:a:* Two}')).toEqual(uuids(env, 'plum', 'joker'));
    await idle(env);
  });

  it('a line written by hand under a heading another note links to joins that linker', async () => {
    const env = setup({ 'a.norg': NOTE, 'b.norg': '@document.meta\nproject: beta\n@end\n\n* One\n  - ( ) kiwi {:a:* Two}\n' });
    expect((await env.run()).code).toBe(0);
    env.sb.task('add', 'elsewhere', 'project:gamma');
    expect((await env.run()).code).toBe(0);
    env.edit('a.norg', /(\* Two\n.*\n)/, '$1  - ( ) fig\n');
    expect((await env.run()).code).toBe(0);
    expect(deps(env, 'kiwi {:a:* Two}')).toEqual(uuids(env, 'plum', 'fig'));
    await idle(env);
  });

  it("a note loaded only as a pulled task's home keeps the depends its links to other notes express", async () => {
    const b = '@document.meta\nproject: beta\n@end\n\n* One\n  - ( ) plum\n';
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple {:b:* One}\n\n* Two\n', 'b.norg': b });
    expect((await env.run()).code).toBe(0);
    env.sb.task('add', 'elsewhere', 'project:gamma');
    expect((await env.run()).code).toBe(0);
    expect(deps(env, 'apple {:b:* One}')).toEqual(uuids(env, 'plum'));
    env.sb.task('add', 'joker', 'project:alpha.Two');
    expect((await env.run()).code).toBe(0);
    expect(env.read('a.norg')).toMatch(/joker/);
    expect(deps(env, 'apple {:b:* One}')).toEqual(uuids(env, 'plum'));
    await idle(env);
  });
});
