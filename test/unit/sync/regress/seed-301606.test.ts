/**
 * Harness seed 301606 (big, fault bad-utf8; the batch `--runs 30 --seed 301597 --steps 40`): a
 * new line added to b.norg and a task of b.norg moved by Taskwarrior (its project) to a heading
 * of a.norg, then a full sync while a.norg holds bytes that are not UTF-8. The move was rendered
 * into a.norg from no text; the commit took a.norg for a note edited during the sync only after
 * the import, and left b.norg unwritten with it: the new line's task was created, its id never
 * written, and the next sync created a second task for the line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { garble, linesOf, MOVE_NOTES, moveMover, settle, setup } from './util.js';

describe('seed 301606: a move into a note that is not valid UTF-8, beside a new line', () => {
  it('creates one task for the new line, once the note can be read', async () => {
    const env = setup(MOVE_NOTES);
    expect((await env.run()).code).toBe(0);
    env.write('b.norg', `${env.read('b.norg')}  - ( |< 2026-12-24) bread\n`);
    const mover = env.tw('mover');
    moveMover(env);
    const path = join(env.ws, 'a.norg');
    const { good, bad } = garble(env, 'a.norg');
    const held = await env.run();
    expect(held.code).toBe(0);
    expect(readFileSync(path).equals(bad)).toBe(true);
    expect(
      held.warnings.some((w) => w.startsWith('a.norg is not valid UTF-8: the moves into it wait')),
      held.warnings.join('\n'),
    ).toBe(true);
    expect(
      held.warnings.some((w) => w.includes('changed during the sync')),
      held.warnings.join('\n'),
    ).toBe(false);
    // b.norg is not written (the move's other end): its new line gets no task yet.
    expect(env.sb.exportAll().some((t) => t.description === 'bread')).toBe(false);
    // The task waits with its line: a block cut from b.norg and pasted nowhere would be lost.
    expect(env.read('b.norg')).toContain('- ( ) mover');
    writeFileSync(path, good);
    expect((await env.run()).code).toBe(0);
    expect(env.tw('bread').status).toBe('pending');
    expect(linesOf(env.ws, 'bread')).toHaveLength(1);
    expect(env.read('a.norg')).toContain('- ( ) mover');
    expect(env.read('b.norg')).not.toContain('mover');
    expect(env.byUuid(mover.uuid)!.project).toBe('alpha.One');
    await settle(env, ['stays', 'mover', 'other', 'bread']);
  });
});
