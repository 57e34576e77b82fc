/**
 * Issue 12, case 7: Taskwarrior descriptions a norg line cannot hold as they are (a newline,
 * CRLF, a literal id comment, leading/trailing spaces). Whatever the note shows, Taskwarrior's
 * description changes only when the user changes the text in the note: ticking the line, or
 * any sync, must not import the altered text back.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lines, settle, setup, short } from './util.js';

const HOSTILE = ['first line\nsecond line', 'crlf one\r\ncrlf two', 'pay %#deadbeef% invoice', '  padded both  ', 'trailing tab\t', 'ends with %#0123abcd%'];

function prepare() {
  const env = setup({ 'a.norg': ['* Work', '  - ( ) Plain task', ''].join('\n') });
  const uuids: string[] = HOSTILE.map(() => randomUUID());
  env.importJson(HOSTILE.map((d, i) => ({ uuid: uuids[i], description: d, status: 'pending', project: 'Work', entry: '20260101T000000Z' })));
  // What Taskwarrior holds is the value to keep (whatever `task import` itself made of it).
  const kept = new Map(uuids.map((u) => [u, env.byUuid(u)!.description]));
  return { env, uuids, kept };
}

describe('case 7: descriptions a line cannot hold exactly', () => {
  it('reach the note once each, as one line with the right id; ticking them changes only the status', async () => {
    const { env, uuids, kept } = prepare();
    // The values really are the awkward ones (the test would prove nothing otherwise).
    expect([...kept.values()].filter((d) => /[\r\n]|^\s|\s$|%#/.test(d))).toHaveLength(HOSTILE.length);
    const r = await env.run();
    expect(r.code).toBe(0);
    for (const u of uuids) expect(env.byUuid(u)!.description).toBe(kept.get(u));
    const ls = lines(env.ws);
    // One line per task, each with its own id: a `%#…%` in the text is not taken for one.
    expect(ls).toHaveLength(HOSTILE.length + 1);
    for (const u of uuids)
      expect(
        ls.filter((l) => l.id === short(u)),
        kept.get(u),
      ).toHaveLength(1);
    // The note still parses as one task per line: nothing a description held broke the list.
    expect(
      env
        .read('a.norg')
        .split('\n')
        .filter((l) => /^\s*- \(/.test(l)),
    ).toHaveLength(HOSTILE.length + 1);

    // The user ticks every line.
    env.write('a.norg', env.read('a.norg').replace(/- \( \)/g, '- (x)'));
    // --force: completing every task at once trips the bulk guard, which is not the point here.
    const tick = await env.run({ force: true });
    expect(tick.code).toBe(0);
    for (const u of uuids) {
      const t = env.byUuid(u)!;
      expect([t.status, t.description], kept.get(u)).toEqual(['completed', kept.get(u)]);
    }
    // The description was never overwritten, so the log has no description entry for them.
    const log = await env.log();
    expect(log.filter((e) => uuids.includes(e.uuid) && e.side === 'taskwarrior' && 'description' in e.fields)).toEqual([]);
    await settle(env, [], { descriptionMayDiffer: new Set(uuids) });
    for (const u of uuids) expect(env.byUuid(u)!.description).toBe(kept.get(u));
  });

  it('a line shown altered that the note writes back as it read it stays as Taskwarrior has it through one-note syncs', async () => {
    const { env, uuids, kept } = prepare();
    expect((await env.run()).code).toBe(0);
    // The editor's open and write of the note, twice, with an unrelated edit in between.
    for (let i = 0; i < 2; i++) {
      expect((await env.run({ files: ['a.norg'], direction: 'pull' })).code).toBe(0);
      env.edit('a.norg', i === 0 ? '( ) Plain task' : '(-) Plain task', i === 0 ? '(-) Plain task' : '( ) Plain task');
      expect((await env.run({ files: ['a.norg'], direction: 'push' })).code).toBe(0);
    }
    for (const u of uuids) expect(env.byUuid(u)!.description).toBe(kept.get(u));
    await settle(env, ['Plain task', ...kept.values()], { descriptionMayDiffer: new Set(uuids) });
  });

  it("a real edit of such a line's text reaches Taskwarrior exactly as typed", async () => {
    const { env, uuids } = prepare();
    expect((await env.run()).code).toBe(0);
    const padded = uuids[HOSTILE.indexOf('  padded both  ')];
    const nl = uuids[HOSTILE.indexOf('first line\nsecond line')];
    const text = env.read('a.norg');
    const fix = (u: string, to: string) => {
      const line = text.split('\n').find((l) => l.includes(`%#${short(u)}%`))!;
      env.edit('a.norg', line, line.replace(/(- \( \) ).*( %#[0-9a-f]+%)$/, `$1${to}$2`));
    };
    fix(padded, 'padded no more');
    fix(nl, 'one line now');
    expect((await env.run()).code).toBe(0);
    expect(env.byUuid(padded)!.description).toBe('padded no more');
    expect(env.byUuid(nl)!.description).toBe('one line now');
    const others = uuids.filter((u) => u !== padded && u !== nl);
    await settle(env, ['Plain task', 'padded no more', 'one line now', ...others.map((u) => env.byUuid(u)!.description)], {
      descriptionMayDiffer: new Set(others),
    });
  });
});
