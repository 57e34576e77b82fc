/**
 * The day's frame and a task's estimate, as written: the `|planager schedule` tag's parameters
 * (`09:00-17:00 break 12:30-13:15 estimate 45m`) and a task's `estimate` UDA or `estimate_1h30` tag.
 */
import type { PlanError } from '../day.js';
import type { PlanTask } from '../tasks.js';
import { parseDuration, parseSpan, showDuration, type Span } from './time.js';
import type { Frame } from './types.js';

/** The parameters a new schedule section is written with, and what a bare `|planager schedule` means. */
export const DEFAULT_PARAMS = '09:00-17:00 break 12:00-13:00 estimate 30m';

export function parseFrame(params: readonly string[], line: number): Frame | PlanError {
  const bad = (what: string): PlanError => ({ code: 'bad-schedule', message: `line ${line}: |planager schedule: ${what}` });
  const words = params.length === 0 ? DEFAULT_PARAMS.split(' ') : params;
  let hours: Span | null = null;
  const breaks: Span[] = [];
  let defaultEstimate = 30;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === 'break' || w === 'estimate') {
      const v = words[++i];
      if (v === undefined) return bad(`"${w}" needs a value (break 12:30-13:15, estimate 45m)`);
      if (w === 'break') {
        const s = parseSpan(v);
        if (!s) return bad(`break "${v}" is not HH:MM-HH:MM`);
        breaks.push(s);
      } else {
        const d = parseDuration(v);
        if (d === null || d <= 0) return bad(`estimate "${v}" is not a duration (45m, 1h30)`);
        defaultEstimate = d;
      }
    } else {
      const s = parseSpan(w);
      if (!s) return bad(`"${w}" is neither working hours (HH:MM-HH:MM) nor "break" or "estimate"`);
      if (hours) return bad(`two working hours (${words.join(' ')})`);
      hours = s;
    }
  }
  return { hours: hours ?? { start: 9 * 60, end: 17 * 60 }, breaks, defaultEstimate };
}

/** Minutes a task takes: its `estimate` UDA, else a tag `estimate_1h30`, else the day's default. */
export function estimateOf(t: PlanTask, fallback: number): { minutes: number | null; text: string } {
  if (t.estimate) {
    const m = parseDuration(t.estimate);
    return m === null
      ? { minutes: null, text: `its estimate UDA "${t.estimate}" is not a duration` }
      : { minutes: m, text: `${showDuration(m)} (estimate UDA)` };
  }
  const tag = (t.tags ?? []).find((x) => x.startsWith('estimate_'));
  if (tag) {
    const m = parseDuration(tag.slice('estimate_'.length));
    return m === null
      ? { minutes: null, text: `its tag +${tag} is not a duration (estimate_45m, estimate_1h30)` }
      : { minutes: m, text: `${showDuration(m)} (tag +${tag})` };
  }
  return { minutes: fallback, text: `${showDuration(fallback)} (default estimate)` };
}
