/**
 * Seed 2000027 (`--kind undo-replay`): a harness model bug, not the product's. A task only in
 * Taskwarrior (made by the replayed undo stream, no home line yet) is shown in the daily plan
 * note; its mirror's description is edited; then a one-note push of b.norg. That push brings in
 * the plan note as well: it mirrors a task Taskwarrior changed since the last sync, so its
 * mirrors are rewritten (sync/mirrorscope.ts `mirroring`), and a mirror is read for its edit
 * before it is rewritten, or the edit would be lost. The push carried "index n2" into
 * Taskwarrior (logged: Taskwarrior's old description lost, the mirror's kept). A replayed
 * outside edit then set the description to "café s4": Taskwarrior replacing its own value, as in
 * seed 402039, which the sync has nothing of the notes to log for. The model took a push as
 * covering only the notes it names, so it kept the edit as unsent, and then as a note write
 * lost without a log entry ("lost: T2 description"). It now also takes as carried an edit of a
 * note the push did not name whose value Taskwarrior holds after the push and did not before.
 */
import { describe, expect, it } from 'vitest';
import { check, settle } from '../../harness/check.js';
import type { History, Step } from '../../harness/history.js';
import { execute } from '../../harness/run.js';
import { World } from '../../harness/world.js';

const initial = [{ file: 0, heading: 0, word: 0, status: 0, priority: 0 }];
// The generated database: T2 added, its due set, its description changed.
const undo: History['undo'] = {
  commands: [
    { c: 'add', word: 67, project: 1, priority: 0, days: 36, tag: null, uda: false },
    { c: 'modify', task: 8, field: 'due', value: 94 },
    { c: 'modify', task: 257, field: 'description', value: 4 },
  ],
};
// T2 added and given a due: in Taskwarrior only.
const replayTwo: Step = { t: 'undoApply', n: 2 };
const plan: Step = { t: 'plan', which: 0 };
// "index n2" on T2's mirror in journal/2026/12/15.norg.
const mirrorEdit: Step = { t: 'mirrorEdit', mirror: 97, field: 'description', value: 212, days: null };
const noteAdd: Step = { t: 'noteAdd', file: 1, heading: 0, word: 227, status: 5, priority: 3 };
// A due typed on b.norg's new line, then a push of b.norg alone.
const pushB: Step = { t: 'dateWord', on: 'note', target: 389, word: 1 };
// The stream's last transaction, T2's description set to "café s4", as an outside edit.
const replayRest: Step = { t: 'undoApply', n: 4 };

const EDIT = 'index n2';

describe('harness seed 2000027: a one-note push carries the mirror edit of a plan note it brought into scope', () => {
  it('the minimal history holds: Taskwarrior replaced the value the push carried, nothing of the notes is lost', async () => {
    const ex = await execute({ initial, undo, kind: 'undo-replay', steps: [replayTwo, plan, mirrorEdit, noteAdd, pushB, replayRest] });
    expect(ex.records[2].note).toContain(`text "${EDIT}"`);
    expect(ex.records[4].note).toContain('b.norg push: code 0');
    expect(ex.records[5].note).toContain('description');
    expect(ex.failures, JSON.stringify(ex.failures)).toEqual([]);
    const t = ex.end?.tasks.find((m) => m.label === 'T2');
    expect(ex.end?.tw.find((x) => x.uuid === t?.uuid)?.description).toBe('café s4');
    // The push that carried the mirror's value logged Taskwarrior's value it replaced.
    expect(ex.log.some((e) => e.uuid === t?.uuid && e.fields.description?.kept === EDIT)).toBe(true);
  }, 90_000);

  it('the model takes the edit as carried by the push of b.norg, and Taskwarrior’s from there on', async () => {
    const w = new World([]);
    try {
      const h: History = { initial, undo, kind: 'undo-replay', steps: [replayTwo, plan, mirrorEdit, noteAdd, pushB] };
      await w.addInitial(h);
      for (const [i, s] of h.steps.entries()) await w.step(i, s);
      const t = w.tasks.find((m) => m.label === 'T2')!;
      expect(w.sb.exportAll().find((x) => x.uuid === t.uuid)?.description).toBe(EDIT);
      expect(t.mirrorPending?.has('description') ?? false).toBe(false);
      expect(t.mirrorDelivered?.description).toBe(EDIT);
      expect(check(await settle(w))).toEqual([]);
    } finally {
      w.cleanup();
    }
  }, 90_000);

  it('a push that leaves the plan note out leaves its edit unsent, and the model expects it still', async () => {
    const w = new World([]);
    try {
      // A full sync first: T2 is known, and nothing changed since brings the plan note in.
      const h: History = { initial, undo, kind: 'undo-replay', steps: [replayTwo, plan, { t: 'sync' }, mirrorEdit, noteAdd, pushB] };
      await w.addInitial(h);
      for (const [i, s] of h.steps.entries()) await w.step(i, s);
      expect(w.records[5].note).toContain('b.norg push: code 0');
      const t = w.tasks.find((m) => m.label === 'T2')!;
      expect(w.sb.exportAll().find((x) => x.uuid === t.uuid)?.description).not.toBe(EDIT);
      expect(t.mirrorPending?.has('description')).toBe(true);
      expect(t.last.note.description).toBe(EDIT);
      const end = await settle(w);
      expect(check(end)).toEqual([]);
      expect(end.tw.find((x) => x.uuid === t.uuid)?.description).toBe(EDIT);
    } finally {
      w.cleanup();
    }
  }, 90_000);
});
