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
  });
});
