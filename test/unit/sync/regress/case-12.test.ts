/**
 * Case 12: false "repaired N task(s) that a concurrent task had overwritten" warnings. The
 * repair compares what an export shows with what undo.data recorded; the two spell some values
 * differently (numbers, dates of date UDAs, `imask` of recurring instances), and a difference
 * of spelling must not pass for a lost update. With no concurrent writer there is nothing to
 * repair: no warning, and no import (an import here would be Planager rewriting a task that
 * nobody asked it to change). Both ways Taskwarrior can be read are covered: undo.data's new
 * part (the usual case) and a full export (forced by a `task undo`, which rewrites undo.data).
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SyncReport } from '../../../../sync/index.js';
import { linesOf, settle, setup, type Env } from './util.js';

const NOTE = ['@document.meta', 'project: home', '@end', '', '* Garden', '  - ( ) Rake the leaves', ''].join('\n');

function udaEnv(): Env {
  const env = setup({ 'plan.norg': NOTE });
  // The user's own UDAs, declared where a user declares them (Planager passes only its own).
  appendFileSync(join(env.sb.dir, 'taskrc'), 'uda.est.type=numeric\nuda.est.label=Est\nuda.rev.type=date\nuda.rev.label=Review\n');
  return env;
}

const imports = (env: Env) => env.sb.calls().filter((c) => / import\b/.test(c));
const exports = (env: Env) => env.sb.calls().filter((c) => / export\b/.test(c));

/** A sync that must find nothing to repair and write nothing to Taskwarrior. */
async function quietSync(env: Env, why: string): Promise<SyncReport> {
  env.sb.resetCalls();
  const r = await env.run();
  expect(r.code, `${why}: ${r.error?.message}`).toBe(0);
  expect(
    r.warnings.filter((w) => /repaired|concurrent/.test(w)),
    `${why}: ${JSON.stringify(r.warnings)}`,
  ).toEqual([]);
  expect(imports(env), `${why}: imported with no change to send`).toEqual([]);
  expect(r.taskwarrior).toEqual({ created: [], updated: [], deleted: [] });
  return r;
}

/** Creates the note's one task (an import, rightly) and pulls in Taskwarrior's; repairs nothing. */
async function firstSync(env: Env): Promise<void> {
  const r = await env.run();
  expect(r.code, r.error?.message).toBe(0);
  expect(
    r.warnings.filter((w) => /repaired|concurrent/.test(w)),
    JSON.stringify(r.warnings),
  ).toEqual([]);
  expect(r.taskwarrior.created).toHaveLength(1);
  expect(r.taskwarrior.updated).toEqual([]);
}

/**
 * Makes the next sync export: an unrelated task is added and synced, then `task undo` takes
 * it back, which cuts undo.data below what that sync read (so undo.data cannot be trusted).
 */
async function armExport(env: Env): Promise<void> {
  env.sb.task('add', 'Scratch', 'project:elsewhere');
  const r = await env.run();
  expect(r.code, r.error?.message).toBe(0);
  expect(
    r.warnings.filter((w) => /repaired|concurrent/.test(w)),
    JSON.stringify(r.warnings),
  ).toEqual([]);
  env.sb.task('undo');
}

async function udaRoundTrip(est: string, est2: string): Promise<void> {
  const env = udaEnv();
  env.sb.task('add', 'Estimate the shed', 'project:home.Garden', `est:${est}`, 'rev:2026-01-05');
  const uuid = env.tw('Estimate the shed').uuid;
  const stored = env.byUuid(uuid)!;
  expect(stored.rev).toBe('20260105T000000Z');

  // First sync: the note's own task is created, this one pulled into the note.
  await firstSync(env);
  expect(linesOf(env.ws, 'Estimate the shed')).toHaveLength(1);

  env.sb.task(uuid, 'modify', `est:${est2}`, 'rev:2026-02-01');
  await quietSync(env, 'a UDA changed (read from undo.data)');
  expect(env.byUuid(uuid)!.rev).toBe('20260201T000000Z');

  await armExport(env);
  await quietSync(env, 'after task undo (export)');
  expect(exports(env).length, 'undo.data was cut: an export was expected').toBeGreaterThan(0);

  await armExport(env);
  env.sb.task(uuid, 'modify', 'rev:2026-03-01');
  await quietSync(env, 'a UDA changed, read by export');
  expect(exports(env).length, 'undo.data was cut: an export was expected').toBeGreaterThan(0);

  // A note edit imports the whole task: the user's UDAs travel with it unchanged.
  const before = env.byUuid(uuid)!;
  env.edit('plan.norg', 'Estimate the shed', 'Estimate the new shed');
  const r4 = await env.run();
  expect(r4.code).toBe(0);
  expect(r4.taskwarrior.updated).toEqual([uuid]);
  const after = env.byUuid(uuid)!;
  expect(after.description).toBe('Estimate the new shed');
  expect(after.est).toBe(before.est);
  expect(after.rev).toBe('20260301T000000Z');
  await quietSync(env, 'after our own import');
  await settle(env, ['Estimate the new shed', 'Rake the leaves']);
  expect(env.byUuid(uuid)!.est).toBe(before.est);
}

describe('case 12: no repair without a concurrent writer', () => {
  it('numeric (3) and date UDAs: no "repaired" warning and no import, by undo.data or by export', async () => {
    await udaRoundTrip('3', '5');
  });

  it('a fractional numeric UDA (2.5)', async () => {
    await udaRoundTrip('2.5', '4.25');
  });

  it('a large numeric UDA (1500000)', async () => {
    await udaRoundTrip('1500000', '2500000');
  });

  it('a recurring task: completing an instance in Taskwarrior, then the next instance, with no repair and no import', async () => {
    const env = udaEnv();
    env.sb.task('add', 'Water the plants', 'project:home.Garden', 'due:tomorrow', 'recur:daily');
    // Any report generates the pending instance (the parent is status `recurring`).
    env.sb.task('next');
    const instances = () => env.sb.exportAll().filter((t) => t.description === 'Water the plants' && t.status !== 'recurring');
    expect(instances()).toHaveLength(1);
    const first = instances()[0];
    expect(first.imask).toBe(0);

    await firstSync(env);
    expect(linesOf(env.ws, 'Water the plants').map((t) => t.status)).toEqual(['undone']);

    env.sb.task(first.uuid, 'done');
    env.sb.task('next');
    await quietSync(env, 'instance completed in Taskwarrior');
    const lines = linesOf(env.ws, 'Water the plants');
    const done = lines.filter((t) => t.status === 'done');
    expect(done).toHaveLength(1);
    expect(first.uuid.replace(/-/g, '').startsWith(done[0].id!)).toBe(true);
    // The next instance, if Taskwarrior made one, is a line of its own.
    const pendingNow = instances().filter((t) => t.status === 'pending');
    expect(lines.filter((t) => t.status === 'undone')).toHaveLength(pendingNow.length);

    await armExport(env);
    await quietSync(env, 'after task undo (export)');
    expect(exports(env).length).toBeGreaterThan(0);
    await quietSync(env, 'nothing changed');
    await settle(env, ['Rake the leaves', ...pendingNow.map(() => 'Water the plants')]);
  });

  it('a recurring instance ticked in the note is imported once, and the syncs after it import nothing', async () => {
    const env = udaEnv();
    env.sb.task('add', 'Water the plants', 'project:home.Garden', 'due:tomorrow', 'recur:daily');
    env.sb.task('next');
    await firstSync(env);
    const first = env.sb.exportAll().find((t) => t.description === 'Water the plants' && t.status === 'pending')!;
    const text = env.read('plan.norg');
    const ticked = text.replace(/- \( (\|[^)]*)?\) Water the plants/, (m) => m.replace('( ', '(x'));
    expect(ticked).not.toBe(text);
    env.write('plan.norg', ticked);
    env.sb.resetCalls();
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(r.taskwarrior.updated).toEqual([first.uuid]);
    expect(imports(env)).toHaveLength(1);
    expect(env.byUuid(first.uuid)!.status).toBe('completed');
    expect(env.byUuid(first.uuid)!.imask).toBe(0);
    await quietSync(env, 'after the tick');
    env.sb.task('next');
    await quietSync(env, 'after Taskwarrior made the next instance');
    await armExport(env);
    await quietSync(env, 'after task undo (export)');
    expect(exports(env).length).toBeGreaterThan(0);
    const pendingNow = env.sb.exportAll().filter((t) => t.description === 'Water the plants' && t.status === 'pending');
    await settle(env, ['Rake the leaves', ...pendingNow.map(() => 'Water the plants')]);
  });
});
