/**
 * The editor's face of planning sessions (`:Planager plan`, `agenda`, `capture`): the CLI's
 * functions (cli/plan.ts, cli/agenda.ts, cli/capture.ts) over the session's Taskwarrior, with
 * one difference: a note open in a buffer is read from the buffer and changed there (the
 * answer carries the edits; Lua applies and writes them, so the write pushes as any write),
 * never behind its back on disk. Part of the engine bundle (loaded at setup).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { agendaTasks, agendaJson } from '../cli/agenda.js';
import { captureOptions, captureSummary, prepareCapture, readDisk } from '../cli/capture.js';
import { planSettings, planSummary, preparePlan, readText, writePlan, type PlanFlags } from '../cli/plan.js';
import { computeSchedule, scheduleTable, writeSchedule } from '../cli/schedule.js';
import { saveBlockRecord, sendBlockEdits } from '../cli/blockedits.js';
import { acquireLock, recordPlanMirrors, writeAtomic, type Session } from '../sync/index.js';
import { agenda, agendaRows, emptyAgenda, type AgendaTask, type Kind } from '../plan/index.js';
import { editsByLine, type NvimEdit } from './edits.js';

/** An open tracked buffer, as Lua's `_buffers()` gives it. */
export interface OpenBuffer {
  bufnr: number;
  path: string;
  tick: number;
  lines: string[];
  modified: boolean;
}

export interface Editor {
  session: Session;
  buffers(): Promise<OpenBuffer[]>;
}

type Failed = { ok: false; message: string };
/** A change for an open buffer: Lua applies `edits` at `tick` and writes the buffer. */
export interface BufferChange {
  bufnr: number;
  tick: number;
  edits: NvimEdit[];
}

/** The plan options of setup() (`plan = { … }`), as the CLI's flags. */
export interface PlanConfig {
  week_start?: string;
  templates?: string | null;
  paths?: Partial<Record<Kind, string>>;
}

/** The workspace a command acts in: the current buffer's, else the first one. */
function workspaceOf(e: Editor, from: string | null | undefined): string {
  return (from && e.session.locate(from)?.workspace) || e.session.config.workspaces[0];
}

function flagsOf(cfg: PlanConfig | null | undefined, workspace: string, date: string | null | undefined): PlanFlags {
  return {
    workspace,
    date: date || undefined,
    'week-start': cfg?.week_start || undefined,
    templates: cfg?.templates || undefined,
    paths: cfg?.paths ?? undefined,
  };
}

const bufferText = (b: OpenBuffer) => b.lines.join('\n');

export async function plan(
  e: Editor,
  kind: string,
  o: { date?: string | null; from?: string | null; plan?: PlanConfig | null },
): Promise<Failed | { ok: true; path: string; summary: string; warnings: string[]; change: BufferChange | null }> {
  const open = await e.buffers();
  const openAt = (abs: string) => open.find((b) => b.path === abs);
  const p = await preparePlan(kind, flagsOf(o.plan, workspaceOf(e, o.from), o.date), { tw: e.session.tw }, (abs) => {
    const b = openAt(abs);
    if (!b) return readText(abs);
    // An empty buffer (`:e` of the new note's path) is a note still to make from its template.
    if (b.lines.length === 1 && b.lines[0] === '') return null;
    // A buffer's lines have no final newline; a note's text ends with one.
    return `${bufferText(b)}\n`;
  });
  if (!p.ok) return p;
  const b = openAt(p.abs);
  const warnings = [...p.warnings, ...p.result.warnings];
  if (b) {
    const r = p.result;
    const change = r.changed ? { bufnr: b.bufnr, tick: b.tick, edits: editsByLine(bufferText(b), r.text.replace(/\n$/, '')) } : null;
    // The buffer gets the text and Lua writes it; the sync that write starts must already know
    // what the mirrors show (sync/planstate.ts).
    if (change) {
      const locked = await acquireLock(join(p.dir, '.planager'));
      if (locked.ok) {
        try {
          await recordPlanMirrors(p.dir, p.rel, r.text, p.uuidOf, p.unsent);
        } finally {
          await locked.lock.release();
        }
      }
    }
    return { ok: true, path: p.abs, summary: planSummary(r), warnings, change };
  }
  const r = await writePlan(p);
  if (!('text' in r)) return { ok: false, message: r.message };
  return { ok: true, path: p.abs, summary: planSummary(r), warnings, change: null };
}

/**
 * `:Planager schedule [DATE]`: the day's plan note refreshed and its schedule section written
 * (cli/schedule.ts), in its buffer when it is open (the answer carries the edits), else on disk.
 */
export async function scheduleDay(
  e: Editor,
  o: { date?: string | null; from?: string | null; plan?: PlanConfig | null },
): Promise<Failed | { ok: true; path: string; lines: string[]; warnings: string[]; change: BufferChange | null }> {
  const open = await e.buffers();
  const openAt = (abs: string) => open.find((b) => b.path === abs);
  const prepare = () =>
    preparePlan('daily', flagsOf(o.plan, workspaceOf(e, o.from), o.date), { tw: e.session.tw }, (abs) => {
      const b = openAt(abs);
      if (!b) return readText(abs);
      if (b.lines.length === 1 && b.lines[0] === '') return null;
      return `${bufferText(b)}\n`;
    });
  let p = await prepare();
  if (!p.ok) return p;
  // The section's edits (a moved block, one marked done, one deleted) reach Taskwarrior first.
  const sent = await sendBlockEdits(p, e.session.tw);
  if (sent.report.length > 0) {
    p = await prepare();
    if (!p.ok) return p;
  }
  const removed = new Set(sent.edits.removed);
  const first = computeSchedule(p, p.existing, removed);
  if ('code' in first) return { ok: false, message: first.message };
  const b = openAt(p.abs);
  const shown = (sc: typeof first.scheduled) => [...scheduleTable(sc).replace(/\n$/, '').split('\n'), ...sent.report.map((l) => `taskwarrior: ${l}`)];
  const lines = shown(first.scheduled);
  const warnings = [...p.warnings, ...first.warnings, ...sent.problems];
  if (b) {
    const change = first.changed ? { bufnr: b.bufnr, tick: b.tick, edits: editsByLine(bufferText(b), first.text.replace(/\n$/, '')) } : null;
    const locked = await acquireLock(join(p.dir, '.planager'));
    if (locked.ok) {
      try {
        if (change) await recordPlanMirrors(p.dir, p.rel, first.text, p.uuidOf, p.unsent);
        const unsaved = await saveBlockRecord(p, first.text, sent);
        if (unsaved) warnings.push(unsaved);
      } finally {
        await locked.lock.release();
      }
    }
    return { ok: true, path: p.abs, lines, warnings, change };
  }
  const r = await writeSchedule(p, first, removed);
  if (!('text' in r)) return { ok: false, message: r.message };
  const unsaved = await saveBlockRecord(p, r.text, sent);
  return {
    ok: true,
    path: p.abs,
    lines: shown(r.scheduled),
    warnings: [...p.warnings, ...r.warnings, ...sent.problems, ...(unsaved ? [unsaved] : [])],
    change: null,
  };
}

export async function agendaView(e: Editor, o: { span?: string | null; date?: string | null; plan?: PlanConfig | null }) {
  const now = new Date();
  const settings = planSettings(flagsOf(o.plan, e.session.config.workspaces[0], o.date), null, now);
  if (typeof settings === 'string') return { ok: false as const, message: settings };
  const byUuid = new Map<string, AgendaTask>();
  const tasks: AgendaTask[] = [];
  const dirOf = new Map<AgendaTask, string>();
  const warnings: string[] = [];
  // Every workspace reads the same Taskwarrior: a task is listed once, at its home if it has one.
  for (const dir of e.session.config.workspaces) {
    const r = await agendaTasks(dir, e.session.tw, now);
    if (!r.ok) return { ok: false as const, message: r.message };
    warnings.push(...r.warnings);
    for (const t of r.tasks) {
      dirOf.set(t, dir);
      if (t.uuid === null) tasks.push(t);
      else if (!byUuid.has(t.uuid) || (t.home && !byUuid.get(t.uuid)!.home)) byUuid.set(t.uuid, t);
    }
  }
  const span = o.span === 'week' ? 'week' : 'day';
  const a = agenda([...byUuid.values(), ...tasks], settings.day, span, settings.options.weekStart);
  const json = agendaJson(a, (t) => (t.home ? join(dirOf.get(t)!, t.home.file) : null));
  return { ok: true as const, span, ...json, rows: agendaRows(a), empty: emptyAgenda(a), warnings };
}

export async function captureTask(
  e: Editor,
  text: string,
  o: { project?: string | null; from?: string | null; inbox?: string | null },
  pushFile: (abs: string) => void,
): Promise<Failed | { ok: true; path: string; summary: string; change: BufferChange | null }> {
  const dir = workspaceOf(e, o.from);
  const opts = captureOptions(dir, { project: o.project || undefined, inbox: join(dir, o.inbox || 'inbox.norg') });
  if (typeof opts === 'string') return { ok: false, message: opts };
  const words = [text];
  const open = await e.buffers();
  const p = await prepareCapture(dir, words, opts, async (abs) => {
    const b = open.find((x) => x.path === abs);
    return b ? `${bufferText(b)}\n` : readDisk(abs);
  });
  if (!p.ok) return p;
  const b = open.find((x) => x.path === p.abs);
  if (b) {
    const edits = editsByLine(bufferText(b), p.captured.text.replace(/\n$/, ''));
    return { ok: true, path: p.abs, summary: captureSummary(p.captured), change: { bufnr: b.bufnr, tick: b.tick, edits } };
  }
  const locked = await acquireLock(join(dir, '.planager'));
  if (!locked.ok) return { ok: false, message: locked.message };
  let q: Awaited<ReturnType<typeof prepareCapture>>;
  try {
    // Under the lock, from the file as it is now (a sync may have written it meanwhile).
    q = await prepareCapture(dir, words, opts);
    if (q.ok) {
      mkdirSync(dirname(q.abs), { recursive: true });
      await writeAtomic(q.abs, q.captured.text);
    }
  } finally {
    await locked.lock.release();
  }
  if (!q.ok) return q;
  // Pushed as a written note is (the push takes the lock itself): the sync creates the task.
  pushFile(q.abs);
  return { ok: true, path: q.abs, summary: captureSummary(q.captured), change: null };
}
