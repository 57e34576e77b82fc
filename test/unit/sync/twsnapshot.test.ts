/**
 * The snapshot plan and agenda keep of every task (sync/twsnapshot.ts) must read exactly what
 * parsing the data files reads, whatever `task` did in between (real `task`): writes it brings
 * in from undo.data's tail, and the ones it cannot (`task undo`, a purge) that make it parse
 * the files again.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTwDate, type TwTask } from '../../../sync/index.js';
import { storedAll } from '../../../sync/twsnapshot.js';
import { allStored } from '../../../sync/undo.js';
import { twSandbox, type TwSandbox } from '../../helpers/tw.js';

// What allTasks shows: gc un-waits a task in pending.data without an undo entry (measured on
// 2.6), and allTasks reads a passed wait as pending either way.
const shown = (l: TwTask[], now = Date.now()) =>
  l
    .map((t) => (t.status === 'waiting' && (parseTwDate(t.wait as string)?.getTime() ?? 0) <= now ? { ...t, status: 'pending' } : t))
    .sort((a, b) => a.uuid.localeCompare(b.uuid));

const data = (sb: TwSandbox) => join(sb.dir, 'data');
const snapFile = (sb: TwSandbox) => join(sb.dir, 'state', 'tasks.json');

function check(sb: TwSandbox, rewriteAfter?: number) {
  const r = storedAll(data(sb), snapFile(sb), rewriteAfter);
  expect(shown(r.tasks)).toEqual(shown(allStored(data(sb), true)));
  return r.source;
}

/** A report with gc on (it exits 1 when nothing is listed: that is no failure here). */
const gc = (sb: TwSandbox) => {
  try {
    sb.task('rc.gc=on', 'list');
  } catch {}
};

// From the files, not an export: 2.6 exports a description holding `\v` as invalid JSON.
const uuids = (sb: TwSandbox) => allStored(data(sb), true).map((t) => t.uuid);

describe('the tasks snapshot', () => {
  it('is answered whole, from the tail, or from the files, each when it should be', () => {
    const sb = twSandbox();
    sb.task('add', 'one', 'project:Home', 'due:2026-12-24');
    sb.task('add', 'two', '+red');
    expect(check(sb)).toBe('files');
    expect(check(sb)).toBe('snapshot');
    const [a, b] = uuids(sb);
    sb.task(a!, 'modify', 'priority:H');
    sb.task(b!, 'annotate', 'a note');
    sb.task('add', 'three');
    expect(check(sb)).toBe('tail');
    // Undoing a write after the snapshot only shortens the tail.
    sb.task('undo');
    expect(check(sb, 0)).toBe('tail');
    expect(check(sb)).toBe('snapshot');
    // Undoing one the snapshot holds rewrites bytes it read: the files are parsed.
    sb.task('undo');
    expect(check(sb)).toBe('files');
    sb.task(b!, 'delete');
    expect(check(sb)).toBe('tail');
    sb.task(b!, 'purge');
    // A purge writes no undo entry: one line fewer than the tail explains.
    expect(check(sb)).toBe('files');
    // gc moving the done task to completed.data changes no version: still from the tail.
    sb.task(a!, 'done');
    gc(sb);
    expect(check(sb)).toBe('tail');
  });

  it('is parsed again when unreadable or made for another database, and replaced', () => {
    const sb = twSandbox();
    sb.task('add', 'one');
    expect(check(sb)).toBe('files');
    writeFileSync(snapFile(sb), '{"version":1,"tasks":[');
    expect(check(sb)).toBe('files');
    expect(check(sb)).toBe('snapshot');
    const other = twSandbox();
    other.task('add', 'elsewhere');
    const r = storedAll(data(other), snapFile(sb));
    expect(r.source).toBe('files');
    expect(r.tasks.map((t) => t.description)).toEqual(['elsewhere']);
    rmSync(snapFile(sb));
    expect(check(sb)).toBe('files');
  });

  it('reads what the files hold over any history of writes (random, real task)', () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('add' as const), d: fc.stringMatching(/^[a-z "\\&[\]:]{1,12}$/), due: fc.boolean() }),
      fc.record({
        k: fc.constantFrom<'modify' | 'done' | 'delete' | 'annotate' | 'start' | 'purge' | 'wait'>(
          'modify',
          'done',
          'delete',
          'annotate',
          'start',
          'purge',
          'wait',
        ),
        i: fc.nat(6),
      }),
      fc.record({ k: fc.constantFrom<'undo' | 'gc' | 'read'>('undo', 'gc', 'read') }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 14 }), fc.boolean(), (ops, rewrite) => {
        const sb = twSandbox();
        sb.task('add', 'first');
        check(sb);
        for (const o of ops) {
          const all = uuids(sb);
          const u = 'i' in o ? all[o.i % all.length] : undefined;
          try {
            if (o.k === 'add') sb.task('add', `"${o.d.trim() || 'x'}"`.slice(1, -1), ...(o.due ? ['due:2026-12-24'] : []));
            else if (o.k === 'undo') sb.task('undo');
            else if (o.k === 'gc') gc(sb);
            else if (o.k === 'read') check(sb, rewrite ? 0 : undefined);
            else if (u && o.k === 'modify') sb.task(u, 'modify', 'priority:M', '+blue');
            else if (u && o.k === 'wait') sb.task(u, 'modify', 'wait:2030-01-01');
            else if (u && o.k === 'purge') sb.task(u, 'purge');
            else if (u && o.k === 'annotate') sb.task(u, 'annotate', 'noted');
            else if (u) sb.task(u, o.k);
          } catch {
            // `task` refusing (done twice, purge of a pending task, nothing to undo) is a history too.
          }
        }
        check(sb, rewrite ? 0 : undefined);
        check(sb);
      }),
      { numRuns: Number(process.env.SNAPSHOT_RUNS ?? 25) },
    );
  }, 240_000);
});
