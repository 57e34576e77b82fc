/**
 * Issue 17: the weekly, monthly and review plans show the tracking figures in a generated
 * `stats` section, refreshed in place (derived lines replaced, the user's kept). Real task.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../../cli/plan.js';
import { twDate } from '../../../sync/index.js';
import { REAL_TASK, twSandbox } from '../../helpers/tw.js';

describe('the stats section of a weekly plan', () => {
  it('shows each habit and the projects that moved; a second run changes nothing; the user’s lines stay', async () => {
    const sb = twSandbox();
    const ws = mkdtempSync(join(tmpdir(), 'planager-planstats-'));
    mkdirSync(join(ws, '.planager'));
    const T = 'eeeeeeee-2222-4333-8444-555555555555';
    const at = (d: number, h = 9) => twDate(new Date(2026, 11, d, h));
    const tasks = [
      { uuid: T, description: 'Stretch', status: 'recurring', entry: at(1, 7), due: at(1, 8), recur: 'daily', mask: '' },
      ...[1, 2, 3].map((d, i) => ({
        uuid: `eeeeeeee-2222-4333-8444-55555555550${i}`,
        description: 'Stretch',
        status: 'completed',
        entry: at(1, 7),
        due: at(d, 8),
        end: at(d, 19),
        recur: 'daily',
        parent: T,
        imask: String(i),
      })),
      { uuid: 'ffffffff-2222-4333-8444-555555555555', description: 'Paint', status: 'completed', project: 'Home', entry: at(1), end: at(2) },
      { uuid: 'ffffffff-2222-4333-8444-555555555556', description: 'Gate', status: 'pending', project: 'Home', entry: at(1) },
    ];
    execFileSync(REAL_TASK, ['rc.confirmation=off', 'rc.verbose=nothing', 'rc.recurrence=off', 'import', '-'], { env: sb.env, input: JSON.stringify(tasks) });
    const now = new Date(2026, 11, 3, 20);
    const plan = async () => {
      const r = await planCommand('weekly', { workspace: ws, date: '2026-12-03', json: true }, { tw: sb.tw, now });
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout!) as { path: string; sections: Record<string, string[]> };
    };
    const r = await plan();
    expect(r.sections.stats).toEqual([
      expect.stringMatching(/^Stretch: streak 3 \(best 3\), 7 days 43%, strength \d+% [▁▂▃▄▅▆▇█]+$/),
      'Home: 1 of 2 done, 1 this week, done by 2026-12-31 at this rate',
    ]);
    const text = readFileSync(r.path, 'utf8');
    expect(text).toMatch(/\* Habits and progress\n\|planager stats\n- Stretch: streak 3 .* %@stats%\n- Home: 1 of 2 done.* %@stats%\n\|end/);
    // The user writes a line of their own in it; a second run keeps it and changes nothing else.
    writeFileSync(r.path, text.replace('|planager stats\n', '|planager stats\n- my own remark\n'));
    const before = readFileSync(r.path, 'utf8');
    await plan();
    expect(readFileSync(r.path, 'utf8')).toBe(before);
  });
});
