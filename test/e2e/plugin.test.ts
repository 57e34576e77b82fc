import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installHook, sync, Taskwarrior } from '../../sync/index.js';
import { alive, nvimEnv, startNvim, type Nvim } from '../helpers/nvim.js';
import { ROOT } from '../helpers/shared.js';
import { twSandbox, type TwSandbox } from '../helpers/tw.js';

const NOTE = '* Home\n  - ( ) Water the plants\n  - ( ) Call mum\n  - (-) Tidy up\n  -- ( ) Desk\n';

let sb: TwSandbox;
let ws: string;
let env: NodeJS.ProcessEnv;
let vim: Nvim | null = null;
const note = () => join(ws, 'plan.norg');

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'host.js'))) execFileSync(process.execPath, ['scripts/build.mjs', '--no-types'], { cwd: ROOT });
});

async function fresh(synced = true): Promise<Nvim> {
  sb = twSandbox();
  ws = mkdtempSync(join(tmpdir(), 'planager-e2e-'));
  writeFileSync(note(), NOTE);
  env = nvimEnv(sb.env, sb.dir);
  if (synced) expect((await sync({ workspace: ws, tw: new Taskwarrior({ env }) })).code).toBe(0);
  vim = await startNvim(env);
  await vim.lua("require('planager').setup({ workspaces = { ... } })", ws);
  return vim;
}

const hostPid = (v: Nvim) => v.lua<number | null>("return require('planager.host').pid()");

afterEach(async () => {
  if (vim) await vim.quit();
  vim = null;
});

describe('the Neovim plugin (headless Neovim, real task)', () => {
  it('opening a file pulls an outside change as a minimal edit, one undo step, cursor kept', async () => {
    const v = await fresh();
    const before = readFileSync(note(), 'utf8');
    const uuid = sb.exportAll().find((t) => t.description === 'Call mum')!.uuid;
    sb.task(uuid, 'modify', 'priority:H');
    await v.cmd(`edit ${note()}`);
    await v.nvim.request('nvim_win_set_cursor', [0, [4, 8]]);
    await v.waitFor(async () => (await v.lines()).join('\n').includes('( |# A) Call mum'));
    const after = (await v.lines()).join('\n') + '\n';
    expect(after).toBe(before.replace('( ) Call mum', '( |# A) Call mum'));
    expect(readFileSync(note(), 'utf8')).toBe(after); // written, so disk and sync state agree
    expect(await v.nvim.request('nvim_win_get_cursor', [0])).toEqual([4, 8]);
    await v.cmd('undo');
    expect((await v.lines()).join('\n') + '\n').toBe(before);
  });

  it('writing pushes, and the file on disk holds the new ids and derived statuses', async () => {
    const v = await fresh();
    await v.cmd(`edit ${note()}`);
    await v.waitFor(async () => (await v.lua<number>("return #require('planager')._buffers()")) === 1);
    // Finish the only child of "Tidy up" and add a new task.
    await v.nvim.request('nvim_buf_set_lines', [0, 4, 5, false, [(await v.lines())[4].replace('( )', '(x)')]]);
    await v.nvim.request('nvim_buf_set_lines', [0, 5, 5, false, ['  - ( ) Book the dentist']]);
    await v.cmd('write');
    const disk = readFileSync(note(), 'utf8');
    expect(disk).toMatch(/- \( \) Book the dentist %#[0-9a-f]{8}%/);
    expect(disk).toMatch(/- \(x\) Tidy up/);
    await v.waitFor(async () => sb.exportAll().some((t) => t.description === 'Book the dentist'));
    await v.waitFor(async () => sb.exportAll().find((t) => t.description === 'Tidy up')!.status === 'completed');
    const id = /Book the dentist %#([0-9a-f]{8})%/.exec(disk)![1];
    expect(sb.exportAll().find((t) => t.description === 'Book the dentist')!.uuid.replace(/-/g, '').startsWith(id)).toBe(true);
  });

  it('with the hook installed, an outside `task done` reaches the open buffer by itself', async () => {
    const v = await fresh();
    const hook = await installHook(new Taskwarrior({ env }), env);
    expect(hook.ok).toBe(true);
    await v.cmd(`edit ${note()}`);
    await v.waitFor(async () => (await hostPid(v)) !== null && readFileSync(note(), 'utf8') === (await v.lines()).join('\n') + '\n');
    await new Promise((r) => setTimeout(r, 200)); // the host registers for signals at setup
    const uuid = sb.exportAll().find((t) => t.description === 'Water the plants')!.uuid;
    const t0 = Date.now();
    sb.task(uuid, 'done');
    const took = await v.waitFor(async () => (await v.lines()).some((l) => l.includes('(x) Water the plants')), 3_000);
    // The 300 ms target is measured by `npm run bench -- nvim`; here it only has to arrive.
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(took).toBeGreaterThanOrEqual(0);
  });

  it('the host is gone after Neovim quits, and after Neovim is killed', async () => {
    const v = await fresh(false);
    await v.cmd(`edit ${note()}`);
    await v.waitFor(async () => (await hostPid(v)) !== null);
    const pid = (await hostPid(v))!;
    expect(alive(pid)).toBe(true);
    await v.quit();
    vim = null;
    await new Promise((r) => setTimeout(r, 300));
    expect(alive(pid)).toBe(false);

    const w = await startNvim(env);
    vim = w;
    await w.lua("require('planager').setup({ workspaces = { ... } })", ws);
    await w.cmd(`edit ${note()}`);
    await w.waitFor(async () => (await hostPid(w)) !== null);
    const pid2 = (await hostPid(w))!;
    w.proc.kill('SIGKILL');
    vim = null;
    await new Promise((r) => setTimeout(r, 500));
    expect(alive(pid2)).toBe(false);
  });

  it('opening a note and quitting at once exits (no host started after VimLeavePre)', async () => {
    sb = twSandbox();
    ws = mkdtempSync(join(tmpdir(), 'planager-e2e-'));
    writeFileSync(note(), NOTE);
    env = nvimEnv(sb.env, sb.dir);
    const init = join(sb.dir, 'init.lua');
    writeFileSync(init, `vim.opt.rtp:prepend(${JSON.stringify(ROOT)})\nrequire('planager').setup({ workspaces = { ${JSON.stringify(ws)} } })\n`);
    // As a user runs it: `nvim -c 'e note' -c 'qa!'`; the pull scheduled by the open must not
    // start a host once Neovim is leaving (it kept Neovim alive for good).
    for (const extra of [[], ['-c', 'sleep 200m']]) {
      const t0 = Date.now();
      const r = spawnSync('nvim', ['--headless', '-u', init, '-i', 'NONE', '-n', '-c', `e ${note()}`, ...extra, '-c', 'qa!'], { env, timeout: 15_000 });
      expect(r.signal, `nvim ${extra.join(' ')} did not exit`).toBeNull();
      expect(r.status).toBe(0);
      expect(Date.now() - t0).toBeLessThan(10_000);
    }
  });

  it(':help planager works right after setup, and a .norg file has a filetype without Neorg', async () => {
    const v = await fresh(false);
    await v.cmd('help planager');
    expect(await v.lua<string>('return vim.bo.filetype')).toBe('help');
    await v.cmd('only');
    await v.cmd('filetype on');
    await v.cmd(`edit ${note()}`);
    expect(await v.lua<string>('return vim.bo.filetype')).toBe('norg');
  });

  it('the statusline shows the last sync in local time', async () => {
    sb = twSandbox();
    ws = mkdtempSync(join(tmpdir(), 'planager-e2e-'));
    env = { ...nvimEnv(sb.env, sb.dir), TZ: 'Asia/Kolkata' };
    vim = await startNvim(env);
    await vim.lua("require('planager').setup({ workspaces = { ... } })", ws);
    await vim.lua("require('planager')._status({ lastSync = '2026-12-04T10:00:00.000Z', running = false, pendingPushes = 0, conflicts = 0 })");
    // UTC+05:30, no daylight saving: 10:00Z is 15:30 there.
    expect(await vim.lua<string>("return require('planager').statusline()")).toBe('planager: synced 15:30');
  });

  it('a line problem (an unreadable date) is a diagnostic on its line, cleared once fixed', async () => {
    const v = await fresh(true);
    await v.cmd(`edit ${note()}`);
    const diags = () => v.lua<{ lnum: number; message: string }[]>("return vim.tbl_map(function(d) return { lnum = d.lnum, message = d.message } end, vim.diagnostic.get(0))");
    await v.lua("vim.api.nvim_buf_set_text(0, 2, 4, 2, 7, { '( |< sometime soonish)' })");
    await v.cmd('write');
    await v.waitFor(async () => (await diags()).length > 0, 10_000);
    const d = await diags();
    expect(d).toHaveLength(1);
    expect(d[0].lnum).toBe(2);
    expect(d[0].message).toMatch(/cannot read the date "sometime soonish"/);
    await v.lua("vim.api.nvim_buf_set_lines(0, 2, 3, false, { (vim.api.nvim_buf_get_lines(0, 2, 3, false)[1]:gsub('|< sometime soonish', '')) })");
    await v.cmd('write');
    await v.waitFor(async () => (await diags()).length === 0, 10_000);
  });

  it('a crashed host restarts once and keeps working', async () => {
    const v = await fresh();
    await v.cmd(`edit ${note()}`);
    await v.waitFor(async () => (await hostPid(v)) !== null);
    const pid = (await hostPid(v))!;
    process.kill(pid, 'SIGKILL');
    await v.waitFor(async () => {
      const p = await hostPid(v);
      return p !== null && p !== pid;
    });
    const res = await v.lua<{ pid: number }>("return require('planager.host').request('ping')");
    expect(res.pid).toBe(await hostPid(v));
    expect(v.log()).toMatch(/host exited with code/);
  });

  it(':checkhealth planager reports every item', async () => {
    const v = await fresh(false);
    await v.cmd('checkhealth planager');
    const text = (await v.lines()).join('\n');
    for (const item of [/Neovim 0\.\d+\.\d+/, /setup\(\) called/, /log file: .*planager\.log/, /node: v\d+/, /host handshake: pid \d+/, /task 2\.6\.\d/, /git version/, /1 tracked note/, /state folder writable/]) {
      expect(text).toMatch(item);
    }
    expect(text).not.toMatch(/ERROR/);
  });

  it('a misconfigured setup gives a clear error', async () => {
    const v = await fresh(false);
    const err = async (opts: string) => v.lua<string>(`local ok, e = pcall(require('planager').setup, ${opts}); return ok and 'no error' or e`);
    expect(await err('{}')).toBe('(planager) set at least one workspace: require("planager").setup({ workspaces = { "~/notes" } })');
    expect(await err('{ workspaces = { "/nonexistent/x" } }')).toBe('(planager) workspace "/nonexistent/x" is not a folder');
    expect(await err(`{ workspaces = { "${ws}" }, pull_on_opn = true }`)).toBe('(planager) unknown option "pull_on_opn" (see :help planager-options)');
    expect(await err(`{ workspaces = { "${ws}" }, conceal_ids = "yes" }`)).toBe('(planager) option "conceal_ids" must be a boolean, got string');
    expect(await err(`{ workspaces = { "${ws}" }, backup = "cloud" }`)).toBe('(planager) option "backup" must be "state", "workspace" or false');
    expect(await err('"notes"')).toBe('(planager) setup() takes a table, got string');
  });

  it(':PlanagerSync writes unsaved notes first and brings Taskwarrior changes into open buffers; ids are concealed', async () => {
    const v = await fresh();
    await v.cmd(`edit ${note()}`);
    await v.waitFor(async () => (await hostPid(v)) !== null);
    await new Promise((r) => setTimeout(r, 300));
    const lines = await v.lines();
    // An unsaved edit in the buffer, and a change in Taskwarrior to another task.
    await v.nvim.request('nvim_buf_set_lines', [0, 1, 2, false, [lines[1].replace('( )', '(x)')]]);
    const uuid = sb.exportAll().find((t) => t.description === 'Call mum')!.uuid;
    sb.task(uuid, 'modify', 'Call mum back');
    await v.cmd('PlanagerSync');
    await v.waitFor(async () => (await v.lines()).some((l) => l.includes('Call mum back')));
    await v.waitFor(async () => sb.exportAll().find((t) => t.description === 'Water the plants')!.status === 'completed');
    expect(await v.lua<boolean>('return vim.bo.modified')).toBe(false);
    expect(readFileSync(note(), 'utf8')).toContain('Call mum back');
    // Conceal: a match hides the ids in this window.
    const matches = await v.lua<{ group: string; pattern: string }[]>('return vim.fn.getmatches()');
    expect(matches.some((m) => m.group === 'Conceal' && m.pattern.includes('%#'))).toBe(true);
    expect(await v.lua<number>('return vim.wo.conceallevel')).toBe(2);
    // A split window shows the same note: its own match (Neovim does not copy matches).
    await v.cmd('split');
    const inSplit = await v.lua<{ group: string; pattern: string }[]>('return vim.fn.getmatches()');
    expect(inSplit.filter((m) => m.group === 'Conceal' && m.pattern.includes('%#'))).toHaveLength(1);
  });

  it(':Planager history lists the versions of the task under the cursor and r restores one', async () => {
    const v = await fresh();
    const uuid = sb.exportAll().find((t) => t.description === 'Call mum')!.uuid;
    sb.task(uuid, 'modify', 'Call mum on Sunday');
    await v.cmd(`edit ${note()}`);
    await v.waitFor(async () => (await v.lines()).some((l) => l.includes('Call mum on Sunday')));
    await v.nvim.request('nvim_win_set_cursor', [0, [3, 4]]);
    await v.cmd('Planager history');
    const hist = await v.lines();
    expect(hist[0]).toMatch(/^History of task [0-9a-f]{8}/);
    expect(hist.join('\n')).toMatch(/current[\s\S]*Call mum on Sunday[\s\S]*1\. .*overwrite of the note version[\s\S]*Call mum/);
    const row = hist.findIndex((l) => /^\s+1\. /.test(l));
    await v.nvim.request('nvim_win_set_cursor', [0, [row + 1, 0]]);
    await v.nvim.input('r');
    await v.waitFor(async () => sb.exportAll().find((t) => t.uuid === uuid)!.description === 'Call mum');
    await v.waitFor(async () => readFileSync(note(), 'utf8').includes('- ( ) Call mum %#'));
    // The open note changed in place (no "file changed on disk" reload); restoring closed the history window.
    expect((await v.lines()).some((l) => l.includes('- ( ) Call mum %#'))).toBe(true);
    expect(await v.lua<boolean>('return vim.bo.modified')).toBe(false);
  });
});

