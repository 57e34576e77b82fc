/**
 * Case 9: "newest wins" inside one second. Taskwarrior's `modified` has 1-second resolution,
 * so a note saved at 12:00:00.300 and a `task modify` at 12:00:00.700 (or the other way round)
 * cannot be ordered. The documented rule (sync/merge.ts head comment): compare at whole
 * seconds, a tie goes to Taskwarrior; the losing value is reported and in the activity log.
 * These edits are made for real, with real timing, and the test checks that they did land in
 * the same second (else it tries again: a loaded machine can push one past the boundary).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTwDate } from '../../../../sync/index.js';
import { expectLogged, linesOf, settle, setup, sleep, type Env } from './util.js';

const NOTE = ['@document.meta', 'project: home', '@end', '', '* Garden', '  - ( ) Paint the fence', '  - ( ) Rake the leaves', ''].join('\n');

/** Sleep until `ms` milliseconds past the next whole second. */
async function toSecond(ms: number): Promise<void> {
  await sleep(1000 - (Date.now() % 1000) + ms);
}

const sec = (ms: number) => Math.floor(ms / 1000);

async function started(): Promise<{ env: Env; uuid: string }> {
  const env = setup({ 'plan.norg': NOTE });
  const r = await env.run();
  expect(r.code).toBe(0);
  return { env, uuid: env.tw('Paint the fence').uuid };
}

const noteEdit = (env: Env) => env.edit('plan.norg', 'Paint the fence', 'Paint the fence blue');
const twEdit = (env: Env, uuid: string) => env.sb.task(uuid, 'modify', 'description:Paint the fence red');

/**
 * Both edits, in `order`, 250 ms apart inside one wall-clock second. Retried on a fresh
 * sandbox when they straddle a second.
 */
async function sameSecond(order: 'note-first' | 'tw-first'): Promise<{ env: Env; uuid: string }> {
  for (let attempt = 0; ; attempt++) {
    const { env, uuid } = await started();
    await toSecond(50);
    if (order === 'note-first') {
      noteEdit(env);
      await sleep(250);
      twEdit(env, uuid);
    } else {
      twEdit(env, uuid);
      await sleep(250);
      noteEdit(env);
    }
    const noteMs = statSync(join(env.ws, 'plan.norg')).mtimeMs;
    const twMs = parseTwDate(env.byUuid(uuid)!.modified)!.getTime();
    if (sec(noteMs) === sec(twMs)) return { env, uuid };
    if (attempt >= 3) throw new Error(`could not make both edits within one second (note ${noteMs}, task ${twMs})`);
  }
}

async function expectTaskwarriorWon(env: Env, uuid: string): Promise<void> {
  const r = await env.run();
  expect(r.code).toBe(0);
  // A tie goes to Taskwarrior, whichever edit was really later.
  expect(r.conflicts).toEqual([
    { uuid, id: expect.any(String), field: 'description', note: 'Paint the fence blue', taskwarrior: 'Paint the fence red', winner: 'taskwarrior' },
  ]);
  expect(linesOf(env.ws, 'Paint the fence red')).toHaveLength(1);
  expect(linesOf(env.ws, 'Paint the fence blue')).toHaveLength(0);
  expect(env.byUuid(uuid)!.description).toBe('Paint the fence red');
  // The note's value was overwritten: it is in the log, as a conflict the note lost.
  await expectLogged(env, uuid, 'description', 'Paint the fence blue');
  const entry = (await env.log()).find((e) => e.uuid === uuid && e.fields.description);
  expect(entry).toMatchObject({ side: 'note', action: 'conflict', fields: { description: { lost: 'Paint the fence blue', kept: 'Paint the fence red' } } });
  // The other task was untouched by either edit.
  expect(env.tw('Rake the leaves').status).toBe('pending');
  await settle(env, ['Paint the fence red', 'Rake the leaves']);
}

describe('case 9: conflicting edits of one field within the same second', () => {
  it('note saved first, `task modify` 250 ms later in the same second: Taskwarrior wins and the note value is logged', async () => {
    const { env, uuid } = await sameSecond('note-first');
    await expectTaskwarriorWon(env, uuid);
  });

  it('`task modify` first, note saved 250 ms later in the same second: still Taskwarrior (the tie rule, not the true order)', async () => {
    const { env, uuid } = await sameSecond('tw-first');
    await expectTaskwarriorWon(env, uuid);
  });

  it('a note saved in a later second than the `task modify` wins, and Taskwarrior’s value is logged', async () => {
    const { env, uuid } = await started();
    await toSecond(50);
    twEdit(env, uuid);
    await toSecond(150);
    noteEdit(env);
    const noteMs = statSync(join(env.ws, 'plan.norg')).mtimeMs;
    const twMs = parseTwDate(env.byUuid(uuid)!.modified)!.getTime();
    expect(sec(noteMs)).toBeGreaterThan(sec(twMs));
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(r.conflicts).toEqual([
      { uuid, id: expect.any(String), field: 'description', note: 'Paint the fence blue', taskwarrior: 'Paint the fence red', winner: 'note' },
    ]);
    expect(env.byUuid(uuid)!.description).toBe('Paint the fence blue');
    expect(linesOf(env.ws, 'Paint the fence blue')).toHaveLength(1);
    const entry = (await env.log()).find((e) => e.uuid === uuid && e.fields.description);
    expect(entry).toMatchObject({
      side: 'taskwarrior',
      action: 'conflict',
      fields: { description: { lost: 'Paint the fence red', kept: 'Paint the fence blue' } },
    });
    await settle(env, ['Paint the fence blue', 'Rake the leaves']);
  });
});
