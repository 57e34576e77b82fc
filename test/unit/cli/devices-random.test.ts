/**
 * Issue 18: three devices (git clone + Taskwarrior + taskd on loopback), random edits on every
 * device (in the note and in Taskwarrior), `sync --remote` in random orders with a device
 * offline for a while; then every device syncs until nothing moves, and all hold the same notes
 * byte for byte, the same tasks, no conflict markers, and every task a note shows is a task.
 * Fixed seed and few runs: each sync is real processes (about half a second).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../helpers/devices.js';
import { HAVE_TASKD, TASKD_SKIP, taskdServer, type TaskdServer } from '../../helpers/taskd.js';
import type { TwTask } from '../../../sync/index.js';
import { assertBuilt } from './run.js';
import { bareRemote, device } from '../../helpers/devices.js';

const NOTE = `* Week
  Plans for the week.
  - ( ) Write the report
  - ( ) Call Anna
  - ( ) Buy milk

  Last line.
`;

let server: TaskdServer;
beforeAll(() => {
  assertBuilt();
  if (HAVE_TASKD) server = taskdServer();
}, 60_000);
afterAll(() => server?.stop());

type Op = 'status' | 'describe' | 'add' | 'delete' | 'prose' | 'tw-done' | 'tw-describe' | 'sync' | 'offline' | 'online';
interface Step {
  dev: number;
  op: Op;
  n: number;
}

const step: fc.Arbitrary<Step> = fc.record({
  dev: fc.integer({ min: 0, max: 2 }),
  op: fc.constantFrom<Op>('status', 'describe', 'add', 'delete', 'prose', 'tw-done', 'tw-describe', 'sync', 'sync', 'sync', 'offline', 'online'),
  n: fc.nat(1000),
});

const TASK_LINE = /^\s*- \((.)\) (.*) %#([0-9a-f]+)%$/;

function taskLines(d: Device): { i: number; id: string; status: string }[] {
  return d
    .read('week.norg')
    .split('\n')
    .flatMap((l, i) => {
      const m = TASK_LINE.exec(l);
      return m ? [{ i, id: m[3], status: m[1] }] : [];
    });
}

function editNote(d: Device, s: Step, word: string): void {
  const lines = d.read('week.norg').split('\n');
  const tasks = taskLines(d);
  const t = tasks.length ? tasks[s.n % tasks.length] : null;
  if (s.op === 'status' && t) lines[t.i] = lines[t.i].replace(/\((.)\)/, (_, c) => (c === 'x' ? '( )' : '(x)'));
  if (s.op === 'describe' && t) lines[t.i] = lines[t.i].replace(/ %#/, ` ${word} %#`);
  if (s.op === 'delete' && t) lines.splice(t.i, 1);
  if (s.op === 'add') lines.splice(t ? t.i + 1 : 2, 0, `  - ( ) New ${word}`);
  if (s.op === 'prose') lines[1] = `  Plans for the week, ${word}.`;
  d.write('week.norg', lines.join('\n'));
}

function editTw(d: Device, s: Step, word: string): void {
  const live = d.sb.exportAll().filter((t: TwTask) => t.status === 'pending');
  if (live.length === 0) return;
  const t = live[s.n % live.length];
  if (s.op === 'tw-done') d.sb.task(t.uuid, 'done');
  else d.sb.task(t.uuid, 'modify', `${t.description} ${word}`);
}

function tasksOf(d: Device): string[] {
  return d.sb
    .exportAll()
    .map((t: TwTask) => `${t.uuid} ${t.status} ${t.description}`)
    .sort();
}

describe.skipIf(!HAVE_TASKD)(`three devices converge${TASKD_SKIP ? ` (skipped: ${TASKD_SKIP})` : ''}`, () => {
  it('random edits, random sync orders, one device offline a while: all converge, nothing lost, no markers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 6, maxLength: 12 }), async (steps) => {
        const remote = bareRemote();
        const account = server.account('r');
        const devs = ['laptop', 'desk', 'phone'].map((n, i) =>
          device(n, remote, { seed: i === 0 ? { 'week.norg': NOTE, '.gitattributes': '*.norg merge=planager\n' } : undefined, taskd: { server, account } }),
        );
        const offline = new Set<number>();
        const sync = async (k: number): Promise<void> => {
          const r = await devs[k].planager('sync', '--remote');
          if (process.env.DEVICES_TRACE) console.log(`== ${devs[k].name}\n${r.stdout}${r.stderr}`);
          // Offline, the run stops at the fetch (exit 2); online every run must succeed.
          if (offline.has(k)) expect(r.stderr).toMatch(/git fetch: failed/);
          else if (r.code !== 0) throw new Error(`${devs[k].name}: exit ${r.code}\n${r.stdout}${r.stderr}`);
        };
        for (const d of devs) expect((await d.planager('remote', 'setup', '--yes')).code).toBe(0);
        for (let k = 0; k < 3; k++) await sync(k);
        let w = 0;
        for (const s of steps) {
          const d = devs[s.dev];
          const word = `w${++w}`;
          if (process.env.DEVICES_TRACE) console.log(`-- ${d.name} ${s.op} ${s.n}`);
          if (s.op === 'sync') await sync(s.dev);
          else if (s.op === 'offline' && offline.size === 0) {
            offline.add(s.dev);
            d.git('remote', 'set-url', 'origin', `${remote}.offline`);
          } else if (s.op === 'online' && offline.has(s.dev)) {
            offline.delete(s.dev);
            d.git('remote', 'set-url', 'origin', remote);
          } else if (s.op === 'tw-done' || s.op === 'tw-describe') editTw(d, s, word);
          else if (s.op !== 'offline' && s.op !== 'online') editNote(d, s, word);
        }
        for (const k of offline) devs[k].git('remote', 'set-url', 'origin', remote);
        offline.clear();
        // Rounds until a whole round changes nothing anywhere (at most four).
        let last = '';
        for (let round = 0; round < 4; round++) {
          for (let k = 0; k < 3; k++) await sync(k);
          const now = JSON.stringify(devs.map((d) => [d.read('week.norg'), tasksOf(d)]));
          if (now === last) break;
          last = now;
        }
        const note = devs[0].read('week.norg');
        for (const d of devs) {
          expect(d.read('week.norg'), `${d.name}'s note`).toBe(note);
          expect(tasksOf(d), `${d.name}'s tasks`).toEqual(tasksOf(devs[0]));
          expect(d.git('ls-files', '*.norg')).toBe('week.norg\n');
        }
        expect(note).not.toMatch(/^(<<<<<<<|=======|>>>>>>>)/m);
        // Every task line is a live task of the same status, on every device.
        const byPrefix = (id: string) => devs[0].sb.exportAll().filter((t: TwTask) => t.uuid.replace(/-/g, '').startsWith(id));
        for (const t of taskLines(devs[0])) {
          const hits = byPrefix(t.id);
          expect(hits, `task ${t.id}: ${JSON.stringify(hits)}\n${devs.map((d) => d.read('week.norg')).join('\n---\n')}`).toHaveLength(1);
          expect(hits[0].status, `task ${t.id}: ${JSON.stringify(hits)}\n${note}`).toBe({ x: 'completed', _: 'deleted' }[t.status] ?? 'pending');
        }
      }),
      { numRuns: Number(process.env.DEVICES_RUNS ?? 2), seed: Number(process.env.DEVICES_SEED ?? 1818), endOnFailure: true },
    );
  }, 120_000);
});
