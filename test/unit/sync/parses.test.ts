// Parses handed from one step of a `sync --remote` run to the next (sync/parses.ts): the same
// results as parsing afresh, each kept parse handed over once, nothing held when off.
import { afterEach, describe, expect, it } from 'vitest';
import { logIncoming } from '../../../cli/mergedriver.js';
import { extractTasks, parse } from '../../../parser/index.js';
import { mergeNotes } from '../../../sync/notemerge.js';
import { keepParses, keepTasks, takeParse, takeTasks } from '../../../sync/parses.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASE = `* Week
  - ( ) Write the report %#aaaa1111%
  - ( ) Call Anna %#bbbb2222%
  - ( ) Buy milk %#cccc3333%
`;
const OURS = BASE.replace('Write the report', 'Write the whole report');
const THEIRS = BASE.replace('( ) Call Anna', '(x) Call Anna');

afterEach(() => keepParses(false));

describe('parses handed between the steps of a run', () => {
  it('off: every call parses afresh, nothing is kept', () => {
    const a = keepTasks(BASE);
    const b = takeTasks(BASE);
    expect(a).toEqual(extractTasks(parse(BASE)));
    expect(b).toEqual(a);
    expect(b).not.toBe(a);
  });

  it('on: a kept parse is handed over once, then parsed again', () => {
    keepParses(true);
    const kept = keepTasks(OURS);
    expect(takeTasks(OURS)).toBe(kept);
    // Handed over: the next reader parses (the same result, a new parse).
    const again = takeTasks(OURS);
    expect(again).not.toBe(kept);
    expect(again).toEqual(kept);
    const tree = parse(THEIRS);
    keepTasks(THEIRS);
    const taken = takeParse(THEIRS);
    expect(taken.text).toBe(THEIRS);
    expect(extractTasks(taken)).toEqual(extractTasks(tree));
  });

  it('off again: what was kept is dropped', () => {
    keepParses(true);
    const kept = keepTasks(BASE);
    keepParses(false);
    keepParses(true);
    expect(takeTasks(BASE)).not.toBe(kept);
  });

  it('a merge and its log give the same results with parses handed over as without', async () => {
    const run = async (on: boolean) => {
      keepParses(on);
      const ws = mkdtempSync(join(tmpdir(), 'planager-parses-'));
      const m = mergeNotes(BASE, OURS, THEIRS, 'theirs');
      const logged = await logIncoming(ws, new Map([['w.norg', OURS]]), () => m.text, new Set(), 'test', new Date('2026-12-07T12:00:00Z'));
      keepParses(false);
      let log = '';
      try {
        log = readFileSync(join(ws, '.planager', 'activity.jsonl'), 'utf8');
      } catch {
        // nothing logged
      }
      return { text: m.text, logged, log };
    };
    const plain = await run(false);
    const handed = await run(true);
    expect(handed).toEqual(plain);
    expect(plain.logged).toBe(1);
  });
});
