/**
 * The tracking report: one self-contained HTML page (styles inline, charts as inline SVG, no
 * script, and a Content-Security-Policy that forbids every request), readable on a desktop, a
 * phone and on paper. Pure: data in, a string out.
 *
 * Why SVG written here and not a charting library: the four charts are a grid of squares,
 * polylines and bars; drawn at generation time they need no script in the page (the policy can
 * then forbid scripts and requests outright), print exactly as shown, and draw at once. Chart.js
 * 4.5.1, the usual choice, is 208 KB of minified script (chart.umd.min.js) to inline into every
 * page before any data; this whole page for 3 years, 10,000 tasks and 80 projects is ≈360 KB
 * (`npm run bench -- report`), most of it the heat map's 1,100 squares with their titles.
 */
import { addDays, compareDays, isoDay, weekday, type Day } from '../day.js';
import type { DayFigures } from './progress.js';

export interface ReportData {
  title: string;
  from: Day;
  to: Day;
  /** Completions per day (YYYY-MM-DD). */
  completions: ReadonlyMap<string, number>;
  habits: { description: string; streak: number; best: number; strength: number; series: readonly number[] }[];
  /** Per project, for each day from `from`: tasks done by then, and tasks there were by then. */
  /** `goal`: the heading's `+goal` (a count draws a line at it; a date is said in the caption). */
  projects: { project: string; done: readonly number[]; total: readonly number[]; goal?: { count: number } | { date: string } }[];
  days: readonly DayFigures[];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (x: number) => (Math.round(x * 10) / 10).toString();

export function renderReport(d: ReportData): string {
  const body = [
    `<h1>${esc(d.title)}</h1>`,
    `<p class="range">${isoDay(d.from)} – ${isoDay(d.to)}</p>`,
    section('Completions', heatmap(d)),
    section('Habit strength', d.habits.length === 0 ? '<p>No habits (a habit is a recurring task).</p>' : d.habits.map(habitChart).join('')),
    section('Projects', d.projects.length === 0 ? '<p>No projects.</p>' : d.projects.map(burnup).join('')),
    section('Planned and done', plannedDone(d.days)),
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(d.title)}</title>
<style>${CSS}</style></head>
<body>
${body}
</body></html>
`;
}

const CSS = `body{font:15px/1.4 system-ui,sans-serif;margin:1.5rem auto;max-width:60rem;padding:0 1rem;color:#222}
h1{font-size:1.5rem;margin:0}h2{font-size:1.15rem;margin:1.6rem 0 .5rem}.range{color:#666;margin:.2rem 0 1rem}
svg{width:100%;height:auto;display:block}svg.natural{width:auto;max-width:100%}figure{margin:0 0 1rem}figcaption{font-size:.9rem;margin-bottom:.2rem}
.l0{fill:#ebedf0}.l1{fill:#c6e48b}.l2{fill:#7bc96f}.l3{fill:#239a3b}.l4{fill:#196127}
.line{fill:none;stroke:#2b6cb0;stroke-width:2}.total{fill:none;stroke:#999;stroke-width:1.5;stroke-dasharray:4 3}
.done{fill:none;stroke:#239a3b;stroke-width:2}.bp{fill:#bcd}.bd{fill:#239a3b}.axis{stroke:#ccc}.goal{stroke:#d97706;stroke-width:1.5;stroke-dasharray:6 3}
text{font-size:10px;fill:#555}@media print{body{margin:0;max-width:none}section{break-inside:avoid}}`;

function section(title: string, inner: string): string {
  return `<section><h2>${esc(title)}</h2>${inner}</section>`;
}

/** Weeks as columns (Monday on top), one square per day, five shades by count. */
function heatmap(d: ReportData): string {
  const start = addDays(d.from, -weekday(d.from));
  const cells: string[] = [];
  let max = 0;
  for (const v of d.completions.values()) max = Math.max(max, v);
  let col = 0;
  for (let day = start; compareDays(day, d.to) <= 0; day = addDays(day, 1)) {
    const row = weekday(day);
    if (row === 0 && compareDays(day, start) > 0) col++;
    if (compareDays(day, d.from) < 0) continue;
    const n = d.completions.get(isoDay(day)) ?? 0;
    const level = n === 0 ? 0 : Math.min(4, 1 + Math.floor((3 * (n - 1)) / Math.max(1, max - 1)));
    cells.push(
      `<rect class="l${level}" x="${col * 13}" y="${row * 13}" width="11" height="11" data-date="${isoDay(day)}" data-value="${n}"><title>${isoDay(day)}: ${n}</title></rect>`,
    );
  }
  const w = (col + 1) * 13;
  // At its own size (a few weeks must not grow into giant squares), narrower on a small screen.
  return `<figure data-chart="heatmap"><svg class="natural" width="${w * 1.5}" height="${7 * 13 * 1.5}" viewBox="0 0 ${w} ${7 * 13}" role="img" aria-label="Completions per day">${cells.join('')}</svg></figure>`;
}

function polyline(values: readonly number[], w: number, h: number, top: number, cls: string, max: number): string {
  if (values.length === 0) return '';
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  const pts = values.map((v, i) => `${num(i * step)},${num(h - (max > 0 ? (v / max) * h : 0))}`).join(' ');
  return `<polyline class="${cls}" points="${pts}" data-points="${values.length}" data-top="${top}"/>`;
}

function habitChart(h: ReportData['habits'][number]): string {
  const w = 600;
  const hgt = 60;
  const caption = `${esc(h.description)}: strength ${Math.round(h.strength * 100)}%, streak ${h.streak} (best ${h.best})`;
  return `<figure data-chart="habit"><figcaption>${caption}</figcaption><svg viewBox="0 0 ${w} ${hgt}" role="img" aria-label="${esc(h.description)}"><line class="axis" x1="0" y1="${hgt}" x2="${w}" y2="${hgt}"/>${polyline(h.series, w, hgt, 1, 'line', 1)}</svg></figure>`;
}

function burnup(p: ReportData['projects'][number]): string {
  const w = 600;
  const hgt = 80;
  const count = p.goal && 'count' in p.goal ? p.goal.count : null;
  const max = Math.max(1, count ?? 0, ...p.total);
  const last = (xs: readonly number[]) => xs[xs.length - 1] ?? 0;
  const goal = p.goal ? ` — goal: ${'count' in p.goal ? `${p.goal.count} done` : `all done by ${esc(p.goal.date)}`}` : '';
  const y = count === null ? 0 : hgt - (count / max) * hgt;
  const line = count === null ? '' : `<line class="goal" data-goal="${count}" x1="0" y1="${y.toFixed(1)}" x2="${w}" y2="${y.toFixed(1)}"/>`;
  return `<figure data-chart="burnup"><figcaption>${esc(p.project)}: ${last(p.done)} of ${last(p.total)} done${goal}</figcaption><svg viewBox="0 0 ${w} ${hgt}" role="img" aria-label="${esc(p.project)}"><line class="axis" x1="0" y1="${hgt}" x2="${w}" y2="${hgt}"/>${line}${polyline(p.total, w, hgt, max, 'total', max)}${polyline(p.done, w, hgt, max, 'done', max)}</svg></figure>`;
}

function plannedDone(days: readonly DayFigures[]): string {
  const recent = days.slice(-31);
  const max = Math.max(1, ...recent.map((x) => Math.max(x.planned, x.done)));
  const bw = 18;
  const hgt = 100;
  const bars = recent
    .map((x, i) => {
      const ph = (x.planned / max) * hgt;
      const dh = (x.done / max) * hgt;
      return `<g data-date="${x.date}" data-planned="${x.planned}" data-done="${x.done}"><rect class="bp" x="${i * bw}" y="${num(hgt - ph)}" width="8" height="${num(ph)}"/><rect class="bd" x="${i * bw + 8}" y="${num(hgt - dh)}" width="8" height="${num(dh)}"/><title>${x.date}: ${x.planned} planned, ${x.done} done</title></g>`;
    })
    .join('');
  return `<figure data-chart="planned"><figcaption>Planned (light) and done (dark), last ${recent.length} days</figcaption><svg viewBox="0 0 ${Math.max(1, recent.length) * bw} ${hgt + 2}" role="img" aria-label="Planned and done per day">${bars}</svg></figure>`;
}
