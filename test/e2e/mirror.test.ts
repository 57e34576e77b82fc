import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sync, Taskwarrior } from '../../sync/index.js';
import { ensureHostBuilt, nvimEnv, startNvim, type Nvim } from '../helpers/nvim.js';
import { twSandbox } from '../helpers/tw.js';

let vim: Nvim | null = null;

beforeAll(ensureHostBuilt);

afterEach(async () => {
  if (vim) await vim.quit();
  vim = null;
});

describe('a mirror in Neovim', () => {
  it(':Planager plan daily, a mirror toggled done and written: Taskwarrior and the home line (its open buffer too) complete it; the home line reopened refreshes the mirror', async () => {
    const sb = twSandbox();
    const ws = mkdtempSync(join(tmpdir(), 'planager-e2e-mirror-'));
    writeFileSync(join(ws, 'work.norg'), '* Release\n  - (-) Review the pull request\n  - ( ) Cut the release\n');
    const env = nvimEnv(sb.env, sb.dir);
    const tw = new Taskwarrior({ env });
    expect((await sync({ workspace: ws, tw })).code).toBe(0);
    const v = (vim = await startNvim(env));
    await v.lua("require('planager').setup({ workspaces = { ... } })", ws);
    await v.cmd(`edit ${join(ws, 'work.norg')}`);
    // The plan note made in Neovim, as a user starts the day.
    await v.cmd('Planager plan daily');
    await v.waitFor(async () => (await v.lines()).some((l) => l.includes('Review the pull request')));
    const planPath = await v.lua<string>('return vim.api.nvim_buf_get_name(0)');
    expect(planPath).toMatch(/journal\/\d{4}\/\d\d\/\d\d\.norg$/);
    expect(readFileSync(planPath, 'utf8')).toMatch(/^- \(-\) Review the pull request \{:.*\}\[work: Release\] %@[0-9a-f]{8}%$/m);
    await v.waitFor(() => v.lua<boolean>("return require('planager.host').ready()"));
    const lines = await v.lines();
    const row = lines.findIndex((l) => l.includes('Review the pull request'));
    await v.nvim.request('nvim_buf_set_lines', [0, row, row + 1, false, [lines[row].replace('- (-)', '- (x)')]]);
    await v.cmd('write');

    const review = () => sb.exportAll().find((t) => t.description === 'Review the pull request')!;
    await v
      .waitFor(async () => review().status === 'completed')
      .catch((e) => {
        throw new Error(`${e}\nlog:\n${v.log()}\nplan:\n${readFileSync(planPath, 'utf8')}`);
      });
    await v
      .waitFor(async () => /- \(x\) Review the pull request %#[0-9a-f]{8}%/.test(readFileSync(join(ws, 'work.norg'), 'utf8')))
      .catch((e) => {
        throw new Error(`${e}\nlog:\n${v.log()}\nwork:\n${readFileSync(join(ws, 'work.norg'), 'utf8')}`);
      });
    const workBuf = await v.lua<string[]>('return vim.api.nvim_buf_get_lines(vim.fn.bufnr(...), 0, -1, false)', join(ws, 'work.norg'));
    await v.waitFor(async () =>
      (await v.lua<string[]>('return vim.api.nvim_buf_get_lines(vim.fn.bufnr(...), 0, -1, false)', join(ws, 'work.norg'))).some((l) =>
        l.includes('(x) Review the pull request'),
      ),
    );
    expect(workBuf.length).toBe(3);
    // The mirror is still a mirror: no id of its own, no new task.
    expect(readFileSync(planPath, 'utf8')).toMatch(/^- \(x\) Review the pull request \{:.*\}\[work: Release\] %@[0-9a-f]{8}%$/m);
    expect(sb.exportAll().filter((t) => t.description === 'Review the pull request')).toHaveLength(1);
    expect(sb.exportAll().find((t) => t.description === 'Cut the release')!.status).toBe('pending');

    // The other way: the home line reopened and written refreshes the open plan's mirror.
    await v.cmd(`buffer ${join(ws, 'work.norg')}`);
    const work = await v.lines();
    const at = work.findIndex((l) => l.includes('Review the pull request'));
    await v.nvim.request('nvim_buf_set_lines', [0, at, at + 1, false, [work[at].replace('- (x)', '- (-)')]]);
    await v.cmd('write');
    await v.waitFor(async () => review().status === 'pending' && !!review().start);
    const planLines = () => v.lua<string[]>('return vim.api.nvim_buf_get_lines(vim.fn.bufnr(...), 0, -1, false)', planPath);
    await v.waitFor(async () => (await planLines()).some((l) => /^- \(-\) Review the pull request \{/.test(l)));
    expect(await v.lua<boolean>('return vim.bo[vim.fn.bufnr(...)].modified', planPath)).toBe(false);
    expect(readFileSync(planPath, 'utf8')).toMatch(/^- \(-\) Review the pull request \{/m);
  });
});
