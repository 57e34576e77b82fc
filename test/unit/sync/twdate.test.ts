import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseTwDate, twDate } from '../../../sync/index.js';

describe('twDate', () => {
  it('formats like the ISO string without separators, for any date Taskwarrior can hold', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        const want = d
          .toISOString()
          .replace(/[-:]/g, '')
          .replace(/\.\d{3}/, '');
        expect(twDate(d)).toBe(want);
        expect(parseTwDate(want)?.getTime()).toBe(Math.floor(d.getTime() / 1000) * 1000);
      }),
      { seed: 20261122, numRuns: 2000 },
    );
  });
});
