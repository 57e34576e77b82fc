import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { remindCommand } from '../../cli/remind.js';
import { messageEditors } from '../../sync/index.js';
import { ensureHostBuilt, nvimEnv, startNvim, type Nvim } from '../helpers/nvim.js';
import { twSandbox } from '../helpers/tw.js';

const vims: Nvim[] = [];
beforeAll(ensureHostBuilt);
afterEach(async () => {
  for (const v of vims.splice(0)) await v.quit();
});

describe('planager remind --neovim', () => {
  // Both Neovims open the note before its first sync, so one host writes the note under the
  // other's buffer: that once left the second Neovim on Vim's "file changed" prompt (1 run in
  // 3 on loaded cores; test/e2e/two-editors.test.ts holds the case), not retried any more.
  it('shows a block start in every open Neovim, once', async () => {
    const sb = twSandbox();
    const ws = mkdtempSync(join(tmpdir(), 'planager-e2e-remind-'));
    mkdirSync(join(ws, '.planager'));
    writeFileSync(join(ws, 'home.norg'), '* Home\n  - ( ) Water the plants\n');
    const now = new Date();
    const day = { y: now.getFullYear(), m: now.getMonth() + 1, d: now.getDate() };
    const p2 = (n: number) => String(n).padStart(2, '0');
    mkdirSync(join(ws, 'journal', String(day.y), p2(day.m)), { recursive: true });
    const start = new Date(now.getTime() - 60_000);
    const end = new Date(now.getTime() + 30 * 60_000);
    const hm = (d: Date) => `${p2(d.getHours())}:${p2(d.getMinutes())}`;
    // Not across midnight: the block is today's (skip the minute around it).
    if (end.getDate() !== now.getDate() || start.getDate() !== now.getDate()) return;
    writeFileSync(join(ws, 'journal', String(day.y), p2(day.m), `${p2(day.d)}.norg`), `|planager schedule\n- ${hm(start)}-${hm(end)} Stretch\n|end\n`);
    const env = nvimEnv(sb.env, sb.dir);
    for (let i = 0; i < 2; i++) {
      const v = await startNvim(env);
      vims.push(v);
      await v.lua("require('planager').setup({ workspaces = { ... } }); _G.msgs = {}; vim.notify = function(m) table.insert(_G.msgs, m) end", ws);
      await v.cmd(`edit ${join(ws, 'home.norg')}`);
      await v.waitFor(() => v.lua<boolean>("return require('planager.host').ready()"));
    }
    const r = await remindCommand({ workspace: ws, neovim: true, now: new Date(start.getTime() + 1000).toISOString() }, { tw: sb.tw, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Now: Stretch/);
    for (const v of vims) await v.waitFor(async () => (await v.lua<string[]>('return _G.msgs')).some((m) => /Now: Stretch/.test(m)));
    // The next run sends nothing; another message (and its signal) shows only itself.
    expect((await remindCommand({ workspace: ws, neovim: true, now: new Date(start.getTime() + 2000).toISOString() }, { tw: sb.tw, env })).stdout).toBe('');
    await messageEditors('another one', env);
    for (const v of vims)
      await v
        .waitFor(async () => (await v.lua<string[]>('return _G.msgs')).some((m) => /another one$/.test(m)))
        .catch(async (e) => {
          throw new Error(`${e}: ${JSON.stringify(await v.lua('return _G.msgs'))}\n${v.log()}`);
        });
    for (const v of vims) expect((await v.lua<string[]>('return _G.msgs')).filter((m) => /Now: Stretch/.test(m))).toHaveLength(1);
  });
});
