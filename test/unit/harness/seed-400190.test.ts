/**
 * Seed 400190 (`npm run harness -- --runs 200 --seed 400000 --steps 40`, normal, export-fail): a
 * harness model bug, not the product's. A mirror's status was set to (x), Taskwarrior deleted the
 * task, and the mirror was set back to ( ) before any push: the mirror then shows its baseline
 * (what `planager plan` wrote and recorded), so no sync can see an edit, and the delete stands
 * with nothing to log. The model took the ( ) for a note write the sync had to keep or log
 * ("lost: T2 status ... undone ... cancelled"). Shrunk from 38 steps with test/harness/shrink.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Step } from '../../harness/history.js';
import { execute } from '../../harness/run.js';

const initial = [{ file: 0, heading: 0, word: 0, status: 0, priority: 0 }];
const addDue: Step = { t: 'addDue', side: 'taskwarrior', file: 0, heading: 0, word: 206, project: 3, days: 16 };
const plan: Step = { t: 'plan', which: 2 };
const status = (value: number): Step => ({ t: 'mirrorEdit', mirror: 0, field: 'status', value, days: null });
const [DONE, UNDONE] = [status(1), status(0)];

describe('harness seed 400190: a mirror set back to its baseline before any push', () => {
  it('is no edit: the delete in Taskwarrior stands, and the model expects nothing else', async () => {
    const ex = await execute({ initial, steps: [addDue, plan, DONE, { t: 'twDelete', task: 0 }, UNDONE] });
    expect(ex.failures, JSON.stringify(ex.failures)).toEqual([]);
    expect(ex.records[4].note).toContain('no edit');
    expect(ex.end?.tw.find((t) => t.description.startsWith('cable'))?.status).toBe('deleted');
  }, 60_000);

  it('is no edit after a pull either: a pull sends no mirror edit and keeps the baseline', async () => {
    const ex = await execute({ initial, steps: [addDue, plan, DONE, { t: 'twDelete', task: 0 }, { t: 'syncDir', direction: 'pull' }, UNDONE] });
    expect(ex.failures, JSON.stringify(ex.failures)).toEqual([]);
    expect(ex.records[5].note).toContain('no edit');
  }, 60_000);

  it('is an edit once a push carried the first one: the baseline is what the push recorded', async () => {
    // That push is the first sync to see the task: it also needs the product fix of
    // regress/seed-400190.test.ts (the task got a line still open while Taskwarrior took the (x)).
    const ex = await execute({ initial, steps: [addDue, plan, DONE, { t: 'sync' }, UNDONE] });
    expect(ex.failures, JSON.stringify(ex.failures)).toEqual([]);
    expect(ex.records[4].note).not.toContain('no edit');
    expect(ex.end?.tw.find((t) => t.description.startsWith('cable'))?.status).toBe('pending');
  }, 60_000);
});
