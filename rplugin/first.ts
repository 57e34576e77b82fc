/**
 * The host's first answer, before its bundles are loaded (boot.ts): a few lines of msgpack-RPC
 * that answer `ping` straight from stdin, and hand every other message, untouched and in order,
 * to the neovim client once it is loaded.
 *
 * Why: loading dist/host-main.cjs (the neovim client and the RPC glue) took ≈10 ms of a ≈38 ms
 * jobstart → first answer, against ≈21 ms for a bare `node -e ''` (Node 20, this machine): 1.8×.
 * Answered from here, before that load: 1.03–1.32×, median 1.13× over 10 runs (`npm run bench --
 * nvim-cold`); a script that does nothing but answer (the floor) measured 1.00–1.05×.
 *
 * What it reads: whole msgpack values, one RPC message each; it decodes nothing but the
 * message's head (a request `[0, msgid, "ping", params]`). Anything it does not understand
 * (a byte that is not msgpack) stops it: everything from there goes to the client as it came.
 */

/** What `ping` answers (rplugin/host.ts answers the same once it has taken over). */
export interface PingAnswer {
  pid: number;
  version: string;
  node: string;
}

export function pingAnswer(): PingAnswer {
  return { pid: process.pid, version: process.env.PLANAGER_VERSION ?? 'dev', node: process.version };
}

/**
 * The offset just past the msgpack value that starts at `off`, or -1 when `b` ends before it
 * does. Throws on a byte that starts no msgpack value (0xc1).
 */
export function valueEnd(b: Uint8Array, off: number): number {
  let i = off;
  let left = 1; // values still to skip (a container adds its items)
  const need = (n: number) => i + n <= b.length;
  const u16 = (p: number) => (b[p] << 8) | b[p + 1];
  const u32 = (p: number) => ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  while (left > 0) {
    left--;
    if (!need(1)) return -1;
    const t = b[i++];
    if (t <= 0x7f || t >= 0xe0 || t === 0xc0 || t === 0xc2 || t === 0xc3) continue; // fixint, nil, bool
    if (t <= 0x8f)
      left += (t & 0x0f) * 2; // fixmap
    else if (t <= 0x9f)
      left += t & 0x0f; // fixarray
    else if (t <= 0xbf) {
      if (!need(t & 0x1f)) return -1; // fixstr
      i += t & 0x1f;
    } else if (t === 0xc1) throw new Error('planager: not msgpack (0xc1)');
    else {
      // Sizes in the head: [head bytes, 0 | 1 (a length follows in the head), extra (ext type)].
      let n: number;
      switch (t) {
        case 0xc4: // bin 8/16/32, str 8/16/32
        case 0xd9:
          if (!need(1)) return -1;
          n = b[i] + 1;
          break;
        case 0xc5:
        case 0xda:
          if (!need(2)) return -1;
          n = u16(i) + 2;
          break;
        case 0xc6:
        case 0xdb:
          if (!need(4)) return -1;
          n = u32(i) + 4;
          break;
        case 0xc7: // ext 8/16/32: length, type, data
          if (!need(1)) return -1;
          n = b[i] + 2;
          break;
        case 0xc8:
          if (!need(2)) return -1;
          n = u16(i) + 3;
          break;
        case 0xc9:
          if (!need(4)) return -1;
          n = u32(i) + 5;
          break;
        case 0xca: // float 32/64
          n = 4;
          break;
        case 0xcb:
          n = 8;
          break;
        case 0xcc: // uint, int 8..64
        case 0xd0:
          n = 1;
          break;
        case 0xcd:
        case 0xd1:
          n = 2;
          break;
        case 0xce:
        case 0xd2:
          n = 4;
          break;
        case 0xcf:
        case 0xd3:
          n = 8;
          break;
        case 0xd4: // fixext 1/2/4/8/16: type, data
          n = 2;
          break;
        case 0xd5:
          n = 3;
          break;
        case 0xd6:
          n = 5;
          break;
        case 0xd7:
          n = 9;
          break;
        case 0xd8:
          n = 17;
          break;
        case 0xdc: // array 16/32
          if (!need(2)) return -1;
          left += u16(i);
          n = 2;
          break;
        case 0xdd:
          if (!need(4)) return -1;
          left += u32(i);
          n = 4;
          break;
        case 0xde: // map 16/32
          if (!need(2)) return -1;
          left += u16(i) * 2;
          n = 2;
          break;
        default: // 0xdf
          if (!need(4)) return -1;
          left += u32(i) * 2;
          n = 4;
      }
      if (!need(n)) return -1;
      i += n;
    }
  }
  return i;
}

const PING = [0xa4, 0x70, 0x69, 0x6e, 0x67]; // "ping" as a fixstr

/**
 * The msgid's bytes (as sent) when the message b[off, end) is a request for `ping`:
 * `[0, msgid, "ping", params]`, msgid an unsigned integer.
 */
export function pingId(b: Uint8Array, off: number, end: number): Uint8Array | null {
  if (end - off < 8 || b[off] !== 0x94 || b[off + 1] !== 0x00) return null;
  const t = b[off + 2];
  const len = t <= 0x7f ? 1 : t === 0xcc ? 2 : t === 0xcd ? 3 : t === 0xce ? 5 : t === 0xcf ? 9 : 0;
  if (len === 0) return null;
  const m = off + 2 + len;
  for (let k = 0; k < PING.length; k++) if (b[m + k] !== PING[k]) return null;
  return b.subarray(off + 2, off + 2 + len);
}

function str(s: string): number[] {
  const u = Buffer.from(s, 'utf8');
  const head = u.length < 32 ? [0xa0 | u.length] : u.length < 256 ? [0xd9, u.length] : [0xda, u.length >> 8, u.length & 0xff];
  return [...head, ...u];
}

/** The response `[1, msgid, nil, answer]`, msgid as the request sent it. */
export function pingResponse(id: Uint8Array, a: PingAnswer): Buffer {
  const pid = a.pid >>> 0;
  return Buffer.from([
    0x94,
    0x01,
    ...id,
    0xc0,
    0x83,
    ...str('pid'),
    0xce,
    pid >>> 24,
    (pid >>> 16) & 0xff,
    (pid >>> 8) & 0xff,
    pid & 0xff,
    ...str('version'),
    ...str(a.version.slice(0, 4096)),
    ...str('node'),
    ...str(a.node),
  ]);
}

/**
 * A reader of whole messages: `feed` takes the bytes as they come and returns the pings'
 * msgids to answer; `rest` is every other byte, in order, for the client. After a byte that is
 * not msgpack, nothing more is read: it is all `rest`.
 */
export class FirstReader {
  private kept: Uint8Array[] = [];
  private tail: Buffer = Buffer.alloc(0);
  private broken = false;

  feed(chunk: Buffer): Uint8Array[] {
    if (this.broken) {
      this.kept.push(chunk);
      return [];
    }
    const b = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    const ids: Uint8Array[] = [];
    let off = 0;
    try {
      for (;;) {
        const end = valueEnd(b, off);
        if (end < 0) break;
        const id = pingId(b, off, end);
        if (id) ids.push(id);
        else this.kept.push(b.subarray(off, end));
        off = end;
      }
    } catch {
      this.broken = true;
    }
    if (this.broken) {
      this.kept.push(b.subarray(off));
      this.tail = Buffer.alloc(0);
    } else this.tail = b.subarray(off);
    return ids;
  }

  /** Everything not answered here (whole messages, then any partial one), in order. */
  rest(): Buffer {
    return Buffer.concat([...this.kept, this.tail]);
  }
}
