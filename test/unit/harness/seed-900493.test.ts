/**
 * Seed 900493: a harness model gap, not the product's. A sync killed after `task import` wrote
 * the new tasks, before the note got their ids, leaves the lines id-less and the tasks in
 * Taskwarrior (the journal ties them together, and the next sync writes the ids). A plan made in
 * between mirrors such a task by its uuid; the model knew the line's task by its text alone, so a
 * mirror edit reached no model task, and the check named the task the product had kept (edited)
 * an extra one and the line's task missing. The kill step now binds such a line to the one
 * pending, unclaimed Taskwarrior task carrying its text, and kills at that very point for a
 * fifth of its draws (`killAfterMs` from 1200), where a timed kill only sometimes lands.
 */
import { describe, expect, it } from 'vitest';
import type { History } from '../../harness/history.js';
import { execute } from '../../harness/run.js';

const history: History = {
  initial: [
    { file: 0, heading: 0, word: 0, status: 0, priority: 1 },
    { file: 0, heading: 0, word: 0, status: 2, priority: 1 },
  ],
  steps: [
    { t: 'fault', kind: 'kill', killAfterMs: 1495, file: 1 },
    { t: 'plan', which: 2 },
    { t: 'mirrorEdit', mirror: 503, field: 'description', value: 33, days: 5 },
    { t: 'syncOne', file: 0, direction: 'both' },
  ],
};

describe('harness seed 900493: a mirror edit of a task a killed sync created for an id-less line', () => {
  it('reaches that line’s model task, and the run holds', async () => {
    const ex = await execute(history);
    const notes = ex.records.map((r) => r.note);
    expect(notes[0], notes.join('\n')).toMatch(/^killed after the import \(imported/);
    expect(ex.failures, JSON.stringify(ex.failures, null, 1)).toEqual([]);
    expect(notes[2], notes.join('\n')).toMatch(/^mirror .* of T\d/);
  }, 120_000);
});
