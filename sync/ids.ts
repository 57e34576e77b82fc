/**
 * Identity tokens: the short id a note line carries (`%#1a2b3c4d%`) and the uuid behind it.
 * An id is the uuid's first 8 hex digits (12 in a workspace shared between devices: see
 * `idLengthOf`), longer while another uuid shares the prefix; an id Planager never saw becomes a
 * uuid that starts with it (a note written before its first sync).
 */
import { randomUUID } from 'node:crypto';

/** A version-4-shaped uuid whose hex digits start with `id`. */
export function uuidFromId(id: string): string {
  let hex = id
    .toLowerCase()
    .replace(/[^0-9a-f]/g, '')
    .slice(0, 32);
  hex += randomUUID().replace(/-/g, '').slice(hex.length);
  const h = hex.split('');
  if (id.length <= 12) h[12] = '4';
  if (id.length <= 16) h[16] = '89ab'[parseInt(h[16], 16) & 3];
  const x = h.join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/**
 * The shortest id a new task gets. One device sees every uuid it must tell apart, so 8 hex
 * digits (made longer on a shared prefix) suffice. Devices that create tasks offline cannot see
 * each other's uuids until they sync: two new ids may then be equal, and a note merged from
 * both would hold one id for two tasks. 12 digits (48 bits) make that improbable at any human
 * scale: n tasks created apart collide with probability about n²/2⁴⁹ (3,000 → 1.6·10⁻⁸).
 */
export const ID_LENGTH = 8;
export const SHARED_ID_LENGTH = 12;

/** Short id: the uuid's first `min` hex digits, longer while another uuid shares the prefix. */
export function shortId(uuid: string, others: Iterable<string>, min = ID_LENGTH): string {
  return (others instanceof UuidIndex ? others : new UuidIndex(others, min)).shortId(uuid);
}

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A uuid's hex digits, lower case (slices for the usual form: a sync does this per task). */
function hexOf(uuid: string): string {
  if (CANONICAL.test(uuid)) return uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18) + uuid.slice(19, 23) + uuid.slice(24);
  return uuid.replace(/-/g, '').toLowerCase();
}

/** A UuidIndex built on first use; uuids added before that are remembered. */
export class LazyUuids {
  private idx: UuidIndex | null = null;
  private readonly extra: string[] = [];
  constructor(
    private readonly base: () => Iterable<string>,
    private readonly min = ID_LENGTH,
  ) {}
  get(): UuidIndex {
    if (!this.idx) {
      this.idx = new UuidIndex(this.base(), this.min);
      for (const u of this.extra) this.idx.add(u);
    }
    return this.idx;
  }
  add(u: string): void {
    if (this.idx) this.idx.add(u);
    else this.extra.push(u);
  }
}

/**
 * Uuids as sorted hex strings: the shortest unambiguous prefix and the uuids under a prefix
 * are binary searches, so ids for 10,000 tasks cost O(n log n), not O(n²).
 */
export class UuidIndex implements Iterable<string> {
  private hex: string[] = [];
  private readonly byHex = new Map<string, string>();
  private sorted = true;

  constructor(
    uuids: Iterable<string> = [],
    private readonly min = ID_LENGTH,
  ) {
    for (const u of uuids) this.add(u);
  }

  [Symbol.iterator](): Iterator<string> {
    return this.byHex.values();
  }

  add(uuid: string): void {
    const h = hexOf(uuid);
    if (this.byHex.has(h)) return;
    this.byHex.set(h, uuid);
    this.hex.push(h);
    this.sorted = false;
  }

  private list(): string[] {
    if (!this.sorted) {
      this.hex.sort();
      this.sorted = true;
    }
    return this.hex;
  }

  private lower(p: string): number {
    const l = this.list();
    let lo = 0;
    let hi = l.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (l[m] < p) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  /** Uuids whose hex digits start with `prefix`. */
  withPrefix(prefix: string): string[] {
    const p = prefix.toLowerCase();
    const l = this.list();
    const out: string[] = [];
    for (let i = this.lower(p); i < l.length && l[i].startsWith(p); i++) out.push(this.byHex.get(l[i])!);
    return out;
  }

  shortId(uuid: string): string {
    const h = hexOf(uuid);
    const l = this.list();
    const i = this.lower(h);
    let need = this.min;
    for (let j = i - 1; j <= i + 1; j++) {
      const o = l[j];
      if (o === undefined || o === h) continue;
      let k = 0;
      while (k < h.length && h[k] === o[k]) k++;
      need = Math.max(need, k + 1);
    }
    return h.slice(0, Math.min(need, 32));
  }
}
