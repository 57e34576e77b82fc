/**
 * Issue 12, case 4: a line copied, id and all, into another note. The warning says the copy
 * gets a new task and id, and that is what must happen: the original line keeps its id and its
 * task; the copy's line gets a new id naming a new task.
 */
import { describe, expect, it } from 'vitest';
import { linesOf, settle, setup, short } from './util.js';

const A = ['* Work', '  - ( |# B) Review the contract', '  - ( ) Email Ann', ''].join('\n');
const B = ['* Home', '  - ( ) Call plumber', ''].join('\n');

describe('case 4: a line copied with its id into another note', () => {
  for (const how of ['full sync', "push of the copy's note", "pull of the copy's note", "push of the original's note"] as const) {
    it(`after a ${how}: the copy gets a new task and id, the original stays`, async () => {
      const env = setup({ 'a.norg': A, 'b.norg': B });
      expect((await env.run()).code).toBe(0);
      const orig = env.tw('Review the contract').uuid;
      env.sb.task(orig, 'annotate', 'clause 7');
      const line = env
        .read('a.norg')
        .split('\n')
        .find((l) => l.includes('Review the contract'))!;
      expect(line).toContain(`%#${short(orig)}%`);
      env.write('b.norg', env.read('b.norg') + line + '\n');

      const opts =
        how === 'full sync'
          ? {}
          : how === "push of the copy's note"
            ? { files: ['b.norg'], direction: 'push' as const }
            : how === "pull of the copy's note"
              ? { files: ['b.norg'], direction: 'pull' as const }
              : { files: ['a.norg'], direction: 'push' as const };
      const r = await env.run(opts);
      expect(r.code).toBe(0);
      expect(r.taskwarrior.deleted).toEqual([]);
      if (how !== "push of the original's note") expect(r.warnings.join('\n')).toMatch(/copy gets a new task and id/);
      // The original: same line, same id, same task, still pending, annotation intact.
      expect(env.byUuid(orig)!.status).toBe('pending');
      expect(env.byUuid(orig)!.project).toBe('Work');

      await settle(env, ['Review the contract', 'Review the contract', 'Email Ann', 'Call plumber']);
      const lines = linesOf(env.ws, 'Review the contract');
      expect(lines.map((l) => l.file).sort()).toEqual(['a.norg', 'b.norg']);
      const a = lines.find((l) => l.file === 'a.norg')!;
      const b = lines.find((l) => l.file === 'b.norg')!;
      expect(a.id).toBe(short(orig));
      expect(b.id).not.toBe(short(orig));
      const copy = env.sb.exportAll().find((t) => t.uuid.replace(/-/g, '').startsWith(b.id!))!;
      expect(copy.uuid).not.toBe(orig);
      // A copy is a new task with the copied line's fields, in its own note's project.
      expect([copy.status, copy.priority, copy.project]).toEqual(['pending', 'M', 'Home']);
      expect(copy.annotations ?? []).toEqual([]);
      const o = env.byUuid(orig)!;
      expect([o.status, o.priority, o.project]).toEqual(['pending', 'M', 'Work']);
      expect((o.annotations ?? []).map((x: { description: string }) => x.description)).toEqual(['clause 7']);
    });
  }
});
