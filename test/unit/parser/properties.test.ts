import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex, parse, print, reparse, utf8Length } from '../../../parser/index.js';
import { norgText } from '../../helpers/norg-arb.js';

describe('parser laws', () => {
  it('never throws and is lossless on norg-like text', () => {
    fc.assert(
      fc.property(norgText, (text) => {
        expect(print(parse(text))).toBe(text);
      }),
    );
  });

  it('never throws and is lossless on arbitrary unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(print(parse(text))).toBe(text);
      }),
    );
  });

  it('reparse after an edit gives the same tree as a fresh parse', () => {
    fc.assert(
      fc.property(norgText, fc.nat(), fc.nat(), norgText, (text, a, b, insert) => {
        const from = text.length === 0 ? 0 : a % (text.length + 1);
        const to = from + (text.length - from === 0 ? 0 : b % (text.length - from + 1));
        const old = parse(text);
        const next = text.slice(0, from) + insert + text.slice(to);
        const inc = reparse(old, { from, to, insert });
        expect(inc.text).toBe(next);
        expect(inc.root).toEqual(parse(next).root);
        expect(print(inc)).toBe(next);
      }),
    );
  });

  it('a chain of small edits keeps reparse equal to parse', () => {
    fc.assert(
      fc.property(
        norgText,
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom('', 'x', '\n', '- ( ) ', '@end\n', '|end', '*', '(', ')', '\r\n', '---\n')), {
          maxLength: 8,
        }),
        (text, edits) => {
          let tree = parse(text);
          for (const [a, len, insert] of edits) {
            const from = a % (tree.text.length + 1);
            const to = Math.min(tree.text.length, from + len);
            tree = reparse(tree, { from, to, insert });
            expect(tree.root).toEqual(parse(tree.text).root);
          }
        },
      ),
    );
  });
});

describe('positions', () => {
  it('UTF-16 offsets convert to Neovim (row, byte col) and back', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ unit: 'grapheme', maxLength: 10 }), fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 8 }), (parts) => {
        const text = parts.map(([s, e]) => s + e).join('');
        const idx = new LineIndex(text);
        for (let off = 0; off <= text.length; off++) {
          const c = text.charCodeAt(off);
          if (c >= 0xdc00 && c <= 0xdfff) continue; // inside a surrogate pair: not a boundary
          const [row, col] = idx.toNvim(off);
          const lineStart = idx.lineStart(row);
          expect(col).toBe(Buffer.byteLength(text.slice(lineStart, off), 'utf8'));
          if (off <= idx.lineEnd(row)) expect(idx.fromNvim(row, col)).toBe(off);
        }
      }),
    );
  });

  it('handles é, CJK and emoji exactly', () => {
    const text = 'é\n日本語 x\n😀a\r\nz';
    const idx = new LineIndex(text);
    expect(idx.toNvim(0)).toEqual([0, 0]);
    expect(idx.toNvim(1)).toEqual([0, 2]); // after é (2 bytes)
    expect(idx.toNvim(2)).toEqual([1, 0]);
    expect(idx.toNvim(4)).toEqual([1, 6]); // after 日本 (3 bytes each)
    expect(idx.toNvim(5)).toEqual([1, 9]);
    expect(idx.toNvim(8)).toEqual([2, 0]);
    expect(idx.toNvim(10)).toEqual([2, 4]); // after 😀 (2 UTF-16 units, 4 bytes)
    expect(idx.toNvim(11)).toEqual([2, 5]);
    expect(idx.toNvim(13)).toEqual([3, 0]); // CRLF is one line ending
    expect(idx.fromNvim(1, 6)).toBe(4);
    expect(idx.fromNvim(1, 7)).toBe(4); // inside 本: snaps to its start
    expect(idx.fromNvim(2, 4)).toBe(10);
    expect(idx.fromNvim(9, 0)).toBe(text.length);
    expect(utf8Length('é日😀')).toBe(2 + 3 + 4);
  });
});
