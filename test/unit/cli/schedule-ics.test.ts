/**
 * `planager schedule --ics FILE` (issue 16): the day's blocks as an iCalendar file, parsed back
 * with ical.js (one VEVENT per block, a VALARM each, stable UIDs), and RFC 5545's rules checked
 * byte for byte: CRLF, lines folded at 75 octets, text escaped.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { scheduleCommand } from '../../../cli/schedule.js';
import { escapeText, fold, scheduleIcs } from '../../../plan/remind/ics.js';
import { sync } from '../../../sync/index.js';
import { twSandbox } from '../../helpers/tw.js';

describe('the schedule as iCalendar', () => {
  it('holds every block with its alarm; a re-export keeps the UIDs', async () => {
    const sb = twSandbox();
    const ws = mkdtempSync(join(tmpdir(), 'planager-ics-'));
    writeFileSync(join(ws, 'work.norg'), '* Release\n  - ( |< 2026-12-04) Cut the release, v2; quickly\n  - (-) Review the pull request\n');
    expect((await sync({ workspace: ws, tw: sb.tw, now: () => new Date(2026, 11, 3) })).code).toBe(0);
    const file = join(ws, 'day.ics');
    const r = await scheduleCommand({ workspace: ws, date: '2026-12-04', ics: file }, { tw: sb.tw, now: new Date(2026, 11, 4, 7) });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect(text).toContain('SUMMARY:Cut the release\\, v2\\; quickly');
    const cal = new ICAL.Component(ICAL.parse(text));
    const events = cal.getAllSubcomponents('vevent');
    expect(events.length).toBe(2);
    const e = new ICAL.Event(events.find((x) => String(x.getFirstPropertyValue('summary')).startsWith('Cut'))!);
    expect(e.summary).toBe('Cut the release, v2; quickly');
    expect(e.startDate.toJSDate().getTime()).toBeLessThan(e.endDate.toJSDate().getTime());
    expect(events.every((x) => x.getAllSubcomponents('valarm').length === 1)).toBe(true);
    const uids = events.map((x) => x.getFirstPropertyValue('uid'));
    const again = await scheduleCommand({ workspace: ws, date: '2026-12-04', ics: file }, { tw: sb.tw, now: new Date(2026, 11, 4, 7) });
    expect(again.code).toBe(0);
    const cal2 = new ICAL.Component(ICAL.parse(readFileSync(file, 'utf8')));
    expect(cal2.getAllSubcomponents('vevent').map((x) => x.getFirstPropertyValue('uid'))).toEqual(uids);
  });

  it('folds long and multi-byte lines and escapes text as RFC 5545 says', () => {
    expect(escapeText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
    const long = `SUMMARY:${'é'.repeat(60)}`;
    const folded = fold(long);
    expect(folded.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect(folded.replace(/\r\n /g, '')).toBe(long);
    const ics = scheduleIcs(
      [{ start: new Date(Date.UTC(2026, 11, 4, 9)), end: new Date(Date.UTC(2026, 11, 4, 10)), text: `x ${'ü'.repeat(80)}`, uid: 'u1@planager' }],
      new Date(Date.UTC(2026, 11, 4)),
    );
    const ev = new ICAL.Event(new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!);
    expect(ev.summary).toBe(`x ${'ü'.repeat(80)}`);
    expect(ev.startDate.toString()).toBe('2026-12-04T09:00:00Z');
  });
});
