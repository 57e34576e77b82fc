/**
 * Harness seed 300513 (fault task-loop: `task annotate` four times during a sync). Our import,
 * from a copy read before the third annotation, dropped it; the fourth then took its key
 * (Taskwarrior keys annotations by second, the next free one), and the corrections after the
 * import, comparing annotations as one value, took the fourth's list for the whole: the third
 * was lost with nothing logged.
 */
import { describe, expect, it } from 'vitest';
import type { TwTask } from '../../../../sync/taskwarrior.js';
import { diff, expectedVersions, versionKey } from '../../../../sync/undo.js';

const ann = (entry: string, description: string) => ({ entry, description });
const task = (annotations: { entry: string; description: string }[], more: Record<string, unknown> = {}): TwTask =>
  ({ uuid: '50ff7647-ac8d-4bd0-83b2-9c8b806e75e9', description: 'joker n3', status: 'pending', entry: '20261207T000000Z', annotations, ...more }) as TwTask;

describe('seed 300513: annotations added while a sync imports', () => {
  it('the expected version keeps every annotation, the one that reused a dropped key moved to the next second', () => {
    const three = [ann('20261207T000109Z', 'dance a5'), ann('20261207T000110Z', 'apple a6'), ann('20261207T000111Z', 'bread a7')];
    const basis = task(three);
    const withCable = task([...three, ann('20261207T000112Z', 'cable a8')]);
    const ours = task(three, { priority: 'H' });
    const withDance = task([...three, ann('20261207T000112Z', 'dance a9')], { priority: 'H' });
    const intents = new Map([[versionKey(ours), diff(basis, ours)]]);
    const expected = expectedVersions(
      [
        { old: basis, new: withCable },
        { old: withCable, new: ours },
        { old: ours, new: withDance },
      ],
      intents,
    ).get(basis.uuid)!;
    expect(expected.priority).toBe('H');
    expect(expected.annotations).toEqual([...three, ann('20261207T000112Z', 'cable a8'), ann('20261207T000113Z', 'dance a9')]);
  });

  it('an annotation removed by one writer stays removed when another adds one', () => {
    const a = ann('20261207T000100Z', 'a');
    const b = ann('20261207T000200Z', 'b');
    const c = ann('20261207T000300Z', 'c');
    const expected = expectedVersions([
      { old: task([a, b]), new: task([a]) },
      { old: task([a, b]), new: task([a, b, c]) },
    ]).get(task([]).uuid)!;
    expect(expected.annotations).toEqual([a, c]);
  });
});
