/**
 * Line index and position conversion.
 *
 * Inside the host every position is a UTF-16 offset. Neovim speaks (row, byte column) with
 * bytes in UTF-8; this is the one place that converts, and rplugin/ calls it at the boundary.
 * Line endings are LF, CRLF or a lone CR, as the norg file has them.
 */
export class LineIndex {
  /** Offset of the first character of each line. */
  readonly starts: Int32Array;

  constructor(readonly text: string) {
    const starts: number[] = [0];
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = Int32Array.from(starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 0-based line containing `offset` (an offset at a line end belongs to that line). */
  lineAt(offset: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  lineStart(line: number): number {
    return this.starts[line];
  }

  /** End of the line's content, before its line ending. */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    let end = next;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** UTF-16 offset → Neovim (0-based row, 0-based UTF-8 byte column). */
  toNvim(offset: number): [row: number, col: number] {
    const row = this.lineAt(offset);
    return [row, utf8Length(this.text, this.starts[row], offset)];
  }

  /** Neovim (row, byte column) → UTF-16 offset. A column inside a character snaps to its start. */
  fromNvim(row: number, col: number): number {
    if (row >= this.starts.length) return this.text.length;
    const start = this.starts[row];
    const end = this.lineEnd(row);
    let bytes = 0;
    let i = start;
    while (i < end) {
      const c = this.text.charCodeAt(i);
      let w: number;
      let units = 1;
      if (c < 0x80) w = 1;
      else if (c < 0x800) w = 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
        w = 4;
        units = 2;
      } else w = 3;
      if (bytes + w > col) break;
      bytes += w;
      i += units;
    }
    return i;
  }
}

/** Bytes that text[from, to) takes in UTF-8. Lone surrogates count 3, as Neovim stores U+FFFD-free WTF-8. */
export function utf8Length(text: string, from = 0, to = text.length): number {
  let bytes = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

export type Decoded = { ok: true; text: string } | { ok: false; code: 'invalid-utf8'; message: string; byteOffset: number };

/**
 * Decode a file's bytes. Invalid UTF-8 is reported with the first bad byte's offset and the
 * caller must not write the file back: rewriting it would replace bytes the user had.
 */
// One decoder for every call (a plan decodes 100 notes; each decoder made is an ICU converter
// opened), replaced after a failure so that no state of a bad input reaches the next one.
let decoder: TextDecoder | null = null;

export function decodeUtf8(bytes: Uint8Array): Decoded {
  try {
    decoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    decoder = null;
    return { ok: false, code: 'invalid-utf8', message: 'file is not valid UTF-8', byteOffset: firstInvalidUtf8(bytes) };
  }
}

function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let need = 0;
    if (c < 0x80) need = 0;
    else if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) need = 2;
    else if (c >= 0xf0 && c <= 0xf4) need = 3;
    else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return b.length;
}
