/**
 * Case 15: the inbox. A Taskwarrior task whose project no heading holds is collected into the
 * inbox note (`planager sync --inbox inbox.norg`). The inbox line cannot show `project:misc`,
 * so Taskwarrior keeps it however the line is edited, by whichever command; and `restore`
 * brings back every field of a logged version, the project included.
 */
import { describe, expect, it } from 'vitest';
import { history, restore, type SyncOptions } from '../../../../sync/index.js';
import { linesOf, setup, type Env } from './util.js';

const PLAN = ['@document.meta', 'project: home', '@end', '', '* Garden', '  - ( ) Rake the leaves', ''].join('\n');

async function collected(): Promise<{ env: Env; uuid: string }> {
  const env = setup({ 'plan.norg': PLAN });
  expect((await env.run()).code).toBe(0);
  env.sb.task('add', 'Loose', 'project:misc', 'priority:H', 'due:2027-01-20', '+errand');
  const r = await env.run({ inbox: 'inbox.norg' });
  expect(r.code).toBe(0);
  expect(linesOf(env.ws, 'Loose')).toHaveLength(1);
  expect(linesOf(env.ws, 'Loose')[0].file).toBe('inbox.norg');
  return { env, uuid: env.tw('Loose').uuid };
}

/** The fields the user gave the task in Taskwarrior, as Taskwarrior holds them. */
function fieldsOf(env: Env, uuid: string) {
  const t = env.byUuid(uuid)!;
  return { description: t.description, status: t.status, project: t.project, priority: t.priority, due: t.due, tags: t.tags };
}

/** Two more full syncs (with and without --inbox) change nothing and the project stays. */
async function stable(env: Env, uuid: string): Promise<void> {
  for (const o of [{ inbox: 'inbox.norg' }, {}] as Partial<SyncOptions>[]) {
    const before = env.read('inbox.norg');
    const r = await env.run(o);
    expect(r.code).toBe(0);
    expect(r.changed, `a sync ${JSON.stringify(o)} changed something: ${JSON.stringify(r.taskwarrior)}`).toBe(false);
    expect(env.read('inbox.norg')).toBe(before);
    expect(env.byUuid(uuid)!.project).toBe('misc');
  }
  expect(linesOf(env.ws, env.byUuid(uuid)!.description)).toHaveLength(1);
}

describe('case 15: the inbox keeps the project; restore restores every field', () => {
  for (const [how, opts] of [
    ['`planager sync --inbox inbox.norg`', { inbox: 'inbox.norg' }],
    ['`planager sync`', {}],
    ['`planager push inbox.norg`', { files: ['inbox.norg'], direction: 'push' }],
  ] as [string, Partial<SyncOptions>][]) {
    it(`editing the inbox line, then ${how}: Taskwarrior keeps project misc`, async () => {
      const { env, uuid } = await collected();
      const original = fieldsOf(env, uuid);
      expect(original.project).toBe('misc');
      env.edit('inbox.norg', 'Loose', 'Loose end');
      const r = await env.run(opts);
      expect(r.code).toBe(0);
      expect(r.taskwarrior.updated).toEqual([uuid]);
      expect(fieldsOf(env, uuid)).toEqual({ ...original, description: 'Loose end' });
      // Ticking it later is a second edit of the same line.
      env.edit('inbox.norg', /- \((\s)(\|[^)]*)?\) Loose end/, '- (x|# A|< 2027-01-20) Loose end');
      const r2 = await env.run(opts);
      expect(r2.code).toBe(0);
      const done = fieldsOf(env, uuid);
      expect(done.status).toBe('completed');
      expect(done.project).toBe('misc');
      expect(done.tags).toEqual(['errand']);
      await stable(env, uuid);
    });
  }

  it('restore --version 1 brings back every field of the version an edit replaced, project included', async () => {
    const { env, uuid } = await collected();
    const original = fieldsOf(env, uuid);
    env.edit('inbox.norg', 'Loose', 'Loose thread');
    expect((await env.run()).code).toBe(0);
    expect(fieldsOf(env, uuid)).toEqual({ ...original, description: 'Loose thread' });

    const h = await history({ workspace: env.ws }, uuid);
    expect(h.ok).toBe(true);
    if (!h.ok) return;
    const v1 = h.versions.find((v) => v.n === 1)!;
    expect(v1.fields).toMatchObject({ description: 'Loose', project: 'misc', priority: 'A', tags: ['errand'] });

    const r = await restore({ workspace: env.ws, tw: env.sb.tw }, uuid, 1);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(fieldsOf(env, uuid)).toEqual(original);
    expect(linesOf(env.ws, 'Loose')).toHaveLength(1);
    expect(linesOf(env.ws, 'Loose')[0].file).toBe('inbox.norg');
    expect(linesOf(env.ws, 'Loose thread')).toHaveLength(0);
    // The restore itself is a change like any other: the value it replaced is in the history.
    const h2 = await history({ workspace: env.ws }, uuid);
    expect(h2.ok && h2.versions.some((v) => v.n > 0 && v.fields.description === 'Loose thread')).toBe(true);
    await stable(env, uuid);
  });

  it('restore of the version a tick replaced brings the task back to pending in misc', async () => {
    const { env, uuid } = await collected();
    const original = fieldsOf(env, uuid);
    env.edit('inbox.norg', /- \((\s)(\|[^)]*)?\) Loose/, '- (x|# A|< 2027-01-20) Loose');
    expect((await env.run({ inbox: 'inbox.norg' })).code).toBe(0);
    expect(env.byUuid(uuid)!.status).toBe('completed');
    const r = await restore({ workspace: env.ws, tw: env.sb.tw, inbox: 'inbox.norg' }, uuid, 1);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(fieldsOf(env, uuid)).toEqual(original);
    expect(linesOf(env.ws, 'Loose').map((t) => [t.file, t.status])).toEqual([['inbox.norg', 'undone']]);
    await stable(env, uuid);
  });
});
