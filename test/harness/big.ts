/**
 * Round 4: a big world (issue 13: "histories over 10 tasks and over 10,000 (bounded count), so
 * scale bugs show"). Before the history, Taskwarrior gets BigSpec.tasks tasks in one bulk
 * `task import`, and the project notes get lines for `inNotes` of them, written directly
 * with their ids (as another device or an earlier sync would have left them; there is no
 * Planager state yet). The model takes every one as made by the history, both sides agreeing:
 * a sync that changes one it had no reason to touch is a loss the usual checks see.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDate, sync, Taskwarrior, type TwTask } from '../../sync/index.js';
import { REAL_TASK } from '../helpers/tw.js';
import { dueIso, FILES, HEADINGS, NOTE_STATUSES, PRIORITIES, PROJECTS, UDA, wordOf, type BigSpec, type BulkStep } from './history.js';
import { endOfHeading, headingIndex, parseNote, printNote, setExtra, type Item } from './notes.js';
import { outsideWrite } from './replay.js';
import { foreignOfAll, snapForeign } from './round3.js';
import { canon } from '../../sync/undo.js';
import { STATUS_NAME, type MTask, type World } from './world.js';

const TW_PRIORITY: Record<string, string> = { A: 'H', B: 'M', C: 'L' };
const NOTE_TAGS = ['red', 'blue', 'green'];
/** Tags of tasks outside the notes: none a viewport filter names, so viewports stay their size. */
const OUTSIDE_TAGS = ['work', 'home'];
export const OUTSIDE_PROJECTS = ['gamma.x', 'gamma.y'];

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One big task and, for those in the notes, its line. */
interface BigTask {
  tw: TwTask;
  line: { file: number; heading: number; tags: string[]; text: string } | null;
  priority: string | null;
  due: string | null;
}

/** The tasks of a big world, drawn from its seed; uuids distinct in their first 8 hex digits (a note's id). */
export function bigTasks(spec: BigSpec): BigTask[] {
  const r = rng(spec.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const seen = new Set<string>();
  const uuid = () => {
    for (;;) {
      const h = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join('');
      if (seen.has(h.slice(0, 8))) continue;
      seen.add(h.slice(0, 8));
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`;
    }
  };
  const out: BigTask[] = [];
  for (let i = 0; i < spec.tasks; i++) {
    const inNotes = i < spec.inNotes;
    const outside = !inNotes && i < spec.inNotes + spec.outside;
    const project = inNotes ? PROJECTS[i % PROJECTS.length] : outside ? pick(OUTSIDE_PROJECTS) : r() < 0.5 ? pick(PROJECTS) : pick(OUTSIDE_PROJECTS);
    const status = inNotes ? (r() < 0.12 ? 'completed' : 'pending') : outside ? 'pending' : r() < 0.75 ? 'completed' : 'deleted';
    const priority = r() < 0.3 ? pick(PRIORITIES.filter((p) => p !== null)) : null;
    const due = r() < 0.05 ? dueIso(Math.floor(r() * 40)) : null;
    const tags = r() < 0.1 ? [pick(inNotes ? NOTE_TAGS : OUTSIDE_TAGS)] : [];
    const tw: TwTask = { uuid: uuid(), description: `${wordOf(i)} b${i + 1}`, status, entry: '20260101T000000Z', project };
    if (status !== 'pending') tw.end = '20260102T000000Z';
    if (priority) tw.priority = TW_PRIORITY[priority];
    if (due) tw.due = due.replace(/[-:]|\.\d+/g, '');
    if (tags.length) tw.tags = tags;
    if (r() < 0.05) tw.annotations = [{ entry: '20260101T000100Z', description: `big note ${i + 1}` }];
    if (r() < 0.05) tw[UDA] = `big${i + 1}`;
    const line = inNotes
      ? {
          file: PROJECTS.indexOf(project) >> 1,
          heading: PROJECTS.indexOf(project) & 1,
          tags,
          text: `  - (${[status === 'completed' ? 'x' : ' ', ...(priority ? [`# ${priority}`] : []), ...(due ? [`< ${formatDate(new Date(due), null, new Date(due))}`] : [])].join('|')}) ${tw.description} %#${tw.uuid.slice(0, 8)}%`,
        }
      : null;
    out.push({ tw, line, priority, due });
  }
  return out;
}

/**
 * Imports the big world's tasks, writes its notes, takes both into the model, then runs the
 * first full sync: with no state yet, a line deleted before it could not be told from a task
 * the note has not shown yet, so the history starts from the synced world, as a user's does.
 * That sync must change nothing (every line already agrees with its task).
 */
export async function setupBig(w: World, spec: BigSpec): Promise<string> {
  const t0 = Date.now();
  const all = bigTasks(spec);
  const file = join(w.sb.dir, 'big.json');
  writeFileSync(file, JSON.stringify(all.map((b) => b.tw)));
  execFileSync(REAL_TASK, ['rc.confirmation=off', 'rc.verbose=nothing', 'import', file], { env: w.sb.env, stdio: 'ignore' });
  for (const [f, name] of FILES.entries()) {
    const body = HEADINGS.flatMap((h, k) => [
      `* ${h}`,
      ...all.flatMap((b) => (b.line && b.line.file === f && b.line.heading === k ? [...b.line.tags.map((t) => `  +${t}`), b.line.text] : [])),
      '',
    ]);
    w.write(name, ['@document.meta', `project: ${f === 0 ? 'alpha' : 'beta'}`, '@end', '', ...body, ''].join('\n'));
  }
  for (const [i, b] of all.entries()) w.tasks.push(modelOf(i, b));
  snapForeign(w);
  const made = Date.now() - t0;
  const before = foreignOfAll(w);
  const t1 = Date.now();
  // The sandbox's 5 s `task` timeout is for the hang faults; a 10,000-task export on a loaded
  // machine took longer (seed 1000109, a batch in three processes), and the world never adopted.
  const r = await sync({ ...w.syncOptions({}), tw: new Taskwarrior({ env: w.sb.env, timeoutMs: 120_000 }) });
  w.synced(null, r, {}, before);
  const adopt = Date.now() - t1;
  if (r.code !== 0 || r.changed)
    w.issues.push({
      kind: 'big-adopt',
      message: `the first sync of a big world whose lines all agree with their tasks: code ${r.code}${r.error ? ` (${r.error.code}: ${r.error.message})` : ''}, ${r.taskwarrior.created.length + r.taskwarrior.updated.length + r.taskwarrior.deleted.length} Taskwarrior writes (${JSON.stringify(r.taskwarrior).slice(0, 300)}), notes changed: ${r.notes.map((n) => `${n.file} (${n.edits} edits)`).join(', ') || 'none'}`,
    });
  const lines = all.filter((b) => b.line).length;
  return `big world: ${all.length} tasks imported, ${lines} on note lines (${made} ms); first full sync ${adopt} ms, code ${r.code}, ${r.processes} task processes`;
}

function modelOf(i: number, b: BigTask): MTask {
  const status = b.tw.status === 'completed' ? 'done' : b.tw.status === 'deleted' ? 'cancelled' : 'undone';
  const fields = { description: b.tw.description, status, priority: b.priority, due: b.due };
  return {
    label: `B${i + 1}`,
    uuid: b.tw.uuid,
    sid: b.line ? b.tw.uuid.slice(0, 8) : null,
    noteDesc: b.line ? b.tw.description : null,
    origin: 'taskwarrior',
    last: { note: b.line ? { ...fields } : {}, taskwarrior: { ...fields } },
    annotations: (b.tw.annotations as { description: string }[] | undefined)?.map((a) => a.description) ?? [],
    uda: (b.tw[UDA] as string | undefined) ?? null,
    deletedBy: null,
    touchedAfterDelete: false,
    everParent: false,
    twDeps: new Set(),
    depsTouchedByNote: false,
  };
}

const TW_STATUS_TAG: Record<string, string> = { '=': 'onhold', '?': 'uncertain', '!': 'urgent' };

/** Edits of every open task of a project at once (history.ts BulkStep). */
export function bulk(w: World, s: BulkStep): string {
  const project = PROJECTS[s.project % PROJECTS.length];
  const other = PROJECTS[(s.project + 1 + (s.value % (PROJECTS.length - 1))) % PROJECTS.length];
  const status = NOTE_STATUSES[s.value % NOTE_STATUSES.length];
  const priority = PRIORITIES[s.value % PRIORITIES.length];
  return s.side === 'taskwarrior' ? bulkTw(w, s, project, other, status, priority) : bulkNote(w, s, project, other, status, priority);
}

function bulkTw(w: World, s: BulkStep, project: string, other: string, status: string, priority: string | null): string {
  const before = new Map(w.sb.exportAll().map((t) => [t.uuid, t]));
  const filter = [`project.is:${project}`, 'status:pending'];
  const mod =
    s.what === 'project'
      ? ['modify', `project:${other}`]
      : s.what === 'priority'
        ? ['modify', `priority:${priority ? TW_PRIORITY[priority] : ''}`]
        : status === 'x'
          ? ['done']
          : status === '-'
            ? ['start']
            : TW_STATUS_TAG[status]
              ? ['modify', `+${TW_STATUS_TAG[status]}`]
              : ['modify', '-onhold', '-uncertain', '-urgent'];
  let refused = '';
  try {
    w.task('rc.bulk=0', ...filter, ...mod);
  } catch (e) {
    // No task matched, or some were refused (Taskwarrior exits non-zero): the others may be written.
    refused = ` (exit ${(e as { status?: number }).status}: ${String((e as { stderr?: Buffer }).stderr ?? '')
      .trim()
      .slice(0, 60)})`;
  }
  let n = 0;
  for (const t of w.sb.exportAll()) {
    const b = before.get(t.uuid);
    if (b && canon(b) === canon(t)) continue;
    outsideWrite(w, b ?? null, t);
    n++;
  }
  snapForeign(w);
  return `task ${filter.join(' ')} ${mod.join(' ')}: ${n} tasks changed${refused}`;
}

function bulkNote(w: World, s: BulkStep, project: string, other: string, status: string, priority: string | null): string {
  const [base, heading] = project.split('.');
  const file = FILES[base === 'alpha' ? 0 : 1];
  const lines = parseNote(w.read(file));
  const h = headingIndex(lines, heading);
  const end = endOfHeading(lines, heading);
  const items = lines.slice(h + 1, end).filter((l): l is Item => l.kind === 'item');
  if (s.what !== 'project') {
    for (const it of items) {
      const t = w.taskOfItem(it);
      if (s.what === 'status') {
        it.status = status;
        w.noteWrite(t, 'status', STATUS_NAME[status]);
      } else {
        setExtra(it, '#', priority);
        w.noteWrite(t, 'priority', priority);
      }
    }
    w.write(file, printNote(lines));
    return `${items.length} lines of ${file} * ${heading}: ${s.what} ${s.what === 'status' ? `(${status})` : (priority ?? 'none')}`;
  }
  // Every line under the heading moved under another heading: a new project for each.
  const block = lines.splice(h + 1, end - h - 1).filter((l) => l.kind === 'item' || !/^\s*$/.test(l.text));
  for (const it of block) if (it.kind === 'item') (w.taskOfItem(it) ?? ({} as MTask)).depsTouchedByNote = true;
  const [toBase, toHeading] = other.split('.');
  const to = FILES[toBase === 'alpha' ? 0 : 1];
  if (to === file) {
    lines.splice(endOfHeading(lines, toHeading), 0, ...block);
    w.write(file, printNote(lines));
  } else {
    w.write(file, printNote(lines));
    const target = parseNote(w.read(to));
    target.splice(endOfHeading(target, toHeading), 0, ...block);
    w.write(to, printNote(target));
  }
  return `${items.length} lines of ${file} * ${heading} moved to ${to} * ${toHeading}`;
}
