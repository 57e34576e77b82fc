/**
 * `plan` and `agenda` answered from the last full run's record (cli/replay.ts): the replay is
 * what a full run prints, and every change to what the run read, to the words, the place, the
 * environment or the clock makes the next run a full one. In process with a set clock, then
 * through the built command as a shell runs it.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { agendaCommand } from '../../../cli/agenda.js';
import { planCommand } from '../../../cli/plan.js';
import { localDay, recorded, replayed } from '../../../cli/replay.js';
import type { CommandResult } from '../../../cli/result.js';
import { parseTwDate, Store } from '../../../sync/index.js';
import { twSandbox } from '../../helpers/tw.js';
import { DAY, fixture, NOW, type Fixture } from './plan-fixture.js';
import { assertBuilt, planager } from './run.js';

/** Every file and folder under `roots` a minute old: a run records only inputs older than 2 s. */
function age(...roots: string[]): void {
  const then = new Date(Date.now() - 60_000);
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    utimesSync(p, then, then);
  };
  for (const r of roots) walk(r);
}

const record = (ws: string) => join(ws, '.planager', 'replay.json');

describe('plan, replayed', () => {
  let f: Fixture;
  let args: string[];
  let w: { env: NodeJS.ProcessEnv; cwd: string };
  const plan = (now = NOW): Promise<CommandResult> =>
    recorded(args, (deps) => planCommand('daily', { date: DAY, workspace: f.ws }, { ...deps, tw: f.sb.tw }), w, now);
  /** Full runs until one writes nothing and is recorded; its result. */
  const settle = async (): Promise<CommandResult> => {
    for (let i = 0; i < 3; i++) {
      age(f.ws, f.sb.dir);
      const r = await plan();
      if (replayed(args, w, NOW)) return r;
    }
    throw new Error('no run was recorded');
  };

  beforeAll(async () => {
    f = await fixture();
    args = ['plan', 'daily', '--date', DAY, '--workspace', f.ws];
    w = { env: f.sb.env, cwd: f.ws };
  });

  it('a run that writes the note is not recorded; the next one is, and its replay is what it printed', async () => {
    age(f.ws, f.sb.dir);
    const first = await plan();
    expect(first.stdout).toMatch(/created/);
    expect(existsSync(record(f.ws))).toBe(false);
    expect(replayed(args, w, NOW)).toBeNull();
    age(f.ws, f.sb.dir);
    const full = await plan();
    expect(full.stdout).toMatch(/unchanged/);
    expect(replayed(args, w, NOW)).toEqual({ stdout: full.stdout, stderr: full.stderr ?? '' });
    // Later the same day, too.
    expect(replayed(args, w, new Date(2026, 11, 4, 23, 59))).toEqual({ stdout: full.stdout, stderr: full.stderr ?? '' });
  });

  it('a run reading files changed within two seconds is not recorded (a file clock tick may hide the next write)', async () => {
    await settle();
    writeFileSync(join(f.ws, 'fresh.norg'), '* Fresh\n');
    const before = readFileSync(record(f.ws), 'utf8');
    const r = await plan();
    expect(r.stdout).toMatch(/unchanged/);
    expect(readFileSync(record(f.ws), 'utf8')).toBe(before);
    expect(replayed(args, w, NOW)).toBeNull();
    rmSync(join(f.ws, 'fresh.norg'));
  });

  const changes: [string, (f: Fixture) => void][] = [
    ['a note edited, same size', (f) => writeFileSync(join(f.ws, 'work.norg'), f.read('work.norg').replace('Pay the invoice', 'Pay the invoicf'))],
    ['a note added', (f) => writeFileSync(join(f.ws, 'more.norg'), '* More\n  - ( ) Something else\n')],
    ['a note removed', (f) => rmSync(join(f.ws, 'more.norg'))],
    ['a note added in a folder below', (f) => writeFileSync(join(f.ws, 'journal', '2026', 'ideas.norg'), '* Ideas\n')],
    ['a note in a folder below edited', (f) => appendFileSync(join(f.ws, 'journal', '2026', 'ideas.norg'), '  - ( ) One\n')],
    ['yesterday’s plan edited (carried over)', (f) => appendFileSync(join(f.ws, 'journal', '2026', '12', '03.norg'), '- ( ) Post the letter\n')],
    ['a task changed in Taskwarrior', (f) => f.sb.task(f.uuid('Phone the plumber'), 'modify', 'priority:H')],
    ['a task added in Taskwarrior', (f) => f.sb.task('add', 'Book the flights', 'due:2026-12-04T12:00:00')],
    [
      'a template for daily plans added',
      (f) => {
        mkdirSync(join(f.ws, '.planager', 'templates'), { recursive: true });
        writeFileSync(join(f.ws, '.planager', 'templates', 'daily.norg'), '* Today\n|planager due\n|end\n');
      },
    ],
    [
      'the plan note’s mirror state rewritten by a sync',
      (f) => {
        const shard = new Store(join(f.ws, '.planager')).shardPath(`journal/2026/12/04.norg`);
        writeFileSync(shard, readFileSync(shard));
      },
    ],
    ['the taskrc edited', (f) => appendFileSync(f.sb.env.TASKRC!, '# a comment\n')],
    ['the plan note edited', (f) => appendFileSync(join(f.ws, 'journal', '2026', '12', '04.norg'), '\nA line of my own.\n')],
  ];
  for (const [what, change] of changes) {
    it(`runs in full after ${what}, and the full run is what is recorded next`, async () => {
      await settle();
      change(f);
      expect(replayed(args, w, NOW)).toBeNull();
      const full = await settle();
      expect(replayed(args, w, NOW)).toEqual({ stdout: full.stdout, stderr: full.stderr ?? '' });
    });
  }

  it('runs in full on another day, before the recorded run, with other words, elsewhere, or in another zone', async () => {
    await settle();
    expect(replayed(args, w, NOW)).not.toBeNull();
    expect(replayed(args, w, new Date(2026, 11, 5, 0, 0))).toBeNull();
    expect(replayed(args, w, new Date(2026, 11, 4, 7, 59))).toBeNull();
    expect(replayed([...args, '--json'], w, NOW)).toBeNull();
    expect(replayed(['plan', 'weekly', ...args.slice(2)], w, NOW)).toBeNull();
    expect(replayed(args, { ...w, cwd: tmpdir() }, NOW)).toBeNull();
    expect(replayed(args, { ...w, env: { ...w.env, TZ: 'Pacific/Kiritimati' } }, NOW)).toBeNull();
    expect(replayed(args, { ...w, env: { ...w.env, TASKDATA: join(f.sb.dir, 'other') } }, NOW)).toBeNull();
    expect(replayed(['plan', 'daily', '--date', DAY, '--workspace', f.ws, '--bogus'], w, NOW)).toBeNull();
  });

  it('a damaged record is no record', async () => {
    await settle();
    writeFileSync(record(f.ws), '{"format":1,"records":[{');
    expect(replayed(args, w, NOW)).toBeNull();
    await settle();
  });
});

describe('plan, replayed until a wait date passes', () => {
  it('records the next wait date to pass, and runs in full from then on', async () => {
    const sb = twSandbox();
    const ws = mkdtempSync(join(tmpdir(), 'planager-replay-'));
    mkdirSync(join(ws, '.planager'));
    sb.task('add', 'Renew the passport', 'wait:2030-06-01T12:00:00');
    sb.task('add', 'Later still', 'wait:2030-06-02T12:00:00');
    const wait = parseTwDate(sb.exportAll().find((t) => t.description === 'Renew the passport')!.wait as string)!.getTime();
    const now = new Date(wait - 2 * 3600_000);
    const day = localDay(now);
    const args = ['plan', 'daily', '--date', day, '--workspace', ws];
    const w = { env: sb.env, cwd: ws };
    const plan = () => recorded(args, (deps) => planCommand('daily', { date: day, workspace: ws }, { ...deps, tw: sb.tw }), w, now);
    expect((await plan()).stdout).toMatch(/created/);
    age(ws, sb.dir);
    const full = await plan();
    expect(full.stdout).toMatch(/unchanged: .*2 waiting/);
    const r = (JSON.parse(readFileSync(record(ws), 'utf8')) as { records: { until: number }[] }).records[0]!;
    expect(r.until).toBe(wait);
    if (localDay(new Date(wait - 1)) === day) expect(replayed(args, w, new Date(wait - 1))).not.toBeNull();
    expect(replayed(args, w, new Date(wait))).toBeNull();
  });
});

describe('not recorded', () => {
  it('a run that had to export (no pending.data, as on Taskwarrior 3.x) is not recorded', async () => {
    const sb = twSandbox();
    const ws = mkdtempSync(join(tmpdir(), 'planager-replay-'));
    mkdirSync(join(ws, '.planager'));
    writeFileSync(join(ws, 'a.norg'), '* A\n  - ( |< Fri 4th Dec 2026 12:00) Something\n');
    const args = ['agenda', '--date', DAY, '--workspace', ws];
    const w = { env: sb.env, cwd: ws };
    for (let i = 0; i < 2; i++) {
      for (const f of ['pending.data', 'completed.data', 'undo.data']) rmSync(join(sb.dir, 'data', f), { force: true });
      age(ws, sb.dir);
      const r = await recorded(args, (deps) => agendaCommand({ date: DAY, workspace: ws }, { ...deps, tw: sb.tw }), w, NOW);
      expect(r.stdout).toContain('Something');
    }
    expect(existsSync(record(ws))).toBe(false);
  });
});

describe('agenda, replayed', () => {
  it('replays what it printed; a note line dated in another zone holds until that zone’s midnight', async () => {
    const f = await fixture();
    // Two hours ahead of local time: its day ends at 22:00 local on the fixture's day.
    const ahead = -NOW.getTimezoneOffset() + 120;
    const zone = `${ahead < 0 ? '-' : '+'}${String(Math.floor(Math.abs(ahead) / 60)).padStart(2, '0')}:${String(Math.abs(ahead) % 60).padStart(2, '0')}`;
    writeFileSync(join(f.ws, 'calls.norg'), `* Calls\n  - ( |< 23:00 ${zone}) Call the far office\n`);
    const args = ['agenda', '--date', DAY, '--workspace', f.ws];
    const w = { env: f.sb.env, cwd: f.ws };
    const agenda = () => recorded(args, (deps) => agendaCommand({ date: DAY, workspace: f.ws }, { ...deps, tw: f.sb.tw }), w, NOW);
    age(f.ws, f.sb.dir);
    const full = await agenda();
    expect(full.stdout).toContain('Call the far office');
    expect(replayed(args, w, NOW)).toEqual({ stdout: full.stdout, stderr: full.stderr ?? '' });
    const midnight = new Date(2026, 11, 4, 22, 0).getTime();
    expect(replayed(args, w, new Date(midnight - 1))).not.toBeNull();
    expect(replayed(args, w, new Date(midnight))).toBeNull();
    // An input changed: a full run.
    f.sb.task(f.uuid('Cut the release'), 'modify', 'due:2026-12-05T12:00:00');
    expect(replayed(args, w, NOW)).toBeNull();
    appendFileSync(join(f.ws, 'calls.norg'), '  - ( |< Fri 4th Dec 2026 15:00) Call the bank again\n');
    age(f.ws, f.sb.dir);
    const again = await agenda();
    expect(again.stdout).toContain('Call the bank again');
    expect(again.stdout).not.toContain('Cut the release');
    expect(replayed(args, w, NOW)).toEqual({ stdout: again.stdout, stderr: again.stderr ?? '' });
  });

  it('keeps no record in a folder no sync has set up', async () => {
    const sb = twSandbox();
    const ws = mkdtempSync(join(tmpdir(), 'planager-replay-'));
    writeFileSync(join(ws, 'a.norg'), '* A\n  - ( |< Fri 4th Dec 2026 12:00) Something\n');
    age(ws, sb.dir);
    const args = ['agenda', '--date', DAY, '--workspace', ws];
    const r = await recorded(args, (deps) => agendaCommand({ date: DAY, workspace: ws }, { ...deps, tw: sb.tw }), { env: sb.env, cwd: ws }, NOW);
    expect(r.stdout).toContain('Something');
    expect(readdirSync(ws)).toEqual(['a.norg']);
  });
});

describe('planager plan and agenda from the shell', () => {
  beforeAll(() => assertBuilt());

  it('answer from the record while nothing changed, and in full once something did', async () => {
    const f = await fixture();
    const run = async (...a: string[]) => {
      const r = await planager([...a, '--date', DAY, '--workspace', f.ws], { cwd: f.ws, env: f.sb.env });
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    expect(await run('plan', 'daily')).toMatch(/created/);
    age(f.ws, f.sb.dir);
    const plan = await run('plan', 'daily');
    const agenda = await run('agenda');
    const mtime = statSync(record(f.ws)).mtimeMs;
    const text = readFileSync(record(f.ws), 'utf8');
    expect(await run('plan', 'daily')).toBe(plan);
    expect(await run('agenda')).toBe(agenda);
    // Replayed: the record was read, not written again.
    expect(statSync(record(f.ws)).mtimeMs).toBe(mtime);
    expect(readFileSync(record(f.ws), 'utf8')).toBe(text);

    f.sb.task('add', 'Feed the cat', 'due:2026-12-04T12:00:00');
    expect(await run('plan', 'daily')).toMatch(/refreshed/);
    expect(await run('agenda')).toContain('Feed the cat');
  });
});
