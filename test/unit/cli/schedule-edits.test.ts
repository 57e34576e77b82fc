/**
 * Editing the day's schedule is editing its tasks (issue 16), over a real throwaway Taskwarrior:
 * a moved block schedules its task at that time, a block marked done `(x)` (as Neorg's toggle
 * writes it) completes it and stays, a deleted block unschedules it and keeps it out of the
 * day, the mark taken off reopens it; a change made in Taskwarrior since is not undone by a
 * block left as it was; and a sync never takes a block for a task of its own.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scheduleCommand } from '../../../cli/schedule.js';
import { blockEdits, parseDay } from '../../../plan/index.js';
import { planTaskOf } from '../../helpers/plan-arb.js';
import { sync } from '../../../sync/index.js';
import { twSandbox, type TwSandbox } from '../../helpers/tw.js';

const DAY = '2026-12-07';
const NOW = new Date(2026, 11, 7, 8, 0, 0);
const NOTE = join('journal', '2026', '12', '07.norg');

let sb: TwSandbox;
let ws: string;
const read = () => readFileSync(join(ws, NOTE), 'utf8');
const write = (t: string) => writeFileSync(join(ws, NOTE), t);
const task = (d: string) => sb.exportAll().find((t) => t.description === d)!;
const blockOf = (text: string, d: string) => text.split('\n').find((l) => l.includes(` ${d} `) && l.includes('%block'))!;

async function schedule() {
  const r = await scheduleCommand({ date: DAY, workspace: ws }, { tw: sb.tw, now: NOW });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout ?? '';
}

beforeAll(async () => {
  sb = twSandbox();
  ws = mkdtempSync(join(tmpdir(), 'planager-sched-edits-'));
  writeFileSync(join(ws, 'work.norg'), '* Release\n  - ( ) Cut the release\n  - ( ) Write the changelog\n  - ( ) Tag the commit\n');
  expect((await sync({ workspace: ws, tw: sb.tw })).ok).toBe(true);
  for (const [d, entry] of [
    ['Cut the release', '2026-11-01'],
    ['Write the changelog', '2026-11-02'],
    ['Tag the commit', '2026-11-03'],
  ])
    sb.task(task(d).uuid, 'modify', `scheduled:${DAY}`, `entry:${entry}`);
});

describe('editing the schedule reaches Taskwarrior', () => {
  it('places the day, then a moved block schedules its task there and stays pinned', async () => {
    const out = await schedule();
    expect(out).toMatch(/09:00-09:30 {2}Cut the release\n09:30-10:00 {2}Write the changelog\n10:00-10:30 {2}Tag the commit/);
    expect(out).not.toMatch(/taskwarrior:/);
    const before = read();
    write(before.replace(blockOf(before, 'Cut the release'), blockOf(before, 'Cut the release').replace('- 09:00-09:30', '- 14:00-14:30')));
    expect(await schedule()).toMatch(/taskwarrior: scheduled 14:00: Cut the release/);
    expect(task('Cut the release').scheduled).toBe(twLocal(2026, 12, 7, 14, 0));
    expect(blockOf(read(), 'Cut the release')).toMatch(/^- 14:00-14:30 Cut the release .*pinned%$/);
    // Sent once: the next run writes nothing to Taskwarrior and no byte of the note.
    const settled = read();
    expect(await schedule()).not.toMatch(/taskwarrior:/);
    expect(read()).toBe(settled);
  });

  it('a block marked done completes its task, stays as written, and is no task of its own', async () => {
    const text = read();
    const line = blockOf(text, 'Write the changelog');
    const done = line.replace(/^- /, '- (x) ');
    write(text.replace(line, done));
    expect(await schedule()).toMatch(/taskwarrior: done: Write the changelog/);
    expect(task('Write the changelog').status).toBe('completed');
    expect(read()).toContain(`${done}\n`);
    // A sync (as :w runs) reads the section as blocks, never as new task lines.
    const count = sb.exportAll().length;
    const r = await sync({ workspace: ws, tw: sb.tw });
    expect(r.ok).toBe(true);
    expect(sb.exportAll()).toHaveLength(count);
    expect(read()).toContain(`${done}\n`);
    expect(readFileSync(join(ws, 'work.norg'), 'utf8')).toMatch(/- \(x[|)].* Write the changelog/);
  });

  it('a task reopened in Taskwarrior is not completed again by the block left marked', async () => {
    sb.task(task('Write the changelog').uuid, 'modify', 'status:pending');
    expect(await schedule()).not.toMatch(/done: Write the changelog/);
    expect(task('Write the changelog').status).toBe('pending');
    // Its mark taken off now: nothing to reopen (it is pending); back to completed in
    // Taskwarrior and the mark taken off: reopened.
    sb.task(task('Write the changelog').uuid, 'done');
    const text = read();
    write(text.replace(blockOf(text, 'Write the changelog'), blockOf(text, 'Write the changelog').replace('- (x) ', '- ')));
    expect(await schedule()).toMatch(/pending again .*: Write the changelog/);
    expect(task('Write the changelog').status).toBe('pending');
  });

  it('a deleted block unschedules its task and keeps it out of the day until scheduled again', async () => {
    const text = read();
    write(text.replace(`${blockOf(text, 'Tag the commit')}\n`, ''));
    const out = await schedule();
    expect(out).toMatch(/taskwarrior: unscheduled \(its block was deleted\): Tag the commit/);
    expect(task('Tag the commit').scheduled).toBeUndefined();
    expect(read()).not.toMatch(/Tag the commit .*%block/);
    const r = await scheduleCommand({ date: DAY, workspace: ws, explain: true }, { tw: sb.tw, now: NOW });
    expect(r.stdout).toMatch(/Tag the commit — its block was deleted from this day/);
    // Scheduled for the day again in Taskwarrior: placed again.
    sb.task(task('Tag the commit').uuid, 'modify', `scheduled:${DAY}`);
    await schedule();
    expect(read()).toMatch(/Tag the commit .*%block/);
  });
});

/** Taskwarrior's export form of a local time. */
function twLocal(y: number, mo: number, d: number, h: number, mi: number): string {
  return new Date(y, mo - 1, d, h, mi)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

describe('blockEdits, the rule alone', () => {
  const day = parseDay(DAY);
  if ('code' in day) throw new Error('bad day');
  const t = planTaskOf;
  const a = 'aaaaaaaa-0000-4000-8000-000000000000';
  const uuidOf = (id: string) => (a.startsWith(id) ? a : null);

  it('without a record or a section nothing is written', () => {
    expect(blockEdits({ day, lines: null, record: null, tasks: [t(a)], uuidOf }).writes).toEqual([]);
    expect(blockEdits({ day, lines: ['- 09:00-09:30 x %block aaaaaaaa 09:00-09:30%'], record: null, tasks: [t(a)], uuidOf }).writes).toEqual([]);
  });

  it('a whole section deleted unschedules nothing', () => {
    const record = { blocks: { [a]: { done: false, start: 540 } }, removed: [] };
    const sched = new Date(2026, 11, 7, 9, 0);
    expect(blockEdits({ day, lines: null, record, tasks: [t(a, { scheduled: sched })], uuidOf }).writes).toEqual([]);
    expect(blockEdits({ day, lines: [], record, tasks: [t(a, { scheduled: sched })], uuidOf }).writes).toEqual([{ uuid: a, kind: 'unschedule' }]);
  });

  it('a pin already sent is not sent again over a later Taskwarrior change', () => {
    const record = { blocks: { [a]: { done: false, start: 840 } }, removed: [] };
    const lines = ['- 14:00-14:30 x %block aaaaaaaa pinned%'];
    expect(blockEdits({ day, lines, record, tasks: [t(a, { scheduled: new Date(2026, 11, 7, 16, 0) })], uuidOf }).writes).toEqual([]);
    expect(blockEdits({ day, lines: ['- 15:00-15:30 x %block aaaaaaaa pinned%'], record, tasks: [t(a)], uuidOf }).writes).toEqual([
      { uuid: a, kind: 'schedule', at: new Date(2026, 11, 7, 15, 0) },
    ]);
  });
});
