/**
 * The headings a plan template writes around its generated sections ("* Carried over" over
 * `|planager carried`) are not projects: a task typed under one is no task of project
 * "Carried over" (the audit of issue 15 found exactly that in Taskwarrior). Headings the user
 * writes, and a viewport's heading, still are.
 */
import { describe, expect, it } from 'vitest';
import { extractObjects } from '../../../graph/index.js';
import { parse } from '../../../parser/index.js';

const projects = (text: string) => extractObjects(parse(text), 'journal/2026/12/07.norg').tasks.map((t) => [t.description, t.project]);

describe('projects in a plan note', () => {
  it('a section heading adds nothing to the project of the tasks under it', () => {
    const text = [
      '* Carried over',
      '|planager carried',
      '- ( ) Old thing %@1a2b3c4d%',
      '|end',
      '- ( ) Buy stamps',
      '* Work',
      '** Due today',
      '|planager due',
      '|end',
      '- ( ) Send the report',
      '** Hiring',
      '- ( ) Call Ann',
      '* Schedule',
      '|planager schedule',
      '|end',
      '- ( ) Book a room',
      '',
    ].join('\n');
    expect(projects(text)).toEqual([
      ['Buy stamps', ''],
      ['Send the report', 'Work'],
      ['Call Ann', 'Work.Hiring'],
      ['Book a room', ''],
    ]);
  });

  it('a viewport heading is the user’s project heading; a note without sections is as before', () => {
    expect(projects('* Errands\n|planager view project:Errands\n|end\n- ( ) Buy milk\n')).toEqual([['Buy milk', 'Errands']]);
    expect(projects('@document.meta\nproject: home\n@end\n* Carried over\n- ( ) Fix tap\n')).toEqual([['Fix tap', 'home.Carried over']]);
    expect(projects('@document.meta\nproject: home\n@end\n* Overdue\n|planager overdue\n|end\n- ( ) Fix tap\n')).toEqual([['Fix tap', 'home']]);
  });
});
