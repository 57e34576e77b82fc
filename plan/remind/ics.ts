/**
 * The day's schedule as an iCalendar file (RFC 5545) a phone's calendar can subscribe to: one
 * VEVENT per block, with a VALARM at its start, UIDs stable across exports (the block's task or
 * text and its day), so a re-export updates events instead of duplicating them. Times are UTC
 * (`…Z`): no VTIMEZONE to get wrong. Text is escaped (`\\`, `;`, `,`, line breaks) and lines are
 * folded at 75 octets, as the RFC says. Pure.
 *
 * Written by hand rather than with a generator library: it is forty lines of the RFC's two rules
 * (escape, fold) over four properties; the tests parse the output back with ical.js (a well-kept
 * parser) and check both rules byte for byte.
 */
import type { ScheduledBlock } from './index.js';

const utc = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');

export function escapeText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r?\n|\r/g, '\\n');
}

/** Fold a content line at 75 octets (UTF-8), continuation lines starting with a space. */
export function fold(line: string): string {
  const out: string[] = [];
  let cur = '';
  let bytes = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    const limit = out.length === 0 ? 75 : 74;
    if (bytes + n > limit) {
      out.push(cur);
      cur = '';
      bytes = 0;
    }
    cur += ch;
    bytes += n;
  }
  out.push(cur);
  return out.join('\r\n ');
}

export function scheduleIcs(blocks: readonly (ScheduledBlock & { uid: string })[], stamp: Date, alarmMinutes = 0): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Planager//schedule//EN', 'CALSCALE:GREGORIAN'];
  for (const b of blocks) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${b.uid}`,
      `DTSTAMP:${utc(stamp)}`,
      `DTSTART:${utc(b.start)}`,
      `DTEND:${utc(b.end)}`,
      `SUMMARY:${escapeText(b.text)}`,
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      `DESCRIPTION:${escapeText(b.text)}`,
      `TRIGGER:-PT${alarmMinutes}M`,
      'END:VALARM',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
