/**
 * Two Neovims with the same note open (two terminals, two tabs of a terminal). What one of them
 * writes, or a sync from the command line, changes the file under the other's unmodified buffer.
 * A pull in the other computed from its old text would write that text over the newer file, and
 * Vim stops to ask "The file has been changed since reading it" (the editor blocked: found as
 * the reminder e2e's hang). The buffer is read again first.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sync, Taskwarrior } from '../../sync/index.js';
import { ensureHostBuilt, nvimEnv, startNvim, type Nvim } from '../helpers/nvim.js';
import { twSandbox } from '../helpers/tw.js';

const vims: Nvim[] = [];
beforeAll(ensureHostBuilt);
afterEach(async () => {
  for (const v of vims.splice(0)) await v.quit();
});

describe('two Neovims on one note', () => {
  it('a change written under an open, unmodified buffer is read in before a pull, never written over, and nothing waits on a prompt', async () => {
    const sb = twSandbox();
    const ws = mkdtempSync(join(tmpdir(), 'planager-e2e-two-'));
    const note = join(ws, 'home.norg');
    writeFileSync(note, '* Home\n  - ( ) Water the plants\n  - ( ) Call mum\n');
    const env = nvimEnv(sb.env, sb.dir);
    const tw = new Taskwarrior({ env });
    expect((await sync({ workspace: ws, tw })).code).toBe(0);
    for (let i = 0; i < 2; i++) {
      const v = await startNvim(env);
      vims.push(v);
      await v.lua("require('planager').setup({ workspaces = { ... } })", ws);
      await v.cmd(`edit ${note}`);
      await v.waitFor(() => v.lua<boolean>("return require('planager.host').ready()"));
    }
    const [, b] = vims;
    const plants = sb.exportAll().find((t) => t.description === 'Water the plants')!;
    // A sync from the command line writes the note; then one more change waits in Taskwarrior.
    sb.task(plants.uuid, 'modify', 'description:Water the plants and the lawn');
    expect((await sync({ workspace: ws, tw })).code).toBe(0);
    sb.task(plants.uuid, 'modify', 'priority:H');
    await b.cmd('Planager pull');
    const want = /- \( \|# A\) Water the plants and the lawn %#[0-9a-f]+%/;
    await b.waitFor(async () => want.test((await b.lines()).join('\n')), 10_000);
    for (const v of vims) expect(await v.nvim.request('nvim_get_mode', [])).toEqual({ mode: 'n', blocking: false });
    expect(readFileSync(note, 'utf8')).toMatch(want);
    expect(`${(await b.lines()).join('\n')}\n`).toBe(readFileSync(note, 'utf8'));
    expect(await b.lua<boolean>('return vim.bo.modified')).toBe(false);
    expect(sb.exportAll().filter((t) => t.description.startsWith('Water the plants'))).toHaveLength(1);
  });
});
