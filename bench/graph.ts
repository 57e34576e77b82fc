/**
 * Graph speed: a generated workspace of 10,000 tasks in 100 files with cross-file links.
 * Baseline: building the graph from scratch (parse + extract + index + links) in the same run.
 * Measured: one task edit → incremental re-parse → derive → reverse patch, and the nodes it
 * recomputed (bounded by the task's ancestors and linked tasks).
 */
import { applyChanges, patchFile, WorkspaceGraph } from '../graph/index.js';
import { median, ms, report, time, type Row } from './measure.js';

function workspace(files: number, tasksPerFile: number): Map<string, string> {
  const out = new Map<string, string>();
  let id = 0;
  for (let f = 0; f < files; f++) {
    const lines: string[] = [`@document.meta`, `project: area${f}`, `@end`, ''];
    let n = 0;
    for (let h = 0; n < tasksPerFile; h++) {
      lines.push(`* Section ${h}`, `  Notes about section ${h} with *markup* and a {https://example.com link}.`, '');
      // Parent with children and grandchildren, and a link to a heading in the next file.
      for (let p = 0; p < 3 && n < tasksPerFile; p++) {
        lines.push(`  - ( |# B) Parent ${h}.${p} depends on {:file${(f + 1) % files}:* Section ${h}} %#${(id++).toString(16).padStart(8, '0')}%`);
        n++;
        for (let c = 0; c < 4 && n < tasksPerFile; c++) {
          lines.push(`  -- (${c % 2 ? 'x' : ' '}|< Fri 27th Nov) Child ${c} of ${p} %#${(id++).toString(16).padStart(8, '0')}%`);
          n++;
          if (c === 0 && n < tasksPerFile) {
            lines.push(`  --- ( ) Grandchild %#${(id++).toString(16).padStart(8, '0')}%`);
            n++;
          }
        }
      }
      lines.push('');
    }
    out.set(`file${f}.norg`, lines.join('\n'));
  }
  return out;
}

export function benchGraph(): Row[] {
  const files = workspace(100, 100);
  const build = () => {
    const g = new WorkspaceGraph();
    for (const [f, t] of files) g.setFile(f, t);
    return g;
  };
  const buildMs = time(build, { runs: 5, warmup: 1, minMs: 0 });
  const g = build();
  const tasks = g.tasks.size;

  // One edit: mark a grandchild done in the middle of file50 (its parent and grandparent
  // derive new statuses), then write those derived changes back as a patch.
  const file = 'file50.norg';
  let text = files.get(file)!;
  const rounds: number[] = [];
  let recomputed = 0;
  let visited = 0;
  for (let i = 0; i < 41; i++) {
    const at = text.indexOf('--- ( ) Grandchild', text.length >> 1);
    const mark = at < 0 ? text.indexOf('--- (x) Grandchild', text.length >> 1) : at;
    const next = at < 0 ? ' ' : 'x';
    const from = mark + 5;
    const t0 = performance.now();
    const u = g.setFile(file, text.slice(0, from) + next + text.slice(from + 1), { from, to: from + 1, insert: next });
    text = g.tree(file)!.text;
    const edits = u.derived.map((d) => ({ op: 'set' as const, key: d.key, status: d.to }));
    const p = patchFile(text, g.objects(file)!, edits);
    const patched = applyChanges(text, p.changes);
    rounds.push(performance.now() - t0);
    recomputed = u.counters.recomputed;
    visited = u.counters.visited;
    // Bring the graph in line with the patched text for the next round (not timed).
    text = patched;
    g.setFile(file, text);
  }
  const round = median(rounds.slice(1));
  const rows: Row[] = [
    { name: `build graph: ${tasks} tasks in ${files.size} files`, value: ms(buildMs) },
    {
      name: `one-task edit → derive → patch (recomputed ${recomputed}, visited ${visited} nodes)`,
      value: ms(round),
      baseline: `build ${ms(buildMs)}`,
      ratio: round / buildMs,
      target: '< 0.01× build',
      pass: round / buildMs < 0.01,
    },
  ];
  report('Graph', rows);
  return rows;
}
