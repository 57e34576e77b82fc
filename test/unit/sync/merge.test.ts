/**
 * The merge rule's laws, in memory (sync/merge.ts is pure: no `task`, no clock).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELD_NAMES, sameValue, type Fields } from '../../../sync/mapping.js';
import { mergeTask, newerSide, type Direction, type MergeRules } from '../../../sync/merge.js';
import { noteView } from '../../../sync/noteview.js';

const statuses = ['undone', 'pending', 'done', 'cancelled', 'onhold', 'urgent'] as const;
const uuid = fc.constantFrom('a1', 'b2', 'c3', 'd4');
const projects = fc.constantFrom(null, 'home', 'home.garden', 'work', 'nohome');
const desc = fc.oneof(
  fc.constantFrom('Plant tulips', 'Fix the fence', '  padded  ', 'two\nlines', 'has %#deadbeef% in it', 'crlf\r\nend'),
  fc.string({ maxLength: 12 }),
);
const date = fc.constantFrom(null, '2026-12-01T00:00:00.000Z', '2027-01-15T00:00:00.000Z');

const fields: fc.Arbitrary<Fields> = fc.record({
  description: desc,
  status: fc.constantFrom(...statuses),
  priority: fc.constantFrom(null, 'H', 'M', 'L'),
  due: date,
  scheduled: date,
  tags: fc.uniqueArray(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 }).map((t) => t.sort()),
  project: projects,
  depends: fc.uniqueArray(uuid, { maxLength: 3 }).map((d) => d.sort()),
  recurrence: fc.constantFrom(null, '1w'),
});

/** A version of `base` with some fields taken from `other`: an edit of those fields. */
const edited = (base: Fields, other: Fields, pick: boolean[]): Fields => {
  const out = { ...base } as Record<string, unknown>;
  FIELD_NAMES.forEach((f, i) => {
    if (pick[i]) out[f] = other[f];
  });
  return out as unknown as Fields;
};
const picks = fc.array(fc.boolean(), { minLength: FIELD_NAMES.length, maxLength: FIELD_NAMES.length });
const dir = fc.constantFrom<Direction>('both', 'pull', 'push');
const rules = (direction: Direction): MergeRules => ({ direction, hasHome: (p) => p !== 'nohome', view: noteView });
/** What a note line can show of a Taskwarrior version (the description as a line reads it). */
const shown = (f: Fields): Fields => ({ ...f, description: noteView('description', f.description) as string });
const time = fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 });

describe('merge (pure)', () => {
  it('a change on one side only is taken, and nothing is a conflict', () => {
    fc.assert(
      fc.property(fields, fields, picks, fc.boolean(), time, time, (base, other, pick, noteSide, nt, tt) => {
        const changed = edited(base, other, pick);
        const note = noteSide ? shown(changed) : shown(base);
        const tw = noteSide ? base : changed;
        const r = mergeTask({ note, base, tw, noteTime: nt, twTime: tt }, rules('both'));
        expect(r.conflicts).toEqual([]);
        for (const f of FIELD_NAMES) {
          if (f === 'depends') continue;
          if (noteSide) {
            // The line's edit goes to Taskwarrior; a field the line still shows as it was stays.
            const untouched = sameValue(note[f], noteView(f, base[f]));
            expect(sameValue(r.forTw[f], untouched ? base[f] : note[f])).toBe(true);
            expect(sameValue(r.merged[f], note[f])).toBe(true);
          } else {
            expect(sameValue(r.forTw[f], tw[f])).toBe(true);
            // A project no heading holds stays in Taskwarrior only, and the line where it is.
            const keepsLine = sameValue(note[f], noteView(f, tw[f])) || (f === 'project' && tw.project === 'nohome');
            expect(sameValue(r.merged[f], keepsLine ? note[f] : tw[f])).toBe(true);
          }
        }
      }),
    );
  });

  it('merging twice changes nothing: the second merge of its own result sends nothing either way', () => {
    fc.assert(
      fc.property(fields, fields, fields, picks, picks, time, time, (base, a, b, pa, pb, nt, tt) => {
        const note = shown(edited(base, a, pa));
        const tw = edited(base, b, pb);
        const r = mergeTask({ note, base, tw, noteTime: nt, twTime: tt }, rules('both'));
        const again = mergeTask({ note: r.merged, base: r.newBase, tw: r.forTw, noteTime: nt, twTime: tt }, rules('both'));
        expect(again.conflicts).toEqual([]);
        for (const f of FIELD_NAMES) {
          expect(sameValue(again.merged[f], r.merged[f])).toBe(true);
          expect(sameValue(again.forTw[f], r.forTw[f])).toBe(true);
        }
      }),
    );
  });

  it('a true conflict keeps the newer side (whole seconds; a tie goes to Taskwarrior) and reports the other value', () => {
    fc.assert(
      fc.property(fields, fields, fields, time, time, (base, a, b, nt, tt) => {
        const note = shown(a);
        const r = mergeTask({ note, base, tw: b, noteTime: nt, twTime: tt }, rules('both'));
        for (const c of r.conflicts) {
          expect(c.winner).toBe(newerSide(nt, tt));
          expect(c.winner).toBe(Math.floor(nt / 1000) > Math.floor(tt / 1000) ? 'note' : 'taskwarrior');
          const f = c.field;
          // Both sides really changed, to different values.
          expect(sameValue(note[f], noteView(f, base[f]))).toBe(false);
          expect(sameValue(b[f], base[f])).toBe(false);
          expect(sameValue(note[f], noteView(f, b[f]))).toBe(false);
          if (f === 'project' && c.winner === 'taskwarrior' && b.project === 'nohome') continue;
          const kept = c.winner === 'note' ? note[f] : b[f];
          expect(sameValue(r.forTw[f], kept)).toBe(true);
        }
      }),
    );
  });

  it('what the note cannot show passes through: a description it shows altered, and dependencies it never expressed', () => {
    fc.assert(
      fc.property(fields, fc.uniqueArray(uuid, { maxLength: 3 }), dir, time, time, (tw, extra, d, nt, tt) => {
        const base: Fields = { ...tw, depends: [] };
        const note = shown({ ...tw, depends: [] });
        const twv: Fields = { ...tw, depends: [...new Set([...tw.depends, ...extra])].sort() };
        const r = mergeTask({ note, base, tw: twv, noteTime: nt, twTime: tt }, rules(d));
        expect(r.forTw.description).toBe(tw.description);
        for (const u of twv.depends) expect(r.forTw.depends).toContain(u);
        expect(r.conflicts).toEqual([]);
      }),
    );
  });

  it('a one-direction sync never writes the other direction’s winner and keeps the base for it', () => {
    fc.assert(
      fc.property(fields, fields, fields, picks, picks, fc.constantFrom<Direction>('pull', 'push'), time, time, (base, a, b, pa, pb, d, nt, tt) => {
        const note = shown(edited(base, a, pa));
        const tw = edited(base, b, pb);
        const r = mergeTask({ note, base, tw, noteTime: nt, twTime: tt }, rules(d));
        for (const f of FIELD_NAMES) {
          if (f === 'depends') continue;
          // A pull never changes Taskwarrior; a push never changes the note.
          if (d === 'pull') expect(sameValue(r.forTw[f], tw[f])).toBe(true);
          else expect(sameValue(r.merged[f], note[f])).toBe(true);
        }
        // Whatever was left for later is still unseen: the next sync the other way sends it.
        const other = mergeTask({ note: r.merged, base: r.newBase, tw: r.forTw, noteTime: nt, twTime: tt }, rules('both'));
        for (const f of FIELD_NAMES) {
          if (f === 'depends' || (f === 'project' && (note.project === 'nohome' || tw.project === 'nohome'))) continue;
          const noteWon = !sameValue(note[f], noteView(f, base[f])) && (sameValue(tw[f], base[f]) || newerSide(nt, tt) === 'note');
          const twWon = !sameValue(tw[f], base[f]) && (sameValue(note[f], noteView(f, base[f])) || newerSide(nt, tt) === 'taskwarrior');
          if (d === 'pull' && noteWon && !sameValue(note[f], noteView(f, tw[f]))) expect(sameValue(other.forTw[f], note[f])).toBe(true);
          if (d === 'push' && twWon && !sameValue(note[f], noteView(f, tw[f])))
            expect(sameValue(other.merged[f], noteView(f, tw[f])) || sameValue(other.merged[f], tw[f])).toBe(true);
        }
      }),
    );
  });

  it('a new task (no Taskwarrior version) is the note, as it is', () => {
    fc.assert(
      fc.property(fields, dir, (note, d) => {
        const r = mergeTask({ note, base: null, tw: null, noteTime: 0, twTime: 0 }, rules(d));
        expect(r.merged).toEqual(note);
        expect(r.forTw).toEqual(note);
        expect(r.conflicts).toEqual([]);
      }),
    );
  });

  it("a due a note removes from a task that recurs in Taskwarrior is held: Taskwarrior's stays on both sides (round5-a1)", () => {
    fc.assert(
      fc.property(fields, fc.boolean(), dir, time, time, (f, twChanged, d, nt, tt) => {
        const due = '2030-01-01T00:00:00.000Z';
        const base = { ...f, due };
        const tw = { ...base, due: twChanged ? '2030-02-01T00:00:00.000Z' : due };
        const r = mergeTask({ note: { ...base, due: null }, base, tw, noteTime: nt, twTime: tt, twNeedsDue: true }, rules(d));
        expect(r.forTw.due).toBe(tw.due);
        if (d !== 'push') expect([r.merged.due, r.newBase.due]).toEqual([tw.due, tw.due]);
        expect(r.conflicts.every((c) => c.field !== 'due' || c.winner === 'taskwarrior')).toBe(true);
        // Held only where the note's removal would have won.
        const noteWon = !twChanged || newerSide(nt, tt) === 'note';
        expect(r.held.map((h) => h.field)).toEqual(noteWon ? ['due'] : []);
      }),
    );
  });
});
