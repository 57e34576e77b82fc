/**
 * `planager plan` and `planager agenda` again with nothing changed: the answer is the one the
 * last full run printed. A full run that wrote nothing records what it printed with the stamps
 * of every file and folder it read (sync/stamps.ts: the notes and their folders, Taskwarrior's
 * data and rc files, the template, the plan note's state), the local day and zone it ran in,
 * and the moment its output stops holding (a task's wait date passing; a note's date naming
 * another day). The same words from the same place with the same environment, on the same day
 * in the same zone, before that moment and with every stamp holding, print the record and exit:
 * a few dozen stats and one small JSON file instead of reading 10,000 tasks (issue 15: the CLI
 * took 3× a `task export` for a plan that did not change). Anything else runs in full.
 *
 * Node built-ins only (and stamps.ts, workspace.ts): cli/bin.ts answers from here before the
 * rest of the CLI is loaded. The record is a cache: deleting it costs one full run.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Inputs, stampOf, stampTime } from '../sync/stamps.js';
import type { CommandResult } from './result.js';
import { findWorkspace } from './workspace.js';

/** The flags of `plan` and `agenda` (cli/main.ts parses them with these too). */
export const PLANNING_FLAGS = {
  date: { type: 'string', short: 'd' },
  workspace: { type: 'string', short: 'w' },
  json: { type: 'boolean' },
  week: { type: 'boolean' },
  'week-start': { type: 'string' },
  templates: { type: 'string' },
  path: { type: 'string' },
} as const;

const FORMAT = 1;
const KEEP = 8;
/**
 * A file changed this recently may change again within the same tick of its clock (a jiffy on
 * Linux, a second or two on some file systems) and keep its stamp: such a run is not recorded.
 */
const RACY_MS = 2000;

export interface Replay {
  key: string;
  workspace: string;
  /** When the run started (ms), its local day and its zone's offset (minutes). */
  at: number;
  day: string;
  offset: number;
  /** From this moment (ms) the output may differ; null: not before the day ends. */
  until: number | null;
  files: [string, string | null][];
  stdout: string;
  stderr: string;
}

interface Where {
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const recordPath = (workspace: string) => join(workspace, '.planager', 'replay.json');

/** The words and what picks the files they read: the workspace, Taskwarrior's files, the zone. */
export function replayKey(args: readonly string[], w: Where): string {
  const e = w.env;
  return JSON.stringify([FORMAT, args, e.TASKDATA ?? '', e.TASKRC ?? '', e.HOME ?? '', e.TZ ?? '', e.PLANAGER_WORKSPACE ?? '', w.cwd]);
}

export function localDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The built CLI's files that plan and agenda run (beside this one once bundled): a new build is another program. */
function codeFiles(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  return ['cli.cjs', 'main.js', 'planning.js', 'planning.cjs'].map((f) => join(here, f));
}

/** The workspace `plan`/`agenda` ARGS work on, as the full run finds it; null when the words do not parse. */
function workspaceOf(args: readonly string[], w: Where): string | null {
  let flag: string | undefined;
  try {
    flag = parseArgs({ args: args.slice(1), allowPositionals: true, options: PLANNING_FLAGS }).values.workspace;
  } catch {
    return null;
  }
  const found = findWorkspace(flag, { cwd: w.cwd, env: w.env });
  return found.ok ? found.dir : null;
}

function readRecords(workspace: string): Replay[] {
  try {
    const v = JSON.parse(readFileSync(recordPath(workspace), 'utf8')) as { format?: number; records?: Replay[] };
    return v.format === FORMAT && Array.isArray(v.records) ? v.records : [];
  } catch {
    return [];
  }
}

/** What the last full run of ARGS printed, when it still holds at `now`; else null (run in full). */
export function replayed(args: readonly string[], w: Where, now: Date = new Date()): { stdout: string; stderr: string } | null {
  if (args[0] !== 'plan' && args[0] !== 'agenda') return null;
  const workspace = workspaceOf(args, w);
  if (workspace === null) return null;
  const key = replayKey(args, w);
  const r = readRecords(workspace).find((x) => x.key === key);
  if (!r || r.workspace !== workspace || r.day !== localDay(now) || r.offset !== now.getTimezoneOffset()) return null;
  const t = now.getTime();
  if (t < r.at || (r.until !== null && t >= r.until)) return null;
  if (!r.files.every(([path, stamp]) => stampOf(path) === stamp)) return null;
  return { stdout: r.stdout, stderr: r.stderr };
}

/** cli/bin.ts: print the recorded answer of ARGS and say so, or say there is none. */
export function replayPlanning(args: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const r = replayed(args, { env, cwd: process.cwd() });
  if (!r) return false;
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.stderr) process.stderr.write(r.stderr);
  return true;
}

/**
 * Run a plan or agenda command (`run` gets the Inputs to fill and the clock) and record its
 * answer when it can be replayed: it succeeded, wrote nothing, read only stamped files, none of
 * them changed within RACY_MS, in a workspace a sync has set up (a read-only command never
 * creates the state folder).
 */
export async function recorded(
  args: readonly string[],
  run: (deps: { inputs: Inputs; now: Date }) => Promise<CommandResult>,
  w: Where = { env: process.env, cwd: process.cwd() },
  now: Date = new Date(),
): Promise<CommandResult> {
  // The file system's clock, not the run's (a test or `--date` may set that one anywhere).
  const started = Date.now();
  const inputs = new Inputs();
  for (const f of codeFiles()) inputs.file(f);
  const r = await run({ inputs, now });
  if (r.code !== 0 || inputs.why !== null) return r;
  const workspace = workspaceOf(args, w);
  if (workspace === null) return r;
  const files = [...inputs.files];
  if (files.some(([, s]) => (stampTime(s) ?? 0) > started - RACY_MS)) return r;
  const record: Replay = {
    key: replayKey(args, w),
    workspace,
    at: now.getTime(),
    day: localDay(now),
    offset: now.getTimezoneOffset(),
    until: Number.isFinite(inputs.until) ? inputs.until : null,
    files,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
  };
  save(workspace, [record, ...readRecords(workspace).filter((x) => x.key !== record.key)].slice(0, KEEP));
  return r;
}

function save(workspace: string, records: Replay[]): void {
  // Only where a sync has set up the state folder: a read-only command never creates it.
  if (!existsSync(join(workspace, '.planager'))) return;
  const path = recordPath(workspace);
  try {
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: FORMAT, records }));
    renameSync(tmp, path);
  } catch {
    // a cache: a write that fails costs the next run its replay, nothing else
  }
}
