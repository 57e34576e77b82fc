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

/** Taskwarrior 2.6's undo log: every version of every task it wrote, in order. */
const undoText = (sb: TwSandbox) => readFileSync(join(sb.dir, 'data', 'undo.data'), 'utf8');

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

  it('checks the state on disk, not the copy the session parsed: a sync by another writer since is seen (no lost update)', async () => {
    const { sb, file, s, ws } = await setup();
    sessions.push(s);
    // A field the note does not show, which an import of the whole task sets back.
    const uuid = sb.exportAll().find((t) => t.description === 'task 1')!.uuid;
    sb.task(uuid, 'modify', 'until:2030-01-01');
    expect((await sync({ workspace: ws, tw: sb.tw })).code).toBe(0);
    let text = readFileSync(file, 'utf8').replace(/\n$/, '');
    text = edit(text, 'task 0', 'task 0 renamed');
    await write(s, file, text);
    await new Promise((r) => setTimeout(r, 50)); // the session has re-read (and kept) the state
    // Another writer (the CLI) changes it and syncs: the stamp agrees again, the note is as it
    // was, the shard on disk is not what the session parsed.
    sb.task(uuid, 'modify', 'until:2031-01-01');
    expect((await sync({ workspace: ws, tw: sb.tw })).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text + '\n');
    text = edit(text, 'task 1', 'task 1 edited');
    const undoBefore = undoText(sb);
    const old = /until:"(\d+)"/.exec(undoBefore)![0]; // 2030's value, as 2.6 stores it
    await write(s, file, text);
    const t = sb.exportAll().find((x) => x.uuid === uuid)! as { description: string; until?: string };
    expect(t.description).toBe('task 1 edited');
    expect(t.until?.slice(0, 4)).toBe('2031');
    // And never set back on the way (a fast push from the session's stale copy would have
    // imported 2030's value, which the full sync after it then undid).
    expect(undoText(sb).slice(undoBefore.length)).not.toContain(old);
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
