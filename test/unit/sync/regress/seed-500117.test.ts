import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tieIds } from '../../../../sync/journaltie.js';
import { killedAfterImport, settle, setup, short, type Env } from './util.js';

/** Every Taskwarrior task, any status (deleted ones too: `task all`), with this description. */
const all = (env: Env, d: string) => env.sb.exportAll().filter((t) => t.description === d);

const B = '@document.meta\nproject: beta\n@end\n\n* One\n  - (x) eagle n2\n\n* Two\n  - (?|# C) bread n1\n  - ( ) cable n3\n';

async function killedFirstSync(): Promise<{ env: Env; created: Map<string, string> }> {
  const env = setup({ 'b.norg': B });
  await killedAfterImport(env, () => env.sb.exportAll().length === 3);
  expect(env.read('b.norg')).toBe(B);
  return { env, created: new Map(env.sb.exportAll().map((t) => [t.description, t.uuid])) };
}

describe('seed 500117: a line edited before the killed sync that created its task wrote its id', () => {
  it('a date added, then a one-note push: the line keeps the task the killed sync created, no second one', async () => {
    const { env, created } = await killedFirstSync();
    env.edit('b.norg', '(x) eagle n2', '(x|< 2026-12-20) eagle n2');
    const r = await env.run({ files: ['b.norg'], direction: 'push' });
    expect(r.code, r.error?.message).toBe(0);
    const eagle = all(env, 'eagle n2');
    expect(eagle.map((t) => [t.uuid, t.status])).toEqual([[created.get('eagle n2'), 'completed']]);
    expect(eagle[0].due).toMatch(/^20261220/);
    expect(env.read('b.norg')).toContain(`eagle n2 %#${short(created.get('eagle n2')!)}%`);
    // The line removed later deletes that one task; nothing else holds its text.
    env.edit('b.norg', /\s*- \(x\|< [^\n]*eagle n2[^\n]*/, '');
    expect((await env.run()).code).toBe(0);
    expect(all(env, 'eagle n2').map((t) => [t.uuid, t.status])).toEqual([[created.get('eagle n2'), 'deleted']]);
    for (const d of ['bread n1', 'cable n3']) expect(all(env, d).map((t) => t.uuid)).toEqual([created.get(d)]);
    await settle(env, ['bread n1', 'cable n3']);
    expect(env.sb.exportAll()).toHaveLength(3);
  });

  it('a line nested under the one above: its task and the others stay, one each', async () => {
    const { env, created } = await killedFirstSync();
    env.edit('b.norg', '  - ( ) cable n3', '  -- ( ) cable n3');
    expect((await env.run()).code).toBe(0);
    expect(env.read('b.norg')).toMatch(new RegExp(`-- \\( \\) cable n3 %#${short(created.get('cable n3')!)}%`));
    for (const d of ['eagle n2', 'bread n1', 'cable n3']) expect(all(env, d).map((t) => t.uuid)).toEqual([created.get(d)]);
    // Nested: bread n1 depends on it, as a sync that had not been killed would have made it.
    expect(env.tw('bread n1').depends).toEqual([created.get('cable n3')]);
    await settle(env, ['bread n1', 'cable n3']);
  });

  it('a line rewritten (status and text) beside one removed: the removed one is deleted, the rewritten one keeps a created task', async () => {
    const { env, created } = await killedFirstSync();
    env.edit('b.norg', '  - ( ) cable n3\n', '');
    env.edit('b.norg', '(?|# C) bread n1', '(x) index n5');
    expect((await env.run()).code).toBe(0);
    // Which of the two created tasks the rewritten line keeps no text can tell: one is deleted,
    // the other is the line's, and no third task was made for it.
    const mine = env.sb.exportAll().filter((t) => t.uuid !== created.get('eagle n2'));
    expect(mine.map((t) => t.uuid).sort()).toEqual([created.get('bread n1'), created.get('cable n3')].sort());
    expect(mine.map((t) => [t.description, t.status]).sort()).toEqual([
      ['cable n3', 'deleted'],
      ['index n5', 'completed'],
    ]);
    await settle(env, []);
  });

  it('the note edited with its clock behind Taskwarrior, the task changed by `task` too: both changes kept', async () => {
    const { env, created } = await killedFirstSync();
    const cable = created.get('cable n3')!;
    env.sb.task(cable, 'modify', 'priority:H');
    env.edit('b.norg', '( ) cable n3', '(?) cable n3');
    // The note's edit looks older than the import and the `task` change (a skewed clock): only
    // a merge from the created version tells which side changed what.
    const past = new Date(Date.now() - 3_600_000);
    utimesSync(join(env.ws, 'b.norg'), past, past);
    expect((await env.run()).code).toBe(0);
    expect(all(env, 'cable n3').map((t) => t.uuid)).toEqual([cable]);
    expect(env.byUuid(cable)).toMatchObject({ priority: 'H', tags: ['uncertain'] });
    expect(env.read('b.norg')).toContain(`(?|# A) cable n3 %#${short(cable)}%`);
    // Each side's value overwrote the other's old one (logged as overwrites): no conflict.
    expect((await env.log()).filter((e) => e.uuid === cable && e.action === 'conflict')).toEqual([]);
    await settle(env, ['bread n1', 'cable n3']);
  });
});

describe('seed 500117: tieIds finds the line an edit made of a created line', () => {
  const c = (id: string) => ({ uuid: `${id}-uuid`, file: 'a.norg', id });
  const after = '* One\n  - ( ) kite %#11111111%\n  - ( ) apple %#aaaaaaaa%\n  - ( ) pear %#bbbbbbbb%\n  - ( ) plum %#22222222%\n';
  const created = [c('aaaaaaaa'), c('bbbbbbbb')];

  it('edited in place (a date, a status, a nesting): each keeps its id, in order', () => {
    const now = '* One\n  - ( ) kite %#11111111%\n  -- (x|< 2026-12-20) apple\n  -- ( ) pear n2\n  - ( ) plum %#22222222%\n';
    expect(tieIds(now, after, created)).toEqual({
      text: '* One\n  - ( ) kite %#11111111%\n  -- (x|< 2026-12-20) apple %#aaaaaaaa%\n  -- ( ) pear n2 %#bbbbbbbb%\n  - ( ) plum %#22222222%\n',
      untied: [],
    });
  });

  it('one removed and a new line typed beside the other edited: only the description tells, the rest is untied', () => {
    const now = '* One\n  - ( ) kite %#11111111%\n  - (x) apple\n  - ( ) fig\n  - ( ) quince\n  - ( ) plum %#22222222%\n';
    expect(tieIds(now, after, created)).toEqual({
      text: '* One\n  - ( ) kite %#11111111%\n  - (x) apple %#aaaaaaaa%\n  - ( ) fig\n  - ( ) quince\n  - ( ) plum %#22222222%\n',
      untied: ['bbbbbbbb-uuid'],
    });
  });

  it('a task nobody changed since goes to a new line left over, rather than being deleted beside it', () => {
    const now = '* One\n  - ( ) kite %#11111111%\n  - (x) apple\n  - ( ) fig\n  - ( ) quince\n  - ( ) plum %#22222222%\n';
    const unchanged = (u: string) => u === 'bbbbbbbb-uuid';
    expect(tieIds(now, after, created, unchanged)).toEqual({
      text: '* One\n  - ( ) kite %#11111111%\n  - (x) apple %#aaaaaaaa%\n  - ( ) fig %#bbbbbbbb%\n  - ( ) quince\n  - ( ) plum %#22222222%\n',
      untied: [],
    });
    expect(tieIds('* One\n  - ( ) kite %#11111111%\n  - ( ) plum %#22222222%\n', after, created, () => true).untied).toEqual([
      'aaaaaaaa-uuid',
      'bbbbbbbb-uuid',
    ]);
  });

  it('moved and ticked: found by its description; a removed line stays untied', () => {
    const now = '* One\n  - (x) apple\n  - ( ) kite %#11111111%\n  - ( ) plum %#22222222%\n';
    expect(tieIds(now, after, created)).toEqual({
      text: '* One\n  - (x) apple %#aaaaaaaa%\n  - ( ) kite %#11111111%\n  - ( ) plum %#22222222%\n',
      untied: ['bbbbbbbb-uuid'],
    });
  });

  it('unchanged lines keep their place even where the same text repeats; mirrors and id lines are never taken', () => {
    const a2 = '* One\n  - ( ) same %#aaaaaaaa%\n  - ( ) same %#bbbbbbbb%\n';
    const now = '* One\n  - ( ) same\n  - ( ) same\n- ( ) other %@cccccccc%\n';
    expect(tieIds(now, a2, created).text).toBe('* One\n  - ( ) same %#aaaaaaaa%\n  - ( ) same %#bbbbbbbb%\n- ( ) other %@cccccccc%\n');
    expect(tieIds('* One\n  - ( ) apple n9 %#dddddddd%\n- ( ) apple %@eeeeeeee%\n', after, created).untied).toEqual(['aaaaaaaa-uuid', 'bbbbbbbb-uuid']);
  });
});
