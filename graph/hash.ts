/**
 * A 53-bit FNV-1a style string hash (two 32-bit lanes), pure and fast. Content hashes turn
 * "what changed" into a comparison of two id → hash maps; collisions only cost a missed
 * change if two different versions of one task collide, about 1 in 2^53.
 */
export function hashString(s: string): string {
  return hashJoined([s]);
}

/**
 * `hashString(parts.join('\u0000'))` without building the joined string (a sync hashes every
 * task's fields; the joined copies were a good part of extraction's garbage).
 */
export function hashJoined(parts: readonly string[]): string {
  let len = parts.length - 1;
  for (const p of parts) len += p.length;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ len;
  for (let k = 0; k < parts.length; k++) {
    if (k > 0) {
      h1 = Math.imul(h1, 0x01000193);
      h2 = Math.imul(h2, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    const s = parts[k];
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + ((h2 >>> 11) >>> 0).toString(16).padStart(6, '0');
}
