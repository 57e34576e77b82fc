/**
 * The tracking report (issue 17) over 10,000 completed tasks and 3 years of history, against one
 * `task export` of that database (the floor the issue names: ≤ 1.5× it), rounds interleaved; and
 * `planager stats` on the same database (its `task` processes counted). Real task, throwaway
 * TASKDATA. The page's size is reported too (the reason its charts are SVG drawn in plan/).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { reportCommand } from '../cli/report.js';
import { statsCommand } from '../cli/stats.js';
import { twDate } from '../sync/index.js';
import { median, ms, type Row } from './measure.js';
import { sandbox } from './sync.js';

export async function benchReport(n = 10000, rounds = 5): Promise<Row[]> {
  const s = sandbox();
  const ws = join(s.dir, 'ws');
  mkdirSync(join(ws, '.planager'), { recursive: true });
  const now = new Date(2026, 11, 4, 20);
  const day = 86_400_000;
  const tasks: object[] = [];
  const hex = (i: number, w = 12) => i.toString(16).padStart(w, '0');
  for (let i = 0; i < n; i++) {
    const end = new Date(now.getTime() - Math.floor((i * 3 * 365 * day) / n));
    tasks.push({
      uuid: `00000000-0000-4000-8000-${hex(i)}`,
      description: `Task ${i}`,
      status: 'completed',
      project: `area${i % 20}.part${i % 3}`,
      entry: twDate(new Date(end.getTime() - 5 * day)),
      end: twDate(end),
    });
  }
  for (let h = 0; h < 5; h++) {
    const t = `11111111-0000-4000-8000-${hex(h)}`;
    const start = new Date(now.getTime() - 365 * day);
    tasks.push({ uuid: t, description: `Habit ${h}`, status: 'recurring', entry: twDate(start), due: twDate(start), recur: 'daily', mask: '' });
    for (let k = 0; k < 365; k++)
      if ((k + h) % 4 !== 0)
        tasks.push({
          uuid: `22222222-${hex(h, 4)}-4000-8000-${hex(k)}`,
          description: `Habit ${h}`,
          status: 'completed',
          entry: twDate(start),
          due: twDate(new Date(start.getTime() + k * day)),
          end: twDate(new Date(start.getTime() + k * day + 3600_000)),
          recur: 'daily',
          parent: t,
          imask: String(k),
        });
  }
  execFileSync('task', ['rc.confirmation=off', 'rc.verbose=nothing', 'rc.recurrence=off', 'import', '-'], {
    env: s.env,
    input: JSON.stringify(tasks),
    maxBuffer: 1 << 28,
  });
  const file = join(s.dir, 'report.html');
  const reports: number[] = [];
  const exports: number[] = [];
  const stats: number[] = [];
  let statProcs = -1;
  const since = '2023-12-05';
  for (let r = 0; r < rounds + 1; r++) {
    let t0 = performance.now();
    const x = await reportCommand({ html: file, workspace: ws, since, now: now.toISOString() }, { tw: s.tw });
    if (x.code !== 0) throw new Error(x.stderr);
    const rep = performance.now() - t0;
    t0 = performance.now();
    await s.tw.export();
    const exp = performance.now() - t0;
    const calls = s.tw.calls;
    t0 = performance.now();
    const st = await statsCommand({ workspace: ws, json: true, now: now.toISOString() }, { tw: s.tw });
    if (st.code !== 0) throw new Error(st.stderr);
    const sta = performance.now() - t0;
    statProcs = s.tw.calls - calls;
    if (r === 0) continue;
    reports.push(rep), exports.push(exp), stats.push(sta);
  }
  // `planager remind` with nothing due, as cron runs it, against a bare `node -e ''`.
  const cli = join(process.cwd(), 'dist', 'cli.cjs');
  const reminds: number[] = [];
  const bares: number[] = [];
  // A minute later each run, as a timer runs it; the first (r = 0, a full run that reads the
  // 10,000 tasks and records the quiet minutes, cli/quiet.ts) is measured apart.
  let fullRun = 0;
  for (let r = 0; r < 11; r++) {
    const nowArg = new Date(now.getTime() + 3600_000 + r * 60_000).toISOString();
    let t1 = performance.now();
    execFileSync(process.execPath, [cli, 'remind', '--workspace', ws, '--now', nowArg], { env: s.env });
    if (r === 0) fullRun = performance.now() - t1;
    const d = performance.now() - t1;
    t1 = performance.now();
    execFileSync(process.execPath, ['-e', ''], { env: s.env });
    const b = performance.now() - t1;
    if (r > 0) reminds.push(d), bares.push(b);
  }
  const size = statSync(file).size;
  rmSync(s.dir, { recursive: true, force: true });
  const floor = median(exports);
  return [
    {
      name: `report --html, ${n} completed tasks over 3 years + 5 daily habits (page ${Math.round(size / 1024)} KB)`,
      value: ms(median(reports)),
      baseline: `task export ${ms(floor)}`,
      ratio: median(reports) / floor,
      target: '≤ 1.5×',
      pass: median(reports) / floor <= 1.5,
    },
    {
      name: 'planager remind with nothing due, a minute apart, as a timer runs it (no task process)',
      value: ms(median(reminds)),
      baseline: `node -e '' ${ms(median(bares))}`,
      ratio: median(reminds) / median(bares),
      target: '≤ 1.5×',
      pass: median(reminds) / median(bares) <= 1.5,
    },
    {
      name: 'planager remind, the full run before them (reads the data files, records the quiet minutes)',
      value: ms(fullRun),
      baseline: `node -e '' ${ms(median(bares))}`,
      ratio: fullRun / median(bares),
      target: 'reported',
      pass: true,
    },
    {
      name: `planager stats on the same database (${statProcs} task process)`,
      value: ms(median(stats)),
      baseline: `task export ${ms(floor)}`,
      ratio: median(stats) / floor,
      target: '≤ 1 process',
      pass: statProcs <= 1,
    },
  ];
}
