/** Generated planning documents (norg) and Markdown documents of the same shape and size. */
const WORDS = [
  'plan',
  'review',
  'write',
  'the',
  'report',
  'call',
  'Anna',
  'about',
  'budget',
  'fix',
  'parser',
  'bug',
  'ship',
  'release',
  'notes',
  'for',
  'Q3',
  'check',
  'tests',
  'and',
  'docs',
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function sentence(r: () => number, n: number, markup: (w: string, r: () => number) => string): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(markup(WORDS[Math.floor(r() * WORDS.length)], r));
  return out.join(' ');
}

const STATUSES = [' ', 'x', '-', '=', '_', '!', '?'];

/** A norg planning document of about `bytes` characters with `tasks` tasks per heading. */
export function norgPlan(bytes: number, seed = 1): string {
  const r = rng(seed);
  const mk = (w: string, rr: () => number) => (rr() < 0.05 ? `*${w}*` : rr() < 0.05 ? `/${w}/` : rr() < 0.03 ? `{* ${w}}` : w);
  const parts: string[] = ['@document.meta\ntitle: Plan\ndescription: generated\n@end\n\n'];
  let size = parts[0].length;
  let h = 0;
  while (size < bytes) {
    h++;
    const chunk: string[] = [`* Project ${h}`, `  ${sentence(r, 12, mk)}`, '', `** Tasks`];
    for (let i = 0; i < 8; i++) {
      const st = STATUSES[Math.floor(r() * STATUSES.length)];
      const ext = r() < 0.3 ? `(${st}|# ${'ABC'[Math.floor(r() * 3)]}|< Fri 27th Nov)` : `(${st})`;
      chunk.push(
        `   ${'-'.repeat(1 + (i % 3))} ${ext} ${sentence(r, 6, mk)} %#${Math.floor(r() * 0xffffffff)
          .toString(16)
          .padStart(8, '0')}%`,
      );
    }
    chunk.push('', `   ${sentence(r, 20, mk)}`, `   ${sentence(r, 15, mk)}`, '', '');
    const s = chunk.join('\n');
    parts.push(s);
    size += s.length;
  }
  return parts.join('').slice(0, bytes);
}

/** A Markdown document of the same shape (headings, task lists, paragraphs, emphasis, links). */
export function markdownPlan(bytes: number, seed = 1): string {
  const r = rng(seed);
  const mk = (w: string, rr: () => number) => (rr() < 0.05 ? `**${w}**` : rr() < 0.05 ? `*${w}*` : rr() < 0.03 ? `[${w}](#${w})` : w);
  const parts: string[] = ['---\ntitle: Plan\ndescription: generated\n---\n\n'];
  let size = parts[0].length;
  let h = 0;
  while (size < bytes) {
    h++;
    const chunk: string[] = [`# Project ${h}`, '', sentence(r, 12, mk), '', `## Tasks`, ''];
    for (let i = 0; i < 8; i++) {
      const done = r() < 0.3 ? 'x' : ' ';
      chunk.push(`${'  '.repeat(i % 3)}- [${done}] ${sentence(r, 6, mk)} <!-- ${Math.floor(r() * 0xffffffff).toString(16)} -->`);
    }
    chunk.push('', sentence(r, 20, mk), sentence(r, 15, mk), '', '');
    const s = chunk.join('\n');
    parts.push(s);
    size += s.length;
  }
  return parts.join('').slice(0, bytes);
}

/** A norg document of exactly `lines` lines. */
export function norgLines(lines: number, seed = 2): string {
  const doc = norgPlan(lines * 80, seed).split('\n');
  while (doc.length < lines) doc.push(...norgPlan(lines * 40, seed + doc.length).split('\n'));
  return doc.slice(0, lines).join('\n') + '\n';
}
