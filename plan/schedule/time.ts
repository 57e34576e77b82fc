/**
 * Times of day and durations as whole minutes: a schedule is made of minutes since local
 * midnight (0–1440), so comparisons are integer ones and the same text gives the same blocks.
 */
export interface Span {
  /** Minutes since midnight, start included, end excluded. */
  start: number;
  end: number;
}

const CLOCK = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** `HH:MM` (00:00–24:00) → minutes, or null. */
export function parseClock(s: string): number | null {
  const m = CLOCK.exec(s);
  if (!m) return null;
  const v = Number(m[1]) * 60 + Number(m[2]);
  return v <= 1440 ? v : null;
}

/** `HH:MM-HH:MM` with the end after the start → a span, or null. */
export function parseSpan(s: string): Span | null {
  const m = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(s.trim());
  if (!m) return null;
  const start = parseClock(m[1]);
  const end = parseClock(m[2]);
  return start !== null && end !== null && end > start ? { start, end } : null;
}

export function clock(min: number): string {
  return `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

export function showSpan(s: Span): string {
  return `${clock(s.start)}-${clock(s.end)}`;
}

/** `1h30`, `45m`, `2h` — how long a task takes, as a person writes it. */
export function showDuration(min: number): string {
  const h = Math.floor(min / 60);
  const m = min % 60;
  return h === 0 ? `${m}m` : m === 0 ? `${h}h` : `${h}h${String(m).padStart(2, '0')}`;
}

/**
 * A duration → minutes (rounded up), or null: `1h30`, `1h30m`, `90m`, `90min`, `2h`, `1.5h`,
 * and Taskwarrior's forms for a duration UDA (`PT1H30M`, `P1DT2H`, plain seconds `5400`).
 */
export function parseDuration(s: string): number | null {
  const t = s.trim().toLowerCase();
  let m = /^(\d+(?:\.\d+)?)h(?:(\d+)(?:m|min)?)?$/.exec(t);
  if (m) return Math.ceil(Number(m[1]) * 60 + (m[2] ? Number(m[2]) : 0));
  m = /^(\d+)(?:m|min)$/.exec(t);
  if (m) return Number(m[1]);
  m = /^p(?:(\d+)d)?(?:t(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?)?$/.exec(t);
  if (m && t !== 'p' && t !== 'pt') return Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) + Math.ceil(Number(m[4] ?? 0) / 60);
  m = /^(\d+)s?$/.exec(t);
  if (m) return Math.ceil(Number(m[1]) / 60);
  return null;
}

export const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;
