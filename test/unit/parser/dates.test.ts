import { describe, expect, it } from 'vitest';
import { parseDate } from '../../../parser/index.js';

const ok = (text: string) => {
  const r = parseDate(text);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('parseDate', () => {
  it('reads the spec example', () => {
    expect(ok('Tue 5th Feb 2024 10:00 CET')).toEqual({ start: { weekday: 1, day: 5, month: 2, year: 2024, time: { hour: 10, minute: 0 }, timezone: 'CET' } });
  });
  it('reads parts alone and in other orders', () => {
    expect(ok('Sun').start).toEqual({ weekday: 6 });
    expect(ok('2021').start).toEqual({ year: 2021 });
    expect(ok('1 May').start).toEqual({ day: 1, month: 5 });
    expect(ok('2nd February').start).toEqual({ day: 2, month: 2 });
    expect(ok('Sun, 1 May 2022 22:21 CEST').start).toEqual({ weekday: 6, day: 1, month: 5, year: 2022, time: { hour: 22, minute: 21 }, timezone: 'CEST' });
    expect(ok('Fri 27th Nov').start).toEqual({ weekday: 4, day: 27, month: 11 });
    expect(ok('12:30:15.250 +01:00').start).toEqual({ time: { hour: 12, minute: 30, second: 15, fraction: '250' }, timezone: '+01:00' });
  });
  it('takes unambiguous prefixes and refuses ambiguous ones', () => {
    expect(ok('Th').start).toEqual({ weekday: 3 });
    expect(ok('Sept').start).toEqual({ month: 9 });
    expect(ok('F 3 F').start).toEqual({ weekday: 4, day: 3, month: 2 }); // Friday first, February after
    expect(parseDate('Ju').ok).toBe(false);
    expect(parseDate('T').ok).toBe(false);
  });
  it('reads ranges', () => {
    expect(ok('Mon - Fri')).toEqual({ start: { weekday: 0 }, end: { weekday: 4 } });
    expect(ok('5th Feb 10:00 - 12:00')).toEqual({ start: { day: 5, month: 2, time: { hour: 10, minute: 0 } }, end: { time: { hour: 12, minute: 0 } } });
  });
  it('gives an error value, never an exception, for nonsense', () => {
    for (const bad of ['', 'tomorrow-ish', '32nd', '25:00', 'Mon - Tue - Wed', '2024 2025']) {
      const r = parseDate(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
    }
  });
});
