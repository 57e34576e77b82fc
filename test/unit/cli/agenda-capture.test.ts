import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { agendaCommand } from '../../../cli/agenda.js';
import { captureCommand } from '../../../cli/capture.js';
import { sync } from '../../../sync/index.js';
import { DAY, fixture, NOW, type Fixture } from './plan-fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

type Entry = { description: string; field: string; overdue: boolean; file: string | null; line: number | null };

describe('planager agenda', () => {
  it('lists what the fixture says for the day, overdue first, then by time', async () => {
    const r = await agendaCommand({ date: DAY, workspace: f.ws, json: true }, { tw: f.sb.tw, now: NOW });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout!) as { from: string; to: string; entries: Entry[] };
    expect([out.from, out.to]).toEqual(['2026-12-04', '2026-12-05']);
    expect(out.entries.map((e) => [e.description, e.field, e.overdue, e.file])).toEqual([
      ['Pay the invoice', 'due', true, 'work.norg'],
      ['Call the bank', 'due', true, null],
      ['Write the changelog', 'scheduled', false, 'work.norg'],
      ['Cut the release', 'due', false, 'work.norg'],
    ]);
  });

  it('a task dated in Taskwarrior only, in a note with no dated line, still shows its home line', async () => {
    writeFileSync(join(f.ws, 'chores.norg'), '* Chores\n  - ( ) Sweep the floor\n');
    expect((await sync({ workspace: f.ws, tw: f.sb.tw })).code).toBe(0);
    f.sb.task(f.uuid('Sweep the floor'), 'modify', 'due:2026-12-04T15:00:00');
    const r = await agendaCommand({ date: DAY, workspace: f.ws, json: true }, { tw: f.sb.tw, now: NOW });
    const out = JSON.parse(r.stdout!) as { entries: Entry[] };
    expect(out.entries.find((e) => e.description === 'Sweep the floor')).toMatchObject({ file: 'chores.norg', line: 2 });
    // Back as it was for the other cases.
    f.sb.task(f.uuid('Sweep the floor'), 'modify', 'due:');
  });

  it('--week adds the rest of the week; a note line not synced yet shows too', async () => {
    writeFileSync(join(f.ws, 'home.norg'), '* Home\n  - ( |< Sun 6th Dec 2026 12:00) Water the plants\n');
    const r = await agendaCommand({ date: DAY, workspace: f.ws, json: true, week: true }, { tw: f.sb.tw, now: NOW });
    const out = JSON.parse(r.stdout!) as { from: string; to: string; entries: Entry[] };
    expect([out.from, out.to]).toEqual(['2026-12-04', '2026-12-07']);
    expect(out.entries.map((e) => e.description)).toEqual([
      'Pay the invoice',
      'Call the bank',
      'Write the changelog',
      'Cut the release',
      'Announce it',
      'Water the plants',
    ]);
    expect(out.entries[5]).toMatchObject({ file: 'home.norg', line: 2 });
    const text = await agendaCommand({ date: DAY, workspace: f.ws, week: true }, { tw: f.sb.tw, now: NOW });
    expect(text.stdout!.split('\n')[0]).toBe('Overdue');
    expect(text.stdout).toContain('Sun 6th Dec 2026');
  });

  it('a bad date is a clear error', async () => {
    const r = await agendaCommand({ date: '04.12.2026', workspace: f.ws }, { tw: f.sb.tw, now: NOW });
    expect(r).toMatchObject({ code: 2, stderr: expect.stringMatching(/write YYYY-MM-DD/) });
  });
});

describe('planager capture', () => {
  it('creates the missing heading under the project that exists, and says the sync makes the task', async () => {
    const r = await captureCommand(['Draft', 'the', 'roadmap'], { project: 'Release.Roadmap', workspace: f.ws });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^added to work\.norg:\d+ under Release › Roadmap\n/);
    expect(r.stdout).toMatch(/next sync .* creates the task/);
    const text = f.read('work.norg');
    expect(text).toMatch(/\* Release\n[\s\S]*\n {2}\*\* Roadmap\n {5}- \( \) Draft the roadmap\n/);
    expect(f.sb.exportAll().some((t) => t.description === 'Draft the roadmap')).toBe(false);
    const s = await sync({ workspace: f.ws, tw: f.sb.tw });
    expect(s.ok).toBe(true);
    expect(f.sb.exportAll().find((t) => t.description === 'Draft the roadmap')).toMatchObject({ project: 'Release.Roadmap', status: 'pending' });
  });

  it('a project no note holds goes to the inbox note, under its own heading; no project, to its top', async () => {
    expect(existsSync(join(f.ws, 'inbox.norg'))).toBe(false);
    const a = await captureCommand(['Hire', 'a', 'designer'], { project: 'Hiring', workspace: f.ws });
    expect(a.stdout).toMatch(/^added to inbox\.norg:2 under Hiring \(new note\)/);
    const b = await captureCommand(['Buy milk'], { workspace: f.ws });
    expect(b.code).toBe(0);
    expect(f.read('inbox.norg')).toBe('- ( ) Buy milk\n* Hiring\n  - ( ) Hire a designer\n');
    const empty = await captureCommand([], { workspace: f.ws });
    expect(empty).toMatchObject({ code: 2, stderr: expect.stringMatching(/nothing to capture/) });
  });
});
