import { describe, expect, it } from 'vitest';
import { editHome, parseUserDate } from '../../../rplugin/taskedit.js';

const NOW = new Date(2026, 11, 4, 8, 0, 0);
const LINES = ['* Release', '  - ( |< Wed 2nd Dec 2026 12:00) Pay the invoice %#4e7d8aca%', '  - (x) Freeze the features %#99accb00%'];

/** The lines after applying edits (0-based rows, byte columns; ASCII here), last first as sent. */
function apply(lines: string[], edits: [number, number, number, number, string[]][]): string[] {
  const out = [...lines];
  for (const [sr, sc, er, ec, repl] of edits) {
    const head = out[sr].slice(0, sc);
    const tail = out[er].slice(ec);
    const mid = [...repl];
    mid[0] = head + mid[0];
    mid[mid.length - 1] += tail;
    out.splice(sr, er - sr + 1, ...mid);
  }
  return out;
}

describe('the agenda’s edits of a home line', () => {
  it('reads the date forms of the notes and YYYY-MM-DD (a day of the calendar)', () => {
    expect(parseUserDate('2026-12-11', NOW)).toEqual(new Date(2026, 11, 11));
    expect(parseUserDate('Fri 11th Dec 2026 12:00', NOW)).toEqual(new Date(2026, 11, 11, 12));
    expect(parseUserDate('2026-02-30', NOW)).toBeNull();
    expect(parseUserDate('soon', NOW)).toBeNull();
  });

  it('toggles done both ways and sets the due date in the line’s own style, changing only those bytes', () => {
    const want = { uuid: '4e7d8aca-0000-4000-8000-000000000000', description: 'Pay the invoice' };
    const done = editHome(LINES, 2, { op: 'toggle' }, want, NOW);
    expect(done.ok && apply(LINES, done.edits)[1]).toBe('  - (x|< Wed 2nd Dec 2026 12:00) Pay the invoice %#4e7d8aca%');
    const undone = editHome(LINES, 3, { op: 'toggle' }, { description: 'Freeze the features', uuid: '99accb00-0000-4000-8000-000000000000' }, NOW);
    expect(undone.ok && apply(LINES, undone.edits)[2]).toBe('  - ( ) Freeze the features %#99accb00%');
    const due = editHome(LINES, 2, { op: 'due', text: 'Fri 11th Dec 2026 12:00' }, want, NOW);
    expect(due.ok && apply(LINES, due.edits)[1]).toBe('  - ( |< Fri 11th Dec 2026 12:00) Pay the invoice %#4e7d8aca%');
  });

  it('refuses when the line holds another task now, or the date is not one', () => {
    const other = editHome(LINES, 2, { op: 'toggle' }, { uuid: '99accb00-0000-4000-8000-000000000000', description: 'Freeze the features' }, NOW);
    expect(other).toEqual({ ok: false, message: 'line 2 no longer holds "Freeze the features"; refresh the agenda (r)' });
    const bad = editHome(LINES, 2, { op: 'due', text: 'soon' }, { description: 'Pay the invoice' }, NOW);
    expect(bad.ok).toBe(false);
  });
});
