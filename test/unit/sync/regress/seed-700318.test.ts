/**
 * Harness seed 700318 (log-replay, fault import-fail): a played-back log entry gave a task back,
 * through `task import`, the description "apple n1 {* Two}" that its line had lost. The pull
 * wrote the text to the line, and with it a link to heading Two, whose tasks the line now
 * depends on; but links were read again after the pull only when the sync added or moved a
 * line, so the depends the link expresses never reached Taskwarrior. The next sync took the
 * note it wrote as its baseline and found nothing to send. The reverse (a pulled description
 * that drops the link) left the link's depends in Taskwarrior for one more sync to remove, and
 * a pulled rename of a line a `{# name}` link names was not followed either.
 */
import { describe, expect, it } from 'vitest';
import { expectAgree, setup } from './util.js';

const A_NORG = '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple n1\n\n* Two\n  - ( ) joker n4\n';

describe('seed 700318: a link that arrives, or leaves, with a description Taskwarrior changed', () => {
  it('sends the depends of a link the pulled description brings to the line', async () => {
    const env = setup({ 'a.norg': A_NORG });
    expect((await env.run()).code).toBe(0);
    const apple = env.tw('apple n1');
    const joker = env.tw('joker n4');
    env.sb.task(apple.uuid, 'modify', 'description:apple n1 {* Two}');
    expect((await env.run()).code).toBe(0);
    expect(env.read('a.norg')).toContain('apple n1 {* Two}');
    expect(env.byUuid(apple.uuid)!.depends ?? []).toEqual([joker.uuid]);
    expectAgree(env);
    const again = await env.run();
    expect(again.code).toBe(0);
    expect(again.taskwarrior.updated).toEqual([]);
    expect(env.byUuid(apple.uuid)!.depends ?? []).toEqual([joker.uuid]);
  });

  it('removes the depends of a link the pulled description takes from the line, in that sync', async () => {
    const env = setup({ 'a.norg': A_NORG.replace('apple n1', 'apple n1 {* Two}') });
    expect((await env.run()).code).toBe(0);
    const apple = env.tw('apple n1 {* Two}');
    const joker = env.tw('joker n4');
    expect(env.byUuid(apple.uuid)!.depends ?? []).toEqual([joker.uuid]);
    env.sb.task(apple.uuid, 'modify', 'description:apple n1');
    expect((await env.run()).code).toBe(0);
    expect(env.read('a.norg')).not.toContain('{* Two}');
    expect(env.byUuid(apple.uuid)!.depends ?? []).toEqual([]);
    const again = await env.run();
    expect(again.code).toBe(0);
    expect(again.taskwarrior.updated).toEqual([]);
  });

  it('follows a `{# name}` link to the line Taskwarrior renamed to that name', async () => {
    const env = setup({ 'a.norg': A_NORG.replace('apple n1', 'apple n1 {# joker n5}') });
    expect((await env.run()).code).toBe(0);
    const apple = env.tw('apple n1 {# joker n5}');
    const joker = env.tw('joker n4');
    expect(env.byUuid(apple.uuid)!.depends ?? []).toEqual([]);
    env.sb.task(joker.uuid, 'modify', 'description:joker n5');
    expect((await env.run()).code).toBe(0);
    expect(env.read('a.norg')).toContain('( ) joker n5');
    expect(env.byUuid(apple.uuid)!.depends ?? []).toEqual([joker.uuid]);
    const again = await env.run();
    expect(again.code).toBe(0);
    expect(again.taskwarrior.updated).toEqual([]);
  });
});
