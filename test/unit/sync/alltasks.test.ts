/**
 * Plan and agenda read every task from Taskwarrior 2.6's data files instead of a `task
 * export`: the two must show the same tasks with the same values (real `task`).
 */
import { describe, expect, it } from 'vitest';
import { allTasks } from '../../../sync/index.js';
import { twSandbox } from '../../helpers/tw.js';

const KEYS = ['uuid', 'status', 'description', 'project', 'priority', 'due', 'scheduled', 'wait', 'end', 'tags', 'depends', 'annotations'] as const;
const pick = (t: Record<string, unknown>) =>
  Object.fromEntries(KEYS.filter((k) => t[k] !== undefined && !(Array.isArray(t[k]) && (t[k] as unknown[]).length === 0)).map((k) => [k, t[k]]));

describe('every task from the data files', () => {
  it('is what task export shows: statuses, dates, tags, annotations, dependencies, hostile text', async () => {
    const sb = twSandbox();
    sb.task('add', 'plain one', 'project:Home.Kitchen', 'priority:H', 'due:2026-12-24T10:00:00', '+red', '+blue');
    sb.task('add', 'quotes "and" \\backslash [brackets] & ampersand: colon');
    sb.task('add', 'later one', 'wait:2030-01-01', 'scheduled:2026-12-01');
    sb.task('add', 'was waiting', 'wait:2026-01-01');
    sb.task('add', 'done one');
    sb.task('add', 'gone one');
    const all = sb.exportAll();
    const id = (d: string) => all.find((t) => t.description.startsWith(d))!.uuid;
    sb.task(id('done one'), 'done');
    sb.task(id('gone one'), 'delete');
    sb.task(id('plain one'), 'annotate', 'a note on it');
    sb.task(id('later one'), 'modify', `depends:${id('plain one')}`);
    const r = await allTasks(sb.tw, new Date());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    sb.resetCalls();
    const exported = sb.exportAll();
    const byUuid = (l: Record<string, unknown>[]) => l.map(pick).sort((a, b) => String(a.uuid).localeCompare(String(b.uuid)));
    expect(byUuid(r.value as never)).toEqual(byUuid(exported as never));
    expect(r.value.find((t) => t.description === 'was waiting')!.status).toBe('pending');
  });

  it('is one export on a database with no data file yet', async () => {
    const sb = twSandbox();
    const r = await allTasks(sb.tw, new Date());
    expect(r.ok && r.value).toEqual([]);
    expect(sb.calls().filter((c) => / export$/.test(c))).toHaveLength(1);
  });
});
