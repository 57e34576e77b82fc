/**
 * Found by hand (round 2, two viewports in one note editing one task): a priority typed with
 * a space before the next extension, `- ( |# A |< Tue 15th Dec 2026) apple …`, is read as the
 * priority text "A " (with the space): Taskwarrior gets no `priority:H` but
 * `norgpriority:"A "`, and the home line is rewritten `( |< 2026-12-15|# A )`. The same
 * happens on a home line, `- ( |# A ) apple`. Neorg's own extensions tolerate the spaces
 * around `|`; a user's A priority silently becomes "other text" (last but one in the
 * schedule's urgency order, and no H in Taskwarrior reports).
 * Suspected root cause: parser/ (the detached-extension reader for `#`) keeps the value
 * untrimmed; sync/mapping.ts then maps only the exact "A"/"B"/"C" to H/M/L.
 *
 * Minimal history: a note `* One` / `  - ( |# A ) apple`; one full sync.
 */
import { describe, expect, it } from 'vitest';
import { setup } from './util.js';

describe('round2-F6: a priority followed by a space', () => {
  it('is priority A (Taskwarrior H)', async () => {
    const env = setup({ 'a.norg': '* One\n  - ( |# A ) apple\n' });
    expect((await env.run()).code).toBe(0);
    expect(env.tw('apple').priority).toBe('H');
  });
});
