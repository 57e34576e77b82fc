/** The free time of a day, and the queue of tasks ready to place (place.ts). */
import type { Span } from './time.js';

/** The hours minus every busy span, as sorted disjoint spans. */
export function freeTime(hours: Span, busy: readonly Span[]): Span[] {
  const cuts = busy.filter((b) => b.end > hours.start && b.start < hours.end).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  let at = hours.start;
  for (const b of cuts) {
    if (b.start > at) out.push({ start: at, end: Math.min(b.start, hours.end) });
    at = Math.max(at, b.end);
  }
  if (at < hours.end) out.push({ start: at, end: hours.end });
  return out;
}

/** A binary min-heap of ranks (indices into the urgency order). */
export class Ranks {
  private readonly h: number[] = [];
  get size(): number {
    return this.h.length;
  }
  push(x: number): void {
    const h = this.h;
    h.push(x);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (h[p] <= h[i]) break;
      [h[p], h[i]] = [h[i], h[p]];
      i = p;
    }
  }
  pop(): number {
    const h = this.h;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l] < h[m]) m = l;
        if (r < h.length && h[r] < h[m]) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }
}
