import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canon, parseFF4, storedVersions } from '../../../sync/undo.js';
import { twDate, type TwTask } from '../../../sync/index.js';
import { twSandbox } from '../../helpers/tw.js';

// A pull reads changed tasks from undo.data instead of exporting, so the FF4 reader must give
// back exactly what `task export` shows, for any text a user or a hostile import can store.
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('"', '\\', '[', ']', ':', '&', 'dquot;', 'open;', '\t', ' ', 'é', '😀', ',', '/', 'x'), maxLength: 30 }),
);

describe('undo.data reader (FF4)', () => {
  it('reads every version Taskwarrior wrote as `task export` shows it', async () => {
    const sb = twSandbox();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(text, fc.array(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), { maxLength: 3 }), fc.option(text)), { minLength: 1, maxLength: 40 }),
        async (rows) => {
          const now = twDate(new Date());
          const tasks = rows
            .map(([d, tags, ann], i) => ({
              uuid: randomUUID(),
              description: d.trim() || `task ${i}`,
              status: 'pending',
              entry: now,
              ...(tags.length ? { tags: [...new Set(tags)] } : {}),
              ...(ann && ann.trim() ? { annotations: [{ entry: now, description: ann.trim() }] } : {}),
              project: 'p.q',
            }))
            .filter((t) => !/[\u0000-\u001f]/.test(t.description));
          const r = await sb.tw.import(tasks as TwTask[]);
          expect(r.ok).toBe(true);
          const exported = new Map(sb.exportAll().map((t) => [t.uuid, t]));
          const lines = readFileSync(join(sb.dir, 'data', 'undo.data'), 'utf8')
            .split('\n')
            .filter((l) => l.startsWith('new ['));
          const read = new Map(lines.map((l) => parseFF4(l)!).map((t) => [t.uuid, t]));
          for (const t of tasks) {
            const want = exported.get(t.uuid)!;
            const got = read.get(t.uuid);
            expect(got, t.description).toBeDefined();
            expect(canon(got!)).toBe(canon(want));
          }
        },
      ),
      { numRuns: Number(process.env.PLANAGER_SYNC_RUNS ?? 8) },
    );
  });

  it('reads any line as the pattern it replaced read it (pairs, escapes, spaces, cut lines, junk)', () => {
    const key = fc.constantFrom(
      'uuid',
      'description',
      'entry',
      'due',
      'wait',
      'tags',
      'tags_x',
      'dep_1',
      'depends',
      'annotation_1795321912',
      'x y',
      'a]b',
      '',
      'k:v',
      '__proto__',
    );
    const value = fc.string({
      unit: fc.constantFrom('a', '"', '\\', '\\"', '&', '&open;', '&close;', '\t', '\r', '\u2028', '\u00a0', ' ', '1', ',', ']', 'é'),
      maxLength: 8,
    });
    const space = fc.constantFrom('', ' ', '  ', '\t', '\u00a0', '\u3000', '\r');
    const line = fc
      .tuple(
        fc.constantFrom('[', 'new [', 'old[', 'x'),
        fc.array(fc.tuple(space, key, value), { maxLength: 6 }),
        space,
        fc.constantFrom(']', '', ' ]', ']x', '"]'),
        fc.nat(80),
      )
      .map(([head, pairs, sp, end, cut]) => {
        const l = `${head}uuid:"c518c546-fb0d-408f-9a31-2e4bd59eb14f"${pairs.map(([w, k, v]) => `${w}${k}:"${v}"`).join('')}${sp}${end}`;
        return cut % 4 === 0 ? l.slice(0, cut) : l;
      });
    fc.assert(
      fc.property(line, (l) => {
        expect(parseFF4(l)).toEqual(patternFF4(l));
      }),
      { numRuns: 2000 },
    );
  });

  it('a line cut short is not read', () => {
    const line = 'new [description:"a b" entry:"1795321912" status:"pending" uuid:"c518c546-fb0d-408f-9a31-2e4bd59eb14f"]';
    expect(parseFF4(line)?.description).toBe('a b');
    expect(parseFF4(line.slice(0, -1))).toBeNull();
    expect(parseFF4(line.slice(0, 30))).toBeNull();
  });
});

describe('storedVersions', () => {
  it('finds the same versions whether it looks for a few tasks or for many at once', async () => {
    const sb = twSandbox();
    const now = twDate(new Date());
    // Descriptions that hold what the lookup matches on: another uuid attribute, a longer
    // attribute name ending in uuid, brackets.
    const tasks = Array.from({ length: 60 }, (_, i) => ({
      uuid: randomUUID(),
      description: i % 3 ? `task ${i} xuuid:"${randomUUID()}" [` : `task ${i}`,
      status: 'pending',
      entry: now,
      project: 'p',
    }));
    expect((await sb.tw.import(tasks as TwTask[])).ok).toBe(true);
    sb.task(tasks[7]!.uuid, 'done');
    const uuids = [...tasks.map((t) => t.uuid), randomUUID()];
    const many = storedVersions(join(sb.dir, 'data'), uuids);
    const few = new Map(uuids.flatMap((u) => [...storedVersions(join(sb.dir, 'data'), [u])]));
    expect(many.size).toBe(60);
    expect([...many.keys()].sort()).toEqual([...few.keys()].sort());
    for (const [u, t] of many) expect(canon(t)).toBe(canon(few.get(u)!));
    expect(many.get(tasks[7]!.uuid)!.status).toBe('completed');
    const exported = new Map(sb.exportAll().map((t) => [t.uuid, t]));
    for (const [u, t] of many) expect(t.description).toBe(exported.get(u)!.description);
  });
});

/** parseFF4 as it was, with the pattern (the oracle of the scan by character codes). */
function patternFF4(line: string): TwTask | null {
  const start = line.indexOf('[');
  if (start < 0) return null;
  const raw: Record<string, string> = {};
  const re = /\s*([^\s:\]]+):"((?:[^"\\]|\\.)*)"/y;
  let pos = start + 1;
  for (;;) {
    re.lastIndex = pos;
    const m = re.exec(line);
    if (!m) break;
    pos = re.lastIndex;
    const v = m[2]!;
    raw[m[1]!] = v.indexOf('\\') < 0 && v.indexOf('&') < 0 ? v : decodeAsBefore(v);
  }
  if (!/^\s*\]/.test(line.slice(pos))) return null;
  if (!raw.uuid) return null;
  const t: Record<string, unknown> = {};
  const annotations: { entry: string; description: string }[] = [];
  for (const [k, v] of Object.entries(raw)) {
    if (k.startsWith('tags_') || k.startsWith('dep_')) continue;
    if (k.startsWith('annotation_')) annotations.push({ entry: twDate(new Date(Number(k.slice(11)) * 1000)), description: v });
    else if (['entry', 'modified', 'end', 'start', 'due', 'scheduled', 'wait', 'until'].includes(k) && /^\d+$/.test(v))
      t[k] = twDate(new Date(Number(v) * 1000));
    else if (k === 'tags' || k === 'depends') t[k] = v.split(',').filter(Boolean);
    else t[k] = v;
  }
  if (annotations.length > 0) t.annotations = annotations.sort((a, b) => a.entry.localeCompare(b.entry));
  return t as TwTask;
}

function decodeAsBefore(raw: string): string {
  let v = raw;
  try {
    v = JSON.parse(`"${raw.replace(/\t/g, '\\t')}"`) as string;
  } catch {
    v = raw.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  }
  return v.replace(/&open;/g, '[').replace(/&close;/g, ']');
}
