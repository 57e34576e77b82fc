import fc from 'fast-check';
import type { TaskStatus } from '../../parser/index.js';
import type { PlanTask } from '../../plan/index.js';

export const STATUSES: TaskStatus[] = ['undone', 'done', 'pending', 'onhold', 'cancelled', 'urgent', 'uncertain'];
const CHAR: Record<string, string> = { undone: ' ', done: 'x', pending: '-', onhold: '=', cancelled: '_', urgent: '!', uncertain: '?' };

export const word = fc.constantFrom('plan', 'write', 'ship', 'é', '日本', '😀', '*bold*', '/it/', '{* Link}', 'x:y', '$5', 'a-b', "don't", '"q"', '`code`');
export const description = fc.array(word, { minLength: 1, maxLength: 6 }).map((ws) => ws.join(' '));
export const status = fc.constantFrom(...STATUSES);
export const priority = fc.option(fc.constantFrom('A', 'B', 'C'), { nil: null });
export const date = fc.option(fc.constantFrom('Fri 27th Nov', 'Mon', '1 May 2025', '2024 10:00'), { nil: null });

export interface GenTask {
  status: TaskStatus;
  description: string;
  priority: string | null;
  due: string | null;
  level: number;
  id: string;
  cont: boolean;
}

export const planDoc = fc
  .array(
    fc.record({
      title: fc.constantFrom('Work', 'Home', 'Ideas', 'Plans'),
      crlf: fc.boolean(),
      tasks: fc.array(fc.record({ status, description, priority, due: date, level: fc.integer({ min: 1, max: 3 }), cont: fc.boolean() }), { maxLength: 6 }),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((sections) => {
    let n = 0;
    const nl = sections[0].crlf ? '\r\n' : '\n';
    const lines: string[] = [];
    const tasks: GenTask[] = [];
    sections.forEach((s, i) => {
      lines.push(`* ${s.title} ${i}`);
      let prevLevel = 0;
      for (const t of s.tasks) {
        const level = Math.min(t.level, prevLevel + 1);
        prevLevel = level;
        const id = (0x10000000 + n++).toString(16);
        const parts = [CHAR[t.status], ...(t.priority ? [`# ${t.priority}`] : []), ...(t.due ? [`< ${t.due}`] : [])];
        const words = t.description.split(' ');
        const first = t.cont && words.length > 1 ? words.slice(0, 1).join(' ') : t.description;
        lines.push(`  ${'-'.repeat(level)} (${parts.join('|')}) ${first} %#${id}%`);
        if (t.cont && words.length > 1) lines.push(`    ${words.slice(1).join(' ')}`);
        tasks.push({ ...t, level, id, due: t.due, priority: t.priority });
      }
      lines.push('');
    });
    return { text: lines.join(nl), tasks };
  });

/** A plan task with every field at its plain value, `over` on top (the schedule's tests). */
export function planTaskOf(uuid: string, over: Partial<PlanTask> = {}): PlanTask {
  return {
    uuid,
    id: uuid.replace(/-/g, '').slice(0, 8),
    description: uuid,
    status: 'undone',
    waiting: false,
    priority: null,
    due: null,
    scheduled: null,
    end: null,
    depends: [],
    project: null,
    home: null,
    ...over,
  };
}
