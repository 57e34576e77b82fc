/**
 * Case 14: every value a sync replaces is in `planager history`, including the ones the
 * issue found missing: a project changed by a move (on either side, subtasks included) and a
 * status a parent derives from its children, on a new task as on an old one.
 */
import { describe, expect, it } from 'vitest';
import { history, type Version } from '../../../../sync/index.js';
import { linesOf, settle, setup, type Env } from './util.js';

const NOTE = [
  '@document.meta',
  'project: home',
  '@end',
  '',
  '* Garden',
  '  - ( ) Fix the fence',
  '  -- ( ) Buy nails',
  '* Kitchen',
  '  - ( ) Paint the walls',
  '',
].join('\n');

async function versions(env: Env, uuid: string): Promise<Version[]> {
  const h = await history({ workspace: env.ws }, uuid);
  if (!h.ok) throw new Error(h.message);
  return h.versions;
}

/** A logged version (not the current one) where `field` had `value` and was replaced. */
async function expectInHistory(env: Env, uuid: string, field: string, value: unknown, source?: 'note' | 'taskwarrior'): Promise<void> {
  const vs = await versions(env, uuid);
  const hit = vs.some(
    (v) =>
      v.n > 0 &&
      v.changed.includes(field) &&
      JSON.stringify((v.fields as unknown as Record<string, unknown>)[field]) === JSON.stringify(value) &&
      (!source || v.source === source),
  );
  expect(
    hit,
    `history of ${uuid.slice(0, 8)} has no ${source ?? ''} version with ${field}=${JSON.stringify(value)}: ${JSON.stringify(vs.map((v) => [v.n, v.source, v.action, v.changed, (v.fields as unknown as Record<string, unknown>)[field]]))}`,
  ).toBe(true);
}

describe('case 14: project changes and derived statuses are in the history', () => {
  it('a project changed in Taskwarrior: the moved line and its subtask both have the old project in their history', async () => {
    const env = setup({ 'plan.norg': NOTE });
    expect((await env.run()).code).toBe(0);
    const fence = env.tw('Fix the fence').uuid;
    const nails = env.tw('Buy nails').uuid;
    env.sb.task(fence, 'modify', 'project:home.Kitchen');
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(env.read('plan.norg')).toMatch(/\* Kitchen\n(?:.*\n)*? {2}- \( \) Fix the fence %#[0-9a-f]{8}%\n {2}-- \( \) Buy nails %#[0-9a-f]{8}%/);
    expect(env.byUuid(nails)!.project).toBe('home.Kitchen');
    // The line's old place (the note's value) is replaced by Taskwarrior's.
    await expectInHistory(env, fence, 'project', 'home.Garden', 'note');
    // The subtask follows its parent: Taskwarrior's value for it is replaced by this sync.
    await expectInHistory(env, nails, 'project', 'home.Garden', 'taskwarrior');
    await settle(env, ['Fix the fence', 'Buy nails', 'Paint the walls']);
  });

  it('a line moved under another heading in the note: Taskwarrior’s old project is in the history', async () => {
    const env = setup({ 'plan.norg': NOTE });
    expect((await env.run()).code).toBe(0);
    const walls = env.tw('Paint the walls').uuid;
    const text = env.read('plan.norg');
    const line = text.split('\n').find((l) => l.includes('Paint the walls'))!;
    env.write('plan.norg', text.replace(line + '\n', '').replace('* Garden\n', `* Garden\n${line}\n`));
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(env.byUuid(walls)!.project).toBe('home.Garden');
    await expectInHistory(env, walls, 'project', 'home.Kitchen', 'taskwarrior');
    await settle(env, ['Fix the fence', 'Buy nails', 'Paint the walls']);
  });

  it('new lines whose parent status is derived from its children: the status the user wrote is in the history', async () => {
    const env = setup({ 'plan.norg': NOTE });
    expect((await env.run()).code).toBe(0);
    env.edit('plan.norg', '* Kitchen\n', '* Kitchen\n  - ( ) Build a shelf\n  -- (x) Buy the wood\n  -- (x) Saw the planks\n');
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(r.taskwarrior.created).toHaveLength(3);
    const shelf = env.tw('Build a shelf');
    expect(shelf.status).toBe('completed');
    expect(linesOf(env.ws, 'Build a shelf').map((t) => t.status)).toEqual(['done']);
    await expectInHistory(env, shelf.uuid, 'status', 'undone', 'note');
    await settle(env, ['Fix the fence', 'Buy nails', 'Paint the walls']);
  });

  it('a parent derived done when Taskwarrior completes its last child: both replaced values are in the history', async () => {
    const env = setup({ 'plan.norg': NOTE });
    expect((await env.run()).code).toBe(0);
    const fence = env.tw('Fix the fence').uuid;
    env.sb.task(env.tw('Buy nails').uuid, 'done');
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(env.byUuid(fence)!.status).toBe('completed');
    expect(linesOf(env.ws, 'Fix the fence').map((t) => t.status)).toEqual(['done']);
    // The note said ( ), Taskwarrior said pending: this sync replaced both.
    await expectInHistory(env, fence, 'status', 'undone', 'note');
    await expectInHistory(env, fence, 'status', 'undone', 'taskwarrior');
    await settle(env, ['Paint the walls']);
  });
});
