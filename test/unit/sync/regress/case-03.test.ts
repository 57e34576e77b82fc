/**
 * Issue 12, case 3: one-note syncs with new or moved lines. One live task per line; a line cut
 * from one note and pasted into another keeps its uuid and every field (annotations too),
 * whichever one-note sync sees it first.
 */
import { describe, expect, it } from 'vitest';
import { linesOf, settle, setup, short, type Env } from './util.js';

const A = ['* Work', '  +finance', '  - ( |# A|< 2026-12-03) Draft the budget', '  - ( ) Email Ann', ''].join('\n');
const B = ['* Home', '  - ( ) Call plumber', ''].join('\n');

describe('case 3: one-note syncs with new and moved lines', () => {
  for (const next of ['push a.norg', 'full sync'] as const) {
    it(`a new line pulled gets an id, and its task is created by the ${next} after`, async () => {
      const env = setup({ 'a.norg': A, 'b.norg': B });
      expect((await env.run()).code).toBe(0);
      env.edit('a.norg', /( {2}- \( \) Email Ann.*\n)/, '$1  - ( ) Order chairs\n');
      expect((await env.run({ files: ['a.norg'], direction: 'pull' })).code).toBe(0);
      const [line] = linesOf(env.ws, 'Order chairs');
      expect(line.id).toMatch(/^[0-9a-f]{8,}$/);
      if (next === 'push a.norg') expect((await env.run({ files: ['a.norg'], direction: 'push' })).code).toBe(0);
      else expect((await env.run()).code).toBe(0);
      const t = env.tw('Order chairs');
      // The id the pull wrote names the task that was created.
      expect(t.uuid.replace(/-/g, '').startsWith(line.id!)).toBe(true);
      expect([t.status, t.project]).toEqual(['pending', 'Work']);
      expect(linesOf(env.ws, 'Order chairs')[0].id).toBe(line.id);
      await settle(env, ['Draft the budget', 'Email Ann', 'Order chairs', 'Call plumber']);
    });
  }

  /** Cut "Draft the budget" from a.norg, paste it under * Home in b.norg. */
  async function cutAndPaste(): Promise<{ env: Env; u: string; due: string }> {
    const env = setup({ 'a.norg': A, 'b.norg': B });
    expect((await env.run()).code).toBe(0);
    const t = env.tw('Draft the budget');
    env.sb.task(t.uuid, 'annotate', 'numbers from Q3');
    // The carryover tag line goes with it, as a user cutting the block would take it.
    const block = env.read('a.norg').match(/ {2}\+finance\n.*Draft the budget.*\n/)![0];
    env.write('a.norg', env.read('a.norg').replace(block, ''));
    env.write('b.norg', env.read('b.norg') + block);
    return { env, u: t.uuid, due: t.due! };
  }

  async function expectKeptWhole(env: Env, u: string, due: string) {
    const all = env.sb.exportAll();
    expect(all.filter((t) => t.description === 'Draft the budget' && t.status === 'pending').map((t) => t.uuid)).toEqual([u]);
    // No task was created in its place (a uuid sharing the short id, or any other).
    expect(all.filter((t) => t.uuid.startsWith(u.slice(0, 8)))).toHaveLength(1);
    const t = env.byUuid(u)!;
    expect(t.status).toBe('pending');
    expect(t.priority).toBe('H');
    expect(t.due).toBe(due);
    expect(t.tags).toEqual(['finance']);
    expect((t.annotations ?? []).map((a: { description: string }) => a.description)).toEqual(['numbers from Q3']);
    expect(linesOf(env.ws, 'Draft the budget').map((l) => [l.file, l.id])).toEqual([['b.norg', short(u)]]);
  }

  for (const [label, files, direction] of [
    ['push of the source', ['a.norg'], 'push'],
    ['pull of the destination', ['b.norg'], 'pull'],
    ['pull of the source', ['a.norg'], 'pull'],
    ['push of the destination', ['b.norg'], 'push'],
  ] as const) {
    it(`a line moved to another note, then a ${label}: one task, same uuid, every field and annotation kept`, async () => {
      const { env, u, due } = await cutAndPaste();
      const r = await env.run({ files: [...files], direction });
      expect(r.code).toBe(0);
      expect(r.taskwarrior.deleted).toEqual([]);
      expect(r.taskwarrior.created).toEqual([]);
      expect(env.byUuid(u)!.status).toBe('pending');
      expect(env.sb.exportAll().filter((t) => t.description === 'Draft the budget')).toHaveLength(1);
      // Another unrelated one-note edit, as the editor would do next.
      env.edit('b.norg', '( ) Call plumber', '(x) Call plumber');
      expect((await env.run({ files: ['b.norg'], direction: 'push' })).code).toBe(0);
      expect(env.byUuid(u)!.status).toBe('pending');
      await settle(env, ['Draft the budget', 'Email Ann']);
      await expectKeptWhole(env, u, due);
      // Its line is under * Home now: the project follows the line.
      expect(env.byUuid(u)!.project).toBe('Home');
    });
  }
});
