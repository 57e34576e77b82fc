/**
 * Issue 18 with the real engines on loopback: one bare git repository for the notes, one taskd
 * (test/helpers/taskd.ts; .ci/run's when PLANAGER_TEST_TASKD is set), and simulated devices,
 * each with its clone, its Taskwarrior database and a taskrc pointing at the server, syncing
 * with the built `planager sync --remote`.
 */
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareRemote, device, type Device } from '../../helpers/devices.js';
import { HAVE_TASKD, TASKD_SKIP, taskdServer, type TaskdServer } from '../../helpers/taskd.js';
import type { TwTask } from '../../../sync/index.js';
import { assertBuilt } from './run.js';

export const NOTE = `* Week
  Plans for the week.
  - ( ) Write the report
  - ( |# B) Call Anna
  - ( ) Buy milk

  Last line.
`;

let server: TaskdServer;

/** Devices of one person (a fresh taskd user), the first seeding the notes; all synced once. */
export async function household(names: string[], note = NOTE): Promise<Device[]> {
  const remote = bareRemote();
  const account = server.account('p');
  const devs = names.map((n, i) =>
    device(n, remote, { seed: i === 0 ? { 'week.norg': note, '.gitattributes': '*.norg merge=planager\n' } : undefined, taskd: { server, account } }),
  );
  for (const d of devs) expect((await d.planager('remote', 'setup', '--yes')).code).toBe(0);
  // The first device creates the tasks (ids in the note) and uploads them; the others receive both.
  for (const d of devs) await syncOk(d);
  return devs;
}

export async function syncOk(d: Device): Promise<string> {
  const r = await d.planager('sync', '--remote');
  if (r.code !== 0) throw new Error(`${d.name}: sync --remote exited ${r.code}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** What a device's Taskwarrior holds, in terms every device shares (no local ids or times). */
export function tasksOf(d: Device): object[] {
  return d.sb
    .exportAll()
    .map((t: TwTask) => ({ uuid: t.uuid, description: t.description, status: t.status, priority: t.priority ?? null, tags: (t.tags ?? []).slice().sort() }))
    .sort((x, y) => x.uuid.localeCompare(y.uuid));
}

/** Moves a note's mtime (the merge driver's "when ours changed") to `secondsAgo` in the past. */
function age(d: Device, file: string, secondsAgo: number): void {
  const t = Date.now() / 1000 - secondsAgo;
  utimesSync(join(d.ws, file), t, t);
}

beforeAll(async () => {
  assertBuilt();
  if (HAVE_TASKD) server = taskdServer();
}, 60_000);
afterAll(() => server?.stop());

describe.skipIf(!HAVE_TASKD)(`three devices through git and taskd${TASKD_SKIP ? ` (skipped: ${TASKD_SKIP})` : ''}`, () => {
  it('the first sync spreads the tasks: same notes, same tasks on every device; then nothing to do is one git fetch and one task sync', async () => {
    const [a, b, c] = await household(['laptop', 'desk', 'phone']);
    await syncOk(a); // a catches up with what b and c did (nothing)
    expect(b.read('week.norg')).toBe(a.read('week.norg'));
    expect(c.read('week.norg')).toBe(a.read('week.norg'));
    // A shared workspace (.gitattributes names the merge driver) gets 12-digit ids (sync/ids.ts).
    expect(a.read('week.norg')).toMatch(/Write the report %#[0-9a-f]{12}%/);
    expect(tasksOf(b)).toEqual(tasksOf(a));
    expect(tasksOf(c)).toEqual(tasksOf(a));
    expect(tasksOf(a)).toHaveLength(3);

    c.resetCalls();
    const out = await syncOk(c);
    expect(c.gitCalls()).toEqual(['fetch --quiet origin']);
    expect(c.sb.calls().map((l) => l.split(' ').pop())).toEqual(['sync']);
    expect(out).toMatch(/task sync: Sync successful\. +No changes\./);
  });

  it("the task sync runs beside the notes' steps: a fetch that fails still brings the tasks in, says so, and the next run finishes", async () => {
    const [a, b] = await household(['laptop', 'desk']);
    const milk = (d: Device) => d.sb.exportAll().find((t) => t.description === 'Buy milk')!;
    b.sb.task(milk(b).uuid, 'modify', 'priority:H');
    await syncOk(b);
    const url = a.git('remote', 'get-url', 'origin').trim();
    a.git('remote', 'set-url', 'origin', join(url, 'gone'));
    const r = await a.planager('sync', '--remote');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/git fetch: failed/);
    expect(r.stderr).toMatch(/task sync: .*\(run beside the fetch\)/);
    expect(milk(a).priority).toBe('H');
    a.git('remote', 'set-url', 'origin', url);
    await syncOk(a);
    await syncOk(b);
    expect(a.read('week.norg')).toMatch(/- \( \|# A\) Buy milk %#/);
    expect(b.read('week.norg')).toBe(a.read('week.norg'));
    expect(tasksOf(b)).toEqual(tasksOf(a));
  });

  it('both devices edit different fields of the same task: both kept everywhere', async () => {
    const [a, b] = await household(['laptop', 'desk']);
    a.write('week.norg', a.read('week.norg').replace('( |# B) Call Anna', '(x|# B) Call Anna'));
    b.write('week.norg', b.read('week.norg').replace('Call Anna', 'Call Anna and Bob'));
    await syncOk(a);
    await syncOk(b);
    await syncOk(a);
    expect(a.read('week.norg')).toMatch(/- \(x\|# B\) Call Anna and Bob %#/);
    expect(b.read('week.norg')).toBe(a.read('week.norg'));
    const anna = (d: Device) => d.sb.exportAll().find((t) => t.description.startsWith('Call Anna'))!;
    expect(anna(a)).toMatchObject({ description: 'Call Anna and Bob', status: 'completed', priority: 'M' });
    expect(tasksOf(b)).toEqual(tasksOf(a));
  });

  it('both edit the same field: the newer edit is kept everywhere, the other is in the history of the device that merged them', async () => {
    const [a, b] = await household(['laptop', 'desk']);
    b.write('week.norg', b.read('week.norg').replace('Buy milk', 'Buy oat milk'));
    age(b, 'week.norg', 120); // the desk's edit is two minutes old
    a.write('week.norg', a.read('week.norg').replace('Buy milk', 'Buy soy milk'));
    await syncOk(a); // the laptop's (newer) edit reaches the remote and taskd first
    const out = await syncOk(b);
    expect(out).toMatch(/planager merge week\.norg: task [0-9a-f]+: description changed on both sides; kept the incoming \(newer\) value/);
    await syncOk(a);
    for (const d of [a, b]) expect(d.read('week.norg')).toMatch(/- \( \) Buy soy milk %#/);
    expect(tasksOf(b)).toEqual(tasksOf(a));
    const id = /Buy soy milk %#([0-9a-f]+)%/.exec(a.read('week.norg'))![1];
    const h = await b.planager('history', id);
    expect(h.stdout).toContain('Buy oat milk');
  });

  it('the newer edit merged on the device that made it: the other device finds its lost value in its own history', async () => {
    const [a, b] = await household(['laptop', 'desk']);
    a.write('week.norg', a.read('week.norg').replace('Buy milk', 'Buy soy milk'));
    age(a, 'week.norg', 120);
    await syncOk(a); // the laptop's older edit reaches the remote first
    // Taskwarrior's `modified` (what the two-way sync compares) has one-second resolution: the
    // desk's edit comes a second later, as a person's would.
    await new Promise((r) => setTimeout(r, 1100));
    b.write('week.norg', b.read('week.norg').replace('Buy milk', 'Buy oat milk'));
    const out = await syncOk(b);
    expect(out).toMatch(/description changed on both sides; kept this device's \(newer\) value/);
    const back = await syncOk(a);
    expect(back).toMatch(/git: merged origin\/main \([0-9a-f]+\); 1 task line changed, the old values in the history/);
    for (const d of [a, b]) expect(d.read('week.norg')).toMatch(/- \( \) Buy oat milk %#/);
    expect(tasksOf(b)).toEqual(tasksOf(a));
    const id = /Buy oat milk %#([0-9a-f]+)%/.exec(a.read('week.norg'))![1];
    expect((await a.planager('history', id)).stdout).toContain('Buy soy milk');
    expect((await b.planager('history', id)).stdout).toContain('Buy soy milk');
  });

  it('one deletes a task while the other edits it: the edit wins, on every device', async () => {
    const [a, b] = await household(['laptop', 'desk']);
    a.write('week.norg', a.read('week.norg').replace(/ {2}- \( \) Buy milk %#[0-9a-f]+%\n/, ''));
    b.write('week.norg', b.read('week.norg').replace('Buy milk', 'Buy milk and eggs'));
    await syncOk(a);
    const out = await syncOk(b);
    expect(out).toMatch(/deleted on one side and edited on the other: kept with the edit/);
    await syncOk(a);
    for (const d of [a, b]) expect(d.read('week.norg')).toMatch(/- \( \) Buy milk and eggs %#/);
    expect(tasksOf(a)).toEqual(tasksOf(b));
    expect(tasksOf(a)).toContainEqual(expect.objectContaining({ description: 'Buy milk and eggs', status: 'pending' }));
  });

  it('a note renamed on one device and edited on the other: one note, renamed and edited, same tasks', async () => {
    const [a, b] = await household(['laptop', 'desk']);
    a.git('mv', 'week.norg', 'this-week.norg');
    b.write('week.norg', b.read('week.norg').replace('Write the report', 'Write the final report'));
    await syncOk(a);
    await syncOk(b);
    await syncOk(a);
    for (const d of [a, b]) {
      expect(d.git('ls-files', '*.norg')).toBe('this-week.norg\n');
      expect(d.read('this-week.norg')).toMatch(/- \( \) Write the final report %#/);
    }
    expect(tasksOf(a)).toEqual(tasksOf(b));
    expect(tasksOf(a).filter((t) => (t as { status: string }).status === 'pending')).toHaveLength(3);
  });

  it('two devices offline make tasks whose uuids share their first 8 digits: distinct ids, each task once, everywhere', async () => {
    const [a, b] = await household(['laptop', 'desk']);
    // What 8-digit ids made a coincidence of (both would be %#c0ffee00%): the two tasks are
    // created apart, each device's sync gives its task an id before it sees the other's.
    const made = (d: Device, uuid: string, description: string) => {
      const f = join(d.sb.dir, 'made.json');
      writeFileSync(f, JSON.stringify([{ uuid, description, status: 'pending', project: 'Week', entry: '20261201T090000Z' }]));
      d.sb.task('import', f);
    };
    made(a, 'c0ffee00-1111-4111-8111-111111111111', 'Book the train');
    made(b, 'c0ffee00-2222-4222-8222-222222222222', 'Pack the bags');
    await syncOk(a);
    await syncOk(b);
    await syncOk(a);
    const note = a.read('week.norg');
    expect(b.read('week.norg')).toBe(note);
    expect(note).toMatch(/- \( \) Book the train %#c0ffee001111%/);
    expect(note).toMatch(/- \( \) Pack the bags %#c0ffee002222%/);
    expect(note.match(/Book the train|Pack the bags/g)).toHaveLength(2);
    expect(tasksOf(a)).toEqual(tasksOf(b));
    expect(tasksOf(a)).toHaveLength(5);
  });
});
