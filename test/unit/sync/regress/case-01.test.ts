/**
 * Issue 12, case 1: a project changed in Taskwarrior moves the line to the note that is home
 * to the new project, with every new value, and the task (and its subtasks) stay alive through
 * later unrelated edits of either note; nothing Taskwarrior said is reverted.
 */
import { describe, expect, it } from 'vitest';
import { expectLogged, linesOf, settle, setup, short } from './util.js';

const WORK = ['* Work', '  - ( ) Call Bob', '  - ( ) Write report', ''].join('\n');
const WORK_SUB = ['* Work', '  - ( ) Plan trip', '  -- ( ) Book flights', '  - ( ) Write report', ''].join('\n');
const HOME = ['* Home', '  - ( ) Water plants', ''].join('\n');

describe('case 1: `task modify project:` moves the line and loses nothing', () => {
  it('project, description and due changed in one step: the line moves with all three, and later edits revert none', async () => {
    const env = setup({ 'work.norg': WORK, 'home.norg': HOME });
    expect((await env.run()).code).toBe(0);
    const u = env.tw('Call Bob').uuid;
    env.sb.task(u, 'modify', 'project:Home', 'due:2026-12-01', 'Call Bobby');
    const twDue = env.tw('Call Bobby').due;
    expect(twDue).toMatch(/^20261201T/);

    const r = await env.run();
    expect(r.code).toBe(0);
    // The line left work.norg and sits under * Home with its id and the new text and date.
    expect(env.read('work.norg')).not.toContain('Call Bob');
    const moved = linesOf(env.ws, 'Call Bobby');
    expect(moved.map((l) => [l.file, l.id, l.project])).toEqual([['home.norg', short(u), 'Home']]);
    expect(moved[0].due).toBeTruthy();
    // Nothing reverted by the sync that moved it.
    let t = env.byUuid(u)!;
    expect([t.status, t.description, t.project, t.due]).toEqual(['pending', 'Call Bobby', 'Home', twDue]);

    // Unrelated edits of the source and of the destination note.
    env.edit('work.norg', '( ) Write report', '(x) Write report');
    expect((await env.run()).code).toBe(0);
    env.edit('home.norg', '( ) Water plants', '(-) Water plants');
    expect((await env.run()).code).toBe(0);
    t = env.byUuid(u)!;
    expect([t.status, t.description, t.project, t.due]).toEqual(['pending', 'Call Bobby', 'Home', twDue]);
    expect(env.tw('Write report').status).toBe('completed');
    expect(linesOf(env.ws, 'Call Bobby').map((l) => l.file)).toEqual(['home.norg']);
    // The note's old values (the line as it was in work.norg) were overwritten: logged.
    await expectLogged(env, u, 'project', 'Work');
    await expectLogged(env, u, 'description', 'Call Bob');
    await settle(env, ['Call Bobby', 'Water plants']);
  });

  it("a task with a subtask: both lines move, both tasks stay alive, the child's move is in the history", async () => {
    const env = setup({ 'work.norg': WORK_SUB, 'home.norg': HOME });
    expect((await env.run()).code).toBe(0);
    const parent = env.tw('Plan trip').uuid;
    const child = env.tw('Book flights').uuid;
    expect(env.tw('Plan trip').depends).toContain(child);
    env.sb.task(parent, 'modify', 'project:Home');

    expect((await env.run()).code).toBe(0);
    const home = env.read('home.norg');
    // The child stays under its parent, in the new note.
    expect(home).toMatch(new RegExp(`- \\( \\) Plan trip %#${short(parent)}%\\n\\s*-- \\( \\) Book flights %#${short(child)}%`));
    expect(env.read('work.norg')).not.toMatch(/Plan trip|Book flights/);
    expect(env.byUuid(child)!.status).toBe('pending');

    env.edit('home.norg', '( ) Water plants', '(x) Water plants');
    expect((await env.run()).code).toBe(0);
    env.edit('work.norg', '( ) Write report', '(-) Write report');
    expect((await env.run()).code).toBe(0);
    expect([env.byUuid(parent)!.status, env.byUuid(child)!.status]).toEqual(['pending', 'pending']);
    expect(env.byUuid(parent)!.project).toBe('Home');
    // The child's line now sits under * Home: its project follows, and the old one is logged.
    expect(env.byUuid(child)!.project).toBe('Home');
    expect(env.byUuid(parent)!.depends).toContain(child);
    expect(linesOf(env.ws, 'Book flights').map((l) => [l.file, l.id])).toEqual([['home.norg', short(child)]]);
    await expectLogged(env, child, 'project', 'Work');
    await settle(env, ['Plan trip', 'Book flights', 'Write report']);
  });
});
