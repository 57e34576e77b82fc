/**
 * `planager schedule` over a real throwaway Taskwarrior (plan-fixture.ts): the daily note gets
 * its schedule section, the JSON has the documented shape, a second run changes no byte, a
 * block moved in the note stays pinned, --explain says why, and bad input is exit 2.
 */
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../cli/main.js';
import { scheduleCommand } from '../../../cli/schedule.js';
import { sync } from '../../../sync/index.js';
import { DAY, fixture, NOW, type Fixture } from './plan-fixture.js';

const PATH = join('journal', '2026', '12', '04.norg');
let f: Fixture;

interface Json {
  date: string;
  blocks: { start: string; end: string; uuid: string | null; description: string; pinned: boolean; fixed: boolean }[];
  unplaced: { uuid: string; description: string; reason: string }[];
}

async function schedule(extra: Record<string, string | boolean> = {}): Promise<Json> {
  const r = await scheduleCommand({ date: DAY, workspace: f.ws, json: true, ...extra }, { tw: f.sb.tw, now: NOW });
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout!) as Json;
}

beforeAll(async () => {
  f = await fixture();
  // The estimate UDA, declared as a user would, and set on one task.
  appendFileSync(join(f.sb.dir, 'taskrc'), 'uda.estimate.type=duration\n');
  f.sb.task(f.uuid('Cut the release'), 'modify', 'estimate:PT1H30M');
  f.sb.task(f.uuid('Call the bank'), 'modify', `depends:${f.uuid('Pay the invoice')}`);
  // Tasks entered in one second would be ordered by uuid (random here): give each its own age.
  for (const [d, entry] of [
    ['Phone the plumber', '2026-11-01'],
    ['Review the pull request', '2026-11-10'],
    ['Write the changelog', '2026-11-15'],
    ['Buy stamps', '2026-11-20'],
  ])
    f.sb.task(f.uuid(d), 'modify', `entry:${entry}`);
});

describe('planager schedule over a fixture database', () => {
  it('creates the daily plan with a schedule section and prints the documented JSON', async () => {
    f.sb.resetCalls();
    const r = await schedule();
    expect(f.sb.calls()).toEqual([]); // Taskwarrior read from its data files
    const u = f.uuid;
    expect(r.date).toBe(DAY);
    const row = (start: string, end: string, d: string) => ({ start, end, uuid: u(d), description: d, pinned: false, fixed: false });
    // Overdue first (by due date), then due today (A, 1h30 from the UDA), then the rest by age;
    // "Call the bank" waits for "Pay the invoice"; "Write the changelog" is scheduled at 12:00
    // (not before), and 12:00-13:00 is the break.
    expect(r.blocks).toEqual([
      row('09:00', '09:30', 'Pay the invoice'),
      row('09:30', '10:00', 'Call the bank'),
      row('10:00', '11:30', 'Cut the release'),
      row('11:30', '12:00', 'Phone the plumber'),
      row('13:00', '13:30', 'Review the pull request'),
      row('13:30', '14:00', 'Write the changelog'),
      row('14:00', '14:30', 'Buy stamps'),
    ]);
    expect(r.unplaced).toEqual([]);
    const text = f.read(PATH);
    expect(text).toContain('|planager schedule 09:00-17:00 break 12:00-13:00 estimate 30m\n');
    expect(text).toContain(`- 10:00-11:30 Cut the release {:../../../work:* Release}[work: Release] %block ${u('Cut the release').slice(0, 8)} 10:00-11:30%\n`);
    expect(text).toContain('title: Friday 4th December 2026');
  });

  it('a second run changes nothing, byte for byte', async () => {
    const before = readFileSync(join(f.ws, PATH));
    const mtime = statSync(join(f.ws, PATH)).mtimeMs;
    const r = await scheduleCommand({ date: DAY, workspace: f.ws }, { tw: f.sb.tw, now: NOW });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('09:00-09:30  Pay the invoice');
    expect(readFileSync(join(f.ws, PATH)).equals(before)).toBe(true);
    expect(statSync(join(f.ws, PATH)).mtimeMs).toBe(mtime);
  });

  it('a sync leaves the schedule alone: blocks are neither tasks nor mirrors', async () => {
    const before = f.read(PATH);
    const count = f.sb.exportAll().length;
    const r = await sync({ workspace: f.ws, tw: f.sb.tw });
    expect(r.ok).toBe(true);
    expect(f.read(PATH)).toBe(before);
    expect(f.sb.exportAll()).toHaveLength(count);
  });

  it('a block moved in the note stays pinned, and the others fill around it; a fixed event and a user block are kept off', async () => {
    const abs = join(f.ws, PATH);
    let text = readFileSync(abs, 'utf8');
    text = text.replace('- 10:00-11:30 Cut the release', '- 15:00-16:30 Cut the release');
    text = text.replace('|planager schedule 09:00-17:00 break 12:00-13:00 estimate 30m\n', '$&- 09:00-09:30 Gym\n');
    text += '\n|planager fixed\n- 10:00-10:45 Dentist\n|end\n';
    writeFileSync(abs, text);
    const r = await schedule();
    const at = (d: string) => r.blocks.find((b) => b.description === d);
    expect(at('Cut the release')).toMatchObject({ start: '15:00', end: '16:30', pinned: true, fixed: false });
    expect(at('Dentist')).toEqual({ start: '10:00', end: '10:45', uuid: null, description: 'Dentist', pinned: false, fixed: true });
    expect(at('Gym')).toMatchObject({ start: '09:00', end: '09:30', uuid: null, pinned: true });
    expect(at('Pay the invoice')).toMatchObject({ start: '09:30', end: '10:00' });
    expect(at('Call the bank')).toMatchObject({ start: '10:45', end: '11:15' });
    expect(f.read(PATH)).toContain(
      `- 15:00-16:30 Cut the release {:../../../work:* Release}[work: Release] %block ${f.uuid('Cut the release').slice(0, 8)} pinned%\n`,
    );
    expect((await schedule()).blocks).toEqual(r.blocks);
  });

  it('--explain says why each block is where it is and what did not fit', async () => {
    f.sb.task('add', 'Write the book', 'estimate:PT20H');
    const abs = join(f.ws, PATH);
    const id = f.uuid('Write the book').slice(0, 8);
    writeFileSync(abs, readFileSync(abs, 'utf8') + `\n- ( ) Write the book %@${id}%\n`);
    const r = await scheduleCommand({ date: DAY, workspace: f.ws, explain: true }, { tw: f.sb.tw, now: NOW });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('working hours 09:00-17:00, breaks 12:00-13:00, default estimate 30m');
    expect(r.stdout).toMatch(/09:30-10:00 {2}Pay the invoice — 30m \(default estimate\); #1 by urgency \(due Wed 2nd Dec 2026 12:00/);
    expect(r.stdout).toContain('15:00-16:30  Cut the release — pinned');
    expect(r.stdout).toContain('Did not fit:\n  Write the book — it needs 20h; the working hours are 8h');
    const j = await schedule();
    expect(j.unplaced).toEqual([{ uuid: f.uuid('Write the book'), description: 'Write the book', reason: 'it needs 20h; the working hours are 8h' }]);
  });

  it('a bad --date, a bad schedule line and stray words are exit 2 with a clear message', async () => {
    const bad = await run(['schedule', '--date', '2026-02-30', '--workspace', f.ws]);
    expect(bad).toEqual({ code: 2, stderr: 'planager schedule: --date: 2026-02-30 is not a day of the calendar\n' });
    expect((await run(['schedule', 'tomorrow'])).code).toBe(2);
    const abs = join(f.ws, PATH);
    const good = readFileSync(abs, 'utf8');
    writeFileSync(abs, good.replace('|planager schedule 09:00-17:00', '|planager schedule 9-5'));
    const r = await scheduleCommand({ date: DAY, workspace: f.ws }, { tw: f.sb.tw, now: NOW });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^planager schedule: line \d+: \|planager schedule: "9-5" is neither working hours/);
    writeFileSync(abs, good);
  });

  it('--path places the daily note as for planager plan daily', async () => {
    const r = await scheduleCommand({ date: DAY, workspace: f.ws, path: 'days/{year}-{month}-{day}.norg' }, { tw: f.sb.tw, now: NOW });
    expect(r.code).toBe(0);
    expect(r.stdout!.split('\n')[0]).toBe(join(f.ws, 'days', '2026-12-04.norg'));
    expect(f.read(join('days', '2026-12-04.norg'))).toContain('|planager schedule 09:00-17:00 break 12:00-13:00 estimate 30m\n');
  });

  it('is in planager --help', async () => {
    expect((await run(['--help'])).stdout).toContain('planager schedule [--date YYYY-MM-DD] [--workspace DIR] [--json] [--explain]');
  });
});
