/**
 * The histories the harness generates: plain data (JSON-printable, so a failing run prints a
 * history that can be read and replayed), drawn with fast-check so that a failure shrinks to a
 * minimal one. A step names the line or task it acts on by an index taken modulo what exists
 * when it runs, so every shrunk history is still executable.
 *
 * Over 500 lines: every round's step types and their arbitraries are kept in this one file, so
 * a history (plain JSON in summary.json) reads against one list of what each step means.
 */
import fc from 'fast-check';

export const FILES = ['a.norg', 'b.norg'] as const;
/** The foreign UDA (a string) the harness's Taskwarrior declares; the notes cannot express it. */
export const UDA = 'harnessuda';
export const HEADINGS = ['One', 'Two'] as const;
/** The project a heading of a file stands for (`<file base project>.<heading>`). */
export const PROJECTS = ['alpha.One', 'alpha.Two', 'beta.One', 'beta.Two'];
/** A project a note holds (a file's base project, or under it): a task elsewhere has no line, rightly. */
export const inWorkspace = (p: unknown): boolean => typeof p === 'string' && ['alpha', 'beta'].some((b) => p === b || p.startsWith(`${b}.`));
export const NOTE_STATUSES = [' ', 'x', '-', '=', '?', '!'] as const;
export const PRIORITIES = [null, 'A', 'B', 'C'] as const;
const WORDS = ['apple', 'bread', 'cable', 'dance', 'eagle', 'fence', 'grape', 'house', 'index', 'joker', 'kite', 'lemon'];
const TAGS = ['red', 'blue', 'green'];
/** Due dates as day offsets from a fixed day (2026-12-01, UTC). */
export const DUE_BASE = Date.UTC(2026, 11, 1);

export type Sync = { t: 'sync' } | { t: 'syncDir'; direction: 'pull' | 'push' } | { t: 'syncOne'; file: number; direction: 'pull' | 'push' | 'both' };

export type NoteStep =
  | { t: 'noteAdd'; file: number; heading: number; word: number; status: number; priority: number }
  | { t: 'noteDesc'; line: number; word: number }
  | { t: 'noteStatus'; line: number; status: number }
  | { t: 'notePriority'; line: number; priority: number }
  | { t: 'noteDue'; line: number; days: number | null }
  | { t: 'noteTag'; line: number; tag: number | null }
  | { t: 'noteMove'; line: number; file: number; heading: number }
  | { t: 'noteDelete'; line: number }
  | { t: 'noteNest'; line: number }
  | { t: 'noteUnnest'; line: number };

export type TwStep =
  | { t: 'twAdd'; word: number; project: number; uda: boolean }
  | { t: 'twDesc'; task: number; word: number }
  | { t: 'twPriority'; task: number; priority: number }
  | { t: 'twDue'; task: number; days: number | null }
  | { t: 'twProject'; task: number; project: number }
  | { t: 'twDone'; task: number }
  | { t: 'twDelete'; task: number }
  | { t: 'twAnnotate'; task: number; word: number }
  | { t: 'twDepends'; task: number; on: number }
  | { t: 'twUda'; task: number; word: number };

/**
 * Plan notes and their mirrors (issue 13: "edit mirrors and plan notes once they exist").
 * `plan` runs `planager plan` (cli/plan.ts planCommand) for a fixed day with a fixed now;
 * `mirrorEdit` changes what a mirror shows (an edit of its task); `mirrorDelete` removes a
 * mirror line (changes no task); `syncPlan` is the one-note sync of a plan note (`:w`).
 */
export const PLAN_DAYS: { kind: 'daily' | 'weekly'; date: string }[] = [
  { kind: 'daily', date: '2026-12-15' },
  { kind: 'weekly', date: '2026-12-15' },
  { kind: 'daily', date: '2026-12-31' },
  // After every due date the history can draw: every open task with a due date is overdue.
  { kind: 'daily', date: '2027-01-15' },
];
export type MirrorField = 'status' | 'priority' | 'due' | 'description';
export type PlanStep =
  | { t: 'plan'; which: number }
  | { t: 'mirrorEdit'; mirror: number; field: MirrorField; value: number; days: number | null }
  | { t: 'mirrorDelete'; mirror: number }
  | { t: 'syncPlan'; plan: number; direction: 'pull' | 'push' | 'both' }
  /** A task with a due date (so plans mirror it): a note line, or a `task add`. */
  | { t: 'addDue'; side: 'note' | 'taskwarrior'; file: number; heading: number; word: number; project: number; days: number };

/**
 * Viewports, dates and the day's schedule (round 2): `viewAdd` appends a viewport with one of
 * VIEW_FILTERS to the viewport note (VIEW_NOTE; its mirrors are edited by mirrorEdit and
 * mirrorDelete like a plan's); `dateWord` writes a due date as an ISO date or a Taskwarrior
 * synonym on a note line or a mirror (the sync runs at `now` = the history's clock, SYNC_NOW);
 * `schedule` runs `planager schedule` twice on the daily plan of 2026-12-15 (the second run
 * must change no byte).
 */
export const VIEW_NOTE = 'v.norg';
export const VIEW_FILTERS = ['project:alpha.One', 'project:beta +red', '+blue', 'project:alpha -green', 'project:alpha.Two +red -blue'];
export const DATE_WORDS = ['2026-12-20', '2026-12-21 14:00', 'tomorrow', 'eow', 'today'] as const;
/** The clock of every sync a history runs (so a synonym names one date). */
export const SYNC_NOW = '2026-12-10T10:00:00';
export type ViewStep = { t: 'viewAdd'; filter: number } | { t: 'dateWord'; on: 'note' | 'mirror'; target: number; word: number } | { t: 'schedule' };

export type ConflictStep = { t: 'conflict'; line: number; field: 'description' | 'priority' | 'due'; a: number; b: number; twLater: boolean };

export type FaultKind =
  | 'none'
  | 'import-fail'
  | 'import-crash'
  | 'import-hang'
  | 'export-fail'
  | 'export-crash'
  | 'kill'
  | 'concurrent'
  | 'readonly'
  | 'corrupt-state'
  | 'slow'
  | 'task-loop'
  | 'symlink'
  | 'bad-utf8'
  | 'enospc'
  | 'delete-state';
export const FAULTS: FaultKind[] = [
  'none',
  'import-fail',
  'import-crash',
  'import-hang',
  'export-fail',
  'export-crash',
  'kill',
  'concurrent',
  'readonly',
  'corrupt-state',
  'slow',
  'task-loop',
  'symlink',
  'bad-utf8',
  'enospc',
  'delete-state',
];
/** The faults of before round 3 (a history drawn with `round3: false` draws only these). */
export const FAULTS_BEFORE_ROUND3 = FAULTS.slice(0, FAULTS.indexOf('enospc'));
export type FaultStep = { t: 'fault'; kind: FaultKind; killAfterMs: number; file: number };

/**
 * Round 3: what the notes cannot express, set through `task` (wait, until, a recurring task,
 * denotate, foreign UDAs of other types); the clock moved (the notes' edit times and the
 * sync's `now` skewed against Taskwarrior's `modified`, so a conflict is decided by time);
 * note edits the earlier rounds lacked (a copied line with its id, reordered siblings, links,
 * prose outside task lines).
 */
/** `wait:` values: one after any clock a run meets, one before it (TW 2.6 keeps it pending), none. */
export const WAITS = ['2030-01-01', '2026-01-01', null] as const;
/** `until:` values after any clock a run meets (a past one makes Taskwarrior delete the task). */
export const UNTILS = ['2030-06-01', '2031-01-01', null] as const;
export const RECURS = ['weekly', 'monthly'] as const;
/** Due dates of recurring tasks: far enough ahead that Taskwarrior makes one instance only. */
export const RECUR_BASE = Date.UTC(2030, 0, 1);
/** Clock skews of the notes' side against Taskwarrior, in seconds. */
export const SKEWS = [0, -3600, -90, 90, 3600] as const;
export const LINKS = ['{* Two}', '{:b:}', '{:a:* One}', '{:b:* Two}'] as const;
export const PROSE = ['Some prose.', '// a comment line', '  indented text', 'Notes: see {:b:}.', ''] as const;
export type Round3Step =
  | { t: 'twWait'; task: number; which: number }
  | { t: 'twUntil'; task: number; which: number }
  | { t: 'twRecur'; word: number; project: number; period: number; days: number }
  | { t: 'twDenotate'; task: number; which: number }
  | { t: 'twForeign'; task: number; kind: 'date' | 'numeric'; value: number }
  | { t: 'clock'; skew: number }
  | { t: 'noteCopy'; line: number; file: number; heading: number }
  | { t: 'noteReorder'; line: number }
  | { t: 'noteLink'; line: number; link: number | null }
  | { t: 'noteProse'; file: number; heading: number; text: number };

/**
 * Round 4 (replay.ts): outside edits taken from real histories. `undoApply` applies the next
 * `n` transactions of the run's undo.data stream (History.undo) to the harness's Taskwarrior;
 * `logApply` takes an entry of the workspace's own activity log (an earlier sync's record of a
 * value it overwrote) and brings its whole version back, through `task import` (`edit`, an
 * outside edit) or `planager restore` (`restore`); `entry: 'all'` plays back every entry.
 * `twUndo` runs `task undo` in the harness's Taskwarrior: its last transaction reverted, which
 * may be a sync's own write (2.6 rewrites undo.data then, and its `modified` goes back).
 */
export type Round4Step =
  | { t: 'undoApply'; n: number }
  | { t: 'logApply'; entry: number | 'all'; how: 'edit' | 'restore' | 'mixed' }
  | { t: 'twUndo' }
  | BulkStep;

/**
 * A big world's edits of many tasks at once (big.ts): every open task of one of PROJECTS (in
 * the note: every line under its heading) gets a status, a priority, or another heading's
 * project, through one `task <filter> modify` or one write of the note.
 */
export type BulkStep = { t: 'bulk'; side: 'note' | 'taskwarrior'; what: 'status' | 'priority' | 'project'; project: number; value: number };
export const bulkStep: fc.Arbitrary<BulkStep> = fc.record({
  t: fc.constant('bulk' as const),
  side: fc.constantFrom('note' as const, 'taskwarrior' as const),
  what: fc.constantFrom('status' as const, 'priority' as const, 'project' as const),
  project: fc.nat({ max: PROJECTS.length - 1 }),
  value: fc.nat({ max: 99 }),
});

export type Step = Sync | NoteStep | TwStep | ConflictStep | FaultStep | PlanStep | ViewStep | Round3Step | Round4Step;

/**
 * What a run is (round 4): `normal` (the random histories of rounds 1–3), `undo-replay` (with
 * an undo.data stream), `log-replay` (with its activity log played back), `big` (a world of
 * over 10,000 tasks, then a short history).
 */
export type RunKind = 'normal' | 'undo-replay' | 'log-replay' | 'big';
export const RUN_KINDS: RunKind[] = ['normal', 'undo-replay', 'log-replay', 'big'];

/**
 * A command of the throwaway Taskwarrior whose undo.data an undo-replay run replays (replay.ts
 * runs them with the real `task`). A task is named by an index modulo the tasks there, as
 * steps name theirs; a command Taskwarrior refuses is part of the history too (it wrote nothing).
 */
export type SrcField = 'description' | 'priority' | 'due' | 'project' | 'tag' | 'untag' | 'wait' | 'until' | 'scheduled' | 'uda' | 'orphan' | 'num' | 'date';
export const SRC_FIELDS: SrcField[] = [
  'description',
  'priority',
  'due',
  'project',
  'tag',
  'untag',
  'wait',
  'until',
  'scheduled',
  'uda',
  'orphan',
  'num',
  'date',
];
export type SrcCmd =
  | { c: 'add'; word: number; project: number; priority: number; days: number | null; tag: number | null; uda: boolean }
  | { c: 'modify'; task: number; field: SrcField; value: number }
  | { c: 'done' | 'delete' | 'start' | 'stop' | 'denotate' | 'duplicate'; task: number }
  | { c: 'annotate'; task: number; word: number }
  | { c: 'depends'; task: number; on: number }
  | { c: 'recur'; word: number; project: number; period: number; days: number }
  | { c: 'report' }
  | { c: 'undo' };
/** Descriptions of the stream's tasks: what undo.data escapes (quotes, brackets) among plain words. */
export const SRC_WORDS = ['stream', 'say "hi"', 'box [b]', 'fish & chips', 'café', 'tab\\slash', 'colon: yes', 'plain'];

/** Where an undo-replay run's undo.data comes from: commands run at the start of the run, or a file. */
export type UndoSource = { commands: SrcCmd[] } | { file: string };

/**
 * A big world (big.ts): `tasks` tasks imported in bulk before the history, `inNotes` of them
 * pending or done in the project notes (written there directly, with their ids), `outside`
 * pending in projects no note holds; the rest completed or deleted. Fixed per run (a bound, not
 * a draw): shrinking shortens the history only.
 */
export interface BigSpec {
  tasks: number;
  inNotes: number;
  outside: number;
  seed: number;
}

export interface History {
  /** Lines written before anything else (the starting notes). */
  initial: { file: number; heading: number; word: number; status: number; priority: number }[];
  steps: Step[];
  /** Absent: `normal`. */
  kind?: RunKind;
  undo?: UndoSource;
  big?: BigSpec;
  /** log-replay: an activity.jsonl of an earlier run, played back before the run's own (`--replay-log FILE`). */
  log?: { file: string };
}

export interface GenOptions {
  maxSteps: number;
  /** Which faults may be drawn (default all). At most one fault step per history. */
  faults?: FaultKind[];
  /** Faults rarer: the share of histories with none. */
  noFaultWeight?: number;
  /**
   * Start every history with a full sync (default false: histories may start with a one-note
   * pull). Excludes finding F1 of /work/notes/harness-findings.md (a first sync that is a
   * one-note pull hides other notes' Taskwarrior tasks), to look past it; off by default.
   */
  firstSyncFull?: boolean;
  /**
   * Plan notes and mirror steps (default true). Off, histories are drawn exactly as before
   * mirrors existed (the same seed gives the same history as then).
   */
  mirrors?: boolean;
  /** Viewport, date-word and schedule steps (default true; off with mirrors off). */
  views?: boolean;
  /** Round-3 steps and faults (default true; off with mirrors or views off: histories as before). */
  round3?: boolean;
  /** The shortest history (default 1). */
  minSteps?: number;
  /** Steps drawn besides the usual ones (round 4's kinds; none: histories exactly as before). */
  extra?: { weight: number; arbitrary: fc.Arbitrary<Step> }[];
}

const idx = fc.nat({ max: 1000 });
const word = fc.nat({ max: WORDS.length * 50 - 1 });
const days = fc.option(fc.integer({ min: -5, max: 40 }), { nil: null, freq: 4 });

const noteStep: fc.Arbitrary<NoteStep> = fc.oneof(
  fc.record({
    t: fc.constant('noteAdd' as const),
    file: fc.nat({ max: 1 }),
    heading: fc.nat({ max: 1 }),
    word,
    status: fc.nat({ max: NOTE_STATUSES.length - 1 }),
    priority: fc.nat({ max: 3 }),
  }),
  fc.record({ t: fc.constant('noteDesc' as const), line: idx, word }),
  fc.record({ t: fc.constant('noteStatus' as const), line: idx, status: fc.nat({ max: NOTE_STATUSES.length - 1 }) }),
  fc.record({ t: fc.constant('notePriority' as const), line: idx, priority: fc.nat({ max: 3 }) }),
  fc.record({ t: fc.constant('noteDue' as const), line: idx, days }),
  fc.record({ t: fc.constant('noteTag' as const), line: idx, tag: fc.option(fc.nat({ max: TAGS.length - 1 }), { nil: null }) }),
  fc.record({ t: fc.constant('noteMove' as const), line: idx, file: fc.nat({ max: 1 }), heading: fc.nat({ max: 1 }) }),
  fc.record({ t: fc.constant('noteDelete' as const), line: idx }),
  fc.record({ t: fc.constant('noteNest' as const), line: idx }),
  fc.record({ t: fc.constant('noteUnnest' as const), line: idx }),
);

const twStep: fc.Arbitrary<TwStep> = fc.oneof(
  fc.record({ t: fc.constant('twAdd' as const), word, project: fc.nat({ max: PROJECTS.length - 1 }), uda: fc.boolean() }),
  fc.record({ t: fc.constant('twDesc' as const), task: idx, word }),
  fc.record({ t: fc.constant('twPriority' as const), task: idx, priority: fc.nat({ max: 3 }) }),
  fc.record({ t: fc.constant('twDue' as const), task: idx, days }),
  fc.record({ t: fc.constant('twProject' as const), task: idx, project: fc.nat({ max: PROJECTS.length - 1 }) }),
  fc.record({ t: fc.constant('twDone' as const), task: idx }),
  fc.record({ t: fc.constant('twDelete' as const), task: idx }),
  fc.record({ t: fc.constant('twAnnotate' as const), task: idx, word }),
  fc.record({ t: fc.constant('twDepends' as const), task: idx, on: idx }),
  fc.record({ t: fc.constant('twUda' as const), task: idx, word }),
);

const round3Step: fc.Arbitrary<Round3Step> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant('twWait' as const), task: idx, which: fc.nat({ max: WAITS.length - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('twUntil' as const), task: idx, which: fc.nat({ max: UNTILS.length - 1 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('twRecur' as const),
      word,
      project: fc.nat({ max: PROJECTS.length - 1 }),
      period: fc.nat({ max: RECURS.length - 1 }),
      days: fc.nat({ max: 60 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('twDenotate' as const), task: idx, which: idx }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('twForeign' as const),
      task: idx,
      kind: fc.constantFrom('date' as const, 'numeric' as const),
      value: fc.nat({ max: 99 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('clock' as const), skew: fc.nat({ max: SKEWS.length - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('noteCopy' as const), line: idx, file: fc.nat({ max: 1 }), heading: fc.nat({ max: 1 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('noteReorder' as const), line: idx }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('noteLink' as const), line: idx, link: fc.option(fc.nat({ max: LINKS.length - 1 }), { nil: null }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('noteProse' as const),
      file: fc.nat({ max: 1 }),
      heading: fc.nat({ max: 1 }),
      text: fc.nat({ max: PROSE.length - 1 }),
    }),
  },
);

const syncStep: fc.Arbitrary<Sync> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ t: 'sync' as const }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('syncDir' as const), direction: fc.constantFrom('pull' as const, 'push' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('syncOne' as const),
      file: fc.nat({ max: 1 }),
      direction: fc.constantFrom('pull' as const, 'push' as const, 'both' as const),
    }),
  },
);

const conflictStep: fc.Arbitrary<ConflictStep> = fc.record({
  t: fc.constant('conflict' as const),
  line: idx,
  field: fc.constantFrom('description' as const, 'priority' as const, 'due' as const),
  a: word,
  b: word,
  twLater: fc.boolean(),
});

const planStep: fc.Arbitrary<PlanStep> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant('plan' as const), which: fc.nat({ max: PLAN_DAYS.length - 1 }) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('mirrorEdit' as const),
      mirror: idx,
      field: fc.constantFrom('status' as const, 'priority' as const, 'due' as const, 'description' as const),
      value: word,
      days,
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('mirrorDelete' as const), mirror: idx }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('addDue' as const),
      side: fc.constantFrom('note' as const, 'taskwarrior' as const),
      file: fc.nat({ max: 1 }),
      heading: fc.nat({ max: 1 }),
      word,
      project: fc.nat({ max: PROJECTS.length - 1 }),
      days: fc.integer({ min: -5, max: 40 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('syncPlan' as const),
      plan: fc.nat({ max: PLAN_DAYS.length - 1 }),
      direction: fc.constantFrom('pull' as const, 'push' as const, 'both' as const),
    }),
  },
);

const viewStep: fc.Arbitrary<ViewStep> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant('viewAdd' as const), filter: fc.nat({ max: VIEW_FILTERS.length - 1 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('dateWord' as const),
      on: fc.constantFrom('note' as const, 'mirror' as const),
      target: idx,
      word: fc.nat({ max: DATE_WORDS.length - 1 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'schedule' as const }) },
);

export function historyArb(o: GenOptions): fc.Arbitrary<History> {
  const round3 = o.round3 !== false && o.mirrors !== false && o.views !== false;
  const faults = (o.faults ?? FAULTS).filter((f) => f !== 'none' && (round3 || FAULTS_BEFORE_ROUND3.includes(f)));
  const fault: fc.Arbitrary<FaultStep | null> =
    faults.length === 0
      ? fc.constant(null)
      : fc.oneof(
          { weight: o.noFaultWeight ?? 1, arbitrary: fc.constant(null) },
          {
            weight: 2,
            arbitrary: fc.record({
              t: fc.constant('fault' as const),
              kind: fc.constantFrom(...faults),
              killAfterMs: fc.integer({ min: 0, max: 1500 }),
              file: fc.nat({ max: 1 }),
            }),
          },
        );
  const base = [
    { weight: 5, arbitrary: noteStep as fc.Arbitrary<Step> },
    { weight: 5, arbitrary: twStep as fc.Arbitrary<Step> },
    { weight: 3, arbitrary: syncStep as fc.Arbitrary<Step> },
    { weight: 1, arbitrary: conflictStep as fc.Arbitrary<Step> },
  ];
  const extra = o.extra ?? [];
  const step: fc.Arbitrary<Step> =
    o.mirrors === false
      ? fc.oneof(...base, ...extra)
      : o.views === false
        ? fc.oneof(...base, { weight: 6, arbitrary: planStep as fc.Arbitrary<Step> }, ...extra)
        : round3
          ? fc.oneof(
              ...base,
              { weight: 6, arbitrary: planStep as fc.Arbitrary<Step> },
              { weight: 3, arbitrary: viewStep as fc.Arbitrary<Step> },
              { weight: 6, arbitrary: round3Step as fc.Arbitrary<Step> },
              ...extra,
            )
          : fc.oneof(...base, { weight: 6, arbitrary: planStep as fc.Arbitrary<Step> }, { weight: 3, arbitrary: viewStep as fc.Arbitrary<Step> }, ...extra);
  return fc
    .record({
      initial: fc.array(
        fc.record({
          file: fc.nat({ max: 1 }),
          heading: fc.nat({ max: 1 }),
          word,
          status: fc.nat({ max: NOTE_STATUSES.length - 1 }),
          priority: fc.nat({ max: 3 }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      steps: fc.array(step, { minLength: Math.min(o.minSteps ?? 1, o.maxSteps), maxLength: o.maxSteps, size: 'max' }),
      fault,
      faultAt: fc.nat({ max: 1000 }),
    })
    .map(({ initial, steps, fault, faultAt }) => {
      const s = [...steps];
      if (fault) s.splice(faultAt % (s.length + 1), 0, fault);
      if (o.firstSyncFull) s.unshift({ t: 'sync' });
      return { initial, steps: s };
    });
}

export const wordOf = (n: number) => `${WORDS[n % WORDS.length]}`;
export const tagOf = (n: number) => TAGS[n % TAGS.length];
export const dueIso = (d: number) => new Date(DUE_BASE + d * 86_400_000).toISOString();
export const faultOf = (h: History): FaultKind => (h.steps.find((s) => s.t === 'fault') as FaultStep | undefined)?.kind ?? 'none';

const srcAdd: fc.Arbitrary<SrcCmd> = fc.record({
  c: fc.constant('add' as const),
  word: fc.nat({ max: SRC_WORDS.length * 10 - 1 }),
  project: fc.nat({ max: PROJECTS.length - 1 }),
  priority: fc.nat({ max: 3 }),
  days,
  tag: fc.option(fc.nat({ max: TAGS.length - 1 }), { nil: null, freq: 2 }),
  uda: fc.boolean(),
});
const srcCmd: fc.Arbitrary<SrcCmd> = fc.oneof(
  { weight: 5, arbitrary: srcAdd },
  { weight: 8, arbitrary: fc.record({ c: fc.constant('modify' as const), task: idx, field: fc.constantFrom(...SRC_FIELDS), value: fc.nat({ max: 99 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      c: fc.constantFrom('done' as const, 'delete' as const, 'start' as const, 'stop' as const, 'denotate' as const, 'duplicate' as const),
      task: idx,
    }),
  },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('annotate' as const), task: idx, word: fc.nat({ max: 99 }) }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('depends' as const), task: idx, on: idx }) },
  {
    weight: 1,
    arbitrary: fc.record({
      c: fc.constant('recur' as const),
      word: fc.nat({ max: 99 }),
      project: fc.nat({ max: PROJECTS.length - 1 }),
      period: fc.nat({ max: RECURS.length - 1 }),
      days: fc.nat({ max: 60 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ c: 'report' as const }) },
  { weight: 1, arbitrary: fc.constant({ c: 'undo' as const }) },
);

/** The commands whose undo.data an undo-replay run replays (an add first: a stream with a task in it). */
export const srcCommandsArb = fc.tuple(srcAdd, fc.array(srcCmd, { minLength: 2, maxLength: 40, size: 'max' })).map(([a, rest]) => [a, ...rest]);

export interface KindOptions extends GenOptions {
  kind: RunKind;
  /** undo-replay: this undo.data instead of one made from drawn commands (`--replay-undo FILE`). */
  undoFile?: string;
  /** log-replay: an earlier run's activity.jsonl to play back too (`--replay-log FILE`). */
  logFile?: string;
  /** big: the world's size (default BIG). */
  big?: Omit<BigSpec, 'seed'>;
}

/** Over 10,000 tasks, a fifth of them in the notes. */
export const BIG: Omit<BigSpec, 'seed'> = { tasks: 10_500, inNotes: 2_000, outside: 1_000 };

/**
 * A run of `kind`: `normal` draws exactly historyArb's histories. The others draw the usual
 * steps with their own among them, and a last step that finishes what the run replays (the
 * stream's remaining transactions; every entry of the log), which shrinking may drop.
 */
export function kindArb(o: KindOptions): fc.Arbitrary<History> {
  switch (o.kind) {
    case 'normal':
      return historyArb(o);
    case 'undo-replay': {
      const apply = fc.record({ t: fc.constant('undoApply' as const), n: fc.integer({ min: 1, max: 4 }) }) as fc.Arbitrary<Step>;
      const undo = fc.constant({ t: 'twUndo' as const }) as fc.Arbitrary<Step>;
      const h = historyArb({
        ...o,
        minSteps: o.minSteps ?? 8,
        extra: [
          { weight: 12, arbitrary: apply },
          { weight: 2, arbitrary: undo },
        ],
      });
      const source: fc.Arbitrary<UndoSource> = o.undoFile ? fc.constant({ file: o.undoFile }) : srcCommandsArb.map((commands) => ({ commands }));
      return fc
        .record({ h, undo: source })
        .map(({ h, undo }) => ({ ...h, kind: 'undo-replay' as const, undo, steps: [...h.steps, { t: 'undoApply' as const, n: 10_000 }] }));
    }
    case 'log-replay': {
      const apply = fc.record({
        t: fc.constant('logApply' as const),
        entry: fc.nat({ max: 1000 }),
        how: fc.constantFrom('edit' as const, 'restore' as const),
      }) as fc.Arbitrary<Step>;
      return fc
        .record({
          // More conflicts and fewer faults than a normal run: a log with entries to play back.
          h: historyArb({
            ...o,
            minSteps: o.minSteps ?? 12,
            noFaultWeight: o.noFaultWeight ?? 3,
            extra: [
              { weight: 6, arbitrary: apply },
              { weight: 4, arbitrary: conflictStep as fc.Arbitrary<Step> },
            ],
          }),
          how: fc.constantFrom('edit' as const, 'restore' as const, 'mixed' as const),
          // A conflict between two syncs first: the log has an entry whatever else is drawn.
          seedConflict: conflictStep,
        })
        .map(({ h, how, seedConflict }) => ({
          ...h,
          kind: 'log-replay' as const,
          ...(o.logFile ? { log: { file: o.logFile } } : {}),
          steps: [
            { t: 'sync' as const },
            seedConflict,
            { t: 'sync' as const },
            ...h.steps,
            { t: 'sync' as const },
            { t: 'logApply' as const, entry: 'all' as const, how },
          ],
        }));
    }
    case 'big':
      return fc
        .record({ h: historyArb({ ...o, extra: [{ weight: 4, arbitrary: bulkStep as fc.Arbitrary<Step> }] }), seed: fc.nat() })
        .map(({ h, seed }) => ({ ...h, kind: 'big' as const, big: { ...(o.big ?? BIG), seed } }));
  }
}
