import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  if (!existsSync(join(ROOT, 'dist', 'host.cjs'))) execFileSync(process.execPath, ['scripts/build.mjs', '--no-types'], { cwd: ROOT });
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
const hostReady = (v: Nvim) => () => v.lua<boolean>("return require('planager.host').ready()");

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
    await v.waitFor(hostReady(v));
    // Finish the only child of "Tidy up" and add a new task.
    await v.nvim.request('nvim_buf_set_lines', [0, 4, 5, false, [(await v.lines())[4].replace('( )', '(x)')]]);
    await v.nvim.request('nvim_buf_set_lines', [0, 5, 5, false, ['  - ( ) Book the dentist']]);
    await v.cmd('write');
    // The write went to disk as typed; right after it, the host adds the id and the parent's
    // status to the buffer and writes it again (one undo step).
    await v.waitFor(async () => /- \( \) Book the dentist %#[0-9a-f]{8}%/.test(readFileSync(note(), 'utf8')));
    await v.waitFor(async () => /- \(x\) Tidy up/.test(readFileSync(note(), 'utf8')));
    const disk = readFileSync(note(), 'utf8');
    expect((await v.lines()).join('\n') + '\n').toBe(disk);
    expect(await v.lua<boolean>('return vim.bo.modified')).toBe(false);
    await v.waitFor(async () => sb.exportAll().some((t) => t.description === 'Book the dentist'));
    await v.waitFor(async () => sb.exportAll().find((t) => t.description === 'Tidy up')!.status === 'completed');
    const id = /Book the dentist %#([0-9a-f]{8})%/.exec(disk)![1];
    expect(
      sb
        .exportAll()
        .find((t) => t.description === 'Book the dentist')!
        .uuid.replace(/-/g, '')
        .startsWith(id),
    ).toBe(true);
  });

  // One Lua call opens the note, adds a task and writes: the pull on open is only scheduled,
  // so no host has started when the write runs.
  const openEditWrite = (v: Nvim) =>
    v.lua<{ running: boolean; ready: boolean }>(
      `vim.cmd('edit ' .. vim.fn.fnameescape(...)); local h = require('planager.host'); local running = h.running()
       vim.api.nvim_buf_set_lines(0, 5, 5, false, { '  - ( ) Book the dentist' }); vim.cmd('write')
       return { running = running, ready = h.ready() }`,
      note(),
    );
  const pendingDir = () => join(env.XDG_DATA_HOME!, 'nvim', 'planager', 'pending');
  const pending = () => (existsSync(pendingDir()) ? readdirSync(pendingDir()) : []);
  const booked = () => sb.exportAll().filter((t) => t.description === 'Book the dentist');

  it('a write made before the host is up goes to disk at once; its ids and push follow once the host is up', async () => {
    const v = await fresh();
    const at = await openEditWrite(v);
    expect(at).toEqual({ running: false, ready: false });
    // On disk as typed (nothing waited for Node); the ids come with the host.
    expect(readFileSync(note(), 'utf8')).toContain('  - ( ) Book the dentist\n');
    await v.waitFor(async () => booked().length === 1, 15_000);
    await v.waitFor(async () => /- \( \) Book the dentist %#[0-9a-f]{8}%/.test(readFileSync(note(), 'utf8')), 15_000);
    const disk = readFileSync(note(), 'utf8');
    expect((await v.lines()).join('\n') + '\n').toBe(disk);
    expect(await v.lua<boolean>('return vim.bo.modified')).toBe(false);
    const id = /Book the dentist %#([0-9a-f]{8})%/.exec(disk)![1];
    expect(booked()[0].uuid.replace(/-/g, '').startsWith(id)).toBe(true);
    // The push is confirmed: nothing is left for the next start.
    await v.waitFor(async () => pending().length === 0);
    // Another write changes nothing in Taskwarrior: still one task.
    await v.cmd('write');
    await new Promise((r) => setTimeout(r, 300));
    expect(booked()).toHaveLength(1);
  });

  it('a write right before Neovim quits is not lost: the next Neovim pushes it when it starts', async () => {
    const v = await fresh();
    expect(await openEditWrite(v)).toEqual({ running: false, ready: false });
    await v.quit();
    vim = null;
    // The host had no time to push: the write is recorded for the next start.
    if (booked().length === 0) expect(pending()).toHaveLength(1);
    const w = await startNvim(env);
    vim = w;
    await w.lua("require('planager').setup({ workspaces = { ... } })", ws);
    await w.cmd(`edit ${note()}`);
    await w.waitFor(async () => booked().length === 1, 15_000);
    await w.waitFor(async () => /Book the dentist %#[0-9a-f]{8}%/.test(readFileSync(note(), 'utf8')), 15_000);
    await w.waitFor(async () => (await w.lines()).join('\n') + '\n' === readFileSync(note(), 'utf8'));
    expect(await w.lua<boolean>('return vim.bo.modified')).toBe(false);
    await w.waitFor(async () => pending().length === 0);
    expect(booked()).toHaveLength(1);
  });

  it("the host's code cache is written, and a corrupt or stale one is ignored", async () => {
    sb = twSandbox();
    ws = mkdtempSync(join(tmpdir(), 'planager-e2e-'));
    env = { ...nvimEnv(sb.env, sb.dir), PLANAGER_CACHE_DELAY_MS: '100' };
    const v = (vim = await startNvim(env));
    await v.lua("require('planager').setup({ workspaces = { ... } })", ws);
    const dir = await v.lua<string>("return require('planager.host').cache_dir()");
    const ping = () => v.lua<{ pid: number }>("local h = require('planager.host'); h.stop(); h.ensure(); return h.request('ping')");
    const caches = () => (existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.cache')) : []);
    expect((await ping()).pid).toBeGreaterThan(0);
    await v.waitFor(async () => caches().length === 2, 10_000); // host-main and host-engine
    const [engine, main] = caches()
      .sort()
      .map((n) => join(dir, n));
    const good = readFileSync(main);
    expect(good.subarray(0, 8).toString()).toBe('PLNGRCC1');
    const cases: [string, Buffer][] = [
      ['garbage', Buffer.from('not a cache at all')],
      ['truncated', good.subarray(0, good.length >> 1)],
      ['a flipped payload byte', Buffer.from(good.map((b, i) => (i === good.length - 100 ? b ^ 0xff : b)))],
      // A valid cache of the other bundle under this one's name: V8 rejects it (source length).
      ['stale', readFileSync(engine)],
      ['empty', Buffer.alloc(0)],
    ];
    for (const [what, bytes] of cases) {
      writeFileSync(main, bytes);
      const r = await ping();
      expect(r.pid, what).toBeGreaterThan(0);
      expect(await v.lua<boolean>("return require('planager.host').running()"), what).toBe(true);
      // Replaced by a good one.
      await v.waitFor(async () => readFileSync(main).subarray(0, 8).toString() === 'PLNGRCC1' && readFileSync(main).length > 1000, 10_000);
    }
    expect(v.log()).not.toMatch(/ERROR/);
  });

  it('pings answered before the bundle loads, and the messages that came with them handled after it, in order', async () => {
    const v = await fresh(false);
    // boot.ts answers the pings from stdin; setup (sent first) and status go to the client.
    const r = await v.lua<[number, number, number, string]>(
      "local h = require('planager.host'); h.stop(); h.ensure(); local a = h.request('ping'); local b = h.request('ping'); local s = h.request('status'); return { a.pid, b.pid, h.pid(), type(s) }",
    );
    expect(r[0]).toBe(r[2]);
    expect(r[1]).toBe(r[2]);
    expect(r[3]).toBe('table'); // status waits for setup: setup reached the client
    await v.waitFor(async () => await v.lua<boolean>("return require('planager.host').ready()"));
    expect(v.log()).not.toMatch(/ERROR/);
  });

  it('many one-line edits are applied in runs of whole lines: same text, cursor kept, one undo step', async () => {
    const v = await fresh(false);
    const lines = ['* Head', ...Array.from({ length: 30 }, (_, i) => `  - ( ) Task ${i}`), '* Tail', '  - ( ) Last'];
    await v.cmd(`edit ${note()}`);
    await v.nvim.request('nvim_buf_set_lines', [0, 0, -1, false, lines]);
    await v.cmd('let &undolevels = &undolevels'); // close the undo block of the setup
    await v.nvim.request('nvim_win_set_cursor', [0, [6, 10]]); // row 6 ("  - ( ) Task 4"), col 10
    // Ids at the end of rows 1..30 (0-based) and 32, a status inside row 5 before the cursor; last first.
    const edits: [number, number, number, number, string[]][] = [];
    edits.push([32, lines[32].length, 32, lines[32].length, [' %#0000ffff%']]);
    for (let r = 30; r >= 1; r--) {
      edits.push([r, lines[r].length, r, lines[r].length, [` %#${(0x10000000 + r).toString(16)}%`]]);
      if (r === 5) edits.push([5, 5, 5, 6, ['x|# A']]);
    }
    const want = lines.map((l, r) =>
      r >= 1 && r <= 30 ? `${r === 5 ? l.slice(0, 5) + 'x|# A' + l.slice(6) : l} %#${(0x10000000 + r).toString(16)}%` : r === 32 ? `${l} %#0000ffff%` : l,
    );
    expect(await v.lua<string>("return require('planager')._apply(vim.api.nvim_get_current_buf(), nil, ..., false)", edits)).toBe('ok');
    expect(await v.lines()).toEqual(want);
    // The cursor stays on the same character: 4 bytes were inserted before it on its line.
    expect(await v.nvim.request('nvim_win_get_cursor', [0])).toEqual([6, 14]);
    await v.cmd('undo');
    expect(await v.lines()).toEqual(lines);
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
    const diags = () =>
      v.lua<{ lnum: number; message: string }[]>('return vim.tbl_map(function(d) return { lnum = d.lnum, message = d.message } end, vim.diagnostic.get(0))');
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
    for (const item of [
      /Neovim 0\.\d+\.\d+/,
      /setup\(\) called/,
      /log file: .*planager\.log/,
      /node: v\d+/,
      /host handshake: pid \d+/,
      /task 2\.6\.\d/,
      /git version/,
      /1 tracked note/,
      /state folder writable/,
    ]) {
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
    const conceal = matches.filter((m) => m.group === 'Conceal');
    expect(conceal).toHaveLength(1);
    // It hides ids, mirror markers and the project marker, and nothing else of the line.
    const hit = (s: string) => v.lua<string>('return vim.fn.matchstr(...)', s, conceal[0].pattern);
    expect(await hit('- ( ) Call mum %#1a2b3c4d%')).toBe(' %#1a2b3c4d%');
    expect(await hit('- ( ) Call mum {:work:}[work] %@1a2b3c4d%')).toBe(' %@1a2b3c4d%');
    expect(await hit('- Work %@project%')).toBe(' %@project%');
    expect(await hit('- ( ) 100% done %# not an id%')).toBe('');
    expect(await v.lua<number>('return vim.wo.conceallevel')).toBe(2);
    // A split window shows the same note: its own match (Neovim does not copy matches).
    await v.cmd('split');
    const inSplit = await v.lua<{ group: string; pattern: string }[]>('return vim.fn.getmatches()');
    expect(inSplit.filter((m) => m.group === 'Conceal')).toHaveLength(1);
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
