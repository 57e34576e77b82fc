/**
 * Harness seeds 1002426 and 1002525 (normal, fault task-loop): four outside `task annotate`s of
 * one task while a sync ran; one of them ("bread a5") was lost for good. The sync of the fault
 * left the loss to the next sync (the data files held a version undo.data did not show yet: a
 * write in flight; the stamp unrecorded). That next sync repaired the task from undo.data
 * (twread `repairLost`) and also imported it for a note change: as the repair was not added on
 * its own (`addRepairs` skipped a task already imported), the import's basis stayed the repaired
 * version, so its intent was the note change only. Rebased onto the import's undo `old` (the
 * files' version, without the annotation), the expected version lacked it again, and the
 * commit's correction wrote that: the repair undone by the same sync (undo.data of the kept
 * TASKDATA: the import adds "bread a5", the correction right after removes it).
 *
 * Built directly: the lost write is a `task annotate` whose pending.data line is put back to the
 * copy from before it (what 2.6's stale whole-file rewrite does; undo.data keeps it), then a
 * second annotate loads the clobbered file (and may reuse the lost one's second as its key),
 * then the note changes the task.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settle, setup, type Env } from './util.js';

const annotations = (env: Env, uuid: string) => (env.byUuid(uuid)?.annotations ?? []).map((a) => a.description).sort();

describe('seed 1002426: a repaired task that the sync also imports for a note change', () => {
  it('keeps the outside write the repair brought back (no correction undoes it)', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple\n  - ( ) bread\n' });
    expect((await env.run()).code).toBe(0);
    const apple = env.tw('apple').uuid;
    env.sb.task(apple, 'annotate', 'apple a4');
    expect((await env.run()).code).toBe(0);
    const data = env.sb.env.TASKDATA!;
    const pending = join(data, 'pending.data');
    const saved = join(env.sb.dir, 'pending.before');
    copyFileSync(pending, saved);
    env.sb.task(apple, 'annotate', 'bread a5');
    // A stale rewrite of pending.data: the annotate is gone from the file, undo.data has it.
    writeFileSync(pending, readFileSync(saved));
    env.sb.task(apple, 'annotate', 'cable a6');
    expect(annotations(env, apple)).toEqual(['apple a4', 'cable a6']);
    env.edit('a.norg', /- \( \) apple/, '- ( |# A) apple');
    const r = await env.run();
    expect(r.code, r.error?.message).toBe(0);
    expect(env.byUuid(apple)?.priority).toBe('H');
    expect(annotations(env, apple)).toEqual(['apple a4', 'bread a5', 'cable a6']);
    await settle(env, ['apple', 'bread']);
    expect(annotations(env, apple)).toEqual(['apple a4', 'bread a5', 'cable a6']);
  });
});
