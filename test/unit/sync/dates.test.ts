import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDate, matchesText, resolveText } from '../../../sync/dates.js';

// Tests run with TZ=UTC unless the machine says otherwise; the laws hold in any zone.
const ref = new Date(2026, 10, 22, 9, 30); // Sun 22nd Nov 2026, local

describe('norg dates ↔ absolute times', () => {
  it('resolves partial dates to the first match on or after the reference day', () => {
    expect(resolveText('Fri 27th Nov', ref)).toEqual(new Date(2026, 10, 27));
    expect(resolveText('Mon', ref)).toEqual(new Date(2026, 10, 23));
    expect(resolveText('Sun', ref)).toEqual(new Date(2026, 10, 22));
    expect(resolveText('1 May', ref)).toEqual(new Date(2027, 4, 1));
    expect(resolveText('5th Feb 2024 10:00', ref)).toEqual(new Date(2024, 1, 5, 10, 0));
    expect(resolveText('Mon 5th Feb 2024 10:00 UTC', ref)).toEqual(new Date(Date.UTC(2024, 1, 5, 10)));
    expect(resolveText('Fri 28th Nov 2026', ref)).toBeNull(); // the 28th is a Saturday
    expect(resolveText('nonsense', ref)).toBeNull();
  });

  it('keeps the style the line uses', () => {
    expect(formatDate(new Date(2026, 11, 4), 'Fri 27th Nov', ref)).toBe('Fri 4th Dec');
    expect(formatDate(new Date(2026, 10, 25), 'Mon', ref)).toBe('Wed');
    expect(formatDate(new Date(2026, 11, 25), 'Mon', ref)).toBe('Fri 25th Dec');
    expect(formatDate(new Date(2027, 0, 3), '1 May', ref)).toBe('3 Jan 2027');
    expect(formatDate(new Date(2026, 10, 30, 14, 5), 'Monday, 2 November 2026', ref)).toBe('Monday, 30 November 2026 14:05');
    expect(formatDate(new Date(2026, 10, 30), null, ref)).toBe('Mon 30th Nov 2026');
  });

  it('what it writes always names the time it was given, whatever the old style', () => {
    const like = fc.constantFrom(
      null,
      'Mon',
      'Fri 27th Nov',
      '1 May',
      '2021',
      'Sun, 1 May 2022 22:21',
      '10:00',
      'Tuesday',
      '5th',
      'February',
      '2nd Feb 2024 10:00:30',
      'Thu 4th Dec 09:00 UTC',
    );
    fc.assert(
      fc.property(fc.date({ min: new Date(2000, 0, 1), max: new Date(2060, 0, 1), noInvalidDate: true }), like, (d0, l) => {
        const d = new Date(Math.floor(d0.getTime() / 1000) * 1000);
        const text = formatDate(d, l, ref);
        expect(matchesText(text, d), `${text} for ${d.toISOString()} (like ${l})`).toBe(true);
      }),
    );
  });
});
