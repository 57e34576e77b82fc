import { describe, expect, it } from 'vitest';
import { extractObjects, lightTasks } from '../../../graph/index.js';
import { extractMirrors, extractTasks, parse } from '../../../parser/index.js';
import { mirrorContent, showDate, type PlanTask } from '../../../plan/index.js';

const home = '* Release\n  - ( |# A) Cut the release %#e75cad46%\n';

const task = (over: Partial<PlanTask> = {}): PlanTask => ({
  uuid: 'e75cad46-0000-4000-8000-000000000000',
  id: 'e75cad46',
  description: 'Cut the release',
  status: 'undone',
  waiting: false,
  priority: 'A',
  due: new Date(2026, 11, 4),
  scheduled: new Date(2026, 11, 3, 9, 30),
  end: null,
  depends: [],
  project: 'Release',
  home: { file: 'work.norg', line: 2, headingPath: ['Release'], headingLevel: 1 },
  ...over,
});

describe('mirror lines', () => {
  it('show status, priority, dates, a link Neorg follows to the home heading, and the marker', () => {
    expect(mirrorContent(task(), 'journal/2026/12/04.norg')).toBe(
      '( |# A|< Fri 4th Dec 2026|> Thu 3rd Dec 2026 09:30) Cut the release {:../../../work:* Release}[work: Release] %@e75cad46%',
    );
    expect(mirrorContent(task({ home: null, priority: null, due: null, scheduled: null, status: 'done' }), 'p.norg')).toBe('(x) Cut the release %@e75cad46%');
    // A description that reads as an id comment or a marker is escaped, so it stays text.
    expect(mirrorContent(task({ home: null, priority: null, due: null, scheduled: null, description: 'a %#12345678% b %@12345678%' }), 'p.norg')).toBe(
      '( ) a \\%#12345678% b \\%@12345678% %@e75cad46%',
    );
    expect(showDate(new Date(2026, 10, 22))).toBe('Sun 22nd Nov 2026');
    expect(showDate(new Date(2026, 10, 13, 10, 5))).toBe('Fri 13th Nov 2026 10:05');
  });

  it('are not tasks for any extraction, so the duplicate-id rule cannot fire (a copied home line does)', () => {
    const mirror = `- ${mirrorContent(task(), 'plan.norg')}\n`;
    const text = `${home}\n${mirror}`;
    const tree = parse(text);
    expect(extractTasks(tree).map((t) => t.description)).toEqual(['Cut the release']);
    expect(extractObjects(tree, 'f.norg').tasks).toHaveLength(1);
    expect(extractObjects(tree, 'f.norg').duplicateIds).toEqual([]);
    expect(lightTasks(tree, 'f.norg')).toHaveLength(1);
    expect(extractMirrors(tree)).toEqual([expect.objectContaining({ line: 4, id: 'e75cad46', status: 'undone' })]);
    const copied = parse(`${home}\n- ( ) Cut the release %#e75cad46%\n`);
    expect(extractObjects(copied, 'f.norg').duplicateIds).toHaveLength(1);
  });

  it('a line with an id comment stays a task even when its text holds a marker', () => {
    const tree = parse('- ( ) text %@12345678% %#abcdef01%\n');
    expect(extractTasks(tree)).toHaveLength(1);
    expect(extractMirrors(tree)).toEqual([]);
    expect(lightTasks(tree, 'f.norg')).toEqual([expect.objectContaining({ id: 'abcdef01' })]);
  });

  it('inside |example or |comment a mirror-looking line is nothing', () => {
    expect(extractMirrors(parse('|example\n- ( ) x %@12345678%\n|end\n'))).toEqual([]);
  });
});
