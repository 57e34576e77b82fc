/**
 * The quiet minute of `planager remind` (cli/quiet.ts), through the built command as a timer
 * runs it: a run with nothing due after a full one answers from its record (the record is not
 * rewritten: the rest of the CLI did not run), and every change that could make something due
 * is seen: a `task add` due within the lead, a schedule block written in the day's plan, the
 * clock reaching the next reminder, another flag, the next day.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { twSandbox } from '../../helpers/tw.js';
import { assertBuilt, CLI, planager } from './run.js';

beforeAll(() => assertBuilt());

describe('planager remind, quiet minutes', () => {
  it('answers from its record only while nothing it read changed and no reminder fell due', async () => {
    const sb = twSandbox();
    const ws = mkdtempSync(join(tmpdir(), 'planager-quiet-'));
    mkdirSync(join(ws, '.planager'));
    const record = join(ws, '.planager', 'reminders.json');
    const remind = async (now: string, ...more: string[]) => {
      const r = await planager(['remind', '--workspace', ws, '--now', now, ...more], { cwd: ws, env: sb.env });
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.trim();
    };
    const untouched = async (now: string, ...more: string[]) => {
      const before = readFileSync(record, 'utf8');
      const mtime = statSync(record).mtimeMs;
      expect(await remind(now, ...more)).toBe('');
      expect(readFileSync(record, 'utf8')).toBe(before);
      expect(statSync(record).mtimeMs).toBe(mtime);
    };
    sb.task('add', 'water the plants', 'due:2026-12-06T18:00:00');
    expect(await remind('2026-12-06T09:00:00')).toBe('');
    const q = JSON.parse(readFileSync(record, 'utf8')).quiet;
    expect(new Date(q.until).getTime()).toBe(new Date('2026-12-06T17:45:00').getTime());
    await untouched('2026-12-06T09:01:00');
    await untouched('2026-12-06T17:44:00');

    // A task due within the lead: Taskwarrior's files changed, the run is a full one.
    sb.task('add', 'call the bank', 'due:2026-12-06T09:10:00');
    expect(await remind('2026-12-06T09:02:00')).toMatch(/Due 09:10: call the bank/);
    await untouched('2026-12-06T09:03:00');

    // A block in the day's plan note.
    mkdirSync(join(ws, 'journal', '2026', '12'), { recursive: true });
    writeFileSync(join(ws, 'journal', '2026', '12', '06.norg'), '* Schedule\n|planager schedule\n- 09:00-09:30 Inbox zero\n|end\n');
    expect(await remind('2026-12-06T09:04:00')).toMatch(/Now: Inbox zero/);
    await untouched('2026-12-06T09:05:00');

    // Another flag is another record; the clock at the next reminder sends it.
    expect(await remind('2026-12-06T09:06:00', '--lead', '5m')).toBe('');
    expect(await remind('2026-12-06T09:30:00', '--lead', '5m')).toMatch(/Done\? Inbox zero/);
    expect(await remind('2026-12-06T17:56:00', '--lead', '5m')).toMatch(/water the plants/);
    // The next day reads the next day's note.
    mkdirSync(join(ws, 'journal', '2026', '12'), { recursive: true });
    writeFileSync(join(ws, 'journal', '2026', '12', '07.norg'), '* Schedule\n|planager schedule\n- 00:01-00:30 Sleep\n|end\n');
    expect(await remind('2026-12-07T00:02:00', '--lead', '5m')).toMatch(/Now: Sleep/);
  });
});

describe('planager remind --watch', () => {
  it('keeps running, sends a reminder the minute it falls due, and stops on SIGTERM with exit 0', async () => {
    const sb = twSandbox();
    const ws = mkdtempSync(join(tmpdir(), 'planager-watch-'));
    mkdirSync(join(ws, '.planager'));
    // A "minute" of 200 ms: each tick is a full run on the real clock.
    const child = spawn(process.execPath, [CLI, 'remind', '--watch', '--workspace', ws], {
      cwd: ws,
      env: { ...sb.env, NODE_PATH: '', PLANAGER_REMIND_EVERY_MS: '200' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 100 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 100));
      return out;
    };
    await new Promise((r) => setTimeout(r, 500));
    expect(out).toBe('');
    // Due in five minutes, inside the 15-minute lead: the next tick sends it, once.
    const d = new Date(Date.now() + 5 * 60_000);
    const p2 = (n: number) => String(n).padStart(2, '0');
    const local = `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:00`;
    sb.task('add', 'feed the cat', `due:${local}`);
    expect(await waitFor(/feed the cat/), err).toMatch(/feed the cat/);
    await new Promise((r) => setTimeout(r, 700));
    expect(out.match(/feed the cat/g)).toHaveLength(1);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(err).toBe('');
  }, 20_000);

  it('refuses at once what no minute can mend', async () => {
    const sb = twSandbox();
    const r = await planager(['remind', '--watch', '--workspace', join(tmpdir(), 'no-such-planager-ws')], { cwd: tmpdir(), env: sb.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/planager remind: .*no-such-planager-ws/);
    const n = await planager(['remind', '--watch', '--now', '2026-12-06T09:00:00'], { cwd: tmpdir(), env: sb.env });
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/--watch runs on the clock/);
  });
});
