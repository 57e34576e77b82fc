/**
 * A three-way merge of line sequences (diff3), pure. Our own rather than a package (node-diff3
 * would do): the notes' merge driver needs only the regions below, ~100 lines, and a new runtime
 * dependency is one more thing every install downloads.
 *
 * The base is matched against each side by a longest common subsequence (common prefix and
 * suffix first, so a note with one edited line costs almost nothing); lines matched in both
 * sides at once are the stable points, and between them each region is taken from the side
 * that changed it, or reported as a conflict when both did, differently.
 */

export type Region<T> = { stable: true; lines: T[] } | { stable: false; base: T[]; ours: T[]; theirs: T[] };

/** Above this many cells the middle is taken as replaced whole (no matches): memory stays bounded. */
const MAX_CELLS = 4_000_000;

/** Pairs [i, j] with a[i] === b[j], increasing in both, as many as possible. */
export function lcsPairs<T>(a: readonly T[], b: readonly T[]): [number, number][] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const pairs: [number, number][] = [];
  for (let k = 0; k < pre; k++) pairs.push([k, k]);
  const n = a.length - pre - suf;
  const m = b.length - pre - suf;
  if (n > 0 && m > 0 && n * m <= MAX_CELLS) {
    // dp[i][j]: LCS length of a[pre+i..] and b[pre+j..], one flat array.
    const w = m + 1;
    const dp = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        dp[i * w + j] = a[pre + i] === b[pre + j] ? dp[(i + 1) * w + j + 1] + 1 : Math.max(dp[(i + 1) * w + j], dp[i * w + j + 1]);
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (a[pre + i] === b[pre + j]) {
        pairs.push([pre + i, pre + j]);
        i++;
        j++;
      } else if (dp[(i + 1) * w + j] >= dp[i * w + j + 1]) i++;
      else j++;
    }
  }
  for (let k = suf; k > 0; k--) pairs.push([a.length - k, b.length - k]);
  return pairs;
}

function sideMap<T>(base: readonly T[], side: readonly T[]): Int32Array {
  const m = new Int32Array(base.length).fill(-1);
  for (const [i, j] of lcsPairs(base, side)) m[i] = j;
  return m;
}

function same<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Edits of adjacent lines (no unchanged line between them) make one region: when every side
 * has as many lines there, line k of each side is merged on its own, and only a line both
 * changed differently is a conflict.
 */
function lineWise<T>(r: { base: T[]; ours: T[]; theirs: T[] }): T[] | null {
  const n = r.base.length;
  if (n === 0 || r.ours.length !== n || r.theirs.length !== n) return null;
  const out: T[] = [];
  for (let k = 0; k < n; k++) {
    const [b, o, t] = [r.base[k], r.ours[k], r.theirs[k]];
    if (o === t || t === b) out.push(o);
    else if (o === b) out.push(t);
    else return null;
  }
  return out;
}

/** The merge as regions: stable runs, and the unstable ones with what each side holds there. */
export function diff3<T>(base: readonly T[], ours: readonly T[], theirs: readonly T[]): Region<T>[] {
  const mo = sideMap(base, ours);
  const mt = sideMap(base, theirs);
  const out: Region<T>[] = [];
  const stable = (x: T): void => {
    const last = out[out.length - 1];
    if (last?.stable) last.lines.push(x);
    else out.push({ stable: true, lines: [x] });
  };
  let i = 0;
  let a = 0;
  let b = 0;
  for (;;) {
    if (i < base.length && mo[i] === a && mt[i] === b) {
      stable(base[i]);
      i++;
      a++;
      b++;
      continue;
    }
    let j = i;
    while (j < base.length && (mo[j] < 0 || mt[j] < 0)) j++;
    const ea = j < base.length ? mo[j] : ours.length;
    const eb = j < base.length ? mt[j] : theirs.length;
    const r = { base: base.slice(i, j), ours: ours.slice(a, ea), theirs: theirs.slice(b, eb) };
    if (r.base.length + r.ours.length + r.theirs.length > 0) {
      // One side unchanged, or both the same: no conflict, the region is simply that text.
      if (same(r.ours, r.base)) r.theirs.forEach(stable);
      else if (same(r.theirs, r.base) || same(r.ours, r.theirs)) r.ours.forEach(stable);
      else if (lineWise(r)) lineWise(r)!.forEach(stable);
      else out.push({ stable: false, ...r });
    }
    if (j >= base.length) break;
    i = j;
    a = ea;
    b = eb;
  }
  return out;
}
