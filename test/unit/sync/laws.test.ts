import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sync } from '../../../sync/index.js';
import { planDoc } from '../../helpers/plan-arb.js';
import { twSandbox } from '../../helpers/tw.js';

// Each case runs real `task` several times: few runs, fixed in CI by the global seed.
const runs = { numRuns: Number(process.env.PLANAGER_SYNC_RUNS ?? 25) };

const twEdit = fc.record({ pick: fc.nat(), what: fc.constantFrom('done', 'start', 'priority:H', 'due:2027-01-15', 'description', '+tagged', 'add') });

describe('sync laws (real task)', () => {
  it('after any edits on both sides, a sync followed by a second sync: the second changes nothing and starts no process', async () => {
    await fc.assert(
      fc.asyncProperty(planDoc, fc.array(twEdit, { maxLength: 3 }), fc.array(fc.nat(), { maxLength: 2 }), async (doc, twEdits, noteTicks) => {
        const sb = twSandbox();
        const ws = mkdtempSync(join(tmpdir(), 'planager-law-'));
        const file = join(ws, 'plan.norg');
        writeFileSync(file, doc.text);
        const first = await sync({ workspace: ws, tw: sb.tw, force: true });
        expect(first.code).toBe(0);
        // Edits on both sides.
        const tasks = sb.exportAll().filter((t) => t.status === 'pending');
        const tryTask = (...args: string[]) => {
          try {
            sb.task(...args);
          } catch {
            // Taskwarrior refused this edit (starting a started task): then it is no edit.
          }
        };
        for (const e of twEdits) {
          if (e.what === 'add') tryTask('add', 'From Taskwarrior', `project:${tasks[0]?.project ?? 'Work 0'}`);
          else if (tasks.length > 0) {
            const t = tasks[e.pick % tasks.length];
            if (e.what === 'description') tryTask(t.uuid, 'modify', `${t.description} (changed)`);
            else if (e.what === 'done' || e.what === 'start') tryTask(t.uuid, e.what);
            else tryTask(t.uuid, 'modify', e.what);
          }
        }
        let text = readFileSync(file, 'utf8');
        const lines = text.split(/\r?\n/);
        for (const n of noteTicks) {
          const idx = lines.map((l, i) => (/\(( |-)[|)]/.test(l) ? i : -1)).filter((i) => i >= 0);
          if (idx.length > 0) lines[idx[n % idx.length]] = lines[idx[n % idx.length]].replace(/\(( |-)([|)])/, '(x$2');
        }
        text = lines.join(doc.text.includes('\r\n') ? '\r\n' : '\n');
        writeFileSync(file, text);
        const second = await sync({ workspace: ws, tw: sb.tw, force: true });
        expect(second.code).toBe(0);
        const noteAfter = readFileSync(file, 'utf8');
        const twAfter = JSON.stringify(
          sb
            .exportAll()
            .map((t) => [t.uuid, t.status, t.description, t.priority ?? '', t.due ?? '', (t.tags ?? []).join(',')])
            .sort(),
        );
        const third = await sync({ workspace: ws, tw: sb.tw, force: true });
        expect(third.changed, JSON.stringify(third.taskwarrior) + JSON.stringify(third.notes)).toBe(false);
        expect(third.processes).toBe(0);
        expect(readFileSync(file, 'utf8')).toBe(noteAfter);
        expect(
          JSON.stringify(
            sb
              .exportAll()
              .map((t) => [t.uuid, t.status, t.description, t.priority ?? '', t.due ?? '', (t.tags ?? []).join(',')])
              .sort(),
          ),
        ).toBe(twAfter);
      }),
      runs,
    );
  }, 300_000);
});
