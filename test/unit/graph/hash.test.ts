import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashJoined, hashString } from '../../../graph/hash.js';

describe('hashJoined', () => {
  it('hashes like the joined string (state written by earlier versions stays valid)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 16 }), (parts) => {
        expect(hashJoined(parts)).toBe(hashString(parts.join('\u0000')));
      }),
      { seed: 20261122, numRuns: 1000 },
    );
  });
});
