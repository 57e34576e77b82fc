import { statSync as statSyncForRoot } from 'node:fs';
import { dirname as dirOf } from 'node:path';
import { fileURLToPath } from 'node:url';
/**
 * Case 11: damaged or unwritable state. `.planager/index.json`, `catalog.json` and the shards
 * are Planager's own files; a crash of another tool, a disk error or an editor can leave them
 * empty, cut short or garbled, and a folder can be unwritable. Whatever the damage, a sync
 * returns a report (never throws: the CLI prints a thrown error as a stack trace), names the
 * file or rebuilds the state from the notes and Taskwarrior, and loses or duplicates no task.
 *
 * The edits made before the damage are ordered fairly for a rebuild without a base: the note
 * edit comes a second after the last sync and Taskwarrior's edit a second after that, so
 * "newer wins" gives each its own side even with no memory of the last sync.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SyncReport } from '../../../../sync/index.js';
import { linesOf, settle, setup, sleep, type Env } from './util.js';

const NOTE = [
  '@document.meta',
  'project: home',
  '@end',
  '',
  '* Garden',
  '  - ( ) Paint the fence',
  '  - ( ) Rake the leaves',
  '  - ( ) Water the roses',
  '',
].join('\n');
const ROOT = resolve(import.meta.dirname, '../../../..');

async function toSecond(ms: number): Promise<void> {
  await sleep(1000 - (Date.now() % 1000) + ms);
}

const idsOf = (text: string) => (text.match(/%#[0-9a-f]{8}%/g) ?? []).sort();

/** A synced workspace with a note edit and, a second later, a Taskwarrior edit not yet synced. */
async function edited(): Promise<{ env: Env; ids: string[]; paint: string; rake: string }> {
  const env = setup({ 'plan.norg': NOTE });
  expect((await env.run()).code).toBe(0);
  const ids = idsOf(env.read('plan.norg'));
  expect(ids).toHaveLength(3);
  const paint = env.tw('Paint the fence').uuid;
  const rake = env.tw('Rake the leaves').uuid;
  await toSecond(50);
  env.edit('plan.norg', 'Rake the leaves', 'Rake all the leaves');
  await toSecond(50);
  env.sb.task(paint, 'modify', 'description:Paint the fence green');
  return { env, ids, paint, rake };
}

/** The sync, which must return (a rejected promise is the stack trace of the issue). */
async function runNoThrow(env: Env): Promise<SyncReport> {
  let r: SyncReport | undefined;
  let thrown: unknown;
  try {
    r = await env.run();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `sync threw: ${(thrown as Error)?.stack}`).toBeUndefined();
  return r!;
}

/** Both edits survived, every line kept its id, and no task was lost or made twice. */
function expectNothingLost(env: Env, ids: string[], paint: string, rake: string): void {
  expect(idsOf(env.read('plan.norg'))).toEqual(ids);
  expect(linesOf(env.ws, 'Paint the fence green')).toHaveLength(1);
  expect(linesOf(env.ws, 'Rake all the leaves')).toHaveLength(1);
  const all = env.sb.exportAll();
  expect(all.map((t) => [t.description, t.status]).sort()).toEqual([
    ['Paint the fence green', 'pending'],
    ['Rake all the leaves', 'pending'],
    ['Water the roses', 'pending'],
  ]);
  expect(all.find((t) => t.uuid === paint)!.description).toBe('Paint the fence green');
  expect(all.find((t) => t.uuid === rake)!.description).toBe('Rake all the leaves');
}

type Target = 'index.json' | 'catalog.json' | 'shard';
const DAMAGE: Record<string, (text: string) => string | Buffer> = {
  // A crash between create and write without a flush leaves a zero-length file.
  empty: () => '',
  truncated: (t) => t.slice(0, Math.floor(t.length / 2)),
  junk: () => Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x22, 0x00, 0x13, 0x37]),
};

function targetPath(env: Env, target: Target): string {
  const dir = join(env.ws, '.planager');
  if (target !== 'shard') return join(dir, target);
  const shards = readdirSync(join(dir, 'shards'));
  expect(shards).toHaveLength(1);
  return join(dir, 'shards', shards[0]);
}

describe('case 11: damaged state files', () => {
  for (const target of ['index.json', 'catalog.json', 'shard'] as const) {
    for (const [how, damage] of Object.entries(DAMAGE)) {
      it(`${how} ${target}: the sync reports it by name, rebuilds, and keeps every task and edit`, async () => {
        const { env, ids, paint, rake } = await edited();
        const path = targetPath(env, target);
        writeFileSync(path, damage(readFileSync(path, 'utf8')));
        const r = await runNoThrow(env);
        const name = target === 'shard' ? 'shards/' : target;
        if (r.ok)
          expect(
            r.warnings.some((w) => w.includes(name)),
            `no warning names ${name}: ${JSON.stringify(r.warnings)}`,
          ).toBe(true);
        else {
          expect(r.error!.message).toContain(name);
          expect(r.error!.message).not.toMatch(/\n\s+at /);
        }
        expect(r.code, `${r.error?.message}`).toBe(0);
        expectNothingLost(env, ids, paint, rake);
        // Rebuilt: the file parses again, and the next sync has nothing to report about it.
        expect(() => JSON.parse(readFileSync(path, 'utf8'))).not.toThrow();
        const again = await runNoThrow(env);
        expect(again.warnings.filter((w) => w.includes(name))).toEqual([]);
        await settle(env, ['Paint the fence green', 'Rake all the leaves', 'Water the roses']);
      });
    }
  }

  // Parseable JSON with the wrong types (another version's format, a hand edit, a merge tool).
  const SHAPES: [Target, (paint: string, rake: string) => object][] = [
    ['index.json', () => ({ version: 2, stamp: 7, notes: { 'plan.norg': null } })],
    ['catalog.json', () => ({ where: { x: 1 }, modified: {}, files: { 'plan.norg': null } })],
    ['shard', (paint, rake) => ({ file: 'plan.norg', tasks: { [paint]: null }, cache: { [rake]: 'text' } })],
  ];
  for (const [target, shape] of SHAPES) {
    it(`${target} holding JSON of the wrong shape is no crash either, and nothing is lost`, async () => {
      const { env, ids, paint, rake } = await edited();
      writeFileSync(targetPath(env, target), JSON.stringify(shape(paint, rake)));
      const r = await runNoThrow(env);
      expect(r.code, `${r.error?.message}`).toBe(0);
      expectNothingLost(env, ids, paint, rake);
      await settle(env, ['Paint the fence green', 'Rake all the leaves', 'Water the roses']);
    });
  }

  it('all three state files of the wrong shape at once (the stamp forces an export) is no crash, and nothing is lost', async () => {
    const { env, ids, paint, rake } = await edited();
    for (const [target, shape] of SHAPES) writeFileSync(targetPath(env, target), JSON.stringify(shape(paint, rake)));
    const r = await runNoThrow(env);
    expect(r.code, `${r.error?.message}`).toBe(0);
    expectNothingLost(env, ids, paint, rake);
    await settle(env, ['Paint the fence green', 'Rake all the leaves', 'Water the roses']);
  });
});

describe('case 11: a state folder that cannot be written', () => {
  it('`.planager` is a file where the folder should be: a report naming it, no exception, nothing lost', async () => {
    const { env, ids, paint, rake } = await edited();
    const dir = join(env.ws, '.planager');
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'not a folder\n');
    const before = env.read('plan.norg');
    const r = await runNoThrow(env);
    expect(r.ok).toBe(false);
    expect(r.code).toBe(2);
    expect(r.error!.message).toContain('.planager');
    expect(r.error!.message).not.toMatch(/\n\s+at /);
    // Without its state folder a sync writes neither side: the edits wait, nothing is lost.
    expect(env.read('plan.norg')).toBe(before);
    expect(env.byUuid(rake)!.description).toBe('Rake the leaves');
    expect(env.byUuid(paint)!.description).toBe('Paint the fence green');
    rmSync(dir);
    // The state is gone: the next sync rebuilds it from the notes and Taskwarrior.
    const again = await runNoThrow(env);
    expect(again.code, JSON.stringify(again.error)).toBe(0);
    expectNothingLost(env, ids, paint, rake);
    await settle(env, ['Paint the fence green', 'Rake all the leaves', 'Water the roses']);
  });

  it('a read-only `.planager` folder gives a report naming it (EACCES), no exception; writable again, the edits go through', async (ctx) => {
    // As root the sync runs as `nobody`, who must be able to read the repository (a clone in
    // a private temp folder is not): otherwise this case cannot be made to fail, and is skipped.
    if (process.getuid?.() === 0 && !othersCanRead(ROOT_DIR)) ctx.skip();
    const { env, ids, paint, rake } = await edited();
    const dir = join(env.ws, '.planager');
    const before = env.read('plan.norg');
    let out: { threw: boolean; message?: string; report?: Pick<SyncReport, 'ok' | 'code' | 'error' | 'warnings'> };
    if (process.getuid?.() === 0) {
      // Root ignores permission bits: the sync runs as `nobody`, who owns everything but
      // the state folder (root's, 755), so its writes there fail with a real EACCES.
      const NOBODY = 65534;
      for (const p of [env.ws, env.sb.dir]) execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, p]);
      chownSync(dir, 0, 0);
      chmodSync(dir, 0o755);
      const child = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test/unit/sync/regress/child-sync.ts'), env.ws], {
        cwd: ROOT,
        env: { ...env.sb.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json') },
        uid: NOBODY,
        gid: NOBODY,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(child.status, child.stderr).toBe(0);
      out = JSON.parse(child.stdout.trim().split('\n').pop()!);
      for (const p of [env.ws, env.sb.dir]) execFileSync('chown', ['-R', '0:0', p]);
    } else {
      chmodSync(dir, 0o555);
      try {
        out = { threw: false, report: await env.run() };
      } catch (e) {
        out = { threw: true, message: String((e as Error).stack) };
      }
      chmodSync(dir, 0o755);
    }
    expect(out.threw, out.message).toBe(false);
    const r = out.report!;
    expect(r.ok).toBe(false);
    expect(r.code).toBe(2);
    expect(r.error!.message).toContain('.planager');
    expect(r.error!.message).toMatch(/permission denied|EACCES/i);
    expect(r.error!.message).not.toMatch(/\n\s+at /);
    expect(env.read('plan.norg')).toBe(before);
    expect(statSync(dir).isDirectory()).toBe(true);
    mkdirSync(dir, { recursive: true });
    expect((await runNoThrow(env)).code).toBe(0);
    expectNothingLost(env, ids, paint, rake);
    await settle(env, ['Paint the fence green', 'Rake all the leaves', 'Water the roses']);
  });
});

const ROOT_DIR = resolve(dirOf(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** Every folder from `dir` up to / lets others in (o+rx). */
function othersCanRead(dir: string): boolean {
  for (let d = dir; ; d = dirOf(d)) {
    if ((statSyncForRoot(d).mode & 0o005) !== 0o005) return false;
    if (dirOf(d) === d) return true;
  }
}
