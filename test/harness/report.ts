/**
 * DIR/index.html: one self-contained page (inline CSS and JS, no request leaves it). Rendered
 * as static HTML, so the counts are in the DOM without scripts; `<details>` expand a run.
 * Per run: pass/fail, kind (normal, undo-replay, log-replay, big), duration, seed, history
 * length, fault; a failure's minimal history, the
 * two sides, what did not hold and the activity log; conflicts with both versions; a per-task
 * timeline replayed from the activity log.
 */
import { writeFileSync } from 'node:fs';
import type { LogEntry } from '../../sync/index.js';
import type { Summary } from './main.js';
import { RUN_KINDS as KINDS } from './history.js';
import type { RunResult } from './run.js';

const esc = (s: unknown) =>
  String(typeof s === 'string' ? s : JSON.stringify(s))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
tr.fail>td:first-child{border-left:4px solid #c33}tr.pass>td:first-child{border-left:4px solid #3a3}
.fail .status{color:#c33;font-weight:bold}.pass .status{color:#3a3}
pre{background:#f6f6f6;padding:6px;overflow:auto;max-height:30em;font-size:12px}
.counts span{margin-right:1.5em;font-weight:bold}.kinds span{margin-right:1.5em}td.kind{font-family:monospace}
details{margin:2px 0}summary{cursor:pointer}
.timeline li{margin:1px 0}.lost{color:#a00}.kept{color:#070}
#filter{margin:.5em 0}`;

const JS = `
document.getElementById('filter').addEventListener('change',function(e){
  var v=e.target.value;document.querySelectorAll('tr.run').forEach(function(r){
    r.style.display=(v==='all'||r.classList.contains(v)||v==='kind-'+r.dataset.kind)?'':'none';var d=r.nextElementSibling;
    if(d&&d.classList.contains('detail'))d.style.display=r.style.display;});});`;

function timeline(log: LogEntry[]): string {
  const by = new Map<string, LogEntry[]>();
  for (const e of log) by.set(e.uuid, [...(by.get(e.uuid) ?? []), e]);
  if (by.size === 0) return '<p>No activity log entries.</p>';
  return [...by.entries()]
    .map(([u, es]) => {
      const items = es
        .sort((a, b) => a.time.localeCompare(b.time))
        .map(
          (e) =>
            `<li>${esc(e.time)} <b>${esc(e.action)}</b> (${esc(e.side)} side${e.file ? `, ${esc(e.file)}` : ''}${e.note ? `, ${esc(e.note)}` : ''}): ${Object.entries(
              e.fields,
            )
              .map(([f, v]) => `${esc(f)} <span class="lost">${esc(v?.lost)}</span> → <span class="kept">${esc(v?.kept)}</span>`)
              .join('; ')} <details><summary>whole version</summary><pre>${esc(JSON.stringify(e.version, null, 1))}</pre></details></li>`,
        )
        .join('');
      return `<details class="task-timeline" data-uuid="${esc(u)}"><summary>task ${esc(es[0].id)} (${esc(u)}): ${es.length} entries</summary><ol class="timeline">${items}</ol></details>`;
    })
    .join('');
}

function conflicts(r: RunResult): string {
  if (r.conflicts.length === 0) return '';
  return `<details class="conflicts"><summary>${r.conflicts.length} conflicts</summary><table><tr><th>step</th><th>task</th><th>field</th><th>note</th><th>Taskwarrior</th><th>winner</th></tr>${r.conflicts
    .map(
      (c) =>
        `<tr class="conflict"><td>${c.step}</td><td>${esc(c.id)}</td><td>${esc(c.field)}</td><td>${esc(c.note)}</td><td>${esc(c.taskwarrior)}</td><td>${esc(c.winner)}</td></tr>`,
    )
    .join('')}</table></details>`;
}

function failure(r: RunResult, s: Summary): string {
  const f = r.failure;
  if (!f && !r.error) return '';
  if (!f) return `<pre>${esc(r.error)}</pre>`;
  return `<details class="failure" open><summary>minimal history: ${f.minimalSteps} steps (from ${r.steps}, ${f.shrinks} shrinks; replay with <code>--seed ${r.seed} --runs 1 --kind ${esc(r.kind)} --steps ${s.maxSteps}</code>, path ${esc(r.path)})</summary>
<h4>What did not hold</h4><ul class="failures">${f.failures.map((x) => `<li class="failure-item"><b>${esc(x.kind)}</b> ${esc(x.message)}</li>`).join('')}</ul>
<h4>History</h4><pre class="history">${esc(`initial lines: ${JSON.stringify(f.history.initial)}\n`)}${f.records.map((x) => esc(`${x.i}. ${JSON.stringify(x.step)}  →  ${x.note}${x.report ? `  [code ${x.report.code}${x.report.error ? ` ${x.report.error}` : ''}, ${x.report.conflicts} conflicts, ${x.report.processes} processes]` : ''}`)).join('\n')}</pre>
<h4>The two sides</h4><table class="diff"><tr><th>task</th><th>note line</th><th>Taskwarrior</th></tr>${f.sides.map((s) => `<tr><td>${esc(s.task)}</td><td><code>${esc(s.note ?? '—')}</code></td><td><code>${esc(s.taskwarrior ? JSON.stringify(s.taskwarrior) : '—')}</code></td></tr>`).join('')}</table>
<h4>Notes</h4>${Object.entries(f.notes)
    .map(([n, t]) => `<details><summary>${esc(n)}</summary><pre>${esc(t)}</pre></details>`)
    .join('')}
<h4>Activity log</h4>${timeline(f.log)}<p>Kept: <code>${esc(f.workspace)}</code>, <code>${esc(f.taskdata)}</code></p></details>`;
}

export function renderReport(s: Summary): string {
  const rows = s.results
    .map(
      (
        r,
      ) => `<tr class="run ${r.ok ? 'pass' : 'fail'}" data-run="${r.run}" data-kind="${esc(r.kind)}" data-seed="${r.seed}" data-ok="${r.ok}" data-steps="${r.steps}" data-fault="${esc(r.fault)}" data-conflicts="${r.conflicts.length}">
<td>${r.run}</td><td class="status">${r.ok ? 'pass' : 'FAIL'}</td><td class="kind">${esc(r.kind)}</td><td>${(r.durationMs / 1000).toFixed(1)} s</td><td>${r.seed}</td><td>${r.steps}</td><td>${esc(r.fault)}</td><td>${r.conflicts.length}</td></tr>
<tr class="detail"><td></td><td colspan="7">${failure(r, s)}${conflicts(r)}<details class="trace"><summary>history (${r.trace.length} steps)</summary><pre>${esc(r.trace.join('\n'))}</pre></details>${r.log.length > 0 ? `<details class="timelines"><summary>per-task timeline (${r.log.length} log entries)</summary>${timeline(r.log)}</details>` : ''}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Planager sync harness: ${s.passed} passed, ${s.failed} failed</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<style>${CSS}</style></head><body>
<h1>Planager sync harness</h1>
<p class="counts"><span id="runs" data-n="${s.runs}">${s.runs} runs</span><span id="passed" data-n="${s.passed}">${s.passed} passed</span><span id="failed" data-n="${s.failed}">${s.failed} failed</span><span id="conflicts" data-n="${s.results.reduce((a, r) => a + r.conflicts.length, 0)}">${s.results.reduce((a, r) => a + r.conflicts.length, 0)} conflicts</span></p>
<p class="kinds">${KINDS.map((k) => {
    const rs = s.results.filter((r) => r.kind === k);
    return `<span id="kind-${k}" data-n="${rs.length}" data-failed="${rs.filter((r) => !r.ok).length}">${k}: ${rs.length} runs, ${rs.filter((r) => !r.ok).length} failed</span>`;
  }).join('')}</p>
<p>Seed ${s.seed}, up to ${s.maxSteps} steps per history, faults: ${esc(s.faults.join(', ') || 'none')}; started ${esc(s.startedAt)}, ${(s.durationMs / 1000).toFixed(1)} s in all.</p>
<label>Show <select id="filter"><option value="all">all runs</option><option value="fail">failed</option><option value="pass">passed</option>${KINDS.map((k) => `<option value="kind-${k}">${k}</option>`).join('')}</select></label>
<table id="results"><tr><th>run</th><th>result</th><th>kind</th><th>duration</th><th>seed</th><th>history</th><th>fault</th><th>conflicts</th></tr>
${rows}
</table>
<script>${JS}</script></body></html>`;
}

export function writeReport(path: string, s: Summary): void {
  writeFileSync(path, renderReport(s));
}
