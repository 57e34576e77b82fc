/**
 * Parser speed: throughput on the corpus and on generated 1 MB / 10 MB planning documents,
 * against @lezer/markdown parsing Markdown of the same size and shape in the same run; and
 * re-parsing a 10,000-line file after a one-line edit against its first parse.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser as markdown } from '@lezer/markdown';
import { parse, reparse } from '../parser/index.js';
import { markdownPlan, norgLines, norgPlan } from './gen.js';
import { mbps, ms, report, time, type Row } from './measure.js';

export function benchParser(sharedDir: string | null): Row[] {
  const rows: Row[] = [];
  if (sharedDir) {
    const dir = join(sharedDir, 'norg', 'corpus');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.norg'))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    const bytes = files.reduce((a, f) => a + f.length, 0);
    const md = markdownPlan(bytes, 7);
    const ours = time(() => files.forEach((f) => parse(f)), { runs: 15 });
    const lezer = time(() => markdown.parse(md), { runs: 15 });
    rows.push({
      name: `corpus (${files.length} files, ${(bytes / 1024).toFixed(0)} KB)`,
      value: mbps(bytes, ours),
      baseline: `Lezer ${mbps(bytes, lezer)}`,
      ratio: lezer / ours,
      target: '≥ 1.0× Lezer',
      pass: lezer / ours >= 1,
    });
  }
  for (const size of [1_000_000, 10_000_000]) {
    const norg = norgPlan(size);
    const md = markdownPlan(size);
    const runs = size > 5e6 ? 5 : 9;
    const ours = time(() => parse(norg), { runs, warmup: 1, minMs: 0 });
    const lezer = time(() => markdown.parse(md), { runs, warmup: 1, minMs: 0 });
    rows.push({
      name: `generated plan ${size / 1e6} MB`,
      value: mbps(size, ours),
      baseline: `Lezer ${mbps(size, lezer)}`,
      ratio: lezer / ours,
      target: '≥ 1.0× Lezer',
      pass: lezer / ours >= 1,
    });
  }
  const text = norgLines(10_000);
  const first = time(() => parse(text), { runs: 9 });
  const tree = parse(text);
  // Edit one task line in the middle: change its status and a word.
  const lines = text.split('\n');
  let target = 5000;
  while (!/^\s*-+ \(/.test(lines[target])) target++;
  const lineStart = lines.slice(0, target).reduce((a, l) => a + l.length + 1, 0);
  const open = text.indexOf('(', lineStart);
  let flip = 0;
  const again = time(() => reparse(tree, { from: open + 1, to: open + 2, insert: flip++ % 2 ? 'x' : ' ' }), { runs: 15 });
  const stats = reparse(tree, { from: open + 1, to: open + 2, insert: 'x' }).stats;
  rows.push({
    name: `10,000-line file: re-parse after a one-line edit (${stats.scanned} leaves scanned, ${stats.reused} reused)`,
    value: ms(again),
    baseline: `first parse ${ms(first)}`,
    ratio: again / first,
    target: '< 0.1× first parse',
    pass: again / first < 0.1,
  });
  report('Parser', rows);
  return rows;
}
