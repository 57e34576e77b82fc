/**
 * `@document.meta` content: `key: value` lines, arrays in `[ … ]` (one item per line or
 * comma-separated on one line) and objects in `{ … }`, nested as deep as the text goes.
 * Anything it cannot read becomes an error message and is skipped; it never throws.
 */
import type { MetaValue } from './types.js';

export function parseMeta(text: string): { value: { [key: string]: MetaValue }; errors: string[] } {
  const lines = text.split(/\r\n|\r|\n/);
  const errors: string[] = [];
  let i = 0;

  function parseObject(closing: boolean): { [key: string]: MetaValue } {
    const obj: { [key: string]: MetaValue } = {};
    while (i < lines.length) {
      const line = lines[i].trim();
      i++;
      if (line === '') continue;
      if (closing && line === '}') return obj;
      const m = /^([^:\s][^:]*?)\s*:\s*(.*)$/.exec(line);
      if (!m) {
        errors.push(`line ${i}: expected "key: value", found "${line}"`);
        continue;
      }
      obj[m[1]] = parseValue(m[2].trim());
    }
    if (closing) errors.push('an object is not closed with "}"');
    return obj;
  }

  function parseArray(): MetaValue[] {
    const arr: MetaValue[] = [];
    while (i < lines.length) {
      const line = lines[i].trim();
      i++;
      if (line === '') continue;
      if (line === ']') return arr;
      arr.push(parseValue(line));
    }
    errors.push('an array is not closed with "]"');
    return arr;
  }

  function parseValue(v: string): MetaValue {
    if (v === '[') return parseArray();
    if (v === '{') return parseObject(true);
    if (v.startsWith('[') && v.endsWith(']')) {
      const inner = v.slice(1, -1).trim();
      return inner === '' ? [] : inner.split(',').map((s) => s.trim());
    }
    return v;
  }

  return { value: parseObject(false), errors };
}
