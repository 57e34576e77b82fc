import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sync, type SyncReport } from '../../../sync/index.js';
import { Session } from '../../../sync/session.js';
import { twSandbox, type TwSandbox } from '../../helpers/tw.js';

/** A synced note of `n` tasks, and an editor session on it (as the Neovim host runs one). */
async function setup(n = 5): Promise<{ sb: TwSandbox; ws: string; file: string; s: Session }> {
  const sb = twSandbox();
  const ws = join(sb.dir, 'ws');
  mkdirSync(ws);
  const file = join(ws, 'plan.norg');
  writeFileSync(file, ['* Plan', ...Array.from({ length: n }, (_, i) => `  - ( ) task ${i}`), ''].join('\n'));
  expect((await sync({ workspace: ws, tw: sb.tw })).code).toBe(0);
  const s = new Session({ workspaces: [ws], env: sb.env, timeoutMs: 5_000 });
  return { sb, ws, file, s };
}

/** What the editor does on :w — prewrite (the buffer text), write, push. */
async function write(s: Session, file: string, text: string): Promise<SyncReport> {
  const p = await s.prewrite(file, text);
  expect(p!.changes.empty).toBe(true);
  writeFileSync(file, text + '\n');
  const r = await s.push(file);
  expect(r!.code).toBe(0);
  return r!;
}

const edit = (text: string, from: string, to: string) => {
  expect(text).toContain(from);
  return text.replace(from, to);
};

let sessions: Session[] = [];
afterEach(() => {
  for (const s of sessions) s.tw.dropStandby();
  sessions = [];
});

describe('the one-line write path (prepush)', () => {
  it('sends a one-line change before the full sync, which then has nothing to send', async () => {
    const { sb, file, s, ws } = await setup();
    sessions.push(s);
    let text = readFileSync(file, 'utf8').replace(/\n$/, '');
    // The first write of a session parses the whole note; it also warms the session's state.
    text = edit(text, 'task 0', 'task 0 renamed');
    await write(s, file, text);
    sb.resetCalls();
    text = edit(text, '( ) task 2', '(x) task 2');
    const r = await write(s, file, text);
    // Sent by the prepush: the full sync after it had nothing to send, and exported nothing.
    expect(r.taskwarrior.updated).toEqual([]);
    expect(sb.calls().filter((c) => / export/.test(c))).toEqual([]);
    expect(sb.exportAll().find((t) => t.description === 'task 2')!.status).toBe('completed');
    text = edit(text, 'task 3', 'task 3 — with “quotes” and $(rm -rf x)');
    await write(s, file, text);
    expect(sb.exportAll().map((t) => t.description)).toContain('task 3 — with “quotes” and $(rm -rf x)');
    // Nothing is left for a sync to do, on either side.
    sb.resetCalls();
    const again = await sync({ workspace: ws, tw: sb.tw });
    expect(again.notes).toEqual([]);
    expect(again.taskwarrior).toEqual({ created: [], updated: [], deleted: [] });
    expect(readFileSync(file, 'utf8')).toBe(text + '\n');
  });

  it('leaves a task Taskwarrior changed since the last sync to the full sync (no lost update)', async () => {
    const { sb, file, s } = await setup();
    sessions.push(s);
    let text = readFileSync(file, 'utf8').replace(/\n$/, '');
    text = edit(text, 'task 0', 'task 0 renamed');
    await write(s, file, text);
    const uuid = sb.exportAll().find((t) => t.description === 'task 1')!.uuid;
    sb.task(uuid, 'modify', 'priority:H');
    text = edit(text, 'task 1', 'task 1 edited');
    await write(s, file, text);
    const t = sb.exportAll().find((x) => x.uuid === uuid)!;
    expect(t.description).toBe('task 1 edited');
    expect(t.priority).toBe('H');
  });

  it('does not send what the file on disk does not hold (a write that failed or was changed)', async () => {
    const { sb, file, s } = await setup();
    sessions.push(s);
    let text = readFileSync(file, 'utf8').replace(/\n$/, '');
    text = edit(text, 'task 0', 'task 0 renamed');
    await write(s, file, text);
    const next = edit(text, 'task 4', 'task 4 never written');
    expect((await s.prewrite(file, next))!.changes.empty).toBe(true);
    // Another BufWritePre hook rewrote the buffer after ours: disk holds something else.
    writeFileSync(file, edit(text, 'task 4', 'task 4 formatted') + '\n');
    expect((await s.push(file))!.code).toBe(0);
    const descs = sb.exportAll().map((t) => t.description);
    expect(descs).toContain('task 4 formatted');
    expect(descs).not.toContain('task 4 never written');
  });
});
