/**
 * Sync speed against the Taskwarrior floors measured in the same run (doc/design.md §7):
 * a no-change sync vs one `task export`; a one-task push vs one `task import` of one task;
 * a one-task pull vs one `task export`; a full first sync vs one export plus one import of
 * every task. Real `task`, throwaway TASKDATA; medians. The engine runs in this process, as
 * it does in the Neovim host (warm after the first rounds); the CLI adds Node's start-up.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { sync, Taskwarrior, twDate, type TwTask } from '../sync/index.js';
import { median, ms, report, type Row } from './measure.js';

export function sandbox(): { dir: string; env: NodeJS.ProcessEnv; tw: Taskwarrior } {
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

/** A throwaway database with a workspace of `n` tasks beside it (not synced yet). */
export function workspace(n: number): { s: ReturnType<typeof sandbox>; ws: string } {
  const s = sandbox();
  const ws = join(s.dir, 'ws');
  mkdirSync(ws);
  notes(ws, n);
  return { s, ws };
}

/** `n` fresh tasks shaped like the generated notes' (for the floors). */
function floorTasks(n: number): TwTask[] {
  const now = twDate(new Date());
  return Array.from({ length: n }, (_, i) => ({
    uuid: randomUUID(),
    description: `Task ${i} with some words to describe it`,
    status: 'pending',
    entry: now,
    project: 'area.Section',
    priority: 'M',
  }));
}

/** A database of `n` tasks beside the workspace's, for the floors (bare `task` calls). */
async function floorDb(n: number): Promise<{ s: ReturnType<typeof sandbox>; tasks: TwTask[] }> {
  const s = sandbox();
  const tasks = floorTasks(n);
  const r = await s.tw.import(tasks);
  if (!r.ok) throw new Error(r.error.message);
  return { s, tasks };
}

const time1 = async (fn: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

/**
 * Each measured operation alternates with its floor, round by round after warm-up rounds, so
 * that both see the same machine (caches, CPU frequency, a `task` process that just ran):
 * measured back to back, a bare `task import` was 2-3 ms faster than one run after other work.
 */
export async function benchSync(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of [100, 1000, 10000]) {
    const rounds = n >= 10000 ? 5 : 9;
    const warm = n >= 10000 ? 1 : 3;
    // First sync, on a fresh database and workspace each time; its floor is a bare import of
    // every task plus an export, also on a fresh database. Like every other row, after the
    // same warm-up rounds (not counted); the first round of each size is also shown, as the
    // cold figure (a first sync at a size this process has not run yet: the CLI's case).
    const firsts: number[] = [];
    const firstFloors: number[] = [];
    let coldFirst = 0;
    let coldFloor = 0;
    let last: { s: ReturnType<typeof sandbox>; ws: string } | null = null;
    const firstRounds = (n >= 10000 ? 3 : 5) + warm;
    for (let r = 0; r < firstRounds; r++) {
      const { s, ws } = workspace(n);
      const t0 = performance.now();
      const rep = await sync({ workspace: ws, tw: s.tw });
      const d = performance.now() - t0;
      if (rep.code !== 0) throw new Error(`first sync failed: ${rep.error?.message}`);
      if (last) rmSync(last.s.dir, { recursive: true, force: true });
      last = { s, ws };
      const f = sandbox();
      const tasks = floorTasks(n);
      const e = await time1(async () => {
        await f.tw.import(tasks);
        await f.tw.export();
      });
      rmSync(f.dir, { recursive: true, force: true });
      if (r === 0) (coldFirst = d), (coldFloor = e);
      if (r >= warm) firsts.push(d), firstFloors.push(e);
    }
    // The same into a database that already holds `n` other tasks (of a project no note has):
    // a first sync that must export. Its floor: importing `n` into such a database, plus an
    // export of all of it.
    const others: number[] = [];
    const otherFloors: number[] = [];
    let otherProcs = 0;
    for (let r = 0; r < (n >= 10000 ? 3 : 5) + warm; r++) {
      const { s, ws } = workspace(n);
      const pre = await s.tw.import(floorTasks(n).map((t) => ({ ...t, project: 'elsewhere' })));
      if (!pre.ok) throw new Error(pre.error.message);
      const t0 = performance.now();
      const rep = await sync({ workspace: ws, tw: s.tw });
      const d = performance.now() - t0;
      if (rep.code !== 0) throw new Error(`first sync failed: ${rep.error?.message}`);
      otherProcs = rep.processes;
      rmSync(s.dir, { recursive: true, force: true });
      const f = await floorDb(n);
      const tasks = floorTasks(n);
      const e = await time1(async () => {
        await f.s.tw.import(tasks);
        await f.s.tw.export();
      });
      rmSync(f.s.dir, { recursive: true, force: true });
      if (r >= warm) others.push(d), otherFloors.push(e);
    }
    const { s, ws } = last!;
    const floor = await floorDb(n);
    let k = 0;
    const bareImport = () => floor.s.tw.import([{ ...floor.tasks[n >> 1], description: `changed ${k++}` }]);
    const bareExport = () => floor.s.tw.export();

    const noChanges: number[] = [];
    const noChangeFloors: number[] = [];
    for (let r = 0; r < rounds + warm; r++) {
      const d = await time1(async () => {
        const x = await sync({ workspace: ws, tw: s.tw });
        if (x.processes !== 0) throw new Error('a no-change sync started a process');
      });
      const e = await time1(bareExport);
      if (r >= warm) noChanges.push(d), noChangeFloors.push(e);
    }
    // One-task push: edit one line of one note. Twice: as a one-shot process runs it (the CLI:
    // `task` is started when the sync sees the change), and as the Neovim host runs it (a
    // resident process keeps one import waiting for its input: `standby`).
    const file = join(ws, 'f0.norg');
    let flip = 0;
    const settle = () => new Promise((r) => setTimeout(r, 60)); // the standby refill is not timed
    const pushRounds = async (tw: Taskwarrior): Promise<{ xs: number[]; fs: number[]; procs: number }> => {
      const xs: number[] = [];
      const fs: number[] = [];
      let procs = 0;
      for (let r = 0; r < rounds + warm; r++) {
        const text = readFileSync(file, 'utf8');
        writeFileSync(file, flip++ % 2 ? text.replace('(x|# B) Task 0.1 ', '( |# B) Task 0.1 ') : text.replace('( |# B) Task 0.1 ', '(x|# B) Task 0.1 '));
        const t0 = performance.now();
        const rep = await sync({ workspace: ws, tw });
        const d = performance.now() - t0;
        if (rep.code !== 0) throw new Error(`push failed: ${rep.error?.message}`);
        procs = rep.processes;
        await settle();
        const f = await time1(bareImport);
        await settle();
        if (r >= warm) xs.push(d), fs.push(f);
      }
      return { xs, fs, procs };
    };
    const cold = await pushRounds(s.tw);
    const resident = new Taskwarrior({ env: s.env, timeoutMs: 120_000, standby: true });
    resident.prepareStandby();
    await settle();
    const hot = await pushRounds(resident);
    resident.dropStandby();
    // One-task pull: modify one task outside.
    const all = await s.tw.export();
    if (!all.ok) throw new Error(all.error.message);
    const uuid = all.value.find((t) => t.description.startsWith('Task 0.2 '))!.uuid;
    const pulls: number[] = [];
    const pullFloors: number[] = [];
    let pullProcs = 0;
    for (let r = 0; r < rounds + warm; r++) {
      execFileSync('task', ['rc.verbose=nothing', 'rc.confirmation=off', uuid, 'modify', `priority:${r % 2 ? 'H' : 'L'}`], { env: s.env });
      const t0 = performance.now();
      const rep = await sync({ workspace: ws, tw: s.tw });
      const d = performance.now() - t0;
      pullProcs = rep.processes;
      // The floor after the same kind of outside write.
      execFileSync('task', ['rc.verbose=nothing', 'rc.confirmation=off', floor.tasks[1].uuid, 'modify', `priority:${r % 2 ? 'H' : 'L'}`], { env: floor.s.env });
      const f = await time1(bareExport);
      if (r >= warm) pulls.push(d), pullFloors.push(f);
    }
    rmSync(s.dir, { recursive: true, force: true });
    rmSync(floor.s.dir, { recursive: true, force: true });
    const row = (name: string, xs: number[], fs: number[], base: string, target: string, limit: number): Row => {
      const v = median(xs);
      const b = median(fs);
      return { name, value: ms(v), baseline: `${base} ${ms(b)}`, ratio: v / b, target, pass: v / b <= limit };
    };
    rows.push(
      row(`${n} tasks: no-change sync (0 processes)`, noChanges, noChangeFloors, 'export', '≤ 0.05× export', 0.05),
      row(`${n} tasks: one-task push, resident host (1 import, started ahead)`, hot.xs, hot.fs, 'import of 1', '≤ 1.3× import', 1.3),
      {
        ...row(`${n} tasks: one-task push, one-shot like the CLI (${cold.procs} process)`, cold.xs, cold.fs, 'import of 1', '', 1.3),
        target: '(informative)',
        pass: undefined,
      },
      row(`${n} tasks: one-task pull (${pullProcs} process)`, pulls, pullFloors, 'export', '≤ 1.3× export', 1.3),
      row(`${n} tasks: full first sync, new database (1 import: nothing to export)`, firsts, firstFloors, `import of ${n} + export`, '≤ 1.5×', 1.5),
      {
        ...row(`${n} tasks: full first sync, new database, first round at this size (cold)`, [coldFirst], [coldFloor], `import of ${n} + export`, '', 1.5),
        target: '(informative)',
        pass: undefined,
      },
      row(
        `${n} tasks: full first sync, database holding ${n} other tasks (${otherProcs} processes)`,
        others,
        otherFloors,
        `import of ${n} into it + export`,
        '≤ 1.5×',
        1.5,
      ),
    );
  }
  report('Sync (real task 2.6)', rows);
  return rows;
}
