/**
 * Issue 12, case 8: parent statuses follow Neorg's rule (graph/status.ts), applied from the
 * leaves up to a fixpoint, in the note and in Taskwarrior alike; where a derived status
 * replaces the one the user wrote, the user's value is in the activity log.
 */
import { describe, expect, it } from 'vitest';
import { expectLogged, settle, setup, type Env } from './util.js';

const status = (env: Env, d: string) => env.tw(d).status;

describe('case 8: parent status derived from the leaves up', () => {
  it("( ) top / (x) middle / ( ) bottom: nothing is done, so top is not completed, and middle's (x) is logged", async () => {
    const env = setup({ 'a.norg': ['* Work', '  - ( ) top', '  -- (x) middle', '  --- ( ) bottom', ''].join('\n') });
    const r = await env.run();
    expect(r.code).toBe(0);
    // No descendant of top is done: bottom undone → middle undone → top undone.
    expect([status(env, 'top'), status(env, 'middle'), status(env, 'bottom')]).toEqual(['pending', 'pending', 'pending']);
    expect(env.read('a.norg')).toMatch(/- \( \) top %#[0-9a-f]+%\n\s*-- \( \) middle %#[0-9a-f]+%\n\s*--- \( \) bottom/);
    await expectLogged(env, env.tw('middle').uuid, 'status', 'done');
    await settle(env, ['top', 'middle', 'bottom']);
  });

  it('( ) top / ( ) mid / (x) leaf: mid and then top are done, in the same sync', async () => {
    const env = setup({ 'a.norg': ['* Work', '  - ( ) top', '  -- ( ) mid', '  --- (x) leaf', ''].join('\n') });
    const r = await env.run();
    expect(r.code).toBe(0);
    expect([status(env, 'top'), status(env, 'mid'), status(env, 'leaf')]).toEqual(['completed', 'completed', 'completed']);
    expect(env.read('a.norg')).toMatch(/- \(x\) top %#[0-9a-f]+%\n\s*-- \(x\) mid %#[0-9a-f]+%\n\s*--- \(x\) leaf/);
    // The fixpoint was reached in one sync: the next has nothing to do.
    expect((await env.run()).changed).toBe(false);
    await expectLogged(env, env.tw('mid').uuid, 'status', 'undone');
    await expectLogged(env, env.tw('top').uuid, 'status', 'undone');
    await settle(env, []);
  });

  it('the same, when the leaf is ticked in an existing note (and when it is completed in Taskwarrior)', async () => {
    for (const where of ['note', 'taskwarrior'] as const) {
      const env = setup({ 'a.norg': ['* Work', '  - ( ) top', '  -- ( ) mid', '  --- ( ) leaf', '  -- ( ) other', '  - ( ) unrelated', ''].join('\n') });
      expect((await env.run()).code).toBe(0);
      if (where === 'note') env.edit('a.norg', '--- ( ) leaf', '--- (x) leaf');
      else env.sb.task(env.tw('leaf').uuid, 'done');
      expect((await env.run()).code).toBe(0);
      // mid: its only child done → done. top: mid done, other undone → pending (started).
      expect([status(env, 'leaf'), status(env, 'mid'), status(env, 'top')], where).toEqual(['completed', 'completed', 'pending']);
      expect(env.tw('top').start, where).toBeTruthy();
      expect(env.read('a.norg'), where).toMatch(/- \(-\) top %#[0-9a-f]+%\n\s*-- \(x\) mid %#[0-9a-f]+%\n\s*--- \(x\) leaf/);
      expect((await env.run()).changed, where).toBe(false);
      await expectLogged(env, env.tw('mid').uuid, 'status', 'undone');
      await expectLogged(env, env.tw('top').uuid, 'status', 'undone');

      // Then the other child: top becomes done as well.
      env.edit('a.norg', '-- ( ) other', '-- (x) other');
      expect((await env.run()).code).toBe(0);
      expect(status(env, 'top'), where).toBe('completed');
      expect(env.tw('unrelated').status, where).toBe('pending');
      await settle(env, ['unrelated']);
    }
  });

  it('a middle ticked by the user over an undone leaf is set back, in the note and Taskwarrior, and logged', async () => {
    const env = setup({ 'a.norg': ['* Work', '  - ( ) top', '  -- ( ) middle', '  --- ( ) bottom', ''].join('\n') });
    expect((await env.run()).code).toBe(0);
    env.edit('a.norg', '-- ( ) middle', '-- (x) middle');
    expect((await env.run()).code).toBe(0);
    expect([status(env, 'top'), status(env, 'middle'), status(env, 'bottom')]).toEqual(['pending', 'pending', 'pending']);
    expect(env.read('a.norg')).toContain('-- ( ) middle');
    await expectLogged(env, env.tw('middle').uuid, 'status', 'done');
    await settle(env, ['top', 'middle', 'bottom']);
  });
});
