/**
 * Seed 402039 (`--kind undo-replay`): a harness model bug, not the product's. A task only in
 * Taskwarrior (no home line yet) is shown in a plan note; its mirror's due is edited and pushed,
 * which sends the due to Taskwarrior (logged: Taskwarrior's old due lost, the mirror's kept). Then
 * `task undo` reverts that import, and the next sync rewrites the mirror to Taskwarrior's due. The
 * mirror's value was Taskwarrior's alone by then: no note line holds it, and a mirror is a view
 * that every sync rewrites when it is out of date. Taskwarrior replaced its own value, so the sync
 * overwrote nothing of the notes. The model kept the mirror's due as a note write still to keep
 * or log ("lost: T4 due"). A `task modify` in place of the undo is the same case.
 */
import { describe, expect, it } from 'vitest';
import type { Step } from '../../harness/history.js';
import { execute } from '../../harness/run.js';

const initial = [{ file: 0, heading: 0, word: 0, status: 0, priority: 0 }];
// In Taskwarrior only: no sync has given it a line in a.norg (alpha.One's heading) yet.
const addDue: Step = { t: 'addDue', side: 'taskwarrior', file: 0, heading: 0, word: 62, project: 0, days: -5 };
const plan: Step = { t: 'plan', which: 2 };
// "2026-12-21 14:00" on the mirror, then a push of the plan note alone.
const mirrorDue: Step = { t: 'dateWord', on: 'mirror', target: 0, word: 1 };
const X = '2026-12-21T14:00:00.000Z';

const taskOf = (ex: Awaited<ReturnType<typeof execute>>) => ex.end?.tasks.find((m) => m.origin === 'taskwarrior');
const twOf = (ex: Awaited<ReturnType<typeof execute>>) => ex.end?.tw.find((t) => t.uuid === taskOf(ex)?.uuid);

describe('harness seed 402039: a pushed mirror edit of a task on no home line, then a Taskwarrior write', () => {
  it('`task undo` of the push: Taskwarrior reverted its own value, the model expects no log of it', async () => {
    const ex = await execute({ initial, steps: [addDue, plan, mirrorDue, { t: 'twUndo' }], kind: 'undo-replay' });
    expect(ex.records[2].note).toContain('push: code 0');
    expect(ex.records[3].note).toContain('due');
    expect(ex.failures, JSON.stringify(ex.failures)).toEqual([]);
    // The undo's value stands, and the push that carried the mirror's value logged it as kept.
    expect(twOf(ex)?.due).toBe('20261126T000000Z');
    expect(ex.log.some((e) => e.uuid === taskOf(ex)?.uuid && e.fields.due?.kept === X)).toBe(true);
  }, 60_000);

  it('`task modify` after the push: the same', async () => {
    const ex = await execute({ initial, steps: [addDue, plan, mirrorDue, { t: 'twDue', task: 0, days: 3 }] });
    expect(ex.failures, JSON.stringify(ex.failures)).toEqual([]);
    expect(twOf(ex)?.due).toBe('20261204T000000Z');
  }, 60_000);

  it('with a home line, the push writes the value there: still expected, and the pull logs it', async () => {
    const ex = await execute({ initial, steps: [addDue, plan, { t: 'sync' }, mirrorDue, { t: 'twUndo' }], kind: 'undo-replay' });
    expect(ex.records[4].note).toContain('due');
    expect(ex.failures, JSON.stringify(ex.failures)).toEqual([]);
    expect(taskOf(ex)?.last.note.due).toBe(X);
    expect(ex.log.some((e) => e.uuid === taskOf(ex)?.uuid && e.side === 'note' && e.fields.due?.lost === X)).toBe(true);
  }, 60_000);
});
