/**
 * Seed 1002396 (big, fault task-loop): a harness model bug, found once the product restored in
 * the same sync an outside annotate its own import had dropped (seed 1001389). The model took
 * "what the notes cannot express" after each of the fault's four annotates, mid-sync. There,
 * an annotate that had loaded pending.data before the sync's restore landed wrote its stale copy
 * over it (2.6 rewrites the whole file), the snapshot after it kept that moment, and the same
 * sync then restored the annotation again: the final state was right and the model called it
 * changed. The fault now takes the snapshot once its sync is over.
 *
 * Made deterministic with an on-modify hook in the world's Taskwarrior (imports run hooks, after
 * loading the data and before writing it): the sync's import waits until an outside annotate
 * is in undo.data, then writes over it; the restoring import waits a second, while the
 * other annotates run and are snapshotted.
 */
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, settle } from '../../harness/check.js';
import type { History } from '../../harness/history.js';
import { World } from '../../harness/world.js';

function holdingHook(w: World): { hooks: string; stages: string[] } {
  const data = w.sb.env.TASKDATA!;
  const hooks = join(data, 'hooks');
  mkdirSync(hooks, { recursive: true });
  const first = join(w.sb.dir, 'stage-import');
  const second = join(w.sb.dir, 'stage-restore');
  writeFileSync(
    join(hooks, 'on-modify.hold'),
    `#!/bin/sh
read a
read b
parent=$(tr '\\000' ' ' < /proc/$PPID/cmdline)
case "$parent" in
  *" import"*)
    if [ -f "${first}" ]; then
      rm -f "${first}"
      # Until one more outside annotate is written (3 s at most).
      had=$(grep -c '^new .*annotation_' "${data}/undo.data")
      n=0
      while [ "$(grep -c '^new .*annotation_' "${data}/undo.data")" -le "$had" ] && [ $n -lt 300 ]; do sleep 0.01; n=$((n + 1)); done
    elif [ -f "${second}" ] && printf '%s' "$b" | grep -q '"annotations"'; then
      rm -f "${second}"
      sleep 1
    fi ;;
esac
printf '%s\\n' "$b"
`,
  );
  chmodSync(join(hooks, 'on-modify.hold'), 0o755);
  writeFileSync(first, '');
  writeFileSync(second, '');
  return { hooks, stages: [first, second] };
}

const history: History = {
  initial: [
    { file: 0, heading: 0, word: 0, status: 0, priority: 0 },
    { file: 0, heading: 0, word: 1, status: 0, priority: 0 },
    { file: 0, heading: 0, word: 2, status: 0, priority: 0 },
    { file: 0, heading: 0, word: 3, status: 0, priority: 0 },
    { file: 0, heading: 0, word: 4, status: 0, priority: 0 },
  ],
  steps: [
    { t: 'sync' },
    // Something for the fault's sync to import: a note edit.
    { t: 'noteDesc', line: 4, word: 9 },
    { t: 'fault', kind: 'task-loop', killAfterMs: 0, file: 0 },
  ],
};

describe('harness seed 1002396: an outside annotate drops the sync’s restore, which the sync restores again', () => {
  // The hook's holds are bounded waits (3 s, 1 s): on a loaded machine a hold can run out
  // before the annotate it waits for lands, and the run then takes another path. Retried; a
  // model that is wrong again fails every attempt.
  it('the model takes what the notes cannot express after the fault’s sync, and the run holds', { timeout: 120_000, retry: 2 }, async () => {
    const w = new World([]);
    try {
      await w.addInitial(history);
      await w.step(0, history.steps[0]!);
      await w.step(1, history.steps[1]!);
      const { hooks, stages } = holdingHook(w);
      await w.step(2, history.steps[2]!);
      // Both holds were reached: the import wrote over an annotate, the restore waited.
      expect(stages.filter(existsSync)).toEqual([]);
      rmSync(hooks, { recursive: true, force: true });
      const end = await settle(w);
      const failures = check(end);
      expect(failures, `${w.records.map((r) => r.note).join('\n')}\n${JSON.stringify(failures, null, 1)}`).toEqual([]);
    } finally {
      w.cleanup();
    }
  });
});
