/**
 * Planning sessions in Neovim (`:Planager plan`, `agenda`, `capture`): one fresh headless
 * Neovim per test over the plan fixture (a workspace synced with a throwaway Taskwarrior),
 * checked against the files on disk and a real `task export`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseTwDate } from '../../sync/index.js';
import { nvimEnv, startNvim, type Nvim } from '../helpers/nvim.js';
import { ROOT } from '../helpers/shared.js';
import { DAY, fixture, type Fixture } from '../unit/cli/plan-fixture.js';

const PLAN = join('journal', '2026', '12', '04.norg');
let f: Fixture;
let vim: Nvim | null = null;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'host.cjs'))) execFileSync(process.execPath, ['scripts/build.mjs', '--no-types'], { cwd: ROOT });
});

afterEach(async () => {
  if (vim) await vim.quit();
  vim = null;
});

/** A fresh Neovim over a fresh fixture, messages recorded in `_G.msgs`, vim.ui.input answering `_G.answers`. */
async function fresh(): Promise<Nvim> {
  f = await fixture();
  const v = (vim = await startNvim(nvimEnv(f.sb.env, f.sb.dir)));
  await v.lua(
    `require('planager').setup({ workspaces = { ... } })
     _G.msgs = {}
     vim.notify = function(m) table.insert(_G.msgs, m) end
     _G.answers = {}
     vim.ui.input = function(_, cb) cb(table.remove(_G.answers, 1)) end`,
    f.ws,
  );
  return v;
}

const messages = (v: Nvim) => v.lua<string[]>('return _G.msgs');
const bufName = (v: Nvim) => v.lua<string>('return vim.api.nvim_buf_get_name(0)');
const task = (d: string) => f.sb.exportAll().find((t) => t.description === d)!;
const short = (d: string) => f.uuid(d).slice(0, 8);
/** The lines of a generated section of a note's text. */
function section(text: string, name: string): string[] {
  const m = new RegExp(`\\|planager ${name}\\n([\\s\\S]*?)\\|end`).exec(text);
  if (!m) throw new Error(`no section ${name}`);
  return m[1].split('\n').filter(Boolean);
}
/** Entry lines of the agenda view (indented), in order. */
const agendaLines = async (v: Nvim) => (await v.lines()).filter((l) => l.startsWith('  '));
async function cursorOn(v: Nvim, text: string): Promise<void> {
  const i = (await v.lines()).findIndex((l) => l.includes(text));
  expect(i).toBeGreaterThanOrEqual(0);
  await v.nvim.request('nvim_win_set_cursor', [0, [i + 1, 0]]);
}

describe(':Planager plan, agenda and capture (headless Neovim, real task)', () => {
  it(':Planager plan daily DATE creates the note at the journal path with the mirrors; again, no byte changes', async () => {
    const v = await fresh();
    await v.cmd(`Planager plan daily ${DAY}`);
    expect(await bufName(v)).toBe(join(f.ws, PLAN));
    const text = f.read(PLAN);
    expect((await v.lines()).join('\n') + '\n').toBe(text);
    expect(section(text, 'overdue')).toEqual([
      `- ( |< Wed 2nd Dec 2026 12:00) Pay the invoice {:../../../work:* Release}[work: Release] %@${short('Pay the invoice')}%`,
      `- ( |< Thu 3rd Dec 2026 12:00) Call the bank %@${short('Call the bank')}%`,
    ]);
    expect(section(text, 'due')).toEqual([
      `- ( |# A|< Fri 4th Dec 2026 12:00) Cut the release {:../../../work:* Release}[work: Release] %@${short('Cut the release')}%`,
    ]);
    expect(section(text, 'scheduled')).toEqual([
      `- ( |> Fri 4th Dec 2026 12:00) Write the changelog {:../../../work:* Release}[work: Release] %@${short('Write the changelog')}%`,
    ]);
    expect(section(text, 'started')).toEqual([
      `- (-) Review the pull request {:../../../work:* Release}[work: Release] %@${short('Review the pull request')}%`,
    ]);
    expect(section(text, 'carried').join('\n')).toContain(`Phone the plumber %@${short('Phone the plumber')}%`);
    await v.waitFor(async () => (await messages(v)).some((m) => /04\.norg created: 2 overdue, 1 due/.test(m)));

    const bytes = readFileSync(join(f.ws, PLAN));
    const mtime = statSync(join(f.ws, PLAN)).mtimeMs;
    await v.cmd(`Planager plan daily ${DAY}`);
    await v.waitFor(async () => (await messages(v)).some((m) => /04\.norg unchanged/.test(m)));
    expect(readFileSync(join(f.ws, PLAN)).equals(bytes)).toBe(true);
    expect(statSync(join(f.ws, PLAN)).mtimeMs).toBe(mtime);
    expect(await v.lua<boolean>('return vim.bo.modified')).toBe(false);
  });

  it('with the note open, a refresh edits its buffer (one line) and writes it', async () => {
    const v = await fresh();
    await v.cmd(`Planager plan daily ${DAY}`);
    const before = await v.lines();
    f.sb.task(f.uuid('Cut the release'), 'done');
    await v.cmd(`Planager plan daily ${DAY}`);
    await v.waitFor(async () => (await messages(v)).some((m) => /04\.norg refreshed/.test(m)));
    const after = await v.lines();
    const changed = after.flatMap((l, i) => (l === before[i] ? [] : [l]));
    expect(after).toHaveLength(before.length);
    expect(changed).toEqual([expect.stringMatching(/^- \(x\|# A\|< Fri 4th Dec 2026 12:00\) Cut the release/)]);
    expect(f.read(PLAN)).toBe(after.join('\n') + '\n');
    expect(await v.lua<boolean>('return vim.bo.modified')).toBe(false);
  });

  it("an empty buffer at the note's path (not on disk yet) gets the template, and is written", async () => {
    const v = await fresh();
    await v.cmd(`edit ${join(f.ws, PLAN)}`);
    expect(existsSync(join(f.ws, PLAN))).toBe(false);
    await v.cmd(`Planager plan daily ${DAY}`);
    await v.waitFor(async () => (await messages(v)).some((m) => /04\.norg created/.test(m)));
    const lines = await v.lines();
    expect(lines).toContain('title: Friday 4th December 2026');
    expect(section(lines.join('\n'), 'due')).toHaveLength(1);
    expect(f.read(PLAN)).toBe(lines.join('\n') + '\n');
    // The same in a folder that does not exist yet: it is made for the write.
    await v.lua("require('planager').setup({ workspaces = { ... }, plan = { paths = { weekly = 'weeks/{weekyear}-W{week}.norg' } } })", f.ws);
    await v.cmd(`edit ${join(f.ws, 'weeks', '2026-W49.norg')}`);
    await v.cmd(`Planager plan weekly ${DAY}`);
    // The request is synchronous: a failure is already among the messages (it once was "A
    // dynamic import callback was not specified", from the lock's wait, test/unit/rplugin/codecache.test.ts).
    expect((await messages(v)).filter((m) => /failed|error/i.test(m))).toEqual([]);
    await v.waitFor(async () => existsSync(join(f.ws, 'weeks', '2026-W49.norg')));
    expect(f.read(join('weeks', '2026-W49.norg'))).toBe((await v.lines()).join('\n') + '\n');
    expect(f.read(join('weeks', '2026-W49.norg'))).toContain('Week 49 of 2026');
  });

  it('a bad kind or date is a message, and nothing is created; no kind is asked for', async () => {
    const v = await fresh();
    await v.cmd('Planager plan yearly');
    await v.cmd('Planager plan daily 2026-02-30');
    await v.waitFor(async () => (await messages(v)).length >= 2);
    const m = await messages(v);
    expect(m[0]).toMatch(/"yearly": name one of daily, weekly, monthly, review/);
    expect(m[1]).toMatch(/2026-02-30 is not a day of the calendar/);
    expect(existsSync(join(f.ws, PLAN))).toBe(false);
    // No kind: one is asked for.
    await v.lua("vim.ui.select = function(items, _, cb) _G.offered = items; cb('daily') end");
    await v.cmd('Planager plan');
    expect(await v.lua<string[]>('return _G.offered')).toEqual(['daily', 'weekly', 'monthly', 'review']);
    expect(await bufName(v)).toMatch(/journal\/\d{4}\/\d{2}\/\d{2}\.norg$/);
  });

  it('plan options set the week start and paths, and are checked by setup(); kinds complete', async () => {
    const v = await fresh();
    const err = (opts: string) =>
      v.lua<string>(`local ok, e = pcall(require('planager').setup, { workspaces = { ... }, plan = ${opts} }); return ok and 'no error' or e`, f.ws);
    expect(await err("{ week_start = 'someday' }")).toBe('(planager) option "plan.week_start" must be a weekday ("monday" … "sunday"), got "someday"');
    expect(await err("{ paths = { yearly = 'y.norg' } }")).toBe('(planager) option "plan.paths" has "yearly": the kinds are daily, weekly, monthly, review');
    expect(await err("{ paths = { weekly = 'w.txt' } }")).toBe('(planager) option "plan.paths.weekly" must be a workspace path ending in .norg');
    expect(await err('{ templtes = 1 }')).toBe('(planager) unknown option "plan.templtes" (see :help planager-plan-options)');
    expect(await err("{ week_start = 'sun', paths = { weekly = 'weeks/{weekyear}-W{week}.norg' } }")).toBe('no error');
    expect(await v.lua<string[]>("return vim.fn.getcompletion('Planager plan ', 'cmdline')")).toEqual(['daily', 'weekly', 'monthly', 'review']);
    expect(await v.lua<string[]>("return vim.fn.getcompletion('Planager ag', 'cmdline')")).toEqual(['agenda']);
    // Weeks from Sunday: Friday the 4th is in the week of Sunday 29th November (ISO week 49 by its Wednesday).
    await v.cmd(`Planager plan weekly ${DAY}`);
    expect(await bufName(v)).toBe(join(f.ws, 'weeks', '2026-W49.norg'));
    expect(f.read(join('weeks', '2026-W49.norg'))).toMatch(/Announce it/);
  });

  it('the agenda lists the tasks overdue first, then by time; x completes one through its home line', async () => {
    const v = await fresh();
    await v.cmd(`Planager agenda day ${DAY}`);
    expect(await bufName(v)).toBe('planager://agenda');
    const lines = await agendaLines(v);
    expect(lines.map((l) => /\) (.+?) {2}/.exec(l)![1])).toEqual(['Pay the invoice', 'Call the bank', 'Write the changelog', 'Cut the release']);
    expect(lines[1]).toMatch(/Taskwarrior$/);
    expect(lines[3]).toMatch(/12:00 {2}due {7}\(\s?\|# A\) Cut the release {2}work\.norg:3$/);
    await cursorOn(v, 'Cut the release');
    await v.cmd('normal x');
    await v.waitFor(async () => task('Cut the release').status === 'completed');
    expect(f.read('work.norg')).toMatch(/^ {2}- \(x\|# A\|< Fri 4th Dec 2026 12:00\) Cut the release %#[0-9a-f]{8}%$/m);
    // Refreshed once Taskwarrior has it: done tasks leave the agenda.
    await v.waitFor(async () => !(await v.lines()).some((l) => l.includes('Cut the release')));
    expect(await bufName(v)).toBe('planager://agenda');
  });

  it('x and d on a task only in Taskwarrior go through task modify', async () => {
    const v = await fresh();
    await v.cmd(`Planager agenda day ${DAY}`);
    await v.lua("table.insert(_G.answers, 'Sat 5th Dec 2026 12:00')");
    await cursorOn(v, 'Call the bank');
    await v.cmd('normal d');
    await v.waitFor(async () => parseTwDate(task('Call the bank').due)!.getTime() === new Date(2026, 11, 5, 12).getTime());
    // No longer overdue: it is past the day shown (Saturday), so it leaves the day's agenda.
    await v.waitFor(async () => !(await v.lines()).some((l) => l.includes('Call the bank')));
    await v.cmd(`Planager agenda week ${DAY}`);
    await cursorOn(v, 'Call the bank');
    await v.cmd('normal x');
    await v.waitFor(async () => task('Call the bank').status === 'completed');
  });

  it('d changes the due date in the note and in Taskwarrior; <CR> jumps to the home line', async () => {
    const v = await fresh();
    await v.cmd(`Planager agenda week ${DAY}`);
    await v.lua("table.insert(_G.answers, 'Fri 11th Dec 2026 12:00')");
    await cursorOn(v, 'Pay the invoice');
    await v.cmd('normal d');
    await v.waitFor(async () => parseTwDate(task('Pay the invoice').due)!.getTime() === new Date(2026, 11, 11, 12).getTime());
    expect(f.read('work.norg')).toMatch(/^ {2}- \( \|< Fri 11th Dec 2026 12:00\) Pay the invoice %#[0-9a-f]{8}%$/m);
    // Refreshed: no longer overdue, and not in this week (its week ends on Sunday the 6th).
    await v.waitFor(async () => !(await v.lines()).some((l) => l.includes('Pay the invoice')));
    await v.lua("table.insert(_G.answers, 'not a date')");
    await cursorOn(v, 'Announce it');
    await v.cmd('normal d');
    await v.waitFor(async () => (await messages(v)).some((m) => /"not a date" is not a date/.test(m)));
    await cursorOn(v, 'Announce it');
    await v.cmd('execute "normal \\<CR>"');
    expect(await bufName(v)).toBe(join(f.ws, 'work.norg'));
    const [row] = await v.nvim.request('nvim_win_get_cursor', [0]);
    expect((await v.lines())[row - 1]).toMatch(/Announce it/);
    expect(row).toBe(7);
  });

  it('capture into a missing heading edits the loaded note, not the current buffer, and the task reaches Taskwarrior', async () => {
    const v = await fresh();
    await v.cmd(`edit ${join(f.ws, 'work.norg')}`);
    const note = await v.lua<number>('return vim.api.nvim_get_current_buf()');
    await v.cmd('set hidden | enew');
    const current = await v.lua<number>('return vim.api.nvim_get_current_buf()');
    await v.cmd('Planager capture --project Release.Launch Book the venue');
    expect(await v.lua<number>('return vim.api.nvim_get_current_buf()')).toBe(current);
    expect(await v.lines()).toEqual(['']);
    const noteLines = () => v.lua<string[]>('return vim.api.nvim_buf_get_lines(..., 0, -1, false)', note);
    await v.waitFor(async () => (await noteLines()).some((l) => /^\s*- \( \) Book the venue %#[0-9a-f]{8}%$/.test(l)), 10_000);
    const lines = await noteLines();
    // The heading is created under the one that exists, the task under it.
    const at = lines.findIndex((l) => l.trim() === '** Launch');
    expect(at).toBeGreaterThan(lines.indexOf('* Release'));
    expect(at).toBeLessThan(lines.indexOf('* Stalled'));
    expect(lines[at + 1]).toMatch(/Book the venue/);
    expect(f.read('work.norg')).toBe(lines.join('\n') + '\n');
    expect(await v.lua<boolean>('return vim.bo[...].modified', note)).toBe(false);
    await v.waitFor(async () => task('Book the venue')?.project === 'Release.Launch');
    await v.waitFor(async () => (await messages(v)).some((m) => m.includes('added to work.norg:') && m.includes('under Release › Launch')));
  });

  it('capture with no text asks for it and for the project; an empty project goes to the inbox note', async () => {
    const v = await fresh();
    await v.lua("table.insert(_G.answers, 'Renew the passport'); table.insert(_G.answers, '')");
    await v.cmd('Planager capture');
    expect(await bufName(v)).toBe('');
    await v.waitFor(async () => existsSync(join(f.ws, 'inbox.norg')) && /- \( \) Renew the passport %#[0-9a-f]{8}%/.test(f.read('inbox.norg')), 10_000);
    await v.waitFor(async () => task('Renew the passport')?.status === 'pending');
  });
});
