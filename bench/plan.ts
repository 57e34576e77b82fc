/**
 * Planning sessions at 10,000 tasks (issue 15), each against its floor in the same run, rounds
 * interleaved: creating a daily plan and refreshing it with nothing new, against one `task
 * export` (the read a plan needs at most); the agenda against `task next` on the same
 * database. Real `task`, throwaway TASKDATA. Some tasks are due, overdue, started or waiting so
 * that the plan has sections to fill. In process (the Neovim host's case), then as commands
 * from the shell: with nothing changed since the last run (answered from its record,
 * cli/replay.ts), and with a task changed before each run (a full run).
 */
import { execFile } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { agendaCommand } from '../cli/agenda.js';
import { planCommand } from '../cli/plan.js';
import { sync } from '../sync/index.js';
import { median, ms, type Row } from './measure.js';
import { workspace } from './sync.js';

const run = promisify(execFile);
const DAY = '2026-12-04';

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function cliRow(name: string, xs: number[], floorName: string, floor: number[], target: number): Row {
  const ratio = median(xs) / median(floor);
  return { name, value: ms(median(xs)), baseline: `${floorName} ${ms(median(floor))}`, ratio, target: `≤ ${target}×`, pass: ratio <= target };
}

export async function benchPlan(n = 10000, rounds = 7): Promise<Row[]> {
  const { s, ws } = workspace(n);
  const first = await sync({ workspace: ws, tw: s.tw });
  if (first.code !== 0) throw new Error(`sync failed: ${first.error?.message}`);
  // A few dated tasks, from Taskwarrior (the rest stay undated, as most tasks are).
  const exported = await s.tw.export();
  const all = exported.ok ? exported.value : [];
  const some = all.slice(0, 40);
  for (const [i, t] of some.entries()) {
    const mod = i % 4 === 0 ? ['due:2026-12-02'] : i % 4 === 1 ? ['due:2026-12-04T12:00:00'] : i % 4 === 2 ? ['start:now'] : ['wait:2027-01-01'];
    await s.tw.run([t.uuid, 'modify', ...mod]);
  }
  const again = await sync({ workspace: ws, tw: s.tw });
  if (again.code !== 0) throw new Error(`sync failed: ${again.error?.message}`);
  const now = new Date(2026, 11, 4, 8);
  const plan = join(ws, 'journal', '2026', '12', '04.norg');
  const creates: number[] = [];
  const refreshes: number[] = [];
  const exports: number[] = [];
  const agendas: number[] = [];
  const nexts: number[] = [];
  let procs = -1;
  // The first round is the CLI's case (every note parsed); later ones the Neovim host's (a
  // resident process keeps the notes it parsed and re-parses only what changed).
  let coldCreate = 0;
  let coldFloor = 0;
  for (let r = 0; r < rounds + 2; r++) {
    rmSync(plan, { force: true });
    const calls0 = s.tw.calls;
    const c = await timed(async () => {
      const x = await planCommand('daily', { workspace: ws, date: DAY }, { tw: s.tw, now });
      if (x.code !== 0) throw new Error(x.stderr);
    });
    const u = await timed(async () => {
      const x = await planCommand('daily', { workspace: ws, date: DAY }, { tw: s.tw, now });
      if (!/unchanged/.test(x.stdout ?? '')) throw new Error(`refresh changed the plan: ${x.stdout}`);
    });
    procs = s.tw.calls - calls0;
    const e = await timed(() => s.tw.export());
    const a = await timed(async () => {
      const x = await agendaCommand({ workspace: ws, date: DAY }, { tw: s.tw, now });
      if (x.code !== 0) throw new Error(x.stderr);
    });
    const nx = await timed(() => run('task', ['rc.verbose=nothing', 'rc.gc=off', 'next'], { env: s.env, maxBuffer: 64 << 20 }).catch(() => null));
    if (r === 0) (coldCreate = c), (coldFloor = e);
    if (r < 2) continue;
    creates.push(c), refreshes.push(u), exports.push(e), agendas.push(a), nexts.push(nx);
  }
  // As commands from the shell: Node's start, the bundle's load, the parse cache in place.
  // Nothing changed since the last run: the answer is the record of that run (cli/replay.ts).
  const cli = resolve('dist', 'cli.cjs');
  const record = join(ws, '.planager', 'replay.json');
  const planCli = () => run(process.execPath, [cli, 'plan', 'daily', '--date', DAY, '--workspace', ws], { env: s.env });
  const agendaCli = () => run(process.execPath, [cli, 'agenda', '--date', DAY, '--workspace', ws], { env: s.env });
  const exportCli = () => run('task', ['rc.verbose=nothing', 'export'], { env: s.env, maxBuffer: 1 << 28 });
  const nextCli = () => run('task', ['rc.verbose=nothing', 'rc.gc=off', 'next'], { env: s.env, maxBuffer: 1 << 28 }).catch(() => null);
  // A run records only inputs older than 2 s (the plan note was just written above).
  await new Promise((r) => setTimeout(r, 2100));
  await planCli();
  await planCli();
  await agendaCli();
  const recorded = statSync(record).mtimeMs;
  const quiet = { plans: [] as number[], exports: [] as number[], agendas: [] as number[], nexts: [] as number[] };
  for (let r = 0; r < 7; r++) {
    quiet.plans.push(await timed(planCli));
    quiet.exports.push(await timed(exportCli));
    quiet.agendas.push(await timed(agendaCli));
    quiet.nexts.push(await timed(nextCli));
  }
  if (statSync(record).mtimeMs !== recorded) throw new Error('a run that should have been replayed ran in full');
  // A task changed before each run (untimed), one the plan does not show: the run reads
  // everything (the parse cache in place) and writes nothing.
  const changed = { plans: [] as number[], exports: [] as number[], agendas: [] as number[], nexts: [] as number[] };
  const touched = all[some.length]?.uuid;
  for (let r = 0; r < 6; r++) {
    if (touched) await s.tw.run([touched, 'modify', `priority:${'HML'[r % 3]}`]);
    changed.plans.push(await timed(planCli));
    changed.exports.push(await timed(exportCli));
    if (touched) await s.tw.run([touched, 'modify', `priority:${'LHM'[r % 3]}`]);
    changed.agendas.push(await timed(agendaCli));
    changed.nexts.push(await timed(nextCli));
  }
  rmSync(s.dir, { recursive: true, force: true });
  const floor = median(exports);
  const rows: Row[] = [
    {
      name: `${n} tasks: create a daily plan, resident host (${procs} task process for create + refresh)`,
      value: ms(median(creates)),
      baseline: `task export ${ms(floor)}`,
      ratio: median(creates) / floor,
      target: '≤ 1.3×',
      pass: median(creates) / floor <= 1.3,
    },
    {
      name: `${n} tasks: create a daily plan, first in the process (the CLI: every note parsed)`,
      value: ms(coldCreate),
      baseline: `task export ${ms(coldFloor)}`,
      ratio: coldCreate / coldFloor,
      target: '',
    },
    {
      name: `${n} tasks: refresh it, nothing new`,
      value: ms(median(refreshes)),
      baseline: `task export ${ms(floor)}`,
      ratio: median(refreshes) / floor,
      target: '≤ 1.3×',
      pass: median(refreshes) / floor <= 1.3,
    },
    {
      name: `${n} tasks: planager agenda (in process)`,
      value: ms(median(agendas)),
      baseline: `task next ${ms(median(nexts))}`,
      ratio: median(agendas) / median(nexts),
      target: '≤ 1.2×',
      pass: median(agendas) / median(nexts) <= 1.2,
    },
    cliRow(`${n} tasks: \`planager plan daily\` as a command, nothing changed (replayed)`, quiet.plans, 'task export', quiet.exports, 1.3),
    cliRow(`${n} tasks: \`planager agenda\` as a command, nothing changed (replayed)`, quiet.agendas, 'task next', quiet.nexts, 1.2),
    cliRow(`${n} tasks: \`planager plan daily\` as a command, a task changed (parse cache in place)`, changed.plans, 'task export', changed.exports, 1.3),
    cliRow(`${n} tasks: \`planager agenda\` as a command, a task changed`, changed.agendas, 'task next', changed.nexts, 1.2),
  ];
  return rows;
}
