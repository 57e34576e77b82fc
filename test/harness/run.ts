/**
 * One run: a history drawn with fast-check from its seed, executed against a fresh world, then
 * settled and checked. A failure shrinks (fast-check re-runs smaller histories, each in a fresh
 * world) to a minimal history, which is what the report shows.
 */
import fc from 'fast-check';
import { rmSync } from 'node:fs';
import type { LogEntry } from '../../sync/index.js';
import { check, settle, sides, type EndState, type Failure } from './check.js';
import { faultOf, kindArb, type FaultKind, type KindOptions, type History, type RunKind } from './history.js';
import { restoreCheck } from './round3.js';
import { World, type ConflictSeen, type StepRecord } from './world.js';

export interface Execution {
  history: History;
  /** What the world was before the history (big.ts's figures), if anything to say. */
  setup: string | null;
  records: StepRecord[];
  failures: Failure[];
  conflicts: ConflictSeen[];
  log: LogEntry[];
  sides: ReturnType<typeof sides>;
  notes: Record<string, string>;
  workspace: string;
  taskdata: string;
  durationMs: number;
  /** The settled end state (absent when a step threw). */
  end: EndState | null;
}

export interface RunResult {
  run: number;
  seed: number;
  /** normal, undo-replay, log-replay or big (round 4). */
  kind: RunKind;
  /** fast-check's path of the minimal counterexample (with the seed, replays it). */
  path: string | null;
  steps: number;
  fault: FaultKind;
  /** Whole run, shrinking included. */
  durationMs: number;
  /** The first (unshrunk) history alone. */
  historyMs: number;
  ok: boolean;
  conflicts: ConflictSeen[];
  log: LogEntry[];
  /** What each step of the (first) history did, one line each. */
  trace: string[];
  /** A failure: the minimal history and what did not hold in it. */
  failure?: {
    minimalSteps: number;
    history: History;
    records: StepRecord[];
    failures: Failure[];
    sides: Execution['sides'];
    log: LogEntry[];
    notes: Record<string, string>;
    /** Kept on disk for a look (the minimal failing run's workspace and TASKDATA). */
    workspace: string;
    taskdata: string;
    shrinks: number;
  };
  error?: string;
}

/** Executes one history in a fresh world; the world is removed unless `keep`. */
export async function execute(h: History, keep = false, known: string[] = []): Promise<Execution> {
  const t0 = Date.now();
  const w = new World(known);
  let end: EndState | null = null;
  const failures: Failure[] = [];
  try {
    await w.addInitial(h);
    for (const [i, s] of h.steps.entries()) await w.step(i, s);
    end = await settle(w);
    failures.push(...check(end));
    // Only on a run that held: a restore on top of a failure would only blur it.
    if (failures.length === 0) failures.push(...(await restoreCheck(w)));
  } catch (e) {
    failures.push({ kind: 'sync-failed', message: `exception at step ${w.records.length - 1}: ${(e as Error).stack ?? String(e)}` });
  }
  const ex: Execution = {
    history: h,
    setup: w.setupNote,
    records: w.records,
    failures,
    conflicts: w.conflicts,
    log: end?.log ?? [],
    sides: end ? sides(end, failures) : [],
    notes: end?.notes ?? {},
    workspace: w.ws,
    taskdata: w.sb.dir,
    durationMs: Date.now() - t0,
    end,
  };
  if (!keep) w.cleanup();
  return ex;
}

export interface RunOptions extends KindOptions {
  /** Time allowed for shrinking a failure (ms). */
  shrinkMs?: number;
  /** Known findings the model looks past (World's `known`). */
  known?: string[];
}

export async function runOne(run: number, seed: number, o: RunOptions): Promise<RunResult> {
  const t0 = Date.now();
  let first: Execution | null = null;
  let minimal: Execution | null = null;
  let shrinks = 0;
  // The shrink budget starts once the first history has ended, however long that took (a
  // log-replay run on a loaded machine took over 20 s and was reported as a failure, having
  // found nothing). Past it, every candidate passes: fast-check ends with the smallest so far.
  const budget = o.shrinkMs ?? 120_000;
  let shrinkUntil = Number.POSITIVE_INFINITY;
  const prop = fc.asyncProperty(kindArb(o), async (h) => {
    if (Date.now() > shrinkUntil) return true;
    const ex = await execute(h, true, o.known);
    if (!first) shrinkUntil = Date.now() + budget;
    first ??= ex;
    if (ex.failures.length === 0) {
      if (ex !== first) rmSync(ex.workspace, { recursive: true, force: true }), rmSync(ex.taskdata, { recursive: true, force: true });
      return true;
    }
    if (minimal && minimal !== first) rmSync(minimal.workspace, { recursive: true, force: true }), rmSync(minimal.taskdata, { recursive: true, force: true });
    if (minimal) shrinks++;
    minimal = ex;
    return false;
  });
  // A backstop only (a history stuck past every `task` timeout): the budget above ends shrinking.
  const limit = budget + 600_000;
  const r = await fc.check(prop, { seed, numRuns: 1, interruptAfterTimeLimit: limit, markInterruptAsFailure: false, verbose: 0 });
  const f = first as Execution | null;
  const m = minimal as Execution | null;
  if (f && f !== m) {
    rmSync(f.workspace, { recursive: true, force: true });
    rmSync(f.taskdata, { recursive: true, force: true });
  }
  const base: RunResult = {
    run,
    seed,
    kind: o.kind,
    path: r.counterexamplePath,
    steps: f?.history.steps.length ?? 0,
    fault: f ? faultOf(f.history) : 'none',
    durationMs: Date.now() - t0,
    historyMs: f?.durationMs ?? 0,
    ok: !r.failed && !m,
    conflicts: f?.conflicts ?? [],
    log: (f?.log ?? []).slice(0, 500),
    trace: [
      ...(f?.setup ? [`setup: ${f.setup}`] : []),
      ...(f?.records ?? []).map(
        (x) =>
          `${x.i}. ${x.step.t}: ${x.note}${x.report ? ` [code ${x.report.code}${x.report.error ? ` ${x.report.error}` : ''}]` : ''}${x.ms !== undefined && x.ms >= 1000 ? ` (${(x.ms / 1000).toFixed(1)} s)` : ''}`,
      ),
    ],
  };
  if (m) {
    base.failure = {
      minimalSteps: m.history.steps.length,
      history: m.history,
      records: m.records,
      failures: m.failures,
      sides: m.sides,
      log: m.log,
      notes: m.notes,
      workspace: m.workspace,
      taskdata: m.taskdata,
      shrinks,
    };
  } else if (r.failed && r.errorInstance) base.error = String(r.errorInstance);
  else if (!f) base.error = `interrupted after ${limit} ms, before the first history finished`;
  return base;
}
