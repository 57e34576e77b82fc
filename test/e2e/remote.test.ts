/**
 * `remote = true` in Neovim (issue 18): :PlanagerSync runs `planager sync --remote` as a job for
 * the workspace, so a note written on one device reaches the notes' remote and the other device,
 * and the other device's open buffer is read again after its own sync. No task server here
 * (devices.test.ts has them); a real bare git repository on disk, no global git config.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bareRemote, device } from '../helpers/devices.js';
import { ensureHostBuilt, nvimEnv, startNvim, type Nvim } from '../helpers/nvim.js';

let vims: Nvim[] = [];
beforeAll(ensureHostBuilt);
afterEach(async () => {
  for (const v of vims) await v.quit();
  vims = [];
});

const NOTE = '* Week\n  - ( ) Write the report\n';

describe(':PlanagerSync with remote = true', () => {
  it('commits and pushes the notes; the other device, synced the same way, shows the edit in its open buffer', async () => {
    const remote = bareRemote();
    const a = device('laptop', remote, { seed: { 'week.norg': NOTE } });
    const b = device('desk', remote);
    for (const d of [a, b]) expect((await d.planager('remote', 'setup', '--yes')).code).toBe(0);
    const open = async (d: typeof a, remote = true) => {
      const v = await startNvim(nvimEnv(d.env, d.sb.dir));
      vims.push(v);
      await v.lua("local ws, remote = ...; require('planager').setup({ workspaces = { ws }, remote = remote })", d.ws, remote);
      await v.cmd(`edit ${d.ws}/week.norg`);
      await v.waitFor(() => v.lua<boolean>("return require('planager.host').ready()"));
      return v;
    };
    const va = await open(a);
    await va.lua("vim.api.nvim_buf_set_lines(0, 1, 2, false, { '  - (x) Write the report' })");
    await va.cmd('write');
    await va.cmd('PlanagerSync');
    await va.waitFor(
      async () =>
        /Write the report/.test(b.git('--git-dir', remote, 'show', 'main:week.norg')) && /\(x\)/.test(b.git('--git-dir', remote, 'show', 'main:week.norg')),
    );
    // The laptop's task is done in its own Taskwarrior (the two-way sync ran as one of the steps).
    expect(a.sb.exportAll().find((t) => t.description === 'Write the report')?.status).toBe('completed');

    // The desk has no `remote` option: :PlanagerSync! is the sync with the other devices, once.
    const vb = await open(b, false);
    expect((await vb.lines())[1]).toMatch(/^ {2}- \( \) Write the report/);
    await vb.cmd('PlanagerSync!');
    await vb.waitFor(async () => /^ {2}- \(x\) Write the report/.test((await vb.lines())[1] ?? ''));
    expect(b.read('week.norg')).toMatch(/- \(x\) Write the report/);
  }, 60_000);
});
