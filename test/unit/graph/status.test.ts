import { describe, expect, it } from 'vitest';
import { derivedStatus } from '../../../graph/index.js';

describe("derived parent status (Neorg's rule)", () => {
  it.each([
    [['done', 'done'], 'done'],
    [['undone', 'undone'], 'undone'],
    [['done', 'undone'], 'pending'],
    [['pending', 'undone'], 'pending'],
    [['done', 'cancelled'], 'done'],
    [['cancelled', 'cancelled'], null],
    [[], null],
    [['done', 'uncertain'], 'onhold'],
    [['onhold', 'done'], 'onhold'],
    [['onhold', 'uncertain'], 'onhold'],
    [['onhold', 'undone'], 'undone'],
    [['urgent', 'done'], 'pending'],
    [['urgent'], 'undone'],
    [['recurring', 'done'], 'pending'],
  ] as const)('%j → %s', (kids, want) => {
    expect(derivedStatus([...kids])).toBe(want);
  });
});
