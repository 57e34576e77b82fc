/**
 * Laws of the schedule over generated days (fast-check, fixed seed): no two blocks overlap;
 * nothing placed outside the working hours or over a break, a fixed event or a pinned block;
 * a task never before one it depends on; every candidate placed or listed with a reason; the
 * same input, the same output (whatever order the candidates come in).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { place, type Candidate, type ScheduleInput, type Span } from '../../../plan/schedule/index.js';

const SEED = 20261216;

const spanArb = (lo: number, hi: number, maxLen: number): fc.Arbitrary<Span> =>
  fc.tuple(fc.integer({ min: lo, max: hi - 5 }), fc.integer({ min: 5, max: maxLen })).map(([s, l]) => ({ start: s, end: Math.min(hi, s + l) }));

/** Spans kept only where they overlap none kept before (fixed events and pinned blocks the user laid out). */
function disjoint<T extends Span>(xs: T[]): T[] {
  const out: T[] = [];
  for (const x of xs) if (!out.some((o) => o.start < x.end && x.start < o.end)) out.push(x);
  return out;
}

const candidateArb = (n: number) =>
  fc.array(
    fc.record({
      minutes: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 5, max: 240 }) }, { weight: 1, arbitrary: fc.constant(null) }),
      due: fc.option(
        fc.integer({ min: -5, max: 5 }).map((d) => new Date(2026, 11, 4 + d, 12)),
        { nil: null },
      ),
      priority: fc.constantFrom(null, 'A', 'B', 'C', 'later'),
      urgent: fc.boolean(),
      entry: fc.option(
        fc.integer({ min: 1, max: 60 }).map((d) => new Date(2026, 10, d, 9)),
        { nil: null },
      ),
      earliest: fc.option(fc.integer({ min: 6 * 60, max: 18 * 60 }), { nil: null }),
      deps: fc.array(fc.nat(n + 2), { maxLength: 3 }),
      blocked: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant('blocked by an open task') }),
    }),
    { maxLength: n },
  );

const dayArb: fc.Arbitrary<ScheduleInput> = fc
  .record({
    start: fc.integer({ min: 6 * 4, max: 10 * 4 }).map((q) => q * 15),
    len: fc.integer({ min: 4 * 4, max: 11 * 4 }).map((q) => q * 15),
    breaks: fc.array(spanArb(6 * 60, 21 * 60, 90), { maxLength: 2 }),
    fixed: fc.array(spanArb(6 * 60, 21 * 60, 120), { maxLength: 3 }),
    pinned: fc.array(spanArb(6 * 60, 21 * 60, 120), { maxLength: 2 }),
    raw: candidateArb(25),
    pinDeps: fc.array(fc.nat(25), { maxLength: 3 }),
  })
  .map(({ start, len, breaks, fixed, pinned, raw, pinDeps }) => {
    const busy = disjoint([...fixed.map((f) => ({ ...f, fixed: true })), ...pinned.map((p) => ({ ...p, fixed: false }))]);
    const uuid = (i: number) => `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;
    const pinnedTasks = busy
      .filter((b) => !b.fixed)
      .map((b, i) => ({ start: b.start, end: b.end, uuid: `p${i}`, id: `p${i}`, description: `Pinned ${i}`, raw: '', after: [] as string[] }));
    // The first pinned block's task depends on some candidates (those must end before it).
    if (pinnedTasks[0]) pinnedTasks[0].after = pinDeps.filter((d) => d < raw.length).map((d) => uuid(d));
    const candidates: Candidate[] = raw.map((c, i) => ({
      uuid: uuid(i),
      id: uuid(i).slice(0, 8),
      description: `Task ${i}`,
      minutes: c.minutes,
      estimateText: c.minutes === null ? 'no readable estimate' : `${c.minutes}m`,
      due: c.due,
      priority: c.priority,
      urgent: c.urgent,
      entry: c.entry,
      earliest: c.earliest === null ? null : { at: c.earliest, why: 'its scheduled time' },
      // Dependencies on other candidates (cycles possible), on pinned blocks, or on nothing known.
      after: c.deps.map((d) => (d < raw.length ? uuid(d) : d === raw.length && pinnedTasks[0] ? pinnedTasks[0].uuid : uuid(d))).filter((u) => u !== uuid(i)),
      blocked: c.blocked,
    }));
    return {
      frame: { hours: { start, end: Math.min(24 * 60, start + len) }, breaks, defaultEstimate: 30 },
      fixed: busy.filter((b) => b.fixed).map((b, i) => ({ start: b.start, end: b.end, description: `Event ${i}` })),
      pinned: pinnedTasks,
      candidates,
    };
  });

const overlap = (a: Span, b: Span) => a.start < b.end && b.start < a.end;
const run = { seed: SEED, numRuns: 300 };

describe('the schedule over generated days', () => {
  it('no two blocks overlap', () => {
    fc.assert(
      fc.property(dayArb, (input) => {
        const { blocks } = place(input);
        for (let i = 0; i < blocks.length; i++) for (let j = i + 1; j < blocks.length; j++) expect(overlap(blocks[i], blocks[j]), `${i} ${j}`).toBe(false);
      }),
      run,
    );
  });

  it('nothing is placed outside the working hours, over a break, a fixed event or a pinned block', () => {
    fc.assert(
      fc.property(dayArb, (input) => {
        const { hours, breaks } = input.frame;
        for (const b of place(input).blocks.filter((x) => !x.fixed && !x.pinned)) {
          expect(b.start).toBeGreaterThanOrEqual(hours.start);
          expect(b.end).toBeLessThanOrEqual(hours.end);
          expect(b.end).toBeGreaterThan(b.start);
          for (const busy of [...breaks, ...input.fixed, ...input.pinned]) expect(overlap(b, busy)).toBe(false);
        }
      }),
      { ...run, seed: SEED + 1 },
    );
  });

  it('a task is never placed before a task it depends on (or at all when that one is not placed), nor before its earliest start', () => {
    fc.assert(
      fc.property(dayArb, (input) => {
        const p = place(input);
        const at = new Map(p.blocks.filter((b) => b.uuid).map((b) => [b.uuid!, b]));
        const unplaced = new Set(p.unplaced.map((u) => u.uuid));
        for (const c of input.candidates) {
          const b = at.get(c.uuid);
          if (!b) continue;
          if (c.earliest) expect(b.start).toBeGreaterThanOrEqual(c.earliest.at);
          for (const d of c.after) {
            const db = at.get(d);
            if (db) expect(db.end, `${c.description} after ${d}`).toBeLessThanOrEqual(b.start);
            expect(unplaced.has(d)).toBe(false);
          }
        }
        for (const pin of input.pinned)
          for (const d of pin.after ?? []) {
            const db = at.get(d);
            if (db) expect(db.end, `${d} before ${pin.description}`).toBeLessThanOrEqual(pin.start);
          }
      }),
      { ...run, seed: SEED + 2 },
    );
  });

  it('every candidate is either placed once or listed as not fitting, with a reason', () => {
    fc.assert(
      fc.property(dayArb, (input) => {
        const p = place(input);
        const placed = p.blocks.filter((b) => !b.fixed && !b.pinned).map((b) => b.uuid!);
        const unplaced = p.unplaced.map((u) => u.uuid);
        expect(new Set(placed).size).toBe(placed.length);
        expect([...placed, ...unplaced].sort()).toEqual(input.candidates.map((c) => c.uuid).sort());
        for (const u of p.unplaced) expect(u.reason.length).toBeGreaterThan(0);
        for (const c of input.candidates.filter((x) => x.blocked)) expect(p.unplaced.find((u) => u.uuid === c.uuid)?.reason).toBe(c.blocked);
        expect(p.blocks.filter((b) => b.fixed)).toHaveLength(input.fixed.length);
        expect(p.blocks.filter((b) => b.pinned)).toHaveLength(input.pinned.length);
      }),
      { ...run, seed: SEED + 3 },
    );
  });

  it('the same input gives the same output, whatever order the candidates come in', () => {
    fc.assert(
      fc.property(
        dayArb.chain((input) => fc.tuple(fc.constant(input), fc.shuffledSubarray(input.candidates, { minLength: input.candidates.length }))),
        ([input, shuffled]) => {
          const a = place(input);
          expect(place(input)).toEqual(a);
          expect(place({ ...input, candidates: shuffled })).toEqual(a);
        },
      ),
      { ...run, seed: SEED + 4 },
    );
  });
});
