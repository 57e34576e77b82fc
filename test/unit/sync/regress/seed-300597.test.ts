/**
 * Harness seed 300597 (undo-replay, fault export-fail): a task added in Taskwarrior, read first
 * by a one-note sync of another note, which queued it (`unmerged`, in the head: index.json) and
 * marked its version seen (`modified`, in the catalog). The head then went (the fault deletes it
 * to force an export), and the full sync after found the task unchanged and nowhere queued: it
 * stayed pending in Taskwarrior and on no line, for good.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linesOf, settle, setup, type Env } from './util.js';

const A_NORG = '@document.meta\nproject: alpha\n@end\n\n* One\n  - ( ) stays\n';
const B_NORG = '@document.meta\nproject: beta\n@end\n\n* One\n  - ( ) other\n';

const loseHead = (env: Env) => rmSync(join(env.ws, '.planager', 'index.json'));
const catalogPath = (env: Env) => join(env.ws, '.planager', 'catalog.json');

describe('seed 300597: a Taskwarrior change queued by a one-note sync, then the head lost', () => {
  it('a new task queued for its note gets its line after the head is lost', async () => {
    const env = setup({ 'a.norg': A_NORG, 'b.norg': B_NORG });
    env.sb.task('add', 'grape n2', 'project:alpha.One');
    // The first sync is a pull of b.norg alone (a note opened in the editor): it exports.
    expect((await env.run({ files: ['b.norg'] })).code).toBe(0);
    expect(linesOf(env.ws, 'grape n2')).toHaveLength(0);
    // Queued, not seen: the catalog alone must not say this version was merged.
    expect(JSON.parse(readFileSync(catalogPath(env), 'utf8')).modified[env.tw('grape n2').uuid]).toBeUndefined();
    loseHead(env);
    expect((await env.run()).code).toBe(0);
    expect(linesOf(env.ws, 'grape n2').map((l) => l.file)).toEqual(['a.norg']);
    await settle(env, ['grape n2', 'other', 'stays']);
  });

  // Passed before the fix as well (a lost head makes every note read again, and a line merges
  // whatever `changed` says): the guard of the nearest path, a task that has a line.
  it('a change of a task on a line of another note is merged after the head is lost', async () => {
    const env = setup({ 'a.norg': A_NORG, 'b.norg': B_NORG });
    expect((await env.run()).code).toBe(0);
    const u = env.tw('stays').uuid;
    // A lost head makes the one-note sync export: it reads the change and leaves it for a.norg.
    loseHead(env);
    env.sb.task(u, 'modify', 'description:stays changed');
    expect((await env.run({ files: ['b.norg'] })).code).toBe(0);
    expect(linesOf(env.ws, 'stays changed')).toHaveLength(0);
    loseHead(env);
    expect((await env.run()).code).toBe(0);
    expect(linesOf(env.ws, 'stays changed').map((l) => l.file)).toEqual(['a.norg']);
    await settle(env, ['other', 'stays changed']);
  });

  // A state written before the fix: the version marked seen, no queue entry. A full export
  // finds the live task nowhere in the state and merges it again.
  it('a pending task the state has nowhere is brought to its note by the next export', async () => {
    const env = setup({ 'a.norg': A_NORG, 'b.norg': B_NORG });
    env.sb.task('add', 'grape n2', 'project:alpha.One');
    expect((await env.run({ files: ['b.norg'] })).code).toBe(0);
    const t = env.tw('grape n2');
    const cat = JSON.parse(readFileSync(catalogPath(env), 'utf8'));
    cat.modified[t.uuid] = t.modified;
    writeFileSync(catalogPath(env), JSON.stringify(cat));
    loseHead(env);
    expect((await env.run()).code).toBe(0);
    expect(linesOf(env.ws, 'grape n2').map((l) => l.file)).toEqual(['a.norg']);
    await settle(env, ['grape n2', 'other', 'stays']);
  });

  // The guard of the heal: a task no heading holds stays unclaimed, and is not looked at again.
  it('a pending task whose project no note holds stays off the notes, and the next sync does nothing', async () => {
    const env = setup({ 'a.norg': A_NORG, 'b.norg': B_NORG });
    env.sb.task('add', 'elsewhere', 'project:gamma');
    expect((await env.run()).code).toBe(0);
    expect(linesOf(env.ws, 'elsewhere')).toHaveLength(0);
    loseHead(env);
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(r.changed).toBe(false);
    expect(linesOf(env.ws, 'elsewhere')).toHaveLength(0);
    expect(JSON.parse(readFileSync(catalogPath(env), 'utf8')).unclaimed).toEqual([env.tw('elsewhere').uuid]);
  });
});
