import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readLog, sync, type SyncOptions } from '../../../sync/index.js';
import { twSandbox, type TwSandbox } from '../../helpers/tw.js';

const NOTE = [
  '@document.meta',
  'project: home',
  '@end',
  '',
  '* Garden',
  '  - ( |# A|< Fri 27th Nov 2026) Plant the tulips',
  '  - (-) Fix the fence',
  '  -- (x) Buy nails',
  '  -- ( ) Hammer them',
  '* Kitchen',
  '  - (=) Paint the walls',
  '',
].join('\n');

let sb: TwSandbox;
let ws: string;
const file = () => join(ws, 'plan.norg');
const read = () => readFileSync(file(), 'utf8');
const run = (o: Partial<SyncOptions> = {}) => sync({ workspace: ws, tw: sb.tw, ...o });
const strip = (s: string) => s.replace(/ %#[0-9a-f]+%/g, '');

beforeEach(() => {
  sb = twSandbox();
  ws = mkdtempSync(join(tmpdir(), 'planager-ws-'));
  writeFileSync(file(), NOTE);
});

describe('sync with a real Taskwarrior', () => {
  it('a first sync creates the tasks and only adds id comments to the note; a second changes nothing and starts no process', async () => {
    const r = await run();
    expect(r.code).toBe(0);
    // A new database holds nothing to export: the first sync is one import.
    expect(sb.calls().map((c) => (c.includes(' import ') ? 'import' : c.includes(' export') ? 'export' : c))).toEqual(['import']);
    expect(r.taskwarrior.created).toHaveLength(5);
    expect(strip(read())).toBe(NOTE);
    expect(read().match(/%#[0-9a-f]{8}%/g)).toHaveLength(5);
    const tasks = sb.exportAll();
    const tulips = tasks.find((t) => t.description === 'Plant the tulips')!;
    expect(tulips).toMatchObject({ status: 'pending', priority: 'H', project: 'home.Garden' });
    expect(tulips.due).toMatch(/^20261127T/);
    expect(tasks.find((t) => t.description === 'Buy nails')!.status).toBe('completed');
    expect(tasks.find((t) => t.description === 'Fix the fence')!.start).toBeTruthy();
    expect(tasks.find((t) => t.description === 'Paint the walls')!.tags).toEqual(['onhold']);
    expect(r.processes).toBeLessThanOrEqual(2);

    const before = read();
    sb.resetCalls();
    const again = await run();
    expect(again.changed).toBe(false);
    expect(again.processes).toBe(0);
    expect(sb.calls()).toEqual([]);
    expect(read()).toBe(before);
  });

  it('a first sync into a database that already has tasks exports them and pulls in those the notes hold', async () => {
    sb.task('add', 'Water the roses', 'project:home.Garden');
    sb.task('add', 'Unrelated', 'project:work');
    sb.resetCalls();
    const r = await run();
    expect(r.code).toBe(0);
    expect(
      sb
        .calls()
        .map((c) => (c.includes(' import ') ? 'import' : c.includes(' export') ? 'export' : c))
        .sort(),
    ).toEqual(['export', 'import']);
    expect(read()).toMatch(/\* Garden\n(?:.*\n)*? {2}- \( \) Water the roses %#[0-9a-f]{8}%/);
    expect(read()).not.toContain('Unrelated');
    expect(sb.exportAll()).toHaveLength(7);
    expect((await run()).changed).toBe(false);
  });

  it('`task done` outside changes that one status in the note and nothing else', async () => {
    await run();
    const before = read();
    const uuid = sb.exportAll().find((t) => t.description === 'Hammer them')!.uuid;
    sb.task(uuid, 'done');
    sb.resetCalls();
    const r = await run();
    expect(r.code).toBe(0);
    const after = read();
    // Hammer them → done, so Fix the fence (all children done) → done too: two status chars.
    const diff = [...before].map((c, i) => (c !== after[i] ? i : -1)).filter((i) => i >= 0);
    expect(after.length).toBe(before.length);
    expect(diff).toHaveLength(2);
    expect(after).toContain('-- (x) Hammer them');
    expect(after).toContain('- (x) Fix the fence');
    // The derived parent status reached Taskwarrior in the same sync.
    expect(sb.exportAll().find((t) => t.description === 'Fix the fence')!.status).toBe('completed');
    // What changed is read from undo.data (no export); the derived parent costs one import.
    expect(sb.calls().map((c) => (c.includes(' import ') ? 'import' : c.includes(' export') ? 'export' : c))).toEqual(['import']);
    expect((await run()).changed).toBe(false);
  });

  it('an outside change reaches the note with no `task` process (read from undo.data)', async () => {
    await run();
    const uuid = sb.exportAll().find((t) => t.description === 'Paint the walls')!.uuid;
    sb.task(uuid, 'modify', 'priority:L', '+diy');
    sb.resetCalls();
    const r = await run();
    expect(r.code).toBe(0);
    expect(sb.calls()).toEqual([]);
    expect(r.processes).toBe(0);
    expect(read()).toMatch(/ {2}\+diy\n {2}- \(=\|# C\) Paint the walls %#[0-9a-f]{8}%/);
    expect((await run()).changed).toBe(false);
  });

  it('after `task undo` outside, the next sync exports instead of trusting undo.data', async () => {
    await run();
    const uuid = sb.exportAll().find((t) => t.description === 'Plant the tulips')!.uuid;
    writeFileSync(file(), read().replace('Plant the tulips', 'Plant the bulbs'));
    await run();
    expect(sb.exportAll().find((t) => t.uuid === uuid)!.description).toBe('Plant the bulbs');
    sb.task('undo');
    expect(sb.exportAll().find((t) => t.uuid === uuid)!.description).toBe('Plant the tulips');
    sb.resetCalls();
    const r = await run();
    expect(r.code).toBe(0);
    expect(sb.calls().some((c) => c.includes(' export'))).toBe(true);
    expect(read()).toContain('Plant the tulips');
    expect(read()).not.toContain('Plant the bulbs');
  });

  it('after `task undo` of a task the sync created, the next sync exports and reports it gone', async () => {
    await run();
    const before = sb.exportAll();
    sb.task('undo');
    const after = sb.exportAll();
    expect(after).toHaveLength(before.length - 1);
    const gone = before.find((t) => !after.some((a) => a.uuid === t.uuid))!;
    sb.resetCalls();
    const r = await run();
    expect(r.code).toBe(0);
    expect(sb.calls().some((c) => c.includes(' export'))).toBe(true);
    expect(r.warnings.join('\n')).toContain(gone.uuid.slice(0, 8));
    // Reported, never silently re-created.
    expect(sb.exportAll().some((t) => t.uuid === gone.uuid)).toBe(false);
  });

  it('a deleted task purged after the sync that saw the deletion is not re-created by a later edit', async () => {
    await run();
    const uuid = sb.exportAll().find((t) => t.description === 'Paint the walls')!.uuid;
    sb.task(uuid, 'delete');
    await run();
    expect(read()).toContain('(_) Paint the walls');
    sb.task(uuid, 'purge');
    writeFileSync(file(), read().replace('(_) Paint the walls', '( ) Paint the walls again'));
    const r = await run();
    expect(r.warnings.join('\n')).toMatch(/gone from Taskwarrior/);
    expect(sb.exportAll().some((t) => t.uuid === uuid)).toBe(false);
    expect(read()).toContain('( ) Paint the walls again');
  });

  it('a one-task note edit costs one import and no export', async () => {
    await run();
    writeFileSync(file(), read().replace('( |# A|', '(x|# A|'));
    sb.resetCalls();
    const r = await run();
    expect(r.taskwarrior.updated).toHaveLength(1);
    expect(sb.calls().map((c) => (c.includes(' import ') ? 'import' : c.includes(' export') ? 'export' : c))).toEqual(['import']);
    expect(sb.exportAll().find((t) => t.description === 'Plant the tulips')!.status).toBe('completed');
  });

  it('a conflicting edit keeps the newer side and logs the older; restore brings it back', async () => {
    await run();
    const uuid = sb.exportAll().find((t) => t.description === 'Plant the tulips')!.uuid;
    writeFileSync(file(), read().replace('Plant the tulips', 'Plant the red tulips'));
    await new Promise((r) => setTimeout(r, 1100)); // Taskwarrior's clock has one-second steps
    sb.task(uuid, 'modify', 'Plant the yellow tulips');
    const r = await run();
    expect(r.conflicts.map((c) => [c.field, c.winner])).toEqual([['description', 'taskwarrior']]);
    expect(read()).toContain('Plant the yellow tulips');
    const log = await readLog(join(ws, '.planager', 'activity.jsonl'));
    const lost = log.find((e) => e.uuid === uuid && e.side === 'note');
    expect(lost?.fields.description).toEqual({ lost: 'Plant the red tulips', kept: 'Plant the yellow tulips' });
    expect(lost?.version.priority).toBe('A');
  });

  it('a Taskwarrior task whose project a note holds appears under its heading (created if missing)', async () => {
    await run();
    sb.task('add', 'Sharpen the shears', 'project:home.Garden');
    sb.task('add', 'Descale the kettle', 'project:home.Kitchen.Appliances');
    sb.task('add', 'Unrelated', 'project:work');
    const r = await run();
    expect(r.code).toBe(0);
    const text = read();
    expect(text).toMatch(/\* Garden\n(.*\n)* {2}- \( \) Sharpen the shears %#[0-9a-f]{8}%\n/);
    expect(text).toContain('  ** Appliances\n     - ( ) Descale the kettle');
    expect(text).not.toContain('Unrelated');
    expect((await run()).changed).toBe(false);
  });

  it('a removed line deletes its task with the version logged; many at once stop and ask', async () => {
    await run();
    writeFileSync(file(), read().replace(/ {2}- \(=\) Paint the walls.*\n/, ''));
    const r = await run();
    expect(r.taskwarrior.deleted).toHaveLength(1);
    expect(sb.exportAll().find((t) => t.description === 'Paint the walls')!.status).toBe('deleted');
    const log = await readLog(join(ws, '.planager', 'activity.jsonl'));
    expect(log.find((e) => e.action === 'delete')?.version.description).toBe('Paint the walls');

    writeFileSync(file(), '* Garden\n');
    const stop = await run();
    expect(stop.code).toBe(1);
    expect(stop.error?.code).toBe('bulk-guard');
    expect(sb.exportAll().filter((t) => t.status === 'pending')).toHaveLength(3);
    const forced = await run({ force: true });
    expect(forced.code).toBe(0);
    expect(sb.exportAll().filter((t) => t.status === 'pending')).toHaveLength(0);
  });

  it('a task purged from Taskwarrior is reported, never re-created', async () => {
    await run();
    const uuid = sb.exportAll().find((t) => t.description === 'Paint the walls')!.uuid;
    sb.task(uuid, 'delete');
    sb.task(uuid, 'purge');
    const r = await run();
    expect(r.warnings.join('\n')).toMatch(/gone from Taskwarrior/);
    expect(sb.exportAll().some((t) => t.description === 'Paint the walls')).toBe(false);
    expect(read()).toContain('Paint the walls');
  });

  it('hostile descriptions arrive intact and execute nothing', async () => {
    const marker = join(sb.dir, 'pwned');
    const hostile = `quote " and ' $(touch ${marker}) \`touch ${marker}\` ; rm -rf ~ é 日本 😀 ${'x'.repeat(100_000)}`;
    writeFileSync(file(), `- ( ) ${hostile}\n`);
    const r = await run();
    expect(r.code).toBe(0);
    const t = sb.exportAll();
    expect(t[0].description).toBe(hostile);
    expect(() => readFileSync(marker)).toThrow();
    // And from Taskwarrior to the note: a newline and a NUL cannot break the line.
    sb.task('add', 'line one', 'project:x');
    const u = sb.exportAll().find((x) => x.description === 'line one')!.uuid;
    expect((await sync({ workspace: ws, tw: sb.tw, inbox: 'plan.norg' })).code).toBe(0);
    expect(read()).toContain('- ( ) line one');
    expect(u).toBeTruthy();
  });

  for (const how of ['fail', 'crash', 'hang'] as const) {
    it(`a task that ${how}s on import leaves notes and database as they were; the next sync completes`, async () => {
      await run();
      const note = read();
      const db = JSON.stringify(sb.exportAll().map((t) => [t.uuid, t.status, t.description]));
      writeFileSync(file(), note.replace('( |# A|', '(x|# A|'));
      const edited = read();
      sb.sabotage('import', how);
      const r = await run();
      expect(r.code).toBe(2);
      expect(r.error?.message).toMatch(/as they were/);
      expect(read()).toBe(edited);
      expect(JSON.stringify(sb.exportAll().map((t) => [t.uuid, t.status, t.description]))).toBe(db);
      sb.sabotage('import', null);
      const ok = await run();
      expect(ok.code).toBe(0);
      expect(sb.exportAll().find((t) => t.description === 'Plant the tulips')!.status).toBe('completed');
    });
  }

  it("a push leaves Taskwarrior's change for later and a pull the note's; the next full sync brings both", async () => {
    await run();
    // Taskwarrior changes one task, the note another; a push of the note must not lose the first.
    const uuid = sb.exportAll().find((t) => t.description === 'Plant the tulips')!.uuid;
    sb.task(uuid, 'modify', 'Plant the red tulips');
    writeFileSync(file(), read().replace('( ) Hammer them', '(x) Hammer them'));
    const push = await run({ files: ['plan.norg'], direction: 'push' });
    expect(push.code).toBe(0);
    expect(read()).not.toContain('red tulips');
    expect(sb.exportAll().find((t) => t.description === 'Hammer them')!.status).toBe('completed');
    const full = await run();
    expect(read()).toContain('Plant the red tulips');
    expect(full.changed).toBe(true);

    // A pull leaves a note change for the push.
    writeFileSync(file(), read().replace('(=) Paint the walls', '(x) Paint the walls'));
    sb.task(uuid, 'modify', 'Plant the white tulips');
    await run({ files: ['plan.norg'], direction: 'pull' });
    expect(read()).toContain('white tulips');
    expect(sb.exportAll().find((t) => t.description === 'Paint the walls')!.status).toBe('pending');
    await run();
    expect(sb.exportAll().find((t) => t.description === 'Paint the walls')!.status).toBe('completed');
    expect((await run()).changed).toBe(false);
  });

  it('subtasks and links (same file, other file, loaded in either order) become depends, both ways round', async () => {
    writeFileSync(
      join(ws, 'a.norg'),
      ['* Build', '  - ( ) Pour the slab {:b:* Order}', '  - ( ) Frame it {* Setup}', '* Setup', '  - ( ) Survey', ''].join('\n'),
    );
    writeFileSync(join(ws, 'b.norg'), ['* Order', '  - ( ) Order concrete', ''].join('\n'));
    expect((await run()).code).toBe(0);
    // Link text stays in the description ("Pour the slab {:b:* Order}"): keyed by what precedes it.
    const byDesc = () => new Map(sb.exportAll().map((t) => [t.description.replace(/ \{.*\}$/, ''), t]));
    let all = byDesc();
    expect(all.get('Pour the slab')!.depends).toEqual([all.get('Order concrete')!.uuid]);
    expect(all.get('Frame it')!.depends).toEqual([all.get('Survey')!.uuid]);
    expect([...(all.get('Fix the fence')!.depends ?? [])].sort()).toEqual([all.get('Buy nails')!.uuid, all.get('Hammer them')!.uuid].sort());
    // Only b.norg changes: the link from a.norg (not loaded again) is kept, and a second
    // sync changes nothing.
    writeFileSync(join(ws, 'b.norg'), readFileSync(join(ws, 'b.norg'), 'utf8').replace('Order concrete', 'Order the concrete'));
    expect((await run()).code).toBe(0);
    all = byDesc();
    expect(all.get('Pour the slab')!.depends).toEqual([all.get('Order the concrete')!.uuid]);
    expect((await run()).changed).toBe(false);
  });
});
