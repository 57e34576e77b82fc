/**
 * Neovim, headless, at 100 and 1,000 tasks in one note, beside the same note opened and saved
 * with the plugin not loaded (same run): how long opening blocks the editor, how long `:w`
 * blocks it (a one-line edit, and no change), when the push has reached Taskwarrior (against a
 * bare `task import` of one task), the host's cold start, and live refresh after `task done`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { attach, type NeovimClient } from 'neovim';
import { installHook, sync, Taskwarrior, twDate } from '../sync/index.js';
import { median, ms, report, type Row } from './measure.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = { info() {}, warn() {}, error() {}, debug() {}, level: 'error' };

function env(dir: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, PLANAGER_TIMING: process.env.PLANAGER_TIMING, HOME: dir, TASKRC: join(dir, 'taskrc'), TASKDATA: join(dir, 'data'), TZ: 'UTC', XDG_CACHE_HOME: join(dir, 'c'), XDG_CONFIG_HOME: join(dir, 'cf'), XDG_DATA_HOME: join(dir, 'd'), XDG_STATE_HOME: join(dir, 's'), XDG_RUNTIME_DIR: join(dir, 'r') };
}

async function nvim(e: NodeJS.ProcessEnv): Promise<{ n: NeovimClient; stop: () => Promise<void> }> {
  mkdirSync(e.XDG_RUNTIME_DIR!, { recursive: true, mode: 0o700 });
  const proc = spawn('nvim', ['--embed', '--headless', '-u', 'NONE', '-i', 'NONE', '-n', '--cmd', `set rtp^=${ROOT}`], { env: e });
  const n = attach({ proc, options: { logger: quiet as never } });
  await n.eval('1');
  return {
    n,
    stop: async () => {
      const exited = new Promise((r) => proc.once('exit', r));
      void n.command('qa!').catch(() => {});
      const t = setTimeout(() => proc.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(t);
    },
  };
}

const timed = async (f: () => Promise<unknown>) => {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
};

async function until(pred: () => boolean | Promise<boolean>, ms = 10_000): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    if (await pred()) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error('timed out');
}

/**
 * How long `:edit` blocks, timed inside Neovim: the RPC round trip around it varied by
 * ±0.15 ms, as much as what is measured (≈0.45 ms), on both sides alike.
 */
async function openTimed(n: NeovimClient, file: string): Promise<number> {
  return Number(await n.lua(`local t = (vim.uv or vim.loop).hrtime(); vim.cmd('edit ' .. vim.fn.fnameescape(...)); return ((vim.uv or vim.loop).hrtime() - t) / 1e6`, [file]));
}

/**
 * Settles when `file` has grown past `before`: inotify on its folder, no polling (a 1 ms poll
 * added up to a millisecond to a 6 ms landing). Start it before the write it waits for.
 */
function grown(file: string, before: number, ms = 10_000): Promise<void> {
  return new Promise((res, rej) => {
    const size = () => statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    const w = watch(dirname(file), () => {
      if (size() > before) done(res);
    });
    const timer = setTimeout(() => done(() => rej(new Error('timed out'))), ms);
    const done = (f: () => void) => {
      w.close();
      clearTimeout(timer);
      f();
    };
    if (size() > before) done(res);
  });
}

export async function benchNvim(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of [100, 1000]) {
    const dir = mkdtempSync(join(tmpdir(), 'planager-nvbench-'));
    mkdirSync(join(dir, 'data'));
    mkdirSync(join(dir, 'ws'));
    writeFileSync(join(dir, 'taskrc'), `data.location=${join(dir, 'data')}\nconfirmation=off\n`);
    const e = env(dir);
    const lines = ['* Plan'];
    for (let i = 0; i < n; i++) lines.push(`  - ( |# B) Task ${i} with a few words`);
    const file = join(dir, 'ws', 'plan.norg');
    writeFileSync(file, lines.join('\n') + '\n');
    const tw = new Taskwarrior({ env: e });
    await sync({ workspace: join(dir, 'ws'), tw });
    // The floor: a bare `task import` of one task into a database of the same size beside it,
    // timed the same way (start → undo.data grew), after each push (alternating, so that both
    // see the same machine state: back to back, bare imports ran 2-3 ms faster).
    const fdir = mkdtempSync(join(tmpdir(), 'planager-nvbench-floor-'));
    mkdirSync(join(fdir, 'data'));
    writeFileSync(join(fdir, 'taskrc'), `data.location=${join(fdir, 'data')}\nconfirmation=off\n`);
    const ftw = new Taskwarrior({ env: env(fdir) });
    const ft = { uuid: randomUUID(), description: 'floor', status: 'pending' as const, entry: twDate(new Date()) };
    await ftw.import([ft, ...Array.from({ length: n - 1 }, (_, i) => ({ ...ft, uuid: randomUUID(), description: `Task ${i}` }))]);
    const floors: number[] = [];
    const floorLanded = async (k: number): Promise<number> => {
      const undo = join(fdir, 'data', 'undo.data');
      const landing = grown(undo, statSync(undo).size);
      const t0 = performance.now();
      const done = ftw.import([{ ...ft, description: `floor ${k}` }]);
      await landing;
      const d = performance.now() - t0;
      await done;
      await new Promise((res) => setTimeout(res, 150));
      return d;
    };
    const runs = 3;
    const open0: number[] = [];
    const open1: number[] = [];
    const w0: number[] = [];
    const w1: number[] = [];
    const w1same: number[] = [];
    const landed: number[] = [];
    const cold: number[] = [];
    const coldWrite: number[] = [];
    for (let r = 0; r < runs; r++) {
      // Without the plugin.
      const a = await nvim(e);
      open0.push(await openTimed(a.n, file));
      await a.n.command('normal! 2G$');
      await a.n.command(`normal! a x${r}`);
      w0.push(await timed(() => a.n.command('write')));
      await a.stop();
      // With it.
      const b = await nvim(e);
      await b.n.lua(`require('planager').setup({ workspaces = { ... } })`, [join(dir, 'ws')]);
      open1.push(await openTimed(b.n, file));
      // Host cold start: from jobstart to the first answer.
      cold.push(Number(await b.n.lua(`local t = (vim.uv or vim.loop).hrtime(); require('planager.host').stop(); require('planager.host').ensure(); require('planager.host').request('ping'); return ((vim.uv or vim.loop).hrtime() - t) / 1e6`, [])));
      await until(async () => Number(await b.n.lua(`return #require('planager')._buffers()`, [])) === 1);
      await new Promise((res) => setTimeout(res, 300)); // let the pull on open finish
      const undoSize = () => statSync(join(dir, 'data', 'undo.data')).size;
      const editAndWrite = async (k: number): Promise<{ blocked: number; landed: number }> => {
        await b.n.command(`normal! ${3 + k}G$`);
        await b.n.command(`normal! a y${r}`);
        const landing = grown(join(dir, 'data', 'undo.data'), undoSize());
        const t0 = performance.now();
        const blocked = await timed(() => b.n.command('write'));
        await landing;
        const landedAt = performance.now() - t0;
        await new Promise((res) => setTimeout(res, 150));
        return { blocked, landed: landedAt };
      };
      const first = await editAndWrite(0);
      coldWrite.push(first.blocked);
      for (let k = 1; k <= 3; k++) {
        const x = await editAndWrite(k);
        w1.push(x.blocked);
        landed.push(x.landed);
        floors.push(await floorLanded(r * 10 + k));
      }
      for (let k = 0; k < 3; k++) w1same.push(await timed(() => b.n.command('write')));
      await new Promise((res) => setTimeout(res, 300));
      await b.stop();
    }
    rows.push(
      { name: `${n} tasks: opening blocks`, value: ms(median(open1)), baseline: `no plugin ${ms(median(open0))}`, ratio: median(open1) / median(open0), target: '≤ 1.2× no plugin', pass: median(open1) / median(open0) <= 1.2 },
      { name: `${n} tasks: :w blocks (one-line edit)`, value: ms(median(w1)), baseline: `no plugin ${ms(median(w0))}`, ratio: median(w1) / median(w0), target: '< 20 ms', pass: median(w1) < 20 },
      { name: `${n} tasks: first :w after opening (host still JIT-cold)`, value: ms(median(coldWrite)), baseline: `no plugin ${ms(median(w0))}` },
      { name: `${n} tasks: :w blocks (no change)`, value: ms(median(w1same)), baseline: `no plugin ${ms(median(w0))}`, ratio: median(w1same) / median(w0), target: '< 20 ms', pass: median(w1same) < 20 },
      { name: `${n} tasks: push reached Taskwarrior after :w`, value: ms(median(landed)), baseline: `task import ${ms(median(floors))}`, ratio: median(landed) / median(floors), target: '≤ 1.3× import', pass: median(landed) / median(floors) <= 1.3 },
      { name: `host cold start (jobstart → first answer)`, value: ms(median(cold)), target: '≤ 120 ms', pass: median(cold) <= 120 },
    );
    if (n === 100) {
      // Live refresh: hook installed, `task done` from outside, the open buffer updates.
      await installHook(tw, e);
      const c = await nvim(e);
      await c.n.lua(`require('planager').setup({ workspaces = { ... } })`, [join(dir, 'ws')]);
      await c.n.command(`edit ${file}`);
      await new Promise((res) => setTimeout(res, 600));
      const lat: number[] = [];
      const uuids = (JSON.parse(execFileSync('task', ['rc.verbose=nothing', 'rc.json.array=on', 'status:pending', 'export'], { env: e }).toString()) as { uuid: string }[]).slice(0, 5);
      for (const u of uuids) {
        const t0 = performance.now();
        execFileSync('task', ['rc.verbose=nothing', 'rc.confirmation=off', u.uuid, 'done'], { env: e });
        const id = `%#${u.uuid.slice(0, 8)}%`;
        await until(async () => ((await c.n.buffer).lines as unknown as Promise<string[]>).then((ls) => ls.some((l) => l.includes(id) && l.includes('(x|'))), 5000);
        lat.push(performance.now() - t0);
        await new Promise((res) => setTimeout(res, 200));
      }
      await c.stop();
      rows.push({ name: 'live refresh: outside `task done` → open buffer', value: ms(median(lat)), target: '≤ 300 ms', pass: median(lat) <= 300 });
    }
  }
  report('Neovim (headless 0.7.2, real task)', rows);
  return rows;
}
