/**
 * `npm run harness -- --runs N --seed S --out DIR [--steps K] [--faults a,b] [--shrink-ms MS]
 *   [--kind K | --kinds a,b] [--replay-undo FILE] [--replay-log FILE] [--big-steps K] [--jobs N]`
 *
 * Runs N random histories (run i uses seed S+i), writes DIR/summary.json and DIR/index.html,
 * prints one line per run and `N passed, M failed` last; exits 0 only when every run held.
 * A run replays alone with `--seed <its seed> --runs 1 --kind <its kind>`. `--jobs N` runs the
 * same runs in N processes (harnessJobs).
 *
 * Kinds of run (round 4, history.ts RunKind): by default runs 7, 8 and 9 of every ten are an
 * undo-replay, a log-replay and a big run; `--kind K` makes every run K, `--kinds normal` gives
 * the batches of before round 4 (the same seeds, the same histories).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { FAULTS, RUN_KINDS, type FaultKind, type RunKind } from './history.js';
import { writeReport } from './report.js';
import { runOne, type RunResult } from './run.js';

export interface HarnessOptions {
  runs: number;
  seed: number;
  out: string;
  maxSteps: number;
  faults: FaultKind[];
  shrinkMs: number;
  /** `--first-sync-full`: every history starts with a full sync (excludes finding F1). */
  firstSyncFull?: boolean;
  /** `--no-mirrors`: no plan notes or mirror steps (histories drawn as before mirrors existed). */
  mirrors?: boolean;
  /** `--no-views`: no viewport, date-word or schedule steps (histories drawn as before round 2). */
  views?: boolean;
  /** `--known a,b`: known findings the model looks past (see World). */
  known?: string[];
  /** `--kind K` (every run K) or `--kinds a,b` (the mix, by run index): see kindOfRun. */
  kinds?: RunKind[];
  /** `--replay-undo FILE`: undo-replay runs replay this undo.data instead of one made from drawn commands. */
  undoFile?: string;
  /** `--replay-log FILE`: log-replay runs play back this activity.jsonl (an earlier run's) too. */
  logFile?: string;
  /** `--big-steps K`: the longest history of a big run (default 12: the world is the big part). */
  bigSteps?: number;
  /** `--shard K/N`: only the runs i with i % N === K (what one of `--jobs N`'s processes runs). */
  shard?: { k: number; n: number };
  /** `--jobs N`: N processes, one shard each, their summaries merged (the same runs as one process). */
  jobs?: number;
  log?: (line: string) => void;
}

/**
 * Which kind run i is: with every kind allowed, runs 7, 8, 9 of every ten are undo-replay,
 * log-replay and big (so run 0, which a single-seed replay runs, is normal); with a subset,
 * the same slots fall back to normal, or with no normal, the kinds take turns.
 */
export function kindOfRun(i: number, kinds: RunKind[] = RUN_KINDS): RunKind {
  if (kinds.length === 1) return kinds[0];
  const slot: RunKind = i % 10 === 7 ? 'undo-replay' : i % 10 === 8 ? 'log-replay' : i % 10 === 9 ? 'big' : 'normal';
  if (kinds.includes(slot)) return slot;
  return kinds.includes('normal') ? 'normal' : kinds[i % kinds.length];
}

export function parseArgs(argv: string[]): HarnessOptions {
  const get = (k: string) => {
    const i = argv.indexOf(`--${k}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const faults = get('faults');
  return {
    runs: Number(get('runs') ?? 10),
    seed: Number(get('seed') ?? Date.now() % 1_000_000_000),
    out: resolve(get('out') ?? 'harness-out'),
    maxSteps: Number(get('steps') ?? 25),
    faults: faults === undefined ? FAULTS : faults === 'none' ? [] : (faults.split(',') as FaultKind[]),
    shrinkMs: Number(get('shrink-ms') ?? 120_000),
    firstSyncFull: argv.includes('--first-sync-full'),
    mirrors: !argv.includes('--no-mirrors'),
    views: !argv.includes('--no-views'),
    known: get('known')?.split(',').filter(Boolean) ?? [],
    kinds: get('kind') ? [get('kind') as RunKind] : get('kinds') ? (get('kinds')!.split(',') as RunKind[]) : RUN_KINDS,
    undoFile: get('replay-undo') ? resolve(get('replay-undo')!) : undefined,
    logFile: get('replay-log') ? resolve(get('replay-log')!) : undefined,
    bigSteps: Number(get('big-steps') ?? 12),
    shard: get('shard') ? { k: Number(get('shard')!.split('/')[0]), n: Number(get('shard')!.split('/')[1]) } : undefined,
    jobs: get('jobs') ? Number(get('jobs')) : undefined,
  };
}

export interface Summary {
  runs: number;
  passed: number;
  failed: number;
  seed: number;
  maxSteps: number;
  faults: FaultKind[];
  firstSyncFull: boolean;
  /** The kinds of run the batch drew from. */
  kinds: RunKind[];
  durationMs: number;
  startedAt: string;
  results: RunResult[];
}

export async function harness(o: HarnessOptions): Promise<Summary> {
  const log = o.log ?? ((l: string) => console.log(l));
  mkdirSync(o.out, { recursive: true });
  const t0 = Date.now();
  const results: RunResult[] = [];
  log(
    `harness: ${o.runs} runs from seed ${o.seed}, up to ${o.maxSteps} steps, faults ${o.faults.join(',') || 'none'}${o.firstSyncFull ? ', --first-sync-full (F1 excluded)' : ''}${o.mirrors === false ? ', --no-mirrors' : ', plan notes and mirrors'}${o.known?.length ? `, known ${o.known.join(',')}` : ''}, kinds ${(o.kinds ?? RUN_KINDS).join(',')}${o.undoFile ? ` (undo.data from ${o.undoFile})` : ''}${o.logFile ? ` (activity log from ${o.logFile})` : ''}; output in ${o.out}`,
  );
  for (let i = o.shard?.k ?? 0; i < o.runs; i += o.shard?.n ?? 1) {
    const seed = o.seed + i;
    const kind = kindOfRun(i, o.kinds);
    const r = await runOne(i, seed, {
      kind,
      undoFile: o.undoFile,
      logFile: o.logFile,
      maxSteps: kind === 'big' ? Math.min(o.maxSteps, o.bigSteps ?? 12) : o.maxSteps,
      faults: o.faults,
      shrinkMs: o.shrinkMs,
      firstSyncFull: o.firstSyncFull,
      mirrors: o.mirrors,
      views: o.views,
      known: o.known,
    });
    results.push(r);
    log(
      `run ${i} seed ${seed} ${kind}: ${r.ok ? 'ok' : 'FAILED'} ${r.steps} steps, fault ${r.fault}, ${r.conflicts.length} conflicts, ${r.durationMs} ms` +
        (r.failure
          ? `\n  minimal history (${r.failure.minimalSteps} steps, path ${r.path}, replay: --seed ${seed} --runs 1 --kind ${kind}${o.undoFile ? ` --replay-undo ${o.undoFile}` : ''}${o.logFile ? ` --replay-log ${o.logFile}` : ''} --steps ${o.maxSteps}${o.faults.length === FAULTS.length ? '' : ` --faults ${o.faults.join(',') || 'none'}`}${o.mirrors === false ? ' --no-mirrors' : ''}${o.views === false ? ' --no-views' : ''}${o.firstSyncFull ? ' --first-sync-full' : ''}${o.known?.length ? ` --known ${o.known.join(',')}` : ''}):\n${r.failure.records.map((x) => `    ${x.i}. ${JSON.stringify(x.step)} → ${x.note}`).join('\n')}\n  ${r.failure.failures.map((f) => `${f.kind}: ${f.message}`).join('\n  ')}\n  kept: ${r.failure.workspace} ${r.failure.taskdata}`
          : '') +
        (r.error ? `\n  ${r.error}` : ''),
    );
    // Written after every run, so an interrupted long run still leaves its figures.
    writeOut(o, results, t0);
  }
  const s = writeOut(o, results, t0);
  log(`${s.passed} passed, ${s.failed} failed`);
  return s;
}

function writeOut(o: HarnessOptions, results: RunResult[], t0: number): Summary {
  const s = summarize(o, results, t0);
  writeFileSync(join(o.out, 'summary.json'), JSON.stringify(s, null, 1));
  writeReport(join(o.out, 'index.html'), s);
  return s;
}

function summarize(o: HarnessOptions, results: RunResult[], t0: number): Summary {
  const passed = results.filter((r) => r.ok).length;
  const s: Summary = {
    runs: results.length,
    passed,
    failed: results.length - passed,
    seed: o.seed,
    maxSteps: o.maxSteps,
    faults: o.faults,
    firstSyncFull: !!o.firstSyncFull,
    kinds: o.kinds ?? RUN_KINDS,
    durationMs: Date.now() - t0,
    startedAt: new Date(t0).toISOString(),
    results,
  };
  return s;
}

/**
 * `--jobs N`: the same runs as one process (run i has seed S+i and the kind of slot i), in N
 * processes that take every N-th run, so a long batch uses every core: a run spends much of its
 * time waiting on `task`, git and its faults' sleeps. Each shard writes its own folder
 * (DIR/shard-K) as it goes; the merged summary and dashboard land in DIR once all have ended.
 */
export async function harnessJobs(o: HarnessOptions, argv: string[]): Promise<Summary> {
  const log = o.log ?? ((l: string) => console.log(l));
  const n = o.jobs ?? 1;
  mkdirSync(o.out, { recursive: true });
  const t0 = Date.now();
  const strip = (a: string[]) => a.filter((x, i) => !['--jobs', '--out'].includes(x) && !['--jobs', '--out'].includes(a[i - 1]));
  const shards = Array.from({ length: n }, (_, k) => join(o.out, `shard-${k}`));
  await Promise.all(
    shards.map(
      (dir, k) =>
        new Promise<void>((done) => {
          const p = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...strip(argv), '--shard', `${k}/${n}`, '--out', dir], {
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          createInterface({ input: p.stdout! }).on('line', (l) => log(`[${k}] ${l}`));
          p.on('exit', () => done());
        }),
    ),
  );
  const results = shards
    .flatMap((d) => (existsSync(join(d, 'summary.json')) ? (JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8')) as Summary).results : []))
    .sort((a, b) => a.run - b.run);
  const s = writeOut(o, results, t0);
  // A shard that died early leaves runs missing: that is not a batch that held.
  if (results.length < o.runs) log(`${o.runs - results.length} runs missing (a shard ended early)`);
  log(`${s.passed} passed, ${s.failed + o.runs - results.length} failed`);
  return { ...s, failed: s.failed + o.runs - results.length };
}

const isMain = process.argv[1] && /harness[\\/]main\.ts$|harness\.js$/.test(process.argv[1]);
if (isMain) {
  const argv = process.argv.slice(2);
  const o = parseArgs(argv);
  const s = o.jobs && o.jobs > 1 ? await harnessJobs(o, argv) : await harness(o);
  process.exit(s.failed === 0 && s.runs > 0 ? 0 : 1);
}
