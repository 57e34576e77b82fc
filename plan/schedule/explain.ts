/** `planager schedule --explain`: why each block is where it is, and what did not fit and why. */
import { showDuration, showSpan } from './time.js';
import type { Placement, ScheduleInput } from './types.js';

export function explain(day: string, input: ScheduleInput, p: Placement, warnings: readonly string[]): string {
  const f = input.frame;
  const out: string[] = [];
  const breaks = f.breaks.length ? `, breaks ${f.breaks.map(showSpan).join(' ')}` : ', no breaks';
  out.push(`Schedule for ${day}: working hours ${showSpan(f.hours)}${breaks}, default estimate ${showDuration(f.defaultEstimate)}`);
  out.push(`${input.candidates.length} candidate task(s), ${input.fixed.length} fixed event(s), ${input.pinned.length} pinned block(s)`);
  out.push('');
  for (const b of p.blocks) out.push(`${showSpan(b)}  ${b.description}${b.description ? ' — ' : ''}${b.why.join('; ')}`);
  if (p.blocks.length === 0) out.push('(no blocks)');
  if (p.unplaced.length > 0) {
    out.push('', 'Did not fit:');
    for (const u of p.unplaced) out.push(`  ${u.description} — ${u.reason}`);
  }
  if (warnings.length > 0) out.push('', ...warnings.map((w) => `warning: ${w}`));
  return out.join('\n') + '\n';
}
