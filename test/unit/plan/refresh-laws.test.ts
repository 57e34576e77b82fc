/**
 * Laws of the refresh, over random tasks and random lines of the user's: refreshing twice is
 * refreshing once, byte for byte; every line the user wrote, inside a generated section or
 * not, is still there, in order; mirrors are never tasks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractObjects } from '../../../graph/index.js';
import { extractTasks, parse, type TaskStatus } from '../../../parser/index.js';
import { BUILTIN_TEMPLATES, periodOf, refresh, renderTemplate, type Kind, type PlanTask } from '../../../plan/index.js';

const SEED = 20261204;
const period = periodOf('daily', { y: 2026, m: 12, d: 4 });
const FILE = 'journal/2026/12/04.norg';

const statuses: TaskStatus[] = ['undone', 'done', 'pending', 'onhold', 'cancelled', 'urgent', 'uncertain'];
const dateArb = fc.option(
  fc.integer({ min: -10, max: 10 }).map((d) => new Date(2026, 11, 4 + d, 12, 0)),
  { nil: null },
);

const taskArb = (i: number): fc.Arbitrary<PlanTask> =>
  fc
    .record({
      description: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}$/),
      status: fc.constantFrom(...statuses),
      waiting: fc.boolean(),
      priority: fc.constantFrom(null, 'A', 'B', 'C'),
      due: dateArb,
      scheduled: dateArb,
      end: dateArb,
      home: fc.option(
        fc.record({
          file: fc.constantFrom('work.norg', 'home/list.norg'),
          line: fc.nat(50),
          headingPath: fc.constantFrom<string[][]>([], ['Work'], ['Work', 'Ship it']),
          headingLevel: fc.constantFrom(null, 1, 2),
        }),
        { nil: null },
      ),
    })
    .map((r) => {
      const hex = (0x10000000 + i * 7919).toString(16).padStart(8, '0');
      return { ...r, uuid: `${hex}-0000-4000-8000-000000000000`, id: hex, depends: [], project: null };
    });

const tasksArb = fc.integer({ min: 0, max: 12 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => taskArb(i))));

/** Lines a person types: text, tasks of their own, nested notes, headings; never a section tag. */
const userLine = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z ,.]{0,30}$/),
  fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}$/).map((s) => `- ( ) ${s}`),
  fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}$/).map((s) => `  -- ${s}`),
  fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}$/).map((s) => `** ${s}`),
  fc.constant(''),
);

const kindArb = fc.constantFrom<Kind>('daily', 'weekly', 'monthly', 'review');

/** A note: the template, refreshed over `before`, then user lines put between its lines. */
function noteWith(kind: Kind, before: readonly PlanTask[], inserts: [number, string][]): { text: string; mine: string[] } {
  const p = periodOf(kind, period.start);
  const base = refresh({
    file: FILE,
    text: renderTemplate(BUILTIN_TEMPLATES[kind], p) as string,
    period: p,
    tasks: before,
    notes: [],
    carried: new Set(),
  }).text;
  const lines = base.split('\n');
  const mine: string[] = [];
  // Insert from the bottom so the positions stay those of the base text.
  for (const [at, line] of [...inserts].sort((a, b) => b[0] - a[0])) lines.splice(Math.min(at, lines.length - 1), 0, `${line} user`);
  for (const l of lines) if (l.endsWith(' user')) mine.push(l);
  return { text: lines.join('\n'), mine };
}

const generated = (l: string) => /%@[0-9a-f]+%|%@project%/.test(l);

describe('plan refresh laws', () => {
  it('refreshing twice is refreshing once, byte for byte', () => {
    fc.assert(
      fc.property(kindArb, tasksArb, tasksArb, fc.array(fc.tuple(fc.nat(40), userLine), { maxLength: 8 }), (kind, before, now, inserts) => {
        const p = periodOf(kind, period.start);
        const { text } = noteWith(kind, before, inserts);
        const once = refresh({ file: FILE, text, period: p, tasks: now, notes: [], carried: new Set(now.map((t) => t.uuid)) });
        const twice = refresh({ file: FILE, text: once.text, period: p, tasks: now, notes: [], carried: new Set(now.map((t) => t.uuid)) });
        expect(twice.text).toBe(once.text);
        expect(twice.changes.empty).toBe(true);
        expect(twice.sections).toEqual(once.sections);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("keeps every line of the user's, in order, and never makes a mirror a task", () => {
    fc.assert(
      fc.property(kindArb, tasksArb, tasksArb, fc.array(fc.tuple(fc.nat(40), userLine), { maxLength: 8 }), (kind, before, now, inserts) => {
        const p = periodOf(kind, period.start);
        const { text } = noteWith(kind, before, inserts);
        const out = refresh({ file: FILE, text, period: p, tasks: now, notes: [], carried: new Set() }).text;
        expect(out.split('\n').filter((l) => !generated(l))).toEqual(text.split('\n').filter((l) => !generated(l)));
        const tree = parse(out);
        // Only the user's own task lines are tasks, before and after.
        expect(extractTasks(tree).map((t) => t.description)).toEqual(extractTasks(parse(text)).map((t) => t.description));
        expect(extractObjects(tree, FILE).duplicateIds).toEqual([]);
      }),
      { seed: SEED + 1, numRuns: 100 },
    );
  });

  it('a task shows once per note, in the first section whose rule it meets', () => {
    fc.assert(
      fc.property(tasksArb, (tasks) => {
        const r = refresh({ file: FILE, text: renderTemplate(BUILTIN_TEMPLATES.daily, period) as string, period, tasks, notes: [], carried: new Set() });
        const all = Object.values(r.sections).flat();
        expect(new Set(all).size).toBe(all.length);
        for (const t of tasks) {
          const open = t.status !== 'done' && t.status !== 'cancelled';
          const overdue = open && t.due !== null && t.due < new Date(2026, 11, 4);
          expect(r.sections.overdue!.includes(t.uuid)).toBe(overdue);
        }
      }),
      { seed: SEED + 2, numRuns: 100 },
    );
  });
});
