/**
 * Issue 12, case 2: `push FILE` / `pull FILE` (the editor's write and open) must not mark as
 * seen the Taskwarrior changes that belong to other notes: they reach their note at the next
 * sync of that note (one-note or full), and a later edit of the line does not overwrite them.
 */
import { describe, expect, it } from 'vitest';
import { linesOf, settle, setup, short } from './util.js';

const A = ['* Work', '  - ( ) Send invoice', '  - ( ) Book room', ''].join('\n');
const B = ['* Home', '  - ( ) Fix tap', '  - ( ) Mow lawn', '  - ( ) Paint door', ''].join('\n');

/** Taskwarrior changes for b.norg's tasks, then one-note syncs of a.norg only. */
async function changeOthersThenSyncA(env: ReturnType<typeof setup>) {
  expect((await env.run()).code).toBe(0);
  const tap = env.tw('Fix tap').uuid;
  const lawn = env.tw('Mow lawn').uuid;
  env.sb.task(tap, 'modify', 'Fix the kitchen tap');
  env.sb.task(lawn, 'done');
  env.sb.task('add', 'Clean gutters', 'project:Home');
  env.sb.task('add', 'Order toner', 'project:Work');
  // The editor: a write of a.norg (push), then an open of it (pull).
  env.edit('a.norg', '( ) Send invoice', '(x) Send invoice');
  const push = await env.run({ files: ['a.norg'], direction: 'push' });
  expect(push.code).toBe(0);
  const pull = await env.run({ files: ['a.norg'], direction: 'pull' });
  expect(pull.code).toBe(0);
  expect(env.tw('Send invoice').status).toBe('completed');
  // The pull of a.norg brings a.norg's own new task.
  expect(env.read('a.norg')).toContain('Order toner');
  // b.norg was not synced: it still shows the old values.
  expect(env.read('b.norg')).toContain('( ) Fix tap');
  return { tap, lawn };
}

function expectBUpToDate(env: ReturnType<typeof setup>, tap: string, lawn: string) {
  const b = env.read('b.norg');
  expect(b).toContain(`( ) Fix the kitchen tap %#${short(tap)}%`);
  expect(b).toContain(`(x) Mow lawn %#${short(lawn)}%`);
  expect(linesOf(env.ws, 'Clean gutters').map((l) => [l.file, l.project])).toEqual([['b.norg', 'Home']]);
}

describe("case 2: one-note syncs never hide other notes' Taskwarrior changes", () => {
  it('a later full sync brings every change to b.norg (it does not say "nothing to do")', async () => {
    const env = setup({ 'a.norg': A, 'b.norg': B });
    const { tap, lawn } = await changeOthersThenSyncA(env);
    const full = await env.run();
    expect(full.code).toBe(0);
    expect(full.changed).toBe(true);
    expectBUpToDate(env, tap, lawn);
    expect(env.byUuid(tap)!.description).toBe('Fix the kitchen tap');
    expect(env.byUuid(lawn)!.status).toBe('completed');
    await settle(env, ['Book room', 'Order toner', 'Fix the kitchen tap', 'Paint door', 'Clean gutters']);
  });

  it('a one-note pull of b.norg brings them too', async () => {
    const env = setup({ 'a.norg': A, 'b.norg': B });
    const { tap, lawn } = await changeOthersThenSyncA(env);
    const pull = await env.run({ files: ['b.norg'], direction: 'pull' });
    expect(pull.code).toBe(0);
    expectBUpToDate(env, tap, lawn);
    await settle(env, ['Book room', 'Order toner', 'Fix the kitchen tap', 'Paint door', 'Clean gutters']);
  });

  it("an edit of the stale line before b.norg is synced keeps Taskwarrior's new values (the note changed only what the user changed)", async () => {
    const env = setup({ 'a.norg': A, 'b.norg': B });
    const { tap, lawn } = await changeOthersThenSyncA(env);
    // The user edits b.norg still showing the old text: a priority on the tap line, the lawn
    // line's text. Neither touches what Taskwarrior changed on that line.
    env.edit('b.norg', '( ) Fix tap', '( |# A) Fix tap');
    env.edit('b.norg', '( ) Mow lawn', '( ) Mow the lawn');
    const push = await env.run({ files: ['b.norg'], direction: 'push' });
    expect(push.code).toBe(0);
    const t = env.byUuid(tap)!;
    expect([t.description, t.priority]).toEqual(['Fix the kitchen tap', 'H']);
    const l = env.byUuid(lawn)!;
    // The status was Taskwarrior's change, the text the note's: both survive.
    expect([l.description, l.status]).toEqual(['Mow the lawn', 'completed']);
    await settle(env, ['Book room', 'Order toner', 'Fix the kitchen tap', 'Paint door', 'Clean gutters']);
    expect(env.read('b.norg')).toContain(`( |# A) Fix the kitchen tap %#${short(tap)}%`);
    expect(env.read('b.norg')).toContain(`(x) Mow the lawn %#${short(lawn)}%`);
  });

  it('an edit of the same field on the stale line is a conflict, and the losing value is logged', async () => {
    const env = setup({ 'a.norg': A, 'b.norg': B });
    const { tap } = await changeOthersThenSyncA(env);
    env.edit('b.norg', '( ) Fix tap', '( ) Fix the bathroom tap');
    const r = await env.run({ files: ['b.norg'], direction: 'push' });
    expect(r.code).toBe(0);
    const full = await env.run();
    const conflicts = [...r.conflicts, ...full.conflicts];
    expect(conflicts.map((c) => c.field)).toContain('description');
    const final = env.byUuid(tap)!.description;
    expect(['Fix the kitchen tap', 'Fix the bathroom tap']).toContain(final);
    const loser = final === 'Fix the kitchen tap' ? 'Fix the bathroom tap' : 'Fix the kitchen tap';
    const log = await env.log();
    expect(log.some((e) => e.uuid === tap && e.fields.description?.lost === loser)).toBe(true);
    await settle(env, ['Book room', 'Order toner', final, 'Paint door', 'Clean gutters']);
  });
});
