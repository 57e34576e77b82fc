/** Timing helpers: medians of repeated runs after a warm-up, reported as ratios in one run. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function time(fn: () => unknown, opts: { runs?: number; warmup?: number; minMs?: number } = {}): number {
  const runs = opts.runs ?? 9;
  for (let i = 0; i < (opts.warmup ?? 2); i++) fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Repeat fast bodies so that one sample is long enough for the clock.
    let reps = 0;
    const t0 = performance.now();
    let t1 = t0;
    do {
      fn();
      reps++;
      t1 = performance.now();
    } while (t1 - t0 < (opts.minMs ?? 5));
    xs.push((t1 - t0) / reps);
  }
  return median(xs);
}

export async function timeAsync(fn: () => Promise<unknown>, opts: { runs?: number; warmup?: number } = {}): Promise<number> {
  for (let i = 0; i < (opts.warmup ?? 1); i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < (opts.runs ?? 5); i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

export interface Row {
  name: string;
  value: string;
  baseline?: string;
  ratio?: number;
  target?: string;
  pass?: boolean;
}

export function report(title: string, rows: Row[]): void {
  // stdout directly: the neovim client replaces console.* in the process that attaches.
  const out = (l: string) => process.stdout.write(l + '\n');
  out(`\n## ${title}\n`);
  out('| measure | value | baseline (same run) | ratio | target | |');
  out('|---|---|---|---|---|---|');
  for (const r of rows) {
    const mark = r.pass === undefined ? '' : r.pass ? 'ok' : 'MISSED';
    out(`| ${r.name} | ${r.value} | ${r.baseline ?? ''} | ${r.ratio === undefined ? '' : r.ratio.toFixed(3) + '×'} | ${r.target ?? ''} | ${mark} |`);
  }
}

export const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(3)) + ' ms';
export const mbps = (bytes: number, msPer: number) => (bytes / 1e6 / (msPer / 1000)).toFixed(1) + ' MB/s';
