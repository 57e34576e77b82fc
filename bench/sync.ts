/**
 * Sync speed against the Taskwarrior floors measured in the same run (DESIGN.md §7):
 * a no-change sync vs one `task export`; a one-task push vs one `task import` of one task;
 * a one-task pull vs one `task export`; a full first sync vs one export plus one import of
 * every task. Real `task`, throwaway TASKDATA; medians.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { sync, Taskwarrior, twDate, type TwTask } from '../sync/index.js';
import { median, ms, report, timeAsync, type Row } from './measure.js';

function sandbox(): { dir: string; env: NodeJS.ProcessEnv; tw: Taskwarrior } {
  const dir = mkdtempSync(join(tmpdir(), 'planager-bench-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'taskrc'), `data.location=${join(dir, 'data')}\nconfirmation=off\n`);
  const env = { PATH: process.env.PATH, HOME: dir, TASKRC: join(dir, 'taskrc'), TASKDATA: join(dir, 'data'), TZ: 'UTC' };
  return { dir, env, tw: new Taskwarrior({ env, timeoutMs: 120_000 }) };
}

function notes(ws: string, n: number): void {
  const perFile = Math.min(100, n);
  for (let f = 0; f * perFile < n; f++) {
    const lines = [`@document.meta`, `project: area${f}`, `@end`, ''];
    for (let i = 0; i < perFile && f * perFile + i < n; i++) {
      if (i % 20 === 0) lines.push(`* Section ${i / 20}`);
      lines.push(`  - ( |# B) Task ${f}.${i} with some words to describe it`);
    }
    writeFileSync(join(ws, `f${f}.norg`), lines.join('\n') + '\n');
  }
}

async function floors(n: number): Promise<{ exportMs: number; importOneMs: number; importAllMs: number }> {
  const s = sandbox();
  const now = twDate(new Date());
  const tasks: TwTask[] = Array.from({ length: n }, (_, i) => ({ uuid: randomUUID(), description: `Task ${i} with some words to describe it`, status: 'pending', entry: now, project: 'area.Section', priority: 'M' }));
  const importAllMs = median(
    await Promise.all(
      [0, 1, 2].map(async () => {
        const t = sandbox();
        const t0 = performance.now();
        await t.tw.import(tasks);
        const d = performance.now() - t0;
        rmSync(t.dir, { recursive: true, force: true });
        return d;
      }),
    ),
  );
  await s.tw.import(tasks);
  const exportMs = await timeAsync(() => s.tw.export(), { runs: 7 });
  let k = 0;
  const importOneMs = await timeAsync(() => s.tw.import([{ ...tasks[n >> 1], description: `changed ${k++}` }]), { runs: 7 });
  rmSync(s.dir, { recursive: true, force: true });
  return { exportMs, importOneMs, importAllMs };
}

export async function benchSync(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of [100, 1000, 10000]) {
    const f = await floors(n);
    // First sync, on a fresh database and workspace each time.
    const firsts: number[] = [];
    let last: { s: ReturnType<typeof sandbox>; ws: string } | null = null;
    for (let r = 0; r < (n >= 10000 ? 3 : 5); r++) {
      const s = sandbox();
      const ws = join(s.dir, 'ws');
      mkdirSync(ws);
      notes(ws, n);
      const t0 = performance.now();
      const rep = await sync({ workspace: ws, tw: s.tw });
      firsts.push(performance.now() - t0);
      if (rep.code !== 0) throw new Error(`first sync failed: ${rep.error?.message}`);
      if (last) rmSync(last.s.dir, { recursive: true, force: true });
      last = { s, ws };
    }
    const { s, ws } = last!;
    const noChange = await timeAsync(async () => {
      const r = await sync({ workspace: ws, tw: s.tw });
      if (r.processes !== 0) throw new Error('a no-change sync started a process');
    }, { runs: 9 });
    // One-task push: edit one line of one note.
    const file = join(ws, 'f0.norg');
    let flip = 0;
    const pushes: number[] = [];
    let pushProcs = 0;
    for (let r = 0; r < 7; r++) {
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, flip++ % 2 ? text.replace('(x|# B) Task 0.1 ', '( |# B) Task 0.1 ') : text.replace('( |# B) Task 0.1 ', '(x|# B) Task 0.1 '));
      const t0 = performance.now();
      const rep = await sync({ workspace: ws, tw: s.tw });
      pushes.push(performance.now() - t0);
      pushProcs = rep.processes;
    }
    // One-task pull: modify one task outside.
    const uuid = (await s.tw.export()).ok ? ((await s.tw.export()) as { ok: true; value: TwTask[] }).value.find((t) => t.description.startsWith('Task 0.2 '))!.uuid : '';
    const pulls: number[] = [];
    let pullProcs = 0;
    for (let r = 0; r < 7; r++) {
      execFileSync('task', ['rc.verbose=nothing', 'rc.confirmation=off', uuid, 'modify', `priority:${r % 2 ? 'H' : 'L'}`], { env: s.env });
      const t0 = performance.now();
      const rep = await sync({ workspace: ws, tw: s.tw });
      pulls.push(performance.now() - t0);
      pullProcs = rep.processes;
    }
    rmSync(s.dir, { recursive: true, force: true });
    const first = median(firsts);
    const push = median(pushes);
    const pull = median(pulls);
    rows.push(
      { name: `${n} tasks: no-change sync (0 processes)`, value: ms(noChange), baseline: `export ${ms(f.exportMs)}`, ratio: noChange / f.exportMs, target: '≤ 0.05× export', pass: noChange / f.exportMs <= 0.05 },
      { name: `${n} tasks: one-task push (${pushProcs} process)`, value: ms(push), baseline: `import of 1 ${ms(f.importOneMs)}`, ratio: push / f.importOneMs, target: '≤ 1.3× import', pass: push / f.importOneMs <= 1.3 },
      { name: `${n} tasks: one-task pull (${pullProcs} process)`, value: ms(pull), baseline: `export ${ms(f.exportMs)}`, ratio: pull / f.exportMs, target: '≤ 1.3× export', pass: pull / f.exportMs <= 1.3 },
      { name: `${n} tasks: full first sync`, value: ms(first), baseline: `export + import of ${n} ${ms(f.exportMs + f.importAllMs)}`, ratio: first / (f.exportMs + f.importAllMs), target: '≤ 1.5×', pass: first / (f.exportMs + f.importAllMs) <= 1.5 },
    );
  }
  report('Sync (real task 2.6)', rows);
  return rows;
}
