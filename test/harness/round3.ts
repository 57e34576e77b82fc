/**
 * Round 3 of the harness (issue 13): the steps, faults and per-sync checks the earlier rounds
 * lacked, kept apart from world.ts so that file stays readable.
 *
 * - What the notes cannot express (FOREIGN: wait, until, recurrence fields, annotations with
 *   their entry stamps, foreign UDAs of three types, entry): after every `task` step the model
 *   takes it as Taskwarrior has it; around every sync the harness runs, it must not change.
 * - The clock: `clock` skews the notes' side (their edit times, the sync's `now`) against
 *   Taskwarrior's `modified`; a conflict step made under a skew of 90 s or more has a known
 *   winner (the newer side), and the sync that reports it must name that winner.
 * - Prose: every line of a project note outside task and tag lines is what the harness wrote,
 *   byte for byte, after every sync.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromTw, history, readLog, restore, sync, type SyncReport, type TwTask } from '../../sync/index.js';
import {
  dueIso,
  FILES,
  HEADINGS,
  inWorkspace,
  LINKS,
  PROJECTS,
  PROSE,
  RECUR_BASE,
  RECURS,
  SKEWS,
  UNTILS,
  WAITS,
  wordOf,
  type FaultStep,
  type Round3Step,
} from './history.js';
import { blockEnd, endOfHeading, idOf, parseNote, printNote, type Item, type Line } from './notes.js';
import { listFiles, STATUS_NAME, UDA, type Field, type MTask, type StepRecord, type World } from './world.js';

export type Round3Issue = 'foreign-altered' | 'prose-changed' | 'conflict-winner' | 'enospc-damage';

/** Foreign UDAs besides world.ts's string UDA: Planager maps none of them. */
export const FOREIGN_UDAS: [string, string][] = [
  ['harnessdate', 'date'],
  ['harnessnum', 'numeric'],
];
export const FOREIGN = ['wait', 'until', 'recur', 'parent', 'imask', 'annotations', UDA, 'harnessdate', 'harnessnum', 'entry'] as const;

export interface Round3State {
  /** The notes' clock against Taskwarrior's, in seconds. */
  skew: number;
  /** Recurring parents the history made (their instances are Taskwarrior's, and the history's). */
  parents: Set<string>;
  /** Each project note's lines outside task and tag lines, as the harness last wrote them. */
  prose: Map<string, string[]>;
  /** `task` edits run during the sync (the task-loop fault): foreign fields may rightly change. */
  outsideEdits: boolean;
  /** Conflicts made under a skew: the side that must win. */
  expect: Expectation[];
}

/**
 * A skewed conflict's known winner, with what its two times were when it was made: the
 * task's `modified` and the mtimes of the notes that speak for it (its home note, its mirrors').
 */
export interface Expectation {
  uuid: string;
  field: Field;
  winner: 'note' | 'taskwarrior';
  step: number;
  skew: number;
  twModified: string | undefined;
  noteMtimes: Map<string, number>;
}

export const newRound3State = (): Round3State => ({ skew: 0, parents: new Set(), prose: new Map(), outsideEdits: false, expect: [] });

const TASK_LINE = /^\s*-+ \([^)]*\) /;
const TAG_LINE = /^\s*\+[\w-]+\s*$/;
export const proseOf = (text: string): string[] => text.split('\n').filter((l) => !TASK_LINE.test(l) && !TAG_LINE.test(l));

/** A note the harness wrote: its prose is now what it must keep; its edit time follows the clock. */
export function noteWritten(w: World, f: string, text: string): void {
  if ((FILES as readonly string[]).includes(f)) w.r3.prose.set(f, proseOf(text));
  if (w.r3.skew !== 0) {
    const t = (Date.now() + w.r3.skew * 1000) / 1000;
    utimesSync(join(w.ws, f), t, t);
  }
}

export function pickForeign(t: TwTask): Record<string, unknown> {
  return Object.fromEntries(FOREIGN.filter((k) => t[k] !== undefined).map((k) => [k, t[k]]));
}

/** Every Taskwarrior task's foreign fields, by uuid. */
export function foreignOfAll(w: World): Map<string, string> {
  return new Map(w.sb.exportAll().map((t) => [t.uuid, JSON.stringify(pickForeign(t))]));
}

/** After a `task` step: the model takes what the notes cannot express as Taskwarrior has it. */
export function snapForeign(w: World): void {
  const all = new Map(w.sb.exportAll().map((t) => [t.uuid, t]));
  for (const t of w.tasks) {
    const tw = t.uuid ? all.get(t.uuid) : undefined;
    if (tw) t.foreign = pickForeign(tw);
  }
}

/** Instances Taskwarrior made of a recurring parent join the model (the history made them). */
export function adoptInstances(w: World): number {
  if (w.r3.parents.size === 0) return 0;
  const known = new Set(w.tasks.map((t) => t.uuid));
  let n = 0;
  for (const tw of w.sb.exportAll()) {
    if (known.has(tw.uuid) || typeof tw.parent !== 'string' || !w.r3.parents.has(tw.parent)) continue;
    const f = fromTw(tw);
    w.tasks.push(newTask(w, tw.uuid, 'taskwarrior', { description: f.description, status: f.status, priority: f.priority, due: f.due }, tw));
    n++;
  }
  return n;
}

/** A task of the model, new on the side it comes from (`tw`: its Taskwarrior version, when there is one). */
export function newTask(w: World, uuid: string | null, origin: 'note' | 'taskwarrior', last: MTask['last']['note'], tw?: TwTask): MTask {
  return {
    label: `T${w.tasks.length + 1}`,
    uuid,
    sid: null,
    noteDesc: origin === 'note' ? (last.description as string) : null,
    origin,
    last: origin === 'note' ? { note: last, taskwarrior: {} } : { note: {}, taskwarrior: last },
    annotations: (tw?.annotations ?? []).map((a: { description: string }) => a.description),
    uda: (tw?.[UDA] as string | undefined) ?? null,
    deletedBy: null,
    touchedAfterDelete: false,
    everParent: false,
    twDeps: new Set(),
    depsTouchedByNote: false,
    ...(tw ? { foreign: pickForeign(tw) } : {}),
  };
}

/** The per-sync checks: foreign fields and prose unchanged, a skewed conflict's winner. */
export function afterSync(w: World, rec: StepRecord | null, r: SyncReport, before: Map<string, string>, full: boolean): void {
  const at = rec ? `step ${rec.i}` : 'the final sync';
  const after = foreignOfAll(w);
  for (const [u, b] of w.r3.outsideEdits ? [] : before) {
    const a = after.get(u);
    if (a !== undefined && a !== b)
      w.issues.push({ kind: 'foreign-altered', message: `${at}: the sync changed what the notes cannot express of ${labelOf(w, u)}: before ${b}, after ${a}` });
  }
  for (const f of FILES) {
    const want = w.r3.prose.get(f);
    if (!want || !existsSync(join(w.ws, f))) continue;
    const text = w.read(f);
    if (text.includes('\uFFFD')) continue; // the bad-utf8 fault's own bytes
    const got = proseOf(text);
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      const k = got.findIndex((l, i) => l !== want[i]);
      w.issues.push({
        kind: 'prose-changed',
        message: `${at}: ${f} outside task lines differs from what the history wrote, from its non-task line ${k + 1}: expected ${JSON.stringify(want.slice(k, k + 3))}, found ${JSON.stringify(got.slice(k, k + 3))}\n${text}`,
      });
      // Reported once: what the note holds now is what the next steps edit.
      w.r3.prose.set(f, got);
    }
  }
  for (const c of r.conflicts) {
    const k = w.r3.expect.findIndex((e) => e.uuid === c.uuid && e.field === c.field);
    if (k < 0) continue;
    const e = w.r3.expect[k];
    w.r3.expect.splice(k, 1);
    if (c.winner !== e.winner)
      w.issues.push({
        kind: 'conflict-winner',
        message: `${at}: the conflict of step ${e.step} on ${labelOf(w, e.uuid)} ${e.field}, made with the notes' clock ${e.skew} s off Taskwarrior's, went to ${c.winner}; the newer side is ${e.winner} (note ${JSON.stringify(c.note)}, Taskwarrior ${JSON.stringify(c.taskwarrior)})`,
      });
  }
  if (full && r.code === 0) w.r3.expect = [];
}

/** The notes whose mtime the merge takes as the task's note-side edit time: its home and its mirrors' notes. */
function notesOfTask(w: World, uuid: string, home: string): string[] {
  const id = uuid.replace(/-/g, '');
  const mirrored = w.mirrors().filter((m) => id.startsWith(m.id));
  return [...new Set([home, ...mirrored.map((m) => m.file)])];
}

const mtimeOf = (w: World, f: string) => (existsSync(join(w.ws, f)) ? statSync(join(w.ws, f)).mtimeMs : -1);

/** The expectation of a conflict just made on `uuid`'s line in `home`. */
export function expectWinner(w: World, e: Omit<Expectation, 'twModified' | 'noteMtimes'>, home: string): void {
  const twModified = w.sb.exportAll().find((t) => t.uuid === e.uuid)?.modified as string | undefined;
  w.r3.expect.push({ ...e, twModified, noteMtimes: new Map(notesOfTask(w, e.uuid, home).map((f) => [f, mtimeOf(w, f)])) });
}

/**
 * Before a sync: an expectation whose times moved since its step is judged again or dropped.
 * The merge compares the task's `modified` with its notes' mtimes, and a file's mtime is its
 * last edit of any line (a note's edit time is its file's): a later edit of another line of the
 * note, or a later `task` write of another field, sets a time the conflict's step never set.
 * Only a move that cannot change the order keeps the winner: the winner's side moving later.
 */
export function settleExpectations(w: World): void {
  if (w.r3.expect.length === 0) return;
  const all = new Map(w.sb.exportAll().map((t) => [t.uuid, t]));
  w.r3.expect = w.r3.expect.filter((e) => {
    const [home] = e.noteMtimes.keys();
    const files = notesOfTask(w, e.uuid, home!);
    const noteMoved = files.some((f) => e.noteMtimes.get(f) !== mtimeOf(w, f));
    const twMoved = all.get(e.uuid)?.modified !== e.twModified;
    if (!noteMoved && !twMoved) return true;
    if (e.winner === 'taskwarrior') return !noteMoved;
    return !twMoved && files.every((f) => mtimeOf(w, f) >= (e.noteMtimes.get(f) ?? Number.POSITIVE_INFINITY));
  });
}

const labelOf = (w: World, u: string) => w.tasks.find((t) => t.uuid === u)?.label ?? u.slice(0, 8);

/** A model write of a field drops a pending expectation on it (the conflict is no longer the one made). */
export function forgetExpectation(w: World, t: MTask, field: Field): void {
  w.r3.expect = w.r3.expect.filter((e) => !(e.uuid === t.uuid && e.field === field));
}

export async function round3Step(w: World, s: Round3Step, rec: StepRecord): Promise<string> {
  switch (s.t) {
    case 'twWait':
    case 'twUntil':
    case 'twDenotate':
    case 'twForeign':
    case 'twRecur': {
      const out = twStep(w, s);
      if (s.t === 'twRecur') adoptInstances(w);
      snapForeign(w);
      return out;
    }
    case 'clock': {
      w.r3.skew = SKEWS[s.skew % SKEWS.length];
      return `the notes' clock now ${w.r3.skew} s off Taskwarrior's`;
    }
    case 'noteCopy':
      return noteCopy(w, s, rec);
    case 'noteReorder':
    case 'noteLink':
    case 'noteProse':
      return noteStep(w, s);
  }
}

function twStep(w: World, s: Extract<Round3Step, { t: `tw${string}` }>): string {
  if (s.t === 'twRecur') {
    const d = `${wordOf(s.word)} n${++w.n}`;
    const project = PROJECTS[s.project % PROJECTS.length];
    const recur = RECURS[s.period % RECURS.length];
    const due = new Date(RECUR_BASE + s.days * 86_400_000).toISOString().slice(0, 10);
    w.task('add', d, `project:${project}`, `recur:${recur}`, `due:${due}`);
    const parent = w.sb.exportAll().find((t) => t.description === d && t.status === 'recurring');
    if (!parent) throw new Error(`task add ${d} recur:${recur}: no recurring parent`);
    const t = newTask(w, parent.uuid, 'taskwarrior', { description: d, status: 'recurring' }, parent);
    t.recurParent = true;
    w.tasks.push(t);
    w.r3.parents.add(parent.uuid);
    return `${t.label} "${d}" project:${project} recur:${recur} due:${due} (a recurring parent)`;
  }
  const t = w.pickTw(s.task);
  if (!t) return 'no task';
  const u = t.uuid!;
  switch (s.t) {
    case 'twWait': {
      const v = WAITS[s.which % WAITS.length];
      w.task(u, 'modify', `wait:${v ?? ''}`);
      return `${t.label} wait:${v ?? ''}`;
    }
    case 'twUntil': {
      const v = UNTILS[s.which % UNTILS.length];
      w.task(u, 'modify', `until:${v ?? ''}`);
      return `${t.label} until:${v ?? ''}`;
    }
    case 'twDenotate': {
      if (t.annotations.length === 0) return `${t.label} denotate: no annotation`;
      const a = t.annotations[s.which % t.annotations.length];
      w.task(u, 'denotate', a);
      t.annotations.splice(t.annotations.indexOf(a), 1);
      return `${t.label} denotate "${a}"`;
    }
    case 'twForeign': {
      const [name] = FOREIGN_UDAS[s.kind === 'date' ? 0 : 1];
      const v = s.kind === 'date' ? dueIso(s.value).slice(0, 10) : `${s.value}.5`;
      w.task(u, 'modify', `${name}:${v}`);
      return `${t.label} ${name}:${v}`;
    }
  }
}

/** A task line yanked and pasted (its id with it) under a heading, then written and synced. */
async function noteCopy(w: World, s: Extract<Round3Step, { t: 'noteCopy' }>, rec: StepRecord): Promise<string> {
  const withId = w.items().filter((x) => idOf(x.it) && w.taskOfItem(x.it)?.uuid);
  if (withId.length === 0) return 'no synced line';
  const src = withId[s.line % withId.length];
  const orig = w.taskOfItem(src.it)!;
  const to = FILES[s.file % FILES.length];
  const lines = to === src.file ? src.lines : parseNote(w.read(to));
  const copy: Item = { ...src.it, tagLines: [], indent: '  ', level: 1, extras: [...src.it.extras] };
  lines.splice(endOfHeading(lines, HEADINGS[s.heading % HEADINGS.length]), 0, copy);
  w.write(to, printNote(lines));
  const pr = copy.extras.find((e) => e.trim().startsWith('#'));
  // The copy is a task of its own (doc/design.md: "Copies get new ids"); which of the two
  // lines keeps the id is the product's choice, and both read the same.
  const t = newTask(w, null, 'note', { description: copy.description, status: STATUS_NAME[copy.status], priority: pr ? pr.trim().slice(1).trim() : null });
  w.tasks.push(t);
  orig.depsTouchedByNote = true;
  // Synced at once (`:w`): until then an edit of either line could not say which task it meant.
  const r = await w.runSync(rec, {});
  return `copy of ${orig.label}'s line (${src.file}: ${src.it.description}) to ${to} * ${HEADINGS[s.heading % HEADINGS.length]} as ${t.label}; ${r}`;
}

function noteStep(w: World, s: Extract<Round3Step, { t: 'noteReorder' | 'noteLink' | 'noteProse' }>): string {
  if (s.t === 'noteProse') {
    const f = FILES[s.file % FILES.length];
    const lines = parseNote(w.read(f));
    const text = PROSE[s.text % PROSE.length];
    // After a blank line: a line right after an item would continue that item's text (norg).
    const at = endOfHeading(lines, HEADINGS[s.heading % HEADINGS.length]);
    const add: Line[] = [
      { kind: 'other', text: '' },
      { kind: 'other', text },
    ];
    lines.splice(at, 0, ...add);
    w.write(f, printNote(lines));
    return `prose ${JSON.stringify(text)} in ${f} * ${HEADINGS[s.heading % HEADINGS.length]}`;
  }
  const p = w.pickItem(s.line);
  if (!p) return 'no line';
  const { file, lines, i, it } = p;
  const t = w.taskOfItem(it);
  const who = `${t?.label ?? '?'} (${file}:${it.description})`;
  if (s.t === 'noteReorder') {
    const j = blockEnd(lines, i);
    const next = lines[j];
    if (!next || next.kind !== 'item' || next.level !== it.level) return `reorder ${who}: no sibling below`;
    const k = blockEnd(lines, j);
    const a = lines.slice(i, j);
    const b = lines.slice(j, k);
    lines.splice(i, k - i, ...b, ...a);
    w.write(file, printNote(lines));
    return `reorder ${who} below ${w.taskOfItem(next)?.label ?? '?'} (${next.description})`;
  }
  const before = it.description;
  const bare = it.description.replace(/ ?\{[^{}]*\}/g, '');
  it.description = s.link === null ? bare : `${bare} ${LINKS[s.link % LINKS.length]}`;
  if (it.description === before) return `link ${who}: unchanged`;
  if (t) {
    t.noteDesc = it.description;
    t.depsTouchedByNote = true;
  }
  w.noteWrite(t, 'description', it.description);
  w.write(file, printNote(lines));
  return `link ${who} → "${it.description}"`;
}

/** Faults of round 3: a full disk under the workspace, deleted state files. */
export async function round3Fault(w: World, s: FaultStep, rec: StepRecord): Promise<string> {
  const dir = join(w.ws, '.planager');
  if (s.kind === 'delete-state') {
    const files = existsSync(dir) ? listFiles(dir).filter((x) => !x.includes('activity') && !x.includes('backup') && !x.includes('.git')) : [];
    if (files.length === 0) return 'delete-state: no state yet';
    // One file, or every state file at once (the log stays: it is the user's record).
    const all = s.killAfterMs % 3 === 0;
    const gone = all ? files : [files[s.killAfterMs % files.length]];
    if (all) forgetUncarriedRemovals(w);
    for (const f of gone) rmSync(f, { force: true });
    return `deleted ${all ? 'every state file' : gone[0].slice(dir.length + 1)}: ${await w.runSync(rec, {})}`;
  }
  return enospc(w, s, rec);
}

/**
 * A line removed since the last push, with every state file gone: no sync can know the line was
 * there (the state is the only record of it), so the task comes back on a line as on a first
 * sync (a completed one stays done). The model forgets the removal (harness round5-a3); one a sync
 * carried out stays.
 */
function forgetUncarriedRemovals(w: World): void {
  const live = new Set(
    w.sb
      .exportAll()
      // A completed task's removed line is as unknowable: it stays done (seed 300464).
      .filter((t) => t.status === 'pending' || t.status === 'waiting' || t.status === 'completed')
      .map((t) => t.uuid),
  );
  for (const t of w.tasks) {
    if (t.deletedBy !== 'note' || !t.uuid || !live.has(t.uuid)) continue;
    t.deletedBy = null;
    t.touchedAfterDelete = false;
    t.last.note = {};
  }
}

/**
 * The workspace on a tmpfs with a few pages free (root: a real ENOSPC from the kernel), one
 * sync, then the workspace back on its own disk. Without root, the fault is skipped (said so).
 */
async function enospc(w: World, s: FaultStep, rec: StepRecord): Promise<string> {
  if (process.getuid?.() !== 0) return 'enospc: not root, no tmpfs (skipped)';
  const keep = mkdtempSync(join(tmpdir(), 'planager-harness-enospc-'));
  cpSync(w.ws, keep, { recursive: true, preserveTimestamps: true });
  const used = duBytes(keep);
  const spare = (s.killAfterMs % 4) * 4096;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${used + 64 * 1024 + spare}`, 'tmpfs', w.ws], { stdio: 'ignore' });
  } catch (e) {
    rmSync(keep, { recursive: true, force: true });
    return `enospc: mount failed (${String(e).slice(0, 80)}; skipped)`;
  }
  let out: string;
  try {
    cpSync(keep, w.ws, { recursive: true, preserveTimestamps: true });
    // Fill what is left but `spare` bytes (tmpfs counts whole pages).
    try {
      execFileSync('sh', ['-c', `head -c ${64 * 1024} /dev/zero > "${join(w.ws, '.fill')}"`], { stdio: 'ignore' });
    } catch {
      // The fill itself hit ENOSPC: the disk is as full as it gets.
    }
    const before = new Map(FILES.filter((f) => existsSync(join(w.ws, f))).map((f) => [f, w.read(f)]));
    out = `workspace on a full tmpfs (${spare} bytes spare): ${await w.runSync(rec, {})}`;
    for (const [f, text] of before) {
      const now = existsSync(join(w.ws, f)) ? w.read(f) : null;
      // A note is its old text or a whole new one, never cut short.
      if (now === null || (now !== text && now.length < text.length / 2))
        w.issues.push({
          kind: 'enospc-damage',
          message: `step ${rec.i}: after a sync on a full disk ${f} is ${now === null ? 'gone' : `cut to ${now.length} bytes (was ${text.length})`}`,
        });
    }
    rmSync(join(w.ws, '.fill'), { force: true });
    rmSync(keep, { recursive: true, force: true });
    cpSync(w.ws, keep, { recursive: true, preserveTimestamps: true });
  } finally {
    execFileSync('umount', [w.ws], { stdio: 'ignore' });
  }
  cpSync(keep, w.ws, { recursive: true, preserveTimestamps: true });
  rmSync(keep, { recursive: true, force: true });
  w.resolve();
  return out;
}

function duBytes(dir: string): number {
  return listFiles(dir).reduce((a, f) => a + Math.ceil(statSync(f).size / 4096) * 4096 + 4096, 0);
}

/**
 * The restore check (issue 13: "every overwritten value is in the activity log with its whole
 * version, and restoring it works"): the newest overwritten description of a live task is
 * restored with sync/history.ts `restore` (what `planager restore ID --version N` runs); the
 * next sync shows it in the note and keeps it in Taskwarrior, and a second changes nothing.
 */
export async function restoreCheck(w: World): Promise<{ kind: 'restore'; message: string }[]> {
  const log = await readLog(join(w.ws, '.planager', 'activity.jsonl'));
  // Tasks a note can show: one in a project no note holds (a big world's) has no line to check.
  const live = new Map(
    w.sb
      .exportAll()
      .filter((t) => t.status === 'pending' && inWorkspace(t.project))
      .map((t) => [t.uuid, t]),
  );
  const e = [...log]
    .reverse()
    .find((x) => live.has(x.uuid) && x.action !== 'restore' && x.fields.description && x.version.description !== live.get(x.uuid)!.description);
  if (!e) return [];
  const opts = { workspace: w.ws, tw: w.sb.tw, bulkMin: 1_000_000 };
  const h = await history(opts, e.uuid);
  if (!h.ok) return [{ kind: 'restore', message: `planager history ${e.id}: ${h.message}` }];
  const v = h.versions.find((x) => x.n > 0 && x.time === e.time && x.fields.description === e.version.description);
  if (!v) return [{ kind: 'restore', message: `the log entry of ${e.time} for ${e.id} is no version of planager history` }];
  const r = await restore(opts, e.uuid, v.n);
  if (!r.ok) return [{ kind: 'restore', message: `planager restore ${e.id} --version ${v.n}: ${'message' in r ? r.message : r.code}` }];
  const s1 = await sync(opts);
  const s2 = await sync(opts);
  const want = e.version.description;
  const tw = w.sb.exportAll().find((t) => t.uuid === e.uuid);
  const onLine = FILES.some(
    (f) =>
      existsSync(join(w.ws, f)) &&
      w
        .read(f)
        .split('\n')
        .some((l) => l.includes(want) && l.includes(`%#${e.id}`)),
  );
  const out: { kind: 'restore'; message: string }[] = [];
  if (tw?.description !== want)
    out.push({ kind: 'restore', message: `restored ${e.id} version ${v.n} ("${want}"); after a sync Taskwarrior has "${tw?.description}"` });
  if (!onLine) out.push({ kind: 'restore', message: `restored ${e.id} version ${v.n} ("${want}"); after a sync no note line shows it` });
  if (s1.code !== 0 || s2.code !== 0 || s2.changed)
    out.push({ kind: 'restore', message: `after restoring ${e.id}: syncs code ${s1.code}, ${s2.code}, second changed ${s2.changed}` });
  return out;
}
