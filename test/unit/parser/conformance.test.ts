import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, print, project } from '../../../parser/index.js';
import { ROOT, sharedDir } from '../../helpers/shared.js';

interface Case {
  file: string;
  title: string;
  input: string;
  mode: 'block' | 'full';
  expected: string;
  excluded_reason?: string;
}

const dir = join(sharedDir(), 'norg', 'conformance');
const load = (path: string): Case[] => JSON.parse(readFileSync(path, 'utf8'));
const tierA = load(join(dir, 'tierA.json'));
const tierB = load(join(dir, 'tierB.json'));
const tierC = load(join(dir, 'tierC.json'));
const ours = load(join(ROOT, 'test', 'conformance', 'planager.json'));
const baseline: { passes: number } = JSON.parse(readFileSync(join(ROOT, 'test', 'conformance', 'tierB-baseline.json'), 'utf8'));

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

describe('tier A (every case must pass)', () => {
  it('has the 72 cases the README promises', () => expect(tierA.length).toBe(72));
  for (const c of tierA) {
    it(`${c.file} | ${c.title}`, () => {
      expect(project(parse(c.input), c.mode)).toBe(c.expected);
      expect(print(parse(c.input))).toBe(c.input);
    });
    it(`${c.file} | ${c.title} (CRLF)`, () => {
      const input = crlf(c.input);
      expect(project(parse(input), c.mode)).toBe(c.expected);
      expect(print(parse(input))).toBe(input);
    });
  }
});

describe('tier B (inline markup and links: the pass count only grows)', () => {
  it(`passes at least ${baseline.passes} of ${tierB.length}`, () => {
    const failed = tierB.filter((c) => project(parse(c.input), c.mode) !== c.expected).map((c) => `${c.file} | ${c.title}`);
    const passes = tierB.length - failed.length;
    console.log(`tier B: ${passes}/${tierB.length} pass; failing: ${failed.join('; ')}`);
    expect(passes).toBeGreaterThanOrEqual(baseline.passes);
  });
});

describe('tier C (excluded, each with a reason)', () => {
  it('every excluded case says why and still parses losslessly', () => {
    for (const c of tierC) {
      expect(c.excluded_reason, c.title).toBeTruthy();
      expect(print(parse(c.input))).toBe(c.input);
    }
  });
});

describe("Planager's own cases (where the spec and tree-sitter-norg differ, and planner needs)", () => {
  for (const c of ours) {
    it(c.title, () => {
      expect(project(parse(c.input), c.mode)).toBe(c.expected);
      expect(project(parse(crlf(c.input)), c.mode)).toBe(c.expected);
    });
  }
});
