/**
 * A move into a note the sync may not write (read-only, or not valid UTF-8) is withheld with
 * the note it leaves (commit.ts `withholdUnwritable`): neither end changes, so the moved block
 * is never cut from one note without being pasted into the other. The editor's `applyNotes`
 * was still given every change, the withheld ones too: an open buffer at the move's source had
 * the block cut (and written), while the note it was bound for kept its old text. The block,
 * then its task, were gone.
 *
 * Driven through the session API, as the Neovim host drives it: syncAll with the open buffer's
 * text, and a pull into an open buffer.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../../../sync/session.js';
import { garble, linesOf, MOVE_NOTES, moveMover, settle, setup, type Env } from './util.js';

let sessions: Session[] = [];
afterEach(() => {
  for (const s of sessions) s.tw.dropStandby();
  sessions = [];
});

/** Synced a.norg and b.norg, then Taskwarrior moves b.norg's "mover" to a.norg's heading. */
async function moved(): Promise<{ env: Env; s: Session; b: string }> {
  const env = setup(MOVE_NOTES);
  expect((await env.run()).code).toBe(0);
  moveMover(env);
  const s = new Session({ workspaces: [env.ws], env: env.sb.env, timeoutMs: 5_000, backup: false });
  sessions.push(s);
  return { env, s, b: join(env.ws, 'b.norg') };
}

/** The editor's side of `apply`: the buffer gets the text, and is written. */
function editor(applied: string[]): (path: string, after: string) => Promise<boolean> {
  return async (path, after) => {
    applied.push(path);
    writeFileSync(path, after);
    return true;
  };
}

describe('a move withheld at the commit, its source open in the editor', () => {
  it('syncAll: the read-only target and the open source both keep their text; the move happens once the target is writable', async () => {
    const { env, s, b } = await moved();
    chmodSync(join(env.ws, 'a.norg'), 0o444);
    const text = readFileSync(b, 'utf8');
    const applied: string[] = [];
    const [r] = await s.syncAll([{ path: b, text: text.replace(/\n$/, '') }], editor(applied));
    expect(r!.code).toBe(0);
    expect(r!.warnings.join('\n')).toContain('a.norg is read-only');
    expect(applied).toEqual([]);
    expect(env.read('b.norg')).toBe(text);
    expect(linesOf(env.ws, 'mover')).toHaveLength(1);
    chmodSync(join(env.ws, 'a.norg'), 0o644);
    const [again] = await s.syncAll([{ path: b, text: env.read('b.norg').replace(/\n$/, '') }], editor(applied));
    expect(again!.code).toBe(0);
    expect(applied).toEqual([b]);
    expect(env.read('a.norg')).toContain('- ( ) mover');
    expect(env.read('b.norg')).not.toContain('mover');
    await settle(env, ['stays', 'mover', 'other']);
  });

  it('pull into the open source: the buffer is not cut while the target is not valid UTF-8', async () => {
    const { env, s, b } = await moved();
    const path = join(env.ws, 'a.norg');
    const { good, bad } = garble(env, 'a.norg');
    const text = readFileSync(b, 'utf8');
    const applied: string[] = [];
    const r = await s.pull(b, text.replace(/\n$/, ''), async (after) => {
      applied.push(after);
      writeFileSync(b, after);
      return true;
    });
    expect(r!.code).toBe(0);
    expect(applied).toEqual([]);
    expect(env.read('b.norg')).toBe(text);
    expect(readFileSync(path).equals(bad)).toBe(true);
    writeFileSync(path, good);
    await settle(env, ['stays', 'mover', 'other']);
    expect(env.read('a.norg')).toContain('- ( ) mover');
  });
});
