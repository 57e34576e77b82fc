/**
 * A task line mistyped so that it is no task line any more (`(x |< …)`: a space after the
 * status; `( x)`; the status parentheses lost) still holds its id. Read as a removal, the sync
 * deleted the task in Taskwarrior on a typo. A removal is a line deleted: a line still holding
 * the id keeps its task as it was, with a warning naming the line, until it is fixed.
 */
import { describe, expect, it } from 'vitest';
import { setup } from './util.js';

const NOTE = '* Home\n  - ( ) Water the plants\n  - ( ) Call mum\n';

describe('a mistyped task line', () => {
  for (const [name, typo] of [
    ['a space after the status', '- (x |< 2026-12-24) Water the plants'],
    ['no status parentheses', '- Water the plants'],
    ['a heading', '** Water the plants'],
  ] as const) {
    it(`${name}: the task is kept, the line named, and fixing the line syncs it`, async () => {
      const env = setup({ 'a.norg': NOTE });
      expect((await env.run()).code).toBe(0);
      const uuid = env.tw('Water the plants').uuid;
      const id = /Water the plants (%#[0-9a-f]+%)/.exec(env.read('a.norg'))![1];
      env.edit('a.norg', /- \( \) Water the plants/, typo);
      const text = env.read('a.norg');
      const r = await env.run();
      expect(r.code).toBe(0);
      expect(r.taskwarrior.deleted).toEqual([]);
      expect(r.warnings.join('\n')).toMatch(/a\.norg:2: this line holds task [0-9a-f]+'s id but is not a task line/);
      expect(env.byUuid(uuid)?.status).toBe('pending');
      expect(env.read('a.norg')).toBe(text);
      // Still named at the next sync, still nothing done.
      const again = await env.run();
      expect([again.code, again.taskwarrior.deleted, env.byUuid(uuid)?.status]).toEqual([0, [], 'pending']);
      expect(again.warnings.join('\n')).toMatch(/a\.norg:2: this line holds task/);
      env.write('a.norg', text.replace(/^.*Water the plants.*$/m, `  - (x) Water the plants ${id}`));
      expect((await env.run()).code).toBe(0);
      expect(env.byUuid(uuid)?.status).toBe('completed');
    });
  }

  it('a line deleted is still a removal: the task is deleted (and logged)', async () => {
    const env = setup({ 'a.norg': NOTE });
    expect((await env.run()).code).toBe(0);
    const uuid = env.tw('Call mum').uuid;
    env.edit('a.norg', /\n {2}- \( \) Call mum %#[0-9a-f]+%/, '');
    const r = await env.run();
    expect(r.taskwarrior.deleted).toEqual([uuid]);
  });
});
