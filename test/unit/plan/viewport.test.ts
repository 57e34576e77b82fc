/**
 * Viewports (issue 15): `|planager view FILTER` … `|end` in any note shows mirrors of the tasks
 * the filter matches, filled by the sync, order kept; edits in it are edits of the tasks.
 * Real `task`, throwaway database.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFilterError, matches, parseFilter } from '../../../plan/index.js';
import { sync } from '../../../sync/index.js';
import { twSandbox, type TwSandbox } from '../../helpers/tw.js';

const WORK = '* Release\n  - ( ) Cut the release\n  - ( ) Write the changelog\n* Later\n  - ( ) Plan the party\n';
const VIEW = '* Next at work\n|planager view project:Release -blocked\n|end\n\nMy own notes stay.\n';

function world(): { sb: TwSandbox; ws: string; read(f: string): string; write(f: string, t: string): void; run(files?: string[]): ReturnType<typeof sync> } {
  const sb = twSandbox();
  const ws = mkdtempSync(join(tmpdir(), 'planager-view-'));
  writeFileSync(join(ws, 'work.norg'), WORK);
  writeFileSync(join(ws, 'next.norg'), VIEW);
  return {
    sb,
    ws,
    read: (f) => readFileSync(join(ws, f), 'utf8'),
    write: (f, t) => writeFileSync(join(ws, f), t),
    run: (files) => sync({ workspace: ws, tw: sb.tw, ...(files ? { files } : {}) }),
  };
}

const viewLines = (text: string) => {
  const a = text.indexOf('|planager view');
  return text
    .slice(text.indexOf('\n', a) + 1, text.indexOf('|end', a))
    .split('\n')
    .filter(Boolean);
};

describe('a viewport', () => {
  it('is filled with mirrors of what its filter matches; a second sync changes nothing', async () => {
    const w = world();
    w.sb.task('add', 'Email the press', 'project:Release');
    w.sb.task('add', 'Fix the build', 'project:Release', '+blocked');
    expect((await w.run()).ok).toBe(true);
    const lines = viewLines(w.read('next.norg'));
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => /\) (.*?) (\{|%@)/.exec(l)?.[1])).toEqual(['Cut the release', 'Email the press', 'Write the changelog']);
    expect(lines.every((l) => /%@[0-9a-f]{8}%$/.test(l) && !l.includes('%#'))).toBe(true);
    expect(lines[0]).toContain('{:work:* Release}[work: Release]');
    expect(w.read('next.norg')).toContain('My own notes stay.\n');
    // The mirrors are not tasks: nothing was created for them, nothing is duplicated.
    expect(w.sb.exportAll().filter((t) => t.description === 'Cut the release')).toHaveLength(1);
    const before = w.read('next.norg');
    const again = await w.run();
    expect(again.changed).toBe(false);
    expect(w.read('next.norg')).toBe(before);
  });

  it('follows Taskwarrior: a task that stops matching leaves, a new match is added at the end, the rest keep their order', async () => {
    const w = world();
    expect((await w.run()).ok).toBe(true);
    // The user reorders the view: that order is kept.
    const text = w.read('next.norg');
    const [a, b] = viewLines(text);
    w.write('next.norg', text.replace(`${a}\n${b}\n`, `${b}\n${a}\n`));
    expect((await w.run()).ok).toBe(true);
    const cut = w.sb.exportAll().find((t) => t.description === 'Cut the release')!.uuid;
    w.sb.task(cut, 'modify', '+blocked');
    w.sb.task('add', 'Book the venue', 'project:Release');
    expect((await w.run()).ok).toBe(true);
    const lines = viewLines(w.read('next.norg'));
    expect(lines.map((l) => /\) (.*?) (\{|%@)/.exec(l)?.[1])).toEqual(['Write the changelog', 'Book the venue']);
  });

  it('an edit in it is an edit of the task: done in the viewport completes the home line and the task', async () => {
    const w = world();
    expect((await w.run()).ok).toBe(true);
    w.write('next.norg', w.read('next.norg').replace(/- \( \) Write the changelog/, '- (x) Write the changelog'));
    expect((await w.run(['next.norg'])).ok).toBe(true);
    expect(w.sb.exportAll().find((t) => t.description === 'Write the changelog')!.status).toBe('completed');
    expect(w.read('work.norg')).toMatch(/- \(x\) Write the changelog %#/);
    // Done: it no longer matches (pending and waiting by default) and leaves the view.
    expect((await w.run()).ok).toBe(true);
    expect(viewLines(w.read('next.norg')).some((l) => l.includes('Write the changelog'))).toBe(false);
  });

  it('a task written inside it takes the project and tags its filter states, and stays put', async () => {
    const w = world();
    w.write('next.norg', '* Next at work\n|planager view project:Release +next\n- ( ) Order the cake\n|end\n');
    expect((await w.run()).ok).toBe(true);
    const cake = w.sb.exportAll().find((t) => t.description === 'Order the cake')!;
    expect(cake.project).toBe('Release');
    expect(cake.tags).toEqual(['next']);
    const text = w.read('next.norg');
    expect(text).toMatch(/\|planager view project:Release \+next\n- \( \) Order the cake %#[0-9a-f]{8}%\n\|end/);
    expect(w.read('work.norg')).not.toContain('Order the cake');
    expect((await w.run()).changed).toBe(false);
  });

  it('a filter it cannot read leaves the viewport as it is, with a warning', async () => {
    const w = world();
    w.write('next.norg', '|planager view project:work or +next\n- my line\n|end\n');
    const r = await w.run();
    expect(r.ok).toBe(true);
    expect(r.warnings.join('\n')).toMatch(/next\.norg:1: "or": .*left as it is/);
    expect(w.read('next.norg')).toBe('|planager view project:work or +next\n- my line\n|end\n');
  });
});

describe('viewport filters', () => {
  it('read the forms they document and reject the others', () => {
    const f = parseFilter(['project:Work', '+next', '-blocked', 'priority:H', 'due.before:2026-12-10', 'release']);
    expect(isFilterError(f)).toBe(false);
    if (isFilterError(f)) return;
    const t = { status: 'pending', description: 'Cut the Release', project: 'Work.Sub', tags: ['next'], priority: 'H', due: new Date(2026, 11, 9).getTime() };
    expect(matches(f, t)).toBe(true);
    expect(matches(f, { ...t, project: 'Workshop' })).toBe(false);
    expect(matches(f, { ...t, tags: ['next', 'blocked'] })).toBe(false);
    expect(matches(f, { ...t, status: 'completed' })).toBe(false);
    expect(matches(f, { ...t, due: new Date(2026, 11, 10).getTime() })).toBe(false);
    expect(matches(f, { ...t, description: 'Cut it' })).toBe(false);
    expect(isFilterError(parseFilter(['(', 'project:A'])) && 'ok').toBe('ok');
    expect(isFilterError(parseFilter(['urgency.over:3']))).toBe(true);
    expect(isFilterError(parseFilter(['status:done']))).toBe(true);
  });

  it("names Taskwarrior's virtual tags as unread instead of matching them as tags (an empty view, no word why)", () => {
    for (const w of ['+READY', '-BLOCKED', '+OVERDUE', '+TODAY']) {
      const r = parseFilter(['project:Work', w]);
      expect(isFilterError(r) && r.message).toMatch(new RegExp(`"\\${w}" is one of Taskwarrior's virtual tags`));
    }
    // A tag of the user's in capitals that Taskwarrior does not compute is an ordinary tag.
    expect(isFilterError(parseFilter(['+URGENT']))).toBe(false);
  });
});
