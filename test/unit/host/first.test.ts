import { decode, encode, ExtensionCodec } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FirstReader, pingAnswer, pingId, pingResponse, valueEnd } from '../../../rplugin/first.js';

// @msgpack/msgpack is the neovim client's own codec (a dependency of `neovim`): what the host's
// client decodes is what these tests encode. Neovim's Buffer, Window and Tabpage are ext types.
const codec = new ExtensionCodec();
codec.register({
  type: 0,
  encode: (v) => (v instanceof Map && v.has('buf') ? encode(v.get('buf')) : null),
  decode: (d) => decode(d),
});
const pack = (v: unknown) => Buffer.from(encode(v, { extensionCodec: codec }));
const msgid = fc.oneof(fc.integer({ min: 0, max: 127 }), fc.integer({ min: 128, max: 65535 }), fc.integer({ min: 65536, max: 2 ** 32 - 1 }));
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true }),
    fc.string({ unit: 'binary' }),
    fc.string({ minLength: 200, maxLength: 70_000 }),
    fc.uint8Array({ maxLength: 300 }),
    fc.integer({ min: 1, max: 1000 }).map((n) => new Map([['buf', n]])),
    fc.array(tie('v'), { maxLength: 20 }),
    fc.dictionary(fc.string(), tie('v'), { maxKeys: 20 }),
  ),
})).v;

describe("the host's first answer (rplugin/first.ts)", () => {
  it('finds the end of any msgpack value, and knows when it has not all arrived', () => {
    fc.assert(
      fc.property(value, (v) => {
        const b = pack(v);
        expect(valueEnd(b, 0)).toBe(b.length);
        for (const cut of [0, 1, b.length >> 1, b.length - 1]) if (cut < b.length) expect(valueEnd(b.subarray(0, cut), 0)).toBe(-1);
      }),
      { numRuns: 300 },
    );
  });

  it('answers the pings, in any split of the stream, and hands the rest over untouched and in order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            msgid.map((id) => ({ ping: id })),
            fc.tuple(msgid, fc.string(), value).map(([id, m, v]) => ({ other: [0, id, m, [v]] })),
          ),
          { maxLength: 8 },
        ),
        value,
        fc.array(fc.nat(), { maxLength: 6 }),
        (msgs, setup, cuts) => {
          const frames = [pack([2, 'setup', [setup]]), ...msgs.map((m) => ('ping' in m ? pack([0, m.ping, 'ping', []]) : pack(m.other)))];
          const stream = Buffer.concat(frames);
          const at = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const r = new FirstReader();
          const ids: number[] = [];
          let from = 0;
          for (const c of [...at, stream.length]) {
            for (const id of r.feed(stream.subarray(from, c))) ids.push((decode(pingResponse(id, pingAnswer())) as unknown[])[1] as number);
            from = c;
          }
          expect(ids).toEqual(msgs.filter((m) => 'ping' in m).map((m) => (m as { ping: number }).ping));
          const rest = Buffer.concat([frames[0], ...msgs.flatMap((m, i) => ('ping' in m ? [] : [frames[i + 1]]))]);
          expect(r.rest().equals(rest)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps a partial message for the client, and a ping's own bytes when it has not all arrived", () => {
    const ping = pack([0, 7, 'ping', []]);
    const r = new FirstReader();
    expect(r.feed(ping.subarray(0, 5))).toEqual([]);
    expect(r.rest().equals(ping.subarray(0, 5))).toBe(true);
    expect(r.feed(ping.subarray(5)).length).toBe(1);
    expect(r.rest().length).toBe(0);
  });

  it('answers `[1, msgid, nil, {pid, version, node}]` with the msgid as sent', () => {
    for (const id of [0, 5, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1]) {
      const req = pack([0, id, 'ping', []]);
      const got = pingId(req, 0, req.length);
      expect(got).not.toBeNull();
      expect(decode(pingResponse(got!, pingAnswer()))).toEqual([
        1,
        id,
        null,
        { pid: process.pid, version: process.env.PLANAGER_VERSION ?? 'dev', node: process.version },
      ]);
    }
    const long = pingResponse(Uint8Array.of(1), { pid: 2 ** 31 + 5, version: 'x'.repeat(300), node: 'v20.0.0' });
    expect(decode(long)).toEqual([1, 1, null, { pid: 2 ** 31 + 5, version: 'x'.repeat(300), node: 'v20.0.0' }]);
  });

  it('answers nothing but a request named ping', () => {
    for (const m of [
      [2, 'ping', []],
      [0, 1, 'pinga', []],
      [0, 1, 'pin', []],
      [1, 1, null, 'ping'],
      [0, -1, 'ping', []],
    ]) {
      const b = pack(m);
      const r = new FirstReader();
      expect(r.feed(b), JSON.stringify(m)).toEqual([]);
      expect(r.rest().equals(b)).toBe(true);
    }
  });

  it('after a byte that is not msgpack, reads nothing more: it all goes to the client', () => {
    const ping = pack([0, 3, 'ping', []]);
    const bad = Buffer.concat([pack([2, 'setup', [{}]]), Buffer.of(0xc1), ping]);
    const r = new FirstReader();
    expect(r.feed(bad)).toEqual([]);
    expect(r.feed(ping)).toEqual([]);
    expect(r.rest().equals(Buffer.concat([bad, ping]))).toBe(true);
  });
});
