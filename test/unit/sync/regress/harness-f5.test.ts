/**
 * Found by the harness (issue 13, finding F5): a note written in place (truncated, then
 * written: `backupcopy=yes`, many scripts) while a sync reads it. The sync read the note
 * half-written, took the lines not written yet for removed, and deleted their tasks; the next
 * sync found the lines back with ids that named deleted tasks and made new tasks for them.
 */
import { describe, expect, it } from 'vitest';
import { settle, setup } from './util.js';

describe('harness F5: a note caught half-written by a sync', () => {
  it('deletes no task for the lines not written yet', async () => {
    const env = setup({ 'a.norg': '* One\n  - ( ) apple n1\n  - ( ) bread n2\n' });
    expect((await env.run()).code).toBe(0);
    const full = env.read('a.norg');
    const bread = env.tw('bread n2').uuid;
    // Something for the sync to write, so it reaches the point where the editor could apply.
    env.sb.task(env.tw('apple n1').uuid, 'modify', 'priority:H');
    // The writer has written the first lines only…
    env.write('a.norg', full.slice(0, full.indexOf('  - ( ) bread')));
    let finished = false;
    const r = await env.run({
      // …and finishes while the sync works out its plan.
      applyNotes: async () => {
        if (!finished) env.write('a.norg', full), (finished = true);
        return true;
      },
    });
    expect(r.code).toBe(0);
    expect(r.taskwarrior.deleted).toEqual([]);
    expect(env.byUuid(bread)!.status).toBe('pending');
    await settle(env, ['apple n1', 'bread n2']);
  });
});
