/**
 * The schedule over a day's note: the syntax it reads (hours, breaks, fixed events, estimates,
 * blocks), the section it writes, and regeneration — the same bytes again, and a block the
 * user moved (pinned) kept where it was put, the rest filled around it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractMirrors, extractTasks, parse } from '../../../parser/index.js';
import { refresh, schedule, periodOf, type PlanTask, type Scheduled } from '../../../plan/index.js';
import { parseBlockLine, parseDuration, parseFrame } from '../../../plan/schedule/index.js';
import { planTaskOf } from '../../helpers/plan-arb.js';

const DAY = { y: 2026, m: 12, d: 4 };
const FILE = 'journal/2026/12/04.norg';

function task(n: number, description: string, extra: Partial<PlanTask> = {}): PlanTask {
  return planTaskOf(`${String(n).padStart(8, 'a')}-1111-4111-8111-111111111111`, { description, ...extra });
}

const noteFor = (tasks: PlanTask[], head = '') => `* Today\n${head}${tasks.map((t) => `- ( ) ${t.description} %@${t.id}%\n`).join('')}`;

function run(text: string, tasks: PlanTask[]): Scheduled {
  const r = schedule({ file: FILE, text, day: DAY, tasks });
  if ('code' in r) throw new Error(r.message);
  return r;
}

const blockOf = (r: Scheduled, d: string) => r.placement.blocks.find((b) => b.description === d);
const at = (r: Scheduled, d: string) => {
  const b = blockOf(r, d);
  return b ? `${String(Math.floor(b.start / 60)).padStart(2, '0')}:${String(b.start % 60).padStart(2, '0')}` : null;
};

describe('reading the inputs', () => {
  it('durations as people and Taskwarrior write them', () => {
    expect([parseDuration('1h30'), parseDuration('1h30m'), parseDuration('90m'), parseDuration('90min'), parseDuration('2h'), parseDuration('1.5h')]).toEqual([
      90, 90, 90, 90, 120, 90,
    ]);
    expect([parseDuration('PT1H30M'), parseDuration('P1DT2H'), parseDuration('5400'), parseDuration('PT45S')]).toEqual([90, 1560, 90, 1]);
    expect([parseDuration('soon'), parseDuration('P'), parseDuration('')]).toEqual([null, null, null]);
  });

  it('the schedule tag names working hours, breaks and the default estimate; a bare tag means the defaults; a bad word is an error value', () => {
    expect(parseFrame(['08:30-16:30', 'break', '12:00-12:45', 'break', '15:00-15:10', 'estimate', '45m'], 3)).toEqual({
      hours: { start: 510, end: 990 },
      breaks: [
        { start: 720, end: 765 },
        { start: 900, end: 910 },
      ],
      defaultEstimate: 45,
    });
    expect(parseFrame([], 3)).toEqual({ hours: { start: 540, end: 1020 }, breaks: [{ start: 720, end: 780 }], defaultEstimate: 30 });
    expect(parseFrame(['9-17'], 3)).toMatchObject({ code: 'bad-schedule', message: expect.stringContaining('line 3') });
    expect(parseFrame(['09:00-17:00', 'break'], 3)).toMatchObject({ code: 'bad-schedule' });
    const r = schedule({ file: FILE, text: '|planager schedule 17:00-09:00\n|end\n', day: DAY, tasks: [] });
    expect(r).toMatchObject({ code: 'bad-schedule' });
  });

  it('block lines: derived, moved (pinned), marked pinned, done, the user’s own, fixed, and not blocks at all', () => {
    expect(parseBlockLine('- 09:00-10:30 Cut it {:w:* R}[w: R] %block 1a2b3c4d 09:00-10:30%')).toEqual({
      kind: 'derived',
      id: '1a2b3c4d',
      span: { start: 540, end: 630 },
    });
    expect(parseBlockLine('- 09:30-11:00 Cut it {:w:* R}[w: R] %block 1a2b3c4d 09:00-10:30%')).toEqual({
      kind: 'pinned',
      span: { start: 570, end: 660 },
      id: '1a2b3c4d',
      text: 'Cut it',
      done: false,
    });
    expect(parseBlockLine('- 09:00-10:30 Cut it %block 1a2b3c4d pinned%')).toMatchObject({ kind: 'pinned', id: '1a2b3c4d' });
    // Neorg's toggle makes a block a todo item: (x) is done and stays where it is; ( ) is none.
    expect(parseBlockLine('- (x) 09:00-10:30 Cut it %block 1a2b3c4d 09:00-10:30%')).toMatchObject({ kind: 'pinned', id: '1a2b3c4d', done: true });
    expect(parseBlockLine('- ( ) 09:00-10:30 Cut it %block 1a2b3c4d 09:00-10:30%')).toEqual({
      kind: 'derived',
      id: '1a2b3c4d',
      span: { start: 540, end: 630 },
    });
    expect(parseBlockLine('- 16:00-17:00 Gym')).toEqual({ kind: 'pinned', span: { start: 960, end: 1020 }, id: null, text: 'Gym', done: false });
    expect(parseBlockLine('- 14:00-15:00 Dentist %fixed%')).toEqual({ kind: 'derived', id: null, span: { start: 840, end: 900 } });
    expect(parseBlockLine('- 10:00-09:00 Backwards')).toMatchObject({ kind: 'bad' });
    expect(parseBlockLine('Remember the keys')).toBeNull();
  });
});

describe('generating the schedule section', () => {
  const release = task(1, 'Cut the release', { priority: 'A', tags: ['estimate_1h30'], due: new Date(2026, 11, 4, 17) });
  const changelog = task(2, 'Write the changelog', { estimate: 'PT45M' });
  const plumber = task(3, 'Phone the plumber', { entry: new Date(2026, 10, 1) });
  const tasks = [release, changelog, plumber];
  release.depends = [changelog.uuid];

  it('writes a new section at the end of the note: blocks in working hours, around the timed items and breaks, a dependency first', () => {
    const r = run(noteFor(tasks, '- ( |@ 09:00-09:30) Standup\n'), tasks);
    expect(r.text).toBe(
      [
        '* Today',
        '- ( |@ 09:00-09:30) Standup',
        ...tasks.map((t) => `- ( ) ${t.description} %@${t.id}%`),
        '',
        '* Schedule',
        '|planager schedule 09:00-17:00 break 12:00-13:00 estimate 30m',
        '- 09:00-09:30 Standup %fixed%',
        // The release (due today, A) waits for the changelog, which so goes first.
        `- 09:30-10:15 Write the changelog %block ${changelog.id} 09:30-10:15%`,
        `- 10:15-11:45 Cut the release %block ${release.id} 10:15-11:45%`,
        // 30 minutes do not fit in 11:45-12:00, and 12:00-13:00 is the break.
        `- 13:00-13:30 Phone the plumber %block ${plumber.id} 13:00-13:30%`,
        '|end',
        '',
      ].join('\n'),
    );
    expect(r.changed).toBe(true);
    // Blocks are neither tasks nor mirrors: no extraction, sync or refresh takes them for one.
    const tree = parse(r.text);
    expect(extractTasks(tree).map((t) => t.description)).toEqual(['Standup']);
    expect(extractMirrors(tree)).toHaveLength(3);
  });

  it('regenerating gives the same bytes, and a plan refresh leaves the section alone', () => {
    const planned = refresh({ file: FILE, text: noteFor(tasks), period: periodOf('daily', DAY), tasks, notes: [], carried: new Set() }).text;
    const r = run(planned, tasks);
    const again = run(r.text, tasks);
    expect(again.text).toBe(r.text);
    expect(again.changed).toBe(false);
    const refreshed = refresh({ file: FILE, text: r.text, period: periodOf('daily', DAY), tasks, notes: [], carried: new Set() });
    expect(refreshed.text).toBe(r.text);
    expect(refreshed.warnings).toEqual([]);
  });

  it('a block whose times the user changed is pinned: kept there, marked, the rest filled around it; it stays pinned', () => {
    const r = run(noteFor(tasks), tasks);
    expect(r.text).toContain(`- 09:45-11:15 Cut the release %block ${release.id} 09:45-11:15%`);
    const edited = r.text.replace(`- 09:45-11:15 Cut the release`, `- 14:00-15:30 Cut the release`);
    expect(edited).not.toBe(r.text);
    const p = run(edited, tasks);
    expect(p.text).toContain(`- 14:00-15:30 Cut the release %block ${release.id} pinned%`);
    expect(blockOf(p, 'Cut the release')).toMatchObject({ pinned: true, uuid: release.uuid });
    // What the pinned release waits for still goes before it; the plumber fills around.
    expect(at(p, 'Write the changelog')).toBe('09:00');
    expect(at(p, 'Phone the plumber')).toBe('09:45');
    expect(blockOf(p, 'Write the changelog')?.why.join('; ')).toContain('before "Cut the release" (pinned at 14:00)');
    expect(run(p.text, tasks).text).toBe(p.text);
  });

  it('keeps the user’s own blocks and notes, reads a |planager fixed section, and says why tasks did not fit', () => {
    const later = task(4, 'File the taxes', { scheduled: new Date(2026, 11, 9) });
    const blocked = task(5, 'Ship the parcel', { depends: [task(6, 'Buy a box').uuid] });
    const box = task(6, 'Buy a box', { status: 'onhold' });
    const long = task(7, 'Rewrite everything', { tags: ['estimate_9h'] });
    const all = [...tasks, later, blocked, box, long];
    const text = `${noteFor(all)}\n|planager fixed\n- 10:00-11:00 Dentist\n- later Lunch with Sam\n|end\n\n* Schedule\n|planager schedule 09:00-13:00 estimate 1h\n- 12:00-13:00 Gym\nRemember the keys\n|end\n`;
    const r = run(text, all);
    expect(r.text).toContain(
      [
        '|planager schedule 09:00-13:00 estimate 1h',
        `- 09:00-09:45 Write the changelog %block ${changelog.id} 09:00-09:45%`,
        '- 10:00-11:00 Dentist %fixed%',
        `- 11:00-12:00 Phone the plumber %block ${plumber.id} 11:00-12:00%`,
        '- 12:00-13:00 Gym',
        'Remember the keys',
        '|end',
      ].join('\n'),
    );
    const why = Object.fromEntries(r.placement.unplaced.map((u) => [u.description, u.reason]));
    expect(why).toEqual({
      'Cut the release': 'it needs 1h30; the longest free time left is 1h',
      'File the taxes': 'it is scheduled for Wed 9th Dec 2026, after this day',
      'Ship the parcel': 'it depends on "Buy a box", which is open and not planned today',
      'Rewrite everything': 'it needs 9h; the working hours are 4h',
    });
    expect(r.warnings).toEqual([expect.stringContaining('"later" is not HH:MM-HH:MM')]);
    expect(r.explanation).toContain('Did not fit:');
    expect(run(r.text, all).text).toBe(r.text);
  });

  it('a timed item without a status is a fixed event too; the user’s lines in the section are kept byte for byte', () => {
    const one = task(11, 'Write the report', { tags: ['estimate_1h'] });
    const text = `${noteFor([one], '- (@ 09:00-09:45) Standup\n')}\n* Schedule\n  |planager schedule 09:00-12:00\n  - 11:00-12:00 Lunch with Sam\n    -- bring the book\n\t% a comment %\n  |end\n`;
    const r = run(text, [one]);
    expect(r.text).toContain(
      [
        '  |planager schedule 09:00-12:00',
        '  - 09:00-09:45 Standup %fixed%',
        `  - 09:45-10:45 Write the report %block ${one.id} 09:45-10:45%`,
        '  - 11:00-12:00 Lunch with Sam',
        '    -- bring the book',
        '\t% a comment %',
        '  |end',
      ].join('\n'),
    );
    expect(run(r.text, [one]).text).toBe(r.text);
  });

  it('a second schedule section is left as it is, with a warning', () => {
    const text = '|planager schedule 09:00-10:00\n|end\n\n|planager schedule 13:00-14:00\n- 13:00-13:30 x %block aaaaaaa1 13:00-13:30%\n|end\n';
    const r = run(text, []);
    expect(r.text).toBe(text);
    expect(r.warnings).toEqual(['line 4: a second |planager schedule; only the first (line 1) is generated, this one is left as it is']);
  });

  it('a task scheduled at a time today starts no earlier; done, waiting and on-hold tasks are no candidates', () => {
    const call = task(8, 'Call the bank', { scheduled: new Date(2026, 11, 4, 15, 30) });
    const done = task(9, 'Done already', { status: 'done' });
    const waits = task(10, 'Waits', { waiting: true });
    const r = run(noteFor([call, done, waits]), [call, done, waits]);
    expect(at(r, 'Call the bank')).toBe('15:30');
    expect(r.input.candidates.map((c) => c.description)).toEqual(['Call the bank']);
    expect(blockOf(r, 'Call the bank')?.why.join('; ')).toContain('not before 15:30 (its scheduled time)');
  });
});

describe('pinned blocks survive regeneration (generated days)', () => {
  it('moving any placed block to any time of the day pins it there, whatever else the day holds', () => {
    const dayArb = fc.record({
      n: fc.integer({ min: 1, max: 12 }),
      minutes: fc.array(
        fc.integer({ min: 1, max: 8 }).map((q) => q * 15),
        { minLength: 12, maxLength: 12 },
      ),
      pick: fc.nat(),
      to: fc.integer({ min: 9 * 4, max: 16 * 4 }).map((q) => q * 15),
    });
    fc.assert(
      fc.property(dayArb, ({ n, minutes, pick, to }) => {
        const ts = Array.from({ length: n }, (_, i) => task(20 + i, `Task ${i}`, { tags: [`estimate_${minutes[i]}m`] }));
        const r = run(noteFor(ts), ts);
        const placed = r.placement.blocks.filter((b) => b.uuid);
        if (placed.length === 0) return;
        const b = placed[pick % placed.length];
        const span = (s: number, e: number) =>
          `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}-${String(Math.floor(e / 60)).padStart(2, '0')}:${String(e % 60).padStart(2, '0')}`;
        const end = Math.min(17 * 60, to + (b.end - b.start));
        const edited = r.text.replace(`- ${span(b.start, b.end)} ${b.description} `, `- ${span(to, end)} ${b.description} `);
        const p = run(edited, ts);
        const kept = p.placement.blocks.find((x) => x.uuid === b.uuid)!;
        if (to === b.start && end === b.end) {
          expect(kept.pinned).toBe(false);
          return;
        }
        expect(kept).toMatchObject({ start: to, end, pinned: true });
        for (const o of p.placement.blocks) if (o !== kept) expect(o.start < kept.end && kept.start < o.end).toBe(false);
        expect(run(p.text, ts).text).toBe(p.text);
      }),
      { seed: 20261217, numRuns: 150 },
    );
  });
});
