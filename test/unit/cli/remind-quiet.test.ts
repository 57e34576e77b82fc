/**
 * The quiet minute of `planager remind` (cli/quiet.ts), through the built command as a timer
 * runs it: a run with nothing due after a full one answers from its record (the record is not
 * rewritten: the rest of the CLI did not run), and every change that could make something due
 * is seen: a `task add` due within the lead, a schedule block written in the day's plan, the
 * clock reaching the next reminder, another flag, the next day.
 */
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { twSandbox } from '../../helpers/tw.js';
import { assertBuilt, planager } from './run.js';

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
