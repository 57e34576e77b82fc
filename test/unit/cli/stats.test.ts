/**
 * `planager stats` over a real throwaway Taskwarrior: a daily habit (a recurrence template and
 * its instances, done on chosen days), projects and a day's plan; no `task` process to read;
 * a completion just before and just after midnight falls on the day of the zone it is read in.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statsCommand } from '../../../cli/stats.js';
import { twDate } from '../../../sync/index.js';
import { ROOT } from '../../helpers/shared.js';
import { REAL_TASK, twSandbox } from '../../helpers/tw.js';

const T = '11111111-2222-4333-8444-555555555555';
const inst = (i: number, status: string, end?: Date) => ({
  uuid: `11111111-2222-4333-8444-${String(600000000000 + i)}`,
  description: 'Stretch',
  status,
  entry: twDate(new Date(2026, 10, 20, 8)),
  due: twDate(new Date(2026, 10, 20 + i, 8)),
  recur: 'daily',
  parent: T,
  imask: String(i),
  ...(end ? { end: twDate(end) } : {}),
});

function world() {
  const sb = twSandbox();
  const ws = mkdtempSync(join(tmpdir(), 'planager-stats-'));
  mkdirSync(join(ws, '.planager'));
  const tasks = [
    {
      uuid: T,
      description: 'Stretch',
      status: 'recurring',
      entry: twDate(new Date(2026, 10, 20, 8)),
      due: twDate(new Date(2026, 10, 20, 8)),
      recur: 'daily',
      mask: '',
    },
    // Done on the 20th–23rd, missed the 24th, done the 25th–27th; today is the 28th.
    ...[0, 1, 2, 3, 5, 6, 7].map((i) => inst(i, 'completed', new Date(2026, 10, 20 + i, 19))),
    inst(4, 'deleted', new Date(2026, 10, 25, 1)),
    {
      uuid: '22222222-2222-4333-8444-555555555555',
      description: 'Paint the shed',
      status: 'completed',
      project: 'Home',
      entry: twDate(new Date(2026, 10, 1)),
      end: twDate(new Date(2026, 10, 27, 10)),
      due: twDate(new Date(2026, 10, 27, 18)),
    },
    {
      uuid: '33333333-2222-4333-8444-555555555555',
      description: 'Fix the gate',
      status: 'pending',
      project: 'Home.Garden',
      entry: twDate(new Date(2026, 10, 1)),
      due: twDate(new Date(2026, 10, 26, 18)),
    },
  ];
  execFileSync(REAL_TASK, ['rc.confirmation=off', 'rc.verbose=nothing', 'rc.recurrence=off', 'import', '-'], { env: sb.env, input: JSON.stringify(tasks) });
  mkdirSync(join(ws, 'journal', '2026', '11'), { recursive: true });
  writeFileSync(join(ws, 'journal', '2026', '11', '27.norg'), `* Today\n- ( ) Paint the shed %@22222222%\n- ( ) Buy paint\n`);
  return { sb, ws };
}

describe('planager stats', () => {
  it('habits, projects and days from the history, reading no task process', async () => {
    const { sb, ws } = world();
    sb.resetCalls();
    const r = await statsCommand({ workspace: ws, json: true, now: new Date(2026, 10, 28, 9).toISOString(), since: '2026-11-26' }, { tw: sb.tw });
    expect(r.code).toBe(0);
    expect(sb.calls()).toEqual([]);
    const out = JSON.parse(r.stdout!);
    expect(out.habits).toHaveLength(1);
    const h = out.habits[0];
    expect(h).toMatchObject({ uuid: T, description: 'Stretch', streak: 3, best: 4 });
    expect(h.rate7).toBeCloseTo(5 / 7, 10); // the 22nd–28th: 22, 23, 25, 26, 27 done; 24 missed, 28 not yet
    const m = 0.5 ** (1 / 13);
    // Loop's score by hand: done 4 days, a miss, done 3, today (not done) a miss.
    let s = 0;
    for (const v of [1, 1, 1, 1, 0, 1, 1, 1, 0]) s = s * m + v * (1 - m);
    expect(h.strength).toBeCloseTo(s, 12);
    expect(out.projects).toEqual([
      { project: 'Home', done: 1, total: 2, doneLast7: 1, forecast: '2026-12-26', trend: [0, 0, 0, 0, 0, 0, 0, 1] },
      { project: 'Home.Garden', done: 0, total: 1, doneLast7: 0, forecast: null, trend: [0, 0, 0, 0, 0, 0, 0, 0] },
    ]);
    expect(out.days.find((d: { date: string }) => d.date === '2026-11-27')).toEqual({ date: '2026-11-27', done: 2, planned: 2, dueMet: 2, dueMissed: 0 });
    expect(out.days.find((d: { date: string }) => d.date === '2026-11-26')).toMatchObject({ dueMissed: 1 });
    // Weeks sum the days (the 26th–28th are in ISO week 48).
    expect(out.weeks).toEqual([{ week: '2026-W48', done: 3, planned: 2, dueMet: 3, dueMissed: 1 }]);
    const text = await statsCommand({ workspace: ws, now: new Date(2026, 10, 28, 9).toISOString() }, { tw: sb.tw });
    expect(text.stdout).toMatch(/Stretch: streak 3 \(best 4\), 7 days 71%, 30 days .*, strength \d+% [▁▂▃▄▅▆▇█]+/);
  });

  it('a goal written on the project heading: +goal N (done of N) and +goal DATE (on track or behind)', async () => {
    const { sb, ws } = world();
    writeFileSync(join(ws, 'home.norg'), '@document.meta\nproject: Home\n@end\n+goal 4\n* Garden\n+goal soon\n* Shed\n');
    const now = new Date(2026, 10, 28, 9).toISOString();
    writeFileSync(join(ws, 'all.norg'), '+goal 2026-11-30\n* Home\n');
    const r = await statsCommand({ workspace: ws, json: true, now }, { tw: sb.tw });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout!);
    // Home: 1 of 2 done, 1 in the last 28 days: the other takes 28 days, after the 30th.
    expect(out.projects.find((p: { project: string }) => p.project === 'Home').goal).toEqual({
      target: '2026-11-30',
      progress: 0.5,
      by: '2026-12-26',
      onTrack: false,
    });
    expect(out.projects.find((p: { project: string }) => p.project === 'Home.Garden').goal).toEqual({ target: '4', progress: 0, by: null, onTrack: null });
    expect(r.stderr).toMatch(/home\.norg: the goal of "Shed" \(\+goal soon\) is neither a count/);
    const text = await statsCommand({ workspace: ws, now }, { tw: sb.tw });
    expect(text.stdout).toMatch(/Home: 1\/2 done, 1 in 7 days, 8 weeks [▁█]{8}, goal 2026-11-30: 50%, reached by 2026-12-26 at this rate \(behind\)/);
  });

  it('a completion near midnight counts on the day of the zone it is read in', () => {
    const { sb, ws } = world();
    // Done at 23:30 UTC on the 28th: the 28th in London, the 29th in Auckland.
    execFileSync(REAL_TASK, ['rc.confirmation=off', 'rc.verbose=nothing', 'import', '-'], {
      env: sb.env,
      input: JSON.stringify([{ ...inst(8, 'completed'), end: '20261128T233000Z' }]),
    });
    const run = (tz: string) =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [join(ROOT, 'dist', 'cli.cjs'), 'stats', '--json', '--workspace', ws, '--now', '2026-11-29T12:00:00Z', '--since', '2026-11-28'],
          {
            env: { ...sb.env, TZ: tz },
          },
        ).toString(),
      ).days as { date: string; done: number }[];
    const done = (tz: string) => Object.fromEntries(run(tz).map((d) => [d.date, d.done]));
    // London: the 23:30 completion is the 28th's (the one of the 27th, 19:00 UTC, is the 27th's).
    expect(done('Europe/London')).toEqual({ '2026-11-28': 1, '2026-11-29': 0 });
    // Auckland (UTC+13): it is the 29th's; the 27th's 19:00 UTC is the 28th's 08:00.
    expect(done('Pacific/Auckland')).toEqual({ '2026-11-28': 1, '2026-11-29': 1, '2026-11-30': 0 });
  });
});
