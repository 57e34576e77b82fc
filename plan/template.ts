/**
 * Plan note templates: logic-less Mustache (placeholders and sections from data, never code),
 * one per kind. The built-in ones are in templates/ (TypeScript strings, so that every way the
 * code runs, bundled, vitest or tsx, loads them alike); a workspace's own `daily.norg`,
 * `weekly.norg`, `monthly.norg`, `review.norg` (in `.planager/templates/` by default) replace them. `{{overdue}}` and the other section names
 * expand to the empty generated section, which the refresh fills; a template without one
 * simply has no such section.
 */
import Mustache from 'mustache';
import { daily } from './templates/daily.js';
import { monthly } from './templates/monthly.js';
import { review } from './templates/review.js';
import { weekly } from './templates/weekly.js';
import { addDays, isoDay, pad, type PlanError } from './day.js';
import type { Kind, Period } from './period.js';
import { emptySection, SECTIONS } from './sections.js';

export const BUILTIN_TEMPLATES: Record<Kind, string> = { daily, weekly, monthly, review };

const WEEKDAY = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTH = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function ordinal(n: number): string {
  const t = n % 100;
  return `${n}${t >= 11 && t <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;
}

/** What a template can name: the period's parts and every section. */
export function templateView(p: Period, nl = '\n'): Record<string, string> {
  const s = p.start;
  const wd = WEEKDAY[(new Date(Date.UTC(s.y, s.m - 1, s.d)).getUTCDay() + 6) % 7];
  const titles: Record<Kind, string> = {
    daily: `${wd} ${ordinal(s.d)} ${MONTH[s.m - 1]} ${s.y}`,
    weekly: `Week ${p.week} of ${p.weekYear}`,
    monthly: `${MONTH[s.m - 1]} ${s.y}`,
    review: `Review of week ${p.week} of ${p.weekYear}`,
  };
  const view: Record<string, string> = {
    title: titles[p.kind],
    kind: p.kind,
    start: isoDay(s),
    last: isoDay(addDays(p.end, -1)),
    year: String(s.y),
    month: pad(s.m),
    day: pad(s.d),
    weekday: wd,
    monthname: MONTH[s.m - 1],
    week: pad(p.week),
    weekyear: String(p.weekYear),
  };
  for (const name of SECTIONS) view[name] = emptySection(name, nl);
  return view;
}

export function renderTemplate(source: string, p: Period, where = 'template'): string | PlanError {
  const nl = /\r\n/.test(source) ? '\r\n' : '\n';
  try {
    // Norg is not HTML: values go in as they are.
    return Mustache.render(source, templateView(p, nl), {}, { escape: (v: string) => v });
  } catch (e) {
    return { code: 'bad-template', message: `${where}: ${(e as Error).message}` };
  }
}
