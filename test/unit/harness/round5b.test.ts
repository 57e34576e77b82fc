/**
 * Findings of harness round 5 (second half), each a minimal history written by hand from what
 * the harness shrank it to. Each test says the seed and command that found it.
 */
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMirrors } from '../../../plan/mirrorread.js';
import { history, restore } from '../../../sync/index.js';
import { expectWinner, newRound3State, settleExpectations } from '../../harness/round3.js';
import { readMirrorLines, type World } from '../../harness/world.js';
import { setup } from '../sync/regress/util.js';

const A = '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple\n\n* Two\n';

describe('harness round 5 findings (b)', () => {
  it('round5-b1: a note edited again after a skewed conflict is newer than the conflict made it', async () => {
    // `npm run harness -- --runs 1000 --seed 100000 --steps 40`, seed 100303 (no fault), 9 steps: a conflict
    // under a -3600 s skew, then another line of the same note added under +90 s. A harness model bug.
    const env = setup({ 'a.norg': A });
    expect((await env.run()).code).toBe(0);
    const at = (s: number) => (Date.now() + s * 1000) / 1000;
    env.edit('a.norg', '( ) apple', '( ) apple n2');
    utimesSync(join(env.ws, 'a.norg'), at(-3600), at(-3600));
    env.sb.task(env.tw('apple').uuid, 'modify', 'description:joker n3');
    // The note's edit time is its file's mtime, its last edit of any line: the product cannot
    // tell this later edit from one of the conflicting line, and the note is the newer side.
    env.edit('a.norg', '* Two\n', '* Two\n  - ( ) index n7\n');
    utimesSync(join(env.ws, 'a.norg'), at(90), at(90));
    const r = await env.run();
    expect(r.conflicts.map((c) => [c.field, c.winner])).toEqual([['description', 'note']]);

    // The harness's expectation of that conflict's winner goes with the later edit.
    const ws = mkdtempSync(join(tmpdir(), 'planager-r5b-'));
    writeFileSync(join(ws, 'a.norg'), 'x');
    const task = { uuid: 'u1', modified: '20261206T100000Z' };
    const w = { ws, r3: newRound3State(), sb: { exportAll: () => [task] }, mirrors: () => [] } as unknown as World;
    expectWinner(w, { uuid: 'u1', field: 'description', winner: 'taskwarrior', step: 2, skew: -3600 }, 'a.norg');
    task.modified = '20261206T100100Z';
    settleExpectations(w);
    // Taskwarrior written again later: still the newer side.
    expect(w.r3.expect).toHaveLength(1);
    utimesSync(join(ws, 'a.norg'), at(90), at(90));
    settleExpectations(w);
    expect(w.r3.expect).toHaveLength(0);
  });

  it('round5-b2: the harness read the own link ending a description as the home link of a mirror with no home line', () => {
    // `npm run harness -- --runs 1000 --seed 100000 --steps 40`, seed 100298 (fault import-hang), 41 steps: a task
    // linked (`house n2 {:b:}`), its home line deleted, its mirror then shows no home link. A harness model bug.
    const bare = '- (_|# A|< Fri 11th Dec 2026) house n2 {:b:} %@26704874%\n';
    const homed = '- (_|# A|< Fri 11th Dec 2026) house n2 {:b:} {:../../../a:* One}[a: One] %@26704874%\n';
    for (const text of [bare, homed]) {
      const product = readMirrors(text)[0]?.shown?.description;
      expect(product).toBe('house n2 {:b:}');
      expect(readMirrorLines('p.norg', text)[0]?.text).toBe(product);
    }
  });

  it('round5-b3: a restore to a version the sync itself once wrote is taken for that write and undone', async () => {
    // `npm run harness -- --runs 1000 --seed 100000 --steps 40`, seed 100184 (fault export-fail), 28 steps.
    const env = setup({ 'a.norg': A });
    expect((await env.run()).code).toBe(0);
    const uuid = env.tw('apple').uuid;
    // Two syncs that each write the task, with no `task` run between (the second reads no
    // change from Taskwarrior, so the first one's intent is kept beside its own).
    env.edit('a.norg', '  - ( ) apple', '  +blue\n  - ( ) apple');
    expect((await env.run()).code).toBe(0);
    env.edit('a.norg', '( ) apple', '( ) grape');
    expect((await env.run()).code).toBe(0);
    expect(env.byUuid(uuid)?.description).toBe('grape');
    // Version 1 is what the second sync overwrote: exactly what the first one wrote.
    const h = await history({ workspace: env.ws }, uuid);
    expect(h.ok && h.versions.find((v) => v.n === 1)?.fields.description).toBe('apple');
    const r = await restore({ workspace: env.ws, tw: env.sb.tw }, uuid, 1);
    expect(r.ok).toBe(true);
    expect(env.byUuid(uuid)?.description).toBe('apple');
    expect(env.read('a.norg')).toMatch(/\+blue\n {2}- \( \) apple %#/);
    const again = await env.run();
    expect(again.code).toBe(0);
    expect(again.changed).toBe(false);
  });
});
