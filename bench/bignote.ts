/**
 * A big note (issue 12, case 13): a one-line edit's sync must cost in proportion to the note's
 * size. The same shape at 0.5 MB and 5 MB (a heading task over pages of prose, fifty list tasks
 * between them); the 5 MB edit is reported against the 0.5 MB one (linear: 10×) and against
 * the target of one second. Real `task`, throwaway TASKDATA; medians, sizes alternated.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sync, Taskwarrior } from '../sync/index.js';
import { median, ms, report, type Row } from './measure.js';

const PROSE = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.';

function bigNote(bytes: number): string {
  const out = ['* ( ) Write the book', '  - ( ) Outline the chapters', ''];
  const per = Math.ceil(bytes / 50);
  for (let t = 0; t < 50; t++) {
    out.push(`  - ( ) Chapter ${t}`, '');
    for (let s = 0; s < per; s += PROSE.length + 3) out.push(`  ${PROSE}`);
    out.push('');
  }
  return out.join('\n') + '\n';
}

async function setUp(bytes: number) {
  const dir = mkdtempSync(join(tmpdir(), 'planager-bench-big-'));
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'ws'));
  writeFileSync(join(dir, 'taskrc'), `data.location=${join(dir, 'data')}\nconfirmation=off\n`);
  const env = { PATH: process.env.PATH, HOME: dir, TASKRC: join(dir, 'taskrc'), TASKDATA: join(dir, 'data'), TZ: 'UTC' };
  const tw = new Taskwarrior({ env, timeoutMs: 120_000 });
  const file = join(dir, 'ws', 'book.norg');
  writeFileSync(file, bigNote(bytes));
  const t0 = performance.now();
  const r = await sync({ workspace: join(dir, 'ws'), tw });
  if (!r.ok) throw new Error(`big note: ${r.error?.message}`);
  return { dir, tw, file, first: performance.now() - t0 };
}

export async function benchBigNote(): Promise<Row[]> {
  const small = await setUp(500_000);
  const big = await setUp(5_000_000);
  const edits = { small: [] as number[], big: [] as number[] };
  for (let round = 0; round < 6; round++) {
    for (const [name, s] of [
      ['small', small],
      ['big', big],
    ] as const) {
      const text = readFileSync(s.file, 'utf8');
      const k = text.indexOf(`Chapter ${7 + round}`);
      writeFileSync(s.file, text.slice(0, k) + 'Chapter, edited, ' + text.slice(k + 'Chapter '.length));
      const t0 = performance.now();
      const r = await sync({ workspace: join(s.dir, 'ws'), tw: s.tw });
      if (!r.ok || r.taskwarrior.updated.length !== 1) throw new Error(`big note edit: ${r.error?.message ?? 'not one update'}`);
      if (round > 0) edits[name].push(performance.now() - t0);
    }
  }
  const e5 = median(edits.big);
  const e05 = median(edits.small);
  const rows: Row[] = [
    {
      name: '5 MB note: one-line edit synced (1 import)',
      value: ms(e5),
      baseline: `0.5 MB note, same edit ${ms(e05)}`,
      ratio: e5 / e05,
      target: '≤ 12× (linear: 10×)',
      pass: e5 / e05 <= 12,
    },
    { name: '5 MB note: one-line edit synced, against 1 s', value: ms(e5), baseline: '1 s', ratio: e5 / 1000, target: '≤ 1×', pass: e5 <= 1000 },
    {
      name: '5 MB note: first sync (51 tasks)',
      value: ms(big.first),
      baseline: `0.5 MB note ${ms(small.first)}`,
      ratio: big.first / small.first,
      target: '(informative)',
    },
  ];
  for (const s of [small, big]) rmSync(s.dir, { recursive: true, force: true });
  report('Big note (real task 2.6)', rows);
  return rows;
}
