/**
 * Issue 14: ISO dates are dates, and Taskwarrior's synonyms a user types (`today`, `tomorrow`,
 * `eow`) read as the day they name, written back as that date (they would name another day
 * tomorrow); an ISO line stays ISO when Taskwarrior changes the date. Real task.
 */
import { describe, expect, it } from 'vitest';
import { formatDate, resolveText } from '../../../sync/index.js';
import { setup } from './regress/util.js';

const NOW = new Date(2026, 11, 3, 9, 30); // Thursday 3rd December 2026, 09:30

describe('date forms', () => {
  it('reads ISO days and times, and the synonyms against the clock', () => {
    expect(resolveText('2026-12-05', NOW)).toEqual(new Date(2026, 11, 5));
    expect(resolveText('2026-12-05 14:00', NOW)).toEqual(new Date(2026, 11, 5, 14));
    expect(resolveText('2026-12-05T14:00:30', NOW)).toEqual(new Date(2026, 11, 5, 14, 0, 30));
    expect(resolveText('2026-02-30', NOW)).toBeNull();
    expect(resolveText('today', NOW)).toEqual(new Date(2026, 11, 3));
    expect(resolveText('tomorrow', NOW)).toEqual(new Date(2026, 11, 4));
    expect(resolveText('eow', NOW)).toEqual(new Date(2026, 11, 6, 23, 59, 59));
    expect(resolveText('eom', NOW)).toEqual(new Date(2026, 11, 31, 23, 59, 59));
    expect(formatDate(new Date(2026, 11, 7), '2026-12-05', NOW)).toBe('2026-12-07');
    expect(formatDate(new Date(2026, 11, 7, 9, 15), '2026-12-05', NOW)).toBe('2026-12-07 09:15');
  });

  it('in a note: an ISO date reaches Taskwarrior and a change comes back ISO; tomorrow becomes its date', async () => {
    const env = setup({ 'a.norg': '* One\n  - ( |< 2026-12-05) apple\n  - ( |< tomorrow) bread\n' });
    const r = await env.run({ now: () => NOW });
    expect(r.code).toBe(0);
    expect(r.warnings).toEqual([]);
    const due = (d: string) => new Date(env.tw(d).due!.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z')).getTime();
    expect(due('apple')).toBe(new Date(2026, 11, 5).getTime());
    expect(due('bread')).toBe(new Date(2026, 11, 4).getTime());
    // `tomorrow` was replaced by the day it named; the ISO line kept its text.
    expect(env.read('a.norg')).toMatch(/- \( \|< 2026-12-05\) apple %#/);
    expect(env.read('a.norg')).toMatch(/- \( \|< Fri 4th Dec 2026\) bread %#/);
    // A day later nothing moves.
    expect((await env.run({ now: () => new Date(2026, 11, 4, 9) })).changed).toBe(false);
    expect(due('bread')).toBe(new Date(2026, 11, 4).getTime());
    // Taskwarrior moves the ISO task: the line says it the ISO way.
    env.sb.task(env.tw('apple').uuid, 'modify', 'due:2026-12-09T14:30:00');
    expect((await env.run({ now: () => NOW })).code).toBe(0);
    expect(env.read('a.norg')).toMatch(/- \( \|< 2026-12-09 14:30\) apple %#/);
  });

  it('a date it cannot read is warned about with the forms it reads', async () => {
    const env = setup({ 'a.norg': '* One\n  - ( |< someday) apple\n' });
    const r = await env.run({ now: () => NOW });
    expect(r.warnings.join('\n')).toMatch(/cannot read the date "someday".*2026-12-04.*tomorrow/);
  });
});
