import { describe, expect, it } from 'vitest';
import { decodeUtf8, extractTasks, parse, print, project } from '../../../parser/index.js';

describe('malformed input parses as text and never throws', () => {
  it('unclosed tags, stray brackets and ends', () => {
    for (const text of [
      '@code\n- ( ) x',
      '|example\n- ( ) x\n',
      '- ( x',
      '- (',
      '- )',
      '{* unclosed',
      '*unclosed bold',
      '@end\n|end\n$$\n^^',
      '- (|) x',
      '- (x|) y',
      '- (#) z',
    ]) {
      const tree = parse(text);
      expect(print(tree)).toBe(text);
      expect(() => project(tree, 'full')).not.toThrow();
    }
    expect(extractTasks(parse('@code\n- ( ) x'))).toHaveLength(1);
  });

  it('200 levels of nesting', () => {
    const text =
      Array.from({ length: 200 }, (_, i) => '-'.repeat(i + 1) + ' ( ) level ' + (i + 1)).join('\n') +
      '\n' +
      Array.from({ length: 200 }, (_, i) => '*'.repeat(i + 1) + ' h').join('\n') +
      '\n' +
      '>'.repeat(200) +
      ' q\n' +
      '*/_-!^,'.repeat(40) +
      'x';
    const tree = parse(text);
    expect(print(tree)).toBe(text);
    expect(extractTasks(tree)).toHaveLength(200);
  });

  it('a 10 MB line, and 100,000 unclosed openers', () => {
    const long = '- ( ) ' + 'word *x /y '.repeat(1_000_000);
    expect(long.length).toBeGreaterThan(10_000_000);
    const tree = parse(long);
    expect(print(tree)).toBe(long);
    expect(extractTasks(tree)).toHaveLength(1);
    const openers = '@code\n|example\n- (\n'.repeat(33_000);
    expect(print(parse(openers))).toBe(openers);
  });

  it('invalid UTF-8 is reported with its offset, never decoded lossily', () => {
    const bytes = new Uint8Array([0x2a, 0x20, 0xc3, 0xa9, 0x0a, 0xff, 0x41]);
    const r = decodeUtf8(bytes);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('invalid-utf8');
      expect(r.byteOffset).toBe(5);
    }
    const good = decodeUtf8(new TextEncoder().encode('\ufeff* é'));
    expect(good).toEqual({ ok: true, text: '\ufeff* é' });
  });
});
