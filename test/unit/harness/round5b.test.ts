/**
 * Findings of harness round 5 (second half), each a minimal history written by hand from what
 * the harness shrank it to. Each test says the seed and command that found it.
 */
import { describe, expect, it } from 'vitest';
import { readMirrors } from '../../../plan/mirrorread.js';
import { history, restore } from '../../../sync/index.js';
import { readMirrorLines } from '../../harness/world.js';
import { setup } from '../sync/regress/util.js';

const A = '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) apple\n\n* Two\n';

describe('harness round 5 findings (b)', () => {
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
