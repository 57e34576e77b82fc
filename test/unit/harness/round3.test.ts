/**
 * Findings of harness round 3 (issue 13), each a minimal history written by hand from what the
 * harness shrank it to, marked `it.fails` until the product is fixed (then it flips, and the
 * marker goes). Each test says the seed and command that found it.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setup } from '../sync/regress/util.js';

const A = (status: string) => `@document.meta\nproject: alpha\n@end\n\n* One\n  - (${status}) apple\n\n* Two\n`;
/** How many mirrors of the task a note shows. */
const shown = (text: string, uuid: string) => text.split('\n').filter((l) => l.includes(`%@${uuid.replace(/-/g, '').slice(0, 8)}`)).length;

describe('harness round 3 findings', () => {
  it('round3-f1: a task done, then reopened in its note, is missing from a viewport made after', async () => {
    // `npm run harness -- --runs 20 --seed 400 --steps 40`, seed 416; shrunk with shrink.ts, then by hand.
    const env = setup({ 'a.norg': A('x') });
    expect((await env.run()).code).toBe(0);
    expect(env.tw('apple').status).toBe('completed');
    env.edit('a.norg', '(x) apple', '(!) apple');
    expect((await env.run()).code).toBe(0);
    expect(env.tw('apple').status).toBe('pending');
    env.write('v.norg', '* View\n|planager view project:alpha\n|end\n');
    expect((await env.run()).code).toBe(0);
    expect(shown(env.read('v.norg'), env.tw('apple').uuid)).toBe(1);
  });

  // chattr +i is what makes a note read-only for root (the harness's readonly fault).
  const root = process.getuid?.() === 0;
  it.runIf(root)('round3-f2: a sync that cannot write a note leaves a viewport mirror of a task that does not exist', async () => {
    // `npm run harness -- --runs 20 --seed 400 --steps 40`, seed 401 (fault readonly), 3 steps.
    const env = setup({ 'a.norg': A(' '), 'v.norg': '* View\n|planager view project:alpha.One\n|end\n' });
    const a = join(env.ws, 'a.norg');
    chmodSync(a, 0o444);
    execFileSync('chattr', ['+i', a]);
    try {
      await env.run();
    } finally {
      execFileSync('chattr', ['-i', a]);
      chmodSync(a, 0o644);
    }
    expect((await env.run()).code).toBe(0);
    const all = env.sb.exportAll();
    const ids = [...env.read('v.norg').matchAll(/%@([0-9a-f]+)%/g)].map((m) => m[1]);
    // Every mirror names a task Taskwarrior holds, and the one task is shown once.
    for (const id of ids)
      expect(
        all.filter((t) => t.uuid.replace(/-/g, '').startsWith(id)),
        `mirror %@${id}%`,
      ).toHaveLength(1);
    expect(ids).toHaveLength(1);
  });

  it('round3-f3: a task added in Taskwarrior while its home note held bytes that are not UTF-8 reaches that note only at the second sync after the repair', async () => {
    // `npm run harness -- --runs 40 --seed 5000 --steps 40`, seed 5034 (fault bad-utf8); shrunk with shrink.ts to 3 steps
    // (there a `recur:` task; any `task add` for that note's heading does).
    const B = '@document.meta\nproject: beta\n@end\n\n* One\n\n* Two\n';
    const env = setup({ 'a.norg': A(' '), 'b.norg': B });
    expect((await env.run()).code).toBe(0);
    env.sb.task('add', 'joker', 'project:beta.Two');
    const b = join(env.ws, 'b.norg');
    const good = readFileSync(b);
    writeFileSync(b, Buffer.concat([good, Buffer.from([0x62, 0xff, 0xfe, 0x0a])]));
    await env.run();
    writeFileSync(b, good);
    expect((await env.run()).code).toBe(0);
    expect(env.read('b.norg')).toMatch(/- \( [^)]*\) joker %#[0-9a-f]+%/);
  });

  it.runIf(root)('round3-f4: a first sync refused on a full disk (fs-enospc) leaves a deleted copy of the new task in Taskwarrior', async () => {
    // `npm run harness -- --runs 60 --seed 9000 --steps 40`, seed 9006 (fault enospc), 1 step.
    const env = setup({});
    // The workspace on a tmpfs with 16 KB left (room for the state's first files, not for the note's write).
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', env.ws]);
    try {
      env.write('a.norg', A(' '));
      try {
        execFileSync('sh', ['-c', `head -c 49152 /dev/zero > "${join(env.ws, '.fill')}"`], { stdio: 'ignore' });
      } catch {
        // Full.
      }
      const r = await env.run();
      expect(r.error?.code).toBe('fs-enospc');
    } finally {
      execFileSync('umount', [env.ws]);
    }
    // The refused sync changed nothing: Taskwarrior holds no task.
    expect(env.sb.exportAll()).toEqual([]);
  });

  it("round3-f5: the due date removed from a recurring instance's line makes every later sync fail", async () => {
    // `npm run harness -- --runs 60 --seed 9000 --steps 40`, seed 9008: "A recurring task must also have a 'due' date."
    const env = setup({ 'a.norg': A(' ') });
    env.sb.task('add', 'dance', 'project:alpha.Two', 'recur:weekly', 'due:2030-01-21');
    // Any `task` report makes the instance (the sync's own reads do not).
    env.sb.task('list');
    expect((await env.run()).code).toBe(0);
    env.edit('a.norg', /\( ?\|< [^)]*\) dance/, '( ) dance');
    await env.run();
    // Another edit, of another task: a sync must still carry it.
    env.edit('a.norg', '( ) apple', '(x) apple');
    const r = await env.run();
    expect(r.code, r.error?.message).toBe(0);
    expect(env.tw('apple').status).toBe('completed');
  });

  it("round3-f6: a task pulled under a heading a line links to is not added to that line's depends", async () => {
    // `npm run harness -- --runs 60 --seed 9000 --steps 40`, seed 9014 (its readonly fault not needed).
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple {* Two}\n\n* Two\n' });
    expect((await env.run()).code).toBe(0);
    env.sb.task('add', 'joker', 'project:alpha.Two');
    expect((await env.run()).code).toBe(0);
    expect(env.read('a.norg')).toMatch(/\* Two\n.*joker/);
    expect((await env.run()).code).toBe(0);
    const deps = env.tw('apple {* Two}').depends;
    expect(Array.isArray(deps) ? deps : String(deps ?? '').split(',')).toContain(env.tw('joker').uuid);
  });

  it("round3-f7: a recurring instance's line removed: the sync after starts a `task` process for nothing", async () => {
    // `npm run harness -- --runs 1 --seed 9043 --steps 40` (fault import-fail, not needed), shrunk to 6 steps, then by hand.
    // Taskwarrior marks the parent's mask itself when our import deletes (or completes) an
    // instance: that write is no other writer's, and the stamp after it must be recorded.
    for (const [from, to, status] of [
      [/\n.*dance.*/, '', 'deleted'],
      [/\( \|< ([^)]*)\) dance/, '(x|< $1) dance', 'completed'],
    ] as const) {
      const env = setup({ 'a.norg': A(' ') });
      env.sb.task('add', 'dance', 'project:alpha.Two', 'recur:weekly', 'due:2030-01-21');
      env.sb.task('list');
      expect((await env.run()).code).toBe(0);
      env.edit('a.norg', from, to);
      expect((await env.run()).code).toBe(0);
      expect(env.sb.exportAll().find((t) => t.description === 'dance' && t.parent)?.status).toBe(status);
      const text = env.read('a.norg');
      const r = await env.run();
      expect([r.code, r.changed, r.processes], status).toEqual([0, false, 0]);
      expect(env.read('a.norg')).toBe(text);
    }
  });
});
