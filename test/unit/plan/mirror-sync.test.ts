/**
 * Editing a mirror is editing its task (issue 15): marking it done, changing its due date,
 * priority or text reaches the home line and Taskwarrior in the same sync, one-note (what `:w`
 * of the plan note does) or full; a change elsewhere rewrites the mirror and is never taken
 * for an edit of it. Real `task`, throwaway database.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { planCommand } from '../../../cli/plan.js';
import { sync } from '../../../sync/index.js';
import { DAY, fixture, NOW, type Fixture } from '../cli/plan-fixture.js';

const PLAN = join('journal', '2026', '12', '04.norg');
let f: Fixture;

async function plan(): Promise<void> {
  const r = await planCommand('daily', { date: DAY, workspace: f.ws }, { tw: f.sb.tw, now: NOW });
  if (r.code !== 0) throw new Error(r.stderr);
}

const tw = (d: string) => f.sb.exportAll().find((t) => t.description === d || t.uuid === d)!;
const lineOf = (text: string, needle: string) => text.split('\n').find((l) => l.includes(needle)) ?? '';
function edit(path: string, from: string, to: string): void {
  const text = f.read(path);
  if (!text.includes(from)) throw new Error(`${path} has no "${from}":\n${text}`);
  writeFileSync(join(f.ws, path), text.replace(from, to));
}
const run = (files?: string[]) => sync({ workspace: f.ws, tw: f.sb.tw, now: () => NOW, ...(files ? { files } : {}) });

beforeEach(async () => {
  f = await fixture();
  await plan();
});

describe('a mirror edited in a plan note', () => {
  it('marked done: the home line and Taskwarrior complete in the one-note sync of the plan', async () => {
    edit(PLAN, '- ( |# A|< Fri 4th Dec 2026 12:00) Cut the release', '- (x|# A|< Fri 4th Dec 2026 12:00) Cut the release');
    const r = await run([PLAN]);
    expect(r.ok).toBe(true);
    expect(tw('Cut the release').status).toBe('completed');
    expect(lineOf(f.read('work.norg'), 'Cut the release')).toMatch(/^ {2}- \(x\|# A\|< Fri 4th Dec 2026 12:00\) Cut the release %#/);
    // The mirror stays a mirror (no id of its own), and the next sync has nothing to do.
    expect(lineOf(f.read(PLAN), 'Cut the release')).toMatch(/^- \(x\|# A\|< .*\) Cut the release \{:.*\}\[work: Release\] %@[0-9a-f]{8}%$/);
    const again = await run();
    expect(again.changed).toBe(false);
  });

  it('a new due date, priority and text reach the home line and Taskwarrior in a full sync', async () => {
    edit(PLAN, '- ( |< Wed 2nd Dec 2026 12:00) Pay the invoice', '- ( |# B|< Mon 7th Dec 2026 12:00) Pay the invoice today');
    const u = tw('Pay the invoice').uuid;
    const r = await run();
    expect(r.ok).toBe(true);
    const t = tw(u);
    expect(t.description).toBe('Pay the invoice today');
    expect(t.priority).toBe('M');
    expect(new Date(t.due!.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z')).getTime()).toBe(new Date(2026, 11, 7, 12).getTime());
    expect(lineOf(f.read('work.norg'), 'Pay the invoice')).toMatch(/^ {2}- \( \|< Mon 7th Dec 2026 12:00\|# B\) Pay the invoice today %#/);
    expect((await run()).changed).toBe(false);
  });

  it('a change in Taskwarrior rewrites the mirror and is not undone by it', async () => {
    const u = tw('Write the changelog').uuid;
    await run(); // the sync records what the mirrors show
    f.sb.task(u, 'modify', 'priority:H');
    const r = await run();
    expect(r.ok).toBe(true);
    expect(tw(u).priority).toBe('H');
    expect(lineOf(f.read(PLAN), 'Write the changelog')).toMatch(/^- \( \|# A\|> Fri 4th Dec 2026 12:00\) Write the changelog /);
    expect(lineOf(f.read('work.norg'), 'Write the changelog')).toMatch(/\|# A\)/);
  });

  it('a home line changed by a one-note push rewrites the mirror in the same sync, and a later plan sync keeps it', async () => {
    const u = tw('Announce it').uuid;
    await run();
    edit('work.norg', '( |< Sat 5th Dec 2026 12:00) Announce it', '(-|< Sat 5th Dec 2026 12:00) Announce it');
    const r = await run(['work.norg']);
    expect(r.ok).toBe(true);
    expect(tw(u).start).toBeDefined();
    expect((await run([PLAN])).ok).toBe(true);
    expect(tw(u).start).toBeDefined();
    expect(tw(u).status).toBe('pending');
  });

  it('a one-note sync of the home note rewrites the mirrors of what it changed; a later plan edit does not undo it', async () => {
    const u = tw('Cut the release').uuid;
    await run();
    f.sb.task(u, 'modify', 'priority:L');
    expect((await run(['work.norg'])).ok).toBe(true);
    expect(lineOf(f.read(PLAN), 'Cut the release')).toMatch(/# C/);
    edit(PLAN, 'Pay the invoice', 'Pay the invoice now');
    expect((await run([PLAN])).ok).toBe(true);
    expect(tw(u).priority).toBe('L');
    expect(tw('Pay the invoice now').status).toBe('pending');
    expect(lineOf(f.read(PLAN), 'Cut the release')).toMatch(/# C/);
  });

  it('a plan note no sync has seen yet: a mirror showing an older version is stale, not an edit', async () => {
    const u = tw('Cut the release').uuid;
    f.sb.task(u, 'modify', 'priority:L');
    edit(PLAN, 'Pay the invoice', 'Pay the invoice now');
    expect((await run([PLAN])).ok).toBe(true);
    expect(tw(u).priority).toBe('L');
    expect(tw('Pay the invoice now').status).toBe('pending');
    expect(lineOf(f.read(PLAN), 'Cut the release')).toMatch(/# C/);
  });

  it('both the home line and the mirror edited: the home line wins and the mirror value is logged', async () => {
    const u = tw('Cut the release').uuid;
    await run();
    edit('work.norg', 'Fri 4th Dec 2026 12:00) Cut the release', 'Sun 6th Dec 2026 12:00) Cut the release');
    edit(PLAN, 'Fri 4th Dec 2026 12:00) Cut the release', 'Mon 7th Dec 2026 12:00) Cut the release');
    expect((await run()).ok).toBe(true);
    expect(lineOf(f.read('work.norg'), 'Cut the release')).toContain('Sun 6th Dec');
    expect(lineOf(f.read(PLAN), 'Cut the release')).toContain('Sun 6th Dec');
    const log = f.read(join('.planager', 'activity.jsonl'));
    const entry = log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((e) => e.uuid === u && e.note?.includes('mirror'));
    expect(entry?.fields?.due?.lost).toBe(new Date(2026, 11, 7, 12).toISOString());
  });

  it('a task only in Taskwarrior: its mirror marked done completes it, annotations kept', async () => {
    const u = tw('Call the bank').uuid;
    f.sb.task(u, 'annotate', 'ask for the manager');
    edit(PLAN, '- ( |< Thu 3rd Dec 2026 12:00) Call the bank', '- (x|< Thu 3rd Dec 2026 12:00) Call the bank');
    const r = await run([PLAN]);
    expect(r.ok).toBe(true);
    const t = tw(u);
    expect(t.status).toBe('completed');
    expect(t.annotations?.map((a) => a.description)).toEqual(['ask for the manager']);
    expect(lineOf(f.read(PLAN), 'Call the bank')).toMatch(/^- \(x\|< Thu 3rd Dec 2026 12:00\) Call the bank %@[0-9a-f]{8}%$/);
    expect((await run()).changed).toBe(false);
    // No note holds it: no line was added anywhere.
    expect(f.read('work.norg')).not.toContain('Call the bank');
  });

  it('a task only in Taskwarrior changed on both sides: Taskwarrior keeps its value, the mirror value is logged', async () => {
    const u = tw('Call the bank').uuid;
    await run();
    f.sb.task(u, 'modify', 'priority:H');
    edit(PLAN, '- ( |< Thu 3rd Dec 2026 12:00) Call the bank', '- ( |# C|< Thu 3rd Dec 2026 12:00) Call the bank');
    expect((await run([PLAN])).ok).toBe(true);
    expect(tw(u).priority).toBe('H');
    expect(lineOf(f.read(PLAN), 'Call the bank')).toContain('# A');
    const log = f
      .read(join('.planager', 'activity.jsonl'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(log.find((e) => e.uuid === u && e.side === 'note')?.fields?.priority?.lost).toBe('C');
  });

  it('deleting a mirror line removes only the mirror', async () => {
    await run();
    const text = f.read(PLAN);
    writeFileSync(join(f.ws, PLAN), text.replace(/^.*Cut the release.*\n/m, ''));
    expect((await run()).ok).toBe(true);
    expect(tw('Cut the release').status).toBe('pending');
    expect(f.read('work.norg')).toContain('Cut the release');
  });
});
