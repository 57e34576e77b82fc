/**
 * TaskIndex (plan/tasks.ts) finds what a search of every uuid finds: the one task whose hex
 * digits start with the id, none when no task or several do. Uuids drawn from a small alphabet
 * so that tasks share long prefixes, ids of every length (the 8-digit buckets and the short-id
 * search both), duplicates of a uuid (the last one counts, as the index always did).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shortIds, TaskIndex, type PlanTask } from '../../../plan/index.js';
import { hexOf } from '../../../plan/tasks.js';
import { planTaskOf } from '../../helpers/plan-arb.js';

const task = (uuid: string, n: number): PlanTask => planTaskOf(uuid, { id: uuid.slice(0, 8), description: `task ${n}` });

const uuidArb = fc
  .array(fc.constantFrom('a', 'b', '0'), { minLength: 32, maxLength: 32 })
  .map((d) => d.join(''))
  .map((h) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
/** Not uuids at all (a test's, a damaged file's): short, dashes anywhere, capitals. */
const oddArb = fc.array(fc.constantFrom('a', 'b', 'A', '0', '-'), { maxLength: 14 }).map((d) => d.join(''));

function searched(tasks: readonly PlanTask[], id: string): PlanTask | null {
  const byHex = new Map(tasks.map((t) => [hexOf(t.uuid), t]));
  const hits = [...byHex].filter(([h]) => h.startsWith(id));
  return byHex.get(id) ?? (hits.length === 1 ? hits[0]![1] : null);
}

describe('TaskIndex', () => {
  it('finds what a search of every uuid finds', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(uuidArb, uuidArb, oddArb), { minLength: 0, maxLength: 30 }), fc.array(fc.tuple(fc.nat(40), fc.nat(33))), (uuids, picks) => {
        const tasks = uuids.map(task);
        const index = new TaskIndex(tasks);
        const ids = picks.map(([i, len]) => (uuids.length ? hexOf(uuids[i % uuids.length]!).slice(0, len) : 'ab'.repeat(len % 17)));
        for (const id of [...ids, ...uuids, 'c', 'aaaaaaaac', 'AAAAAAAA', hexOf('ffffffff-0000-0000-0000-000000000000')])
          expect(index.find(id)).toBe(searched(tasks, id));
      }),
    );
  });

  it('finds every task by its short id', () => {
    fc.assert(
      fc.property(fc.uniqueArray(uuidArb, { maxLength: 40 }), (uuids) => {
        const tasks = uuids.map(task);
        const index = new TaskIndex(tasks);
        for (const [u, id] of shortIds(uuids)) expect(index.find(id)?.uuid).toBe(u);
      }),
    );
  });
});

/** shortIds as it was (a sort of every uuid): the oracle of the bucketed one. */
function sortedShortIds(uuids: readonly string[]): Map<string, string> {
  const hex = uuids.map((u) => ({ u, h: hexOf(u) })).sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
  const lcp = (a: string, b: string) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  const out = new Map<string, string>();
  hex.forEach((x, i) => {
    const n = Math.max(i > 0 ? lcp(x.h, hex[i - 1]!.h) : 0, i < hex.length - 1 ? lcp(x.h, hex[i + 1]!.h) : 0);
    out.set(x.u, x.h.slice(0, Math.min(32, Math.max(8, n + 1))));
  });
  return out;
}

describe('shortIds', () => {
  it('gives each uuid what a sort of every uuid gives it (duplicates and case variants too)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            uuidArb,
            uuidArb.map((u) => u.toUpperCase()),
            oddArb,
          ),
          { maxLength: 40 },
        ),
        fc.nat(5),
        (uuids, dup) => {
          const all = uuids.length > 0 ? [...uuids, ...uuids.slice(0, dup)] : uuids;
          expect(new Map([...shortIds(all)].sort())).toEqual(new Map([...sortedShortIds(all)].sort()));
        },
      ),
    );
  });
});
