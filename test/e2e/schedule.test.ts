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

describe(':Planager schedule', () => {
  it('writes the schedule section of the day and opens the note; again with the note open, in its buffer', async () => {
    const sb = twSandbox();
    const ws = mkdtempSync(join(tmpdir(), 'planager-e2e-schedule-'));
    writeFileSync(join(ws, 'work.norg'), '* Release\n  - (-) Review the pull request\n  - ( |< 2026-12-04) Cut the release\n');
    const env = nvimEnv(sb.env, sb.dir);
    expect((await sync({ workspace: ws, tw: new Taskwarrior({ env }) })).code).toBe(0);
    const v = (vim = await startNvim(env));
    await v.lua("require('planager').setup({ workspaces = { ... } })", ws);
    await v.cmd(`edit ${join(ws, 'work.norg')}`);
    await v.waitFor(() => v.lua<boolean>("return require('planager.host').ready()"));
    await v.cmd('Planager schedule 2026-12-04');
    const path = join(ws, 'journal', '2026', '12', '04.norg');
    await v.waitFor(async () => (await v.lua<string>('return vim.api.nvim_buf_get_name(0)')) === path);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/\|planager schedule [^\n]*\n(- \d\d:\d\d-\d\d:\d\d [^\n]*\n)+\|end/);
    expect(text).toContain('Cut the release');
    expect((await v.lines()).join('\n') + '\n').toBe(text);
    // Open now: a second run changes nothing, the buffer stays unmodified.
    await v.cmd('Planager schedule 2026-12-04');
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(await v.lua<boolean>('return vim.bo.modified')).toBe(false);

    // A block marked done in the buffer (as Neorg's toggle writes it), then :Planager schedule:
    // the task is done in Taskwarrior and the line stays as written.
    const lines = await v.lines();
    const at = lines.findIndex((l) => /^- \d\d:\d\d-\d\d:\d\d Cut the release .*%block /.test(l));
    expect(at).toBeGreaterThan(-1);
    const marked = lines[at].replace(/^- /, '- (x) ');
    await v.lua('vim.api.nvim_buf_set_lines(0, ..., ... + 1, false, { select(3, ...) })', at, at, marked);
    await v.cmd('Planager schedule 2026-12-04');
    await v.waitFor(async () => sb.exportAll().find((t) => t.description === 'Cut the release')?.status === 'completed');
    expect(await v.lines()).toContain(marked);
  });
});
