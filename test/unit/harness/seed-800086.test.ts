/**
 * Seed 800086: a harness model bug, not the product's. Taskwarrior 2.6 keys an annotation by the
 * first free second from now on (`annotation_<epoch>`, one more while taken), and lists them by
 * key. Three `task annotate` in one second take seconds t, t+1 and t+2; a denotate of the first
 * frees t; an annotate still in that second takes t, so it is listed first. The model appended
 * every annotation and reported Taskwarrior's own order as "unexpressible" changed. No sync is
 * involved: the history is task commands alone.
 */
import { describe, expect, it } from 'vitest';
import type { Step } from '../../harness/history.js';
import { execute } from '../../harness/run.js';

const initial = [{ file: 0, heading: 0, word: 0, status: 0, priority: 0 }];
const annotate = (word: number): Step => ({ t: 'twAnnotate', task: 0, word });

describe('harness seed 800086: an annotation added after a denotate in the same second', () => {
  it("takes the freed second's place in Taskwarrior's order, and the model follows it", async () => {
    const ex = await execute({ initial, steps: [{ t: 'sync' }, annotate(1), annotate(2), annotate(3), { t: 'twDenotate', task: 0, which: 0 }, annotate(4)] });
    const tw = ex.end?.tw.find((t) => (t.annotations ?? []).length > 0);
    const texts = (tw?.annotations ?? []).map((a: { description: string }) => a.description);
    expect(texts).toHaveLength(3);
    // The steps take milliseconds, so they share a second and the newest text is listed first
    // (the model failed on this before it followed Taskwarrior's order).
    expect(
      ex.failures.filter((f) => f.kind === 'unexpressible'),
      JSON.stringify(ex.failures),
    ).toEqual([]);
  }, 60_000);
});
