/**
 * Findings of harness round 5 (part a), each a minimal history written by hand from what the
 * harness shrank it to. Each test says the seed and command that found it.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execute } from '../../harness/run.js';
import { setup } from '../sync/regress/util.js';

const A = (status: string) => `@document.meta\nproject: alpha\n@end\n\n* One\n  - (${status}) apple\n\n* Two\n`;

describe('harness round 5 findings (a)', () => {
  it("round5-a1: a recurring task's due removed on its line: the line shows no due while Taskwarrior keeps one, and nothing says so", async () => {
    // `npm run harness -- --runs 1000 --seed 100000 --steps 40`, seed 100288, shrunk to 8 steps, then by hand.
    const env = setup({ 'a.norg': A(' ') });
    env.sb.task('add', 'dance', 'project:alpha.Two', 'recur:weekly', 'due:2030-01-01');
    // Any `task` report makes the instance (the sync's own reads do not).
    env.sb.task('list');
    expect((await env.run({ direction: 'pull' })).code).toBe(0);
    expect(env.read('a.norg')).toMatch(/<[^)]*\) dance/);
    env.edit('a.norg', /\(([^)<]*?)\|?< [^)]*\) dance/, '($1) dance');
    const r = await env.run();
    expect(r.code, r.error?.message).toBe(0);
    // Taskwarrior cannot hold it without a due: the line shows the kept due again, and the
    // removal is in the history with the reason, and in a warning.
    const instance = () => env.sb.exportAll().find((t) => t.description === 'dance' && t.parent);
    expect(instance()?.due).toBe('20300101T000000Z');
    expect(env.read('a.norg')).toMatch(/< [^)]*\) dance/);
    const lost = (await env.log()).filter((e) => e.uuid === instance()?.uuid && e.side === 'note' && e.fields.due && e.fields.due.lost === null);
    expect(lost).toHaveLength(1);
    expect(lost[0].note).toContain('a recurring task needs a due date');
    expect(r.warnings.join('\n')).toContain('a recurring task needs a due date');
    const text = env.read('a.norg');
    const again = await env.run();
    expect([again.code, again.changed]).toEqual([0, false]);
    expect(env.read('a.norg')).toBe(text);
  });

  it('round5-a3: a line removed, then every state file deleted before a sync: the model expected the removal carried out', async () => {
    // `npm run harness -- --runs 1000 --seed 100000 --steps 40`, seed 100146 (fault delete-state), shrunk by hand.
    // With no state, no sync can know a line was there: the task comes back on a line, as on a
    // first sync. A harness model bug (round3.ts round3Fault), not the product's.
    const ex = await execute({
      initial: [{ file: 0, heading: 0, word: 0, status: 0, priority: 0 }],
      steps: [{ t: 'sync' }, { t: 'noteDelete', line: 0 }, { t: 'fault', kind: 'delete-state', killAfterMs: 0, file: 1 }],
    });
    expect(ex.failures, JSON.stringify(ex.failures)).toEqual([]);
    // A removal a sync carried out before the state went stays carried out.
    const carried = await execute({
      initial: [{ file: 0, heading: 0, word: 0, status: 0, priority: 0 }],
      steps: [{ t: 'sync' }, { t: 'noteDelete', line: 0 }, { t: 'sync' }, { t: 'fault', kind: 'delete-state', killAfterMs: 0, file: 1 }],
    });
    expect(carried.failures, JSON.stringify(carried.failures)).toEqual([]);
    expect(carried.end?.tw.find((t) => t.description.startsWith('apple'))?.status).toBe('deleted');
  }, 60_000);

  it('round5-a3: the sync after every state file was deleted says what it cannot know', async () => {
    const env = setup({ 'a.norg': A(' ') });
    env.sb.task('add', 'joker', 'project:alpha.Two');
    expect((await env.run()).code).toBe(0);
    env.edit('a.norg', /\n.*apple.*/, '');
    expect((await env.run()).code).toBe(0);
    env.edit('a.norg', /\n.*joker.*/, '');
    for (const f of ['index.json', 'catalog.json']) rmSync(join(env.ws, '.planager', f));
    rmSync(join(env.ws, '.planager', 'shards'), { recursive: true });
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(r.warnings.join('\n')).toContain('the sync state is missing');
    expect(env.read('a.norg')).toContain('joker');
    expect((await env.run()).warnings.join('\n')).not.toContain('the sync state is missing');
  });

  it("round5-a2: a mirror's due set to none where the mirror showed none already: the model took it for a note write", async () => {
    // `npm run harness -- --runs 1000 --seed 100000 --steps 40`, seed 100228 (its concurrent fault not needed), shrunk by hand.
    // The mirror was written before Taskwarrior's due was set and no sync rewrote it since: the
    // "edit" leaves the line as it was, so no sync can see it. A harness model bug (world.ts).
    const ex = await execute({
      initial: [{ file: 0, heading: 0, word: 0, status: 0, priority: 0 }],
      steps: [
        { t: 'sync' },
        { t: 'twWait', task: 0, which: 0 },
        { t: 'schedule' },
        { t: 'conflict', line: 0, field: 'due', a: 414, b: 273, twLater: false },
        { t: 'mirrorEdit', mirror: 0, field: 'due', value: 0, days: null },
      ],
    });
    expect(ex.failures, JSON.stringify(ex.failures)).toEqual([]);
  }, 60_000);
});
