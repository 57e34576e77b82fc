import fc from 'fast-check';

/** Lines that exercise every block rule, mixed with arbitrary text. */
export const FRAGMENTS = [
  '* Heading',
  '** ( ) Heading task',
  '******* deep',
  '- ( ) task',
  '-- (x|# A) done child %#1a2b3c4d%',
  '--- (-|< Fri 27th Nov) due',
  '~ (= ) not ext',
  '~~ (?|@ Tue 5th Feb 2024 10:00 CET) uncertain',
  '- (+ Mon) recur',
  '- (optional) text',
  '- (< Tue 5th',
  '  Feb) spans',
  '--- ',
  '---',
  '===',
  '___',
  '--',
  '> quote',
  '>> - ( ) quoted',
  '$ term',
  '$$ multi',
  '$$',
  '^ foot',
  '^^ multi foot',
  '^^',
  '@code lua',
  '@end',
  '@document.meta',
  'title: x',
  '|example',
  '|comment',
  '|end',
  '#strong p',
  '+weak p',
  '.infirm a b',
  '- ::',
  '  indented text',
  '',
  '   ',
  '\t',
  '*bold* /it/ `v` %c% {* link}[d] [a]{# b} <t> \\* x:*y*:z',
  '*|free|* ,|sub|,',
  '(((',
  ')))',
  '{',
  '[',
  'é 日本 😀',
];

const lineEnding = fc.constantFrom('\n', '\r\n', '\r');

export const norgText: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS) },
        { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
        { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('*', '-', '(', ')', '|', '@', '\\', '%', ' ', 'x', '\n', '\r', ':', '{', '}', '[', ']', '<', '>', '~', '#', '+', '$', '^', '`', '/'), maxLength: 16 }) },
      ),
      lineEnding,
    ),
    { maxLength: 30 },
  )
  .chain((parts) => fc.boolean().map((final) => parts.map(([l, e], i) => l + (i < parts.length - 1 || final ? e : '')).join('')));
