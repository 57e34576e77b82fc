import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planCommand } from '../../../cli/plan.js';
import { tasksCommand } from '../../../cli/tasks.js';
import { sync } from '../../../sync/index.js';
import { DAY, fixture, NOW, type Fixture } from './plan-fixture.js';

const PATH = join('journal', '2026', '12', '04.norg');
let f: Fixture;

async function plan(kind: string, extra: Record<string, string | boolean> = {}) {
  const r = await planCommand(kind, { date: DAY, workspace: f.ws, json: true, ...extra }, { tw: f.sb.tw, now: NOW });
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout!) as { path: string; created: boolean; sections: Record<string, string[]> };
}

beforeAll(async () => {
  f = await fixture();
});

describe('planager plan daily over a fixture database', () => {
  it('creates the note at the Neorg journal path, each section holding exactly its tasks', async () => {
    f.sb.resetCalls();
    const r = await plan('daily');
    expect(r.path).toBe(join(f.ws, PATH));
    expect(r.created).toBe(true);
    const u = f.uuid;
    expect(r.sections).toEqual({
      overdue: [u('Pay the invoice'), u('Call the bank')],
      due: [u('Cut the release')],
      scheduled: [u('Write the changelog')],
      started: [u('Review the pull request')],
      waiting: [u('Blocked thing'), u('Expect the parcel'), u('Wait for legal')],
      carried: [u('Buy stamps'), u('Phone the plumber')],
    });
    // Taskwarrior is read from its data files: no `task` process at all.
    expect(f.sb.calls()).toEqual([]);
    const text = f.read(PATH);
    expect(text).toContain(
      `- ( |# A|< Fri 4th Dec 2026 12:00) Cut the release {:../../../work:* Release}[work: Release] %@${u('Cut the release').slice(0, 8)}%`,
    );
    // A task only in Taskwarrior: a mirror without a link.
    expect(text).toContain(`- ( |< Thu 3rd Dec 2026 12:00) Call the bank %@${u('Call the bank').slice(0, 8)}%`);
    expect(text).toContain('title: Friday 4th December 2026');
  });

  it('a second run changes nothing, byte for byte', async () => {
    const before = readFileSync(join(f.ws, PATH));
    const mtime = statSync(join(f.ws, PATH)).mtimeMs;
    const r = await planCommand('daily', { date: DAY, workspace: f.ws }, { tw: f.sb.tw, now: NOW });
    expect(r.stdout).toMatch(/unchanged/);
    expect(readFileSync(join(f.ws, PATH)).equals(before)).toBe(true);
    expect(statSync(join(f.ws, PATH)).mtimeMs).toBe(mtime);
  });

  it('after an outside `task done`, only that mirror line changes', async () => {
    const before = f.read(PATH).split('\n');
    f.sb.task(f.uuid('Cut the release'), 'done');
    await plan('daily');
    const after = f.read(PATH).split('\n');
    expect(after).toHaveLength(before.length);
    const changed = after.flatMap((l, i) => (l === before[i] ? [] : [[before[i], l]]));
    expect(changed).toHaveLength(1);
    expect(changed[0][0]).toMatch(/^- \( \|# A\|< Fri 4th Dec 2026 12:00\) Cut the release/);
    expect(changed[0][1]).toMatch(/^- \(x\|# A\|< Fri 4th Dec 2026 12:00\) Cut the release/);
  });

  it("keeps the user's own lines in and around a generated section while adding to it", async () => {
    const text = f.read(PATH);
    const mine = text
      .replace('* Overdue\n', '* Overdue\nMy own words before the section.\n')
      .replace(/(Pay the invoice[^\n]*\n)/, '$1  -- ask Anna first\n   a note typed under the mirror\n');
    writeFileSync(join(f.ws, PATH), mine);
    f.sb.task('add', 'Renew the domain', 'due:2026-12-01T12:00:00');
    const r = await plan('daily');
    const after = f.read(PATH);
    expect(r.sections.overdue).toEqual([f.uuid('Pay the invoice'), f.uuid('Call the bank'), f.uuid('Renew the domain')]);
    // Everything that was there is still there, in order: the new mirror is one added line.
    const added = after.split('\n').filter((l) => !mine.split('\n').includes(l));
    expect(added).toEqual([expect.stringMatching(/^- \( \|< Tue 1st Dec 2026 12:00\) Renew the domain %@[0-9a-f]{8}%$/)]);
    expect(after.replace(added[0] + '\n', '')).toBe(mine);
  });

  it('mirror lines are not tasks: `planager tasks` lists none and a full sync creates or deletes nothing for them', async () => {
    const listed = await tasksCommand([join(f.ws, PATH)], true);
    expect(JSON.parse(listed.stdout!)).toEqual([]);
    const count = f.sb.exportAll().length;
    const before = f.read(PATH);
    const r = await sync({ workspace: f.ws, tw: f.sb.tw });
    expect(r.ok).toBe(true);
    expect(r.taskwarrior.created).toEqual([]);
    expect(r.taskwarrior.deleted).toEqual([]);
    expect(r.warnings.filter((w) => /duplicate|twice/i.test(w))).toEqual([]);
    expect(f.sb.exportAll()).toHaveLength(count);
    expect(f.read(PATH)).toBe(before);
  });

  it('a workspace template replaces the built-in one', async () => {
    mkdirSync(join(f.ws, '.planager', 'templates'), { recursive: true });
    writeFileSync(join(f.ws, '.planager', 'templates', 'daily.norg'), 'My day: {{title}} ({{weekday}})\n\n* Late\n{{overdue}}\n');
    const r = await planCommand('daily', { date: '2026-12-07', workspace: f.ws, json: true }, { tw: f.sb.tw, now: NOW });
    const out = JSON.parse(r.stdout!);
    expect(out.created).toBe(true);
    const text = f.read(join('journal', '2026', '12', '07.norg'));
    expect(text.startsWith('My day: Monday 7th December 2026 (Monday)\n\n* Late\n|planager overdue\n')).toBe(true);
    expect(Object.keys(out.sections)).toEqual(['overdue']);
  });

  it('bad dates and kinds are clear errors (exit 2)', async () => {
    const bad = await planCommand('daily', { date: '2026-02-30', workspace: f.ws }, { tw: f.sb.tw, now: NOW });
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringMatching(/2026-02-30 is not a day/) });
    const kind = await planCommand('yearly', { workspace: f.ws }, { tw: f.sb.tw, now: NOW });
    expect(kind).toMatchObject({ code: 2, stderr: expect.stringMatching(/daily, weekly, monthly, review/) });
  });
});

describe('planager plan, agenda, capture as a command', () => {
  it('run from the built binary: paths, JSON, help and exit codes', async () => {
    const { assertBuilt, planager } = await import('./run.js');
    assertBuilt();
    const opts = { cwd: f.ws, env: f.sb.env };
    const weekly = await planager(['plan', 'weekly', '--date', DAY, '--json'], opts);
    expect(weekly.code).toBe(0);
    expect(JSON.parse(weekly.stdout)).toMatchObject({
      path: join(f.ws, 'journal', '2026', '2026-W49.norg'),
      created: true,
      sections: { projects: ['Stalled'] },
    });
    const bad = await planager(['plan', 'daily', '--date', '2026-12-4'], opts);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--date: "2026-12-4" is not a date: write YYYY-MM-DD/);
    const agenda = await planager(['agenda', '--date', DAY], opts);
    expect(agenda.code).toBe(0);
    expect(agenda.stdout.split('\n')[0]).toBe('Overdue');
    const cap = await planager(['capture', 'Plan', 'the', 'party', '--project', 'Home'], opts);
    expect(cap.code).toBe(0);
    expect(cap.stdout).toMatch(/next sync/);
    const help = await planager(['--help'], opts);
    expect(help.stdout).toMatch(/planager plan daily\|weekly\|monthly\|review/);
    expect(help.stdout).toMatch(/planager agenda/);
    expect(help.stdout).toMatch(/planager capture TEXT/);
  });
});

describe('a note at the plan path that Planager did not make (`:Neorg journal today` first)', () => {
  it('an empty one is filled from the template; one with text of its own is left as it is, and the output says why nothing was added', async () => {
    const empty = join('journal', '2026', '12', '08.norg');
    mkdirSync(join(f.ws, 'journal', '2026', '12'), { recursive: true });
    writeFileSync(join(f.ws, empty), '\n');
    const r = await planCommand('daily', { date: '2026-12-08', workspace: f.ws, json: true }, { tw: f.sb.tw, now: NOW });
    expect(JSON.parse(r.stdout!).created).toBe(true);
    expect(f.read(empty)).toContain('|planager overdue');
    const neorg = join('journal', '2026', '12', '09.norg');
    const mine = '@document.meta\ntitle: 2026-12-09\n@end\n\n* Journal\n  Slept well.\n';
    writeFileSync(join(f.ws, neorg), mine);
    const again = await planCommand('daily', { date: '2026-12-09', workspace: f.ws, json: true }, { tw: f.sb.tw, now: NOW });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout!)).toMatchObject({ created: false, sections: {} });
    expect(again.stderr).toMatch(/has no generated sections .* nothing was added/);
    expect(f.read(neorg)).toBe(mine);
  });
});
