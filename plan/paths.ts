/**
 * Where each plan note lives, relative to the workspace.
 *
 * The daily default is Neorg's core.journal layout, so that `:Neorg journal today` and
 * `planager plan daily` open the same file. Checked in nvim-neorg/neorg,
 * lua/neorg/modules/core/journal/module.lua (commit 0e88151): `journal_folder = "journal"`,
 * `strategy = "nested"` which it expands to `"%Y" .. pathsep .. "%m" .. pathsep .. "%d.norg"`
 * (`"flat"` is `"%Y-%m-%d.norg"`), and `template_name = "template.norg"`, read from the journal
 * folder for a new entry. Weekly, monthly and review notes go in the year folder: its table of
 * contents (`:Neorg journal toc`) reads only month folders there, and at the top of the folder
 * only names with two dashes (`%d+-%d+-%d+%.norg`), so `2026-W49.norg` or `2026-12.norg` are
 * never taken for days.
 *
 * A pattern is a path with `{year}` `{month}` `{day}` `{weekyear}` `{week}` (two digits).
 */
import { pad, type PlanError } from './day.js';
import { KINDS, previousPeriod, type Kind, type Period } from './period.js';

export type PathPatterns = Record<Kind, string>;

export const DEFAULT_PATHS: PathPatterns = {
  daily: 'journal/{year}/{month}/{day}.norg',
  weekly: 'journal/{weekyear}/{weekyear}-W{week}.norg',
  monthly: 'journal/{year}/{year}-{month}.norg',
  review: 'journal/{weekyear}/{weekyear}-W{week}-review.norg',
};

/** Neorg's `strategy = "flat"`, for a journal kept that way. */
export const FLAT_PATHS: PathPatterns = {
  daily: 'journal/{year}-{month}-{day}.norg',
  weekly: 'journal/{weekyear}-W{week}.norg',
  monthly: 'journal/{year}-{month}.norg',
  review: 'journal/{weekyear}-W{week}-review.norg',
};

const TOKEN = /\{(year|month|day|weekyear|week)\}/g;

export function checkPattern(kind: Kind, pattern: string): PlanError | null {
  const rest = pattern.replace(TOKEN, '');
  if (!pattern.endsWith('.norg')) return { code: 'bad-option', message: `the ${kind} path "${pattern}" must end in .norg` };
  if (/[{}]/.test(rest))
    return { code: 'bad-option', message: `the ${kind} path "${pattern}" has an unknown {placeholder} (known: year, month, day, weekyear, week)` };
  if (pattern.startsWith('/') || pattern.split('/').includes('..'))
    return { code: 'bad-option', message: `the ${kind} path "${pattern}" must stay inside the workspace` };
  return null;
}

export function pathOf(p: Period, patterns: PathPatterns = DEFAULT_PATHS): string {
  const v: Record<string, string> = { year: String(p.start.y), month: pad(p.start.m), day: pad(p.start.d), weekyear: String(p.weekYear), week: pad(p.week) };
  return patterns[p.kind].replace(TOKEN, (_m, k: string) => v[k]);
}

/**
 * The note of the latest earlier period of the same kind that exists (`exists` answers from a
 * list the caller read), looking back `limit` periods: Monday's plan carries over Friday's.
 */
export function previousNote(p: Period, exists: (path: string) => boolean, patterns: PathPatterns = DEFAULT_PATHS, weekStart = 0, limit = 62): string | null {
  let q = p;
  for (let i = 0; i < limit; i++) {
    q = previousPeriod(q, weekStart);
    const path = pathOf(q, patterns);
    if (exists(path)) return path;
  }
  return null;
}

/** Every kind's pattern, checked; a bad one is an error value. */
export function patternsWith(over: Partial<PathPatterns>): PathPatterns | PlanError {
  const out = { ...DEFAULT_PATHS, ...over };
  for (const k of KINDS) {
    const e = checkPattern(k, out[k]);
    if (e) return e;
  }
  return out;
}

/** Whether a workspace path is a plan note of any kind (plan notes are not project notes). */
export function isPlanPath(path: string, patterns: PathPatterns = DEFAULT_PATHS): boolean {
  return KINDS.some((k) => patternOf(patterns[k]).test(path));
}

/** Made once per pattern: a plan asks this of every note, twice (10 ms at 100 notes). */
const compiled = new Map<string, RegExp>();

function patternOf(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    const src = pattern
      .split(TOKEN)
      .map((part, i) => (i % 2 === 1 ? '\\d+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${src}$`);
    compiled.set(pattern, re);
  }
  return re;
}
