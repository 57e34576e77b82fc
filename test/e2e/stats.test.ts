/**
 * `:Planager stats` in real Neovim: the figures of the current note's workspace in a scratch
 * buffer (real task, a daily habit done three days in a row).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sync, Taskwarrior, twDate } from '../../sync/index.js';
import { ensureHostBuilt, nvimEnv, startNvim, type Nvim } from '../helpers/nvim.js';
import { REAL_TASK, twSandbox } from '../helpers/tw.js';

let vim: Nvim | null = null;
beforeAll(ensureHostBuilt);
afterEach(async () => {
  if (vim) await vim.quit();
  vim = null;
});

describe(':Planager stats', () => {
  it('shows the habits, projects and days of the workspace; r refreshes', async () => {
    const sb = twSandbox();
    const ws = mkdtempSync(join(tmpdir(), 'planager-e2e-stats-'));
    writeFileSync(join(ws, 'home.norg'), '* Garden\n  - ( ) Fix the gate\n');
    const env = nvimEnv(sb.env, sb.dir);
    expect((await sync({ workspace: ws, tw: new Taskwarrior({ env }) })).code).toBe(0);
    const T = 'aaaaaaaa-2222-4333-8444-555555555555';
    const day = (k: number, h: number) => {
      const d = new Date();
      d.setHours(h, 0, 0, 0);
      d.setDate(d.getDate() - k);
      return twDate(d);
    };
    const tasks = [
      { uuid: T, description: 'Stretch', status: 'recurring', entry: day(2, 7), due: day(2, 8), recur: 'daily', mask: '' },
      ...[2, 1, 0].map((k, i) => ({
        uuid: `aaaaaaaa-2222-4333-8444-55555555555${i}`,
        description: 'Stretch',
        status: 'completed',
        entry: day(2, 7),
        due: day(k, 8),
        end: day(k, 9),
        recur: 'daily',
        parent: T,
        imask: String(i),
      })),
    ];
    execFileSync(REAL_TASK, ['rc.confirmation=off', 'rc.verbose=nothing', 'rc.recurrence=off', 'import', '-'], { env: sb.env, input: JSON.stringify(tasks) });
    const v = (vim = await startNvim(env));
    await v.lua("require('planager').setup({ workspaces = { ... } })", ws);
    await v.cmd(`edit ${join(ws, 'home.norg')}`);
    await v.waitFor(() => v.lua<boolean>("return require('planager.host').ready()"));
    await v.cmd('Planager stats');
    await v.waitFor(async () => (await v.lua<string>('return vim.api.nvim_buf_get_name(0)')).includes('planager://stats'));
    const lines = await v.lines();
    expect(lines[0]).toContain(`Planager stats for ${ws}`);
    expect(lines.join('\n')).toMatch(/Stretch: streak 3 \(best 3\), 7 days 43%/);
    expect(lines.join('\n')).toMatch(/Garden: 0\/1 done/);
    await v.nvim.request('nvim_feedkeys', ['r', 'x', false]);
    await v.waitFor(async () => (await v.lua<string>('return vim.api.nvim_buf_get_name(0)')).includes('planager://stats'));
    expect((await v.lines()).join('\n')).toMatch(/Stretch: streak 3/);
    // o writes the HTML report and opens it (the opener stubbed: no browser in a test).
    await v.lua('vim.ui.open = function(p) vim.g.planager_opened = p end');
    await v.nvim.request('nvim_feedkeys', ['o', 'x', false]);
    await v.waitFor(async () => typeof (await v.lua('return vim.g.planager_opened')) === 'string');
    const opened = await v.lua<string>('return vim.g.planager_opened');
    expect(opened).toMatch(/planager\/report\.html$/);
    expect(readFileSync(opened, 'utf8')).toMatch(/<figure data-chart="habit"><figcaption>Stretch: strength \d+%, streak 3/);
  });
});
