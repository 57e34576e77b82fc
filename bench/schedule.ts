/**
 * The day's schedule (issue 16): 500 candidate tasks — mirrors in a daily note, with
 * estimates, due dates, priorities, ages and dependency chains — scheduled into a day with
 * breaks and fixed events, and a second time over the note it wrote (every block read back).
 * Baseline: parsing that day's note, in the same run. Target: scheduling ≤ 20 ms.
 */
import { parse } from '../parser/index.js';
import { schedule, type PlanTask } from '../plan/index.js';
import { place } from '../plan/schedule/index.js';
import { readInputs } from '../plan/schedule/inputs.js';
import { ms, time, type Row } from './measure.js';

const DAY = { y: 2026, m: 12, d: 4 };
const FILE = 'journal/2026/12/04.norg';

/** Deterministic pseudo-random numbers (the same day every run). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

export function dayOf500(n = 500): { text: string; tasks: PlanTask[] } {
  const rnd = lcg(16);
  const tasks: PlanTask[] = [];
  for (let i = 0; i < n; i++) {
    const uuid = `${i.toString(16).padStart(8, '0')}-5eed-4000-8000-${i.toString(16).padStart(12, '0')}`;
    const dep = i > 0 && rnd() < 0.3 ? [tasks[Math.floor(rnd() * i)].uuid] : [];
    tasks.push({
      uuid,
      id: uuid.slice(0, 8),
      description: `Task number ${i} with a few words`,
      status: 'undone',
      waiting: false,
      priority: [null, 'A', 'B', 'C'][Math.floor(rnd() * 4)],
      due: rnd() < 0.4 ? new Date(2026, 11, 1 + Math.floor(rnd() * 8), 12) : null,
      scheduled: null,
      end: null,
      depends: dep,
      project: null,
      home: { file: `area${i % 20}.norg`, line: 3 + i, headingPath: [`Project ${i % 7}`], headingLevel: 1 },
      tags: rnd() < 0.5 ? [`estimate_${5 + Math.floor(rnd() * 12) * 5}m`] : [],
      entry: new Date(2026, 10, 1 + (i % 30)),
      estimate: null,
    });
  }
  const lines = ['@document.meta', 'title: Friday 4th December 2026', '@end', '', '* Today'];
  for (const t of tasks) lines.push(`- ( ) ${t.description} {:../../../${t.home!.file.replace(/\.norg$/, '')}:* ${t.home!.headingPath[0]}}[x] %@${t.id}%`);
  lines.push('', '* Fixed', '|planager fixed', '- 10:00-10:30 Standup', '- 14:00-15:00 Review meeting', '|end', '');
  lines.push('* Schedule', '|planager schedule 07:00-21:00 break 12:00-13:00 break 16:00-16:15 estimate 10m', '|end', '');
  return { text: lines.join('\n'), tasks };
}

export function benchSchedule(): Row[] {
  const { text, tasks } = dayOf500();
  const first = schedule({ file: FILE, text, day: DAY, tasks });
  if ('code' in first) throw new Error(first.message);
  const written = first.text;
  const placed = first.placement.blocks.filter((b) => b.uuid).length;
  // Warm-up enough for the JIT to settle on every phase before any sample counts.
  const opts = { warmup: 20, runs: 15 };
  const parseMs = time(() => parse(written), opts);
  const inputs = readInputs(parse(written), DAY, tasks);
  if ('code' in inputs) throw new Error(inputs.message);
  const placeMs = time(() => place(inputs.input), opts);
  const fresh = time(() => schedule({ file: FILE, text, day: DAY, tasks }), opts);
  const again = time(() => schedule({ file: FILE, text: written, day: DAY, tasks }), opts);
  const base = `parse the note ${ms(parseMs)}`;
  return [
    {
      name: `500 candidates: schedule a day (${placed} placed, ${first.placement.unplaced.length} not fitting)`,
      value: ms(fresh),
      baseline: base,
      ratio: fresh / parseMs,
      target: '≤ 20 ms',
      pass: fresh <= 20,
    },
    {
      name: '500 candidates: regenerate over the note it wrote',
      value: ms(again),
      baseline: base,
      ratio: again / parseMs,
      target: '≤ 20 ms',
      pass: again <= 20,
    },
    { name: '500 candidates: the placement alone (no parsing, no rendering)', value: ms(placeMs), baseline: base, ratio: placeMs / parseMs },
  ];
}
