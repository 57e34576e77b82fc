/**
 * `npx tsx test/harness/shrink.ts HISTORY.json KIND [KNOWN…]`: shrinks a failing history
 * further than fast-check did within its time limit (a history from summary.json's
 * `results[i].failure.history`), by deleting steps and starting lines one at a time while the
 * history still fails with KIND (`mirror-stale`, `lost`, …; each candidate is tried twice, for
 * timing-dependent failures), and an undo-replay run's `task` commands one at a time too.
 * Writes HISTORY.json.min and prints the minimal history's trace.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { History } from './history.js';
import { execute } from './run.js';

const [file, kind, ...known] = process.argv.slice(2);
if (!file || !kind) {
  console.error('usage: shrink.ts HISTORY.json KIND [KNOWN…]');
  process.exit(2);
}
let h = JSON.parse(readFileSync(file, 'utf8')) as History;
const fails = async (x: History) => {
  for (let k = 0; k < 2; k++) {
    const ex = await execute(x, false, known);
    if (ex.failures.some((f) => f.kind === kind)) return true;
  }
  return false;
};
if (!(await fails(h))) {
  console.log(`the history does not fail with ${kind}`);
  process.exit(1);
}
for (let changed = true; changed; ) {
  changed = false;
  for (let i = h.steps.length - 1; i >= 0; i--) {
    const c = { ...h, steps: h.steps.filter((_, j) => j !== i) };
    if (await fails(c)) (h = c), (changed = true);
  }
  for (let i = h.initial.length - 1; i >= 0 && h.initial.length > 1; i--) {
    const c = { ...h, initial: h.initial.filter((_, j) => j !== i) };
    if (await fails(c)) (h = c), (changed = true);
  }
  const cmds = h.undo && 'commands' in h.undo ? h.undo.commands : [];
  for (let i = cmds.length - 1; i >= 0 && cmds.length > 1; i--) {
    const c = { ...h, undo: { commands: cmds.filter((_, j) => j !== i) } };
    if (await fails(c)) (h = c), (changed = true);
  }
}
writeFileSync(`${file}.min`, JSON.stringify(h));
const ex = await execute(h, true, known);
console.log(`initial: ${JSON.stringify(h.initial)}`);
if (h.undo) console.log(`undo: ${JSON.stringify(h.undo)}`);
for (const r of ex.records) console.log(`${r.i}. ${JSON.stringify(r.step)} → ${r.note}`);
console.log(ex.failures.map((f) => `${f.kind}: ${f.message}`).join('\n'));
console.log(`kept: ${ex.workspace} ${ex.taskdata}`);
