/**
 * Issue 12, case 6: a dependency set in Taskwarrior that no subtask or link of the note
 * expresses must survive every later edit of the line; dependencies the note does express
 * (subtasks, links) are merged with Taskwarrior's, not swapped for them.
 */
import { describe, expect, it } from 'vitest';
import { settle, setup } from './util.js';

const A = ['* Work', '  - ( ) Ship release', '  -- ( ) Write changelog', '  - ( ) Get sign-off', '  - ( ) Book venue', ''].join('\n');
const dep = (t: { depends?: unknown }) => (Array.isArray(t.depends) ? [...t.depends] : t.depends ? String(t.depends).split(',') : []).sort();

describe('case 6: `depends` set in Taskwarrior', () => {
  it('survives an edit of the dependent line, merged with the subtask the note expresses', async () => {
    const env = setup({ 'a.norg': A });
    expect((await env.run()).code).toBe(0);
    const ship = env.tw('Ship release').uuid;
    const log = env.tw('Write changelog').uuid;
    const sign = env.tw('Get sign-off').uuid;
    expect(dep(env.tw('Ship release'))).toEqual([log]);
    env.sb.task(ship, 'modify', `depends:${sign}`);
    expect(dep(env.byUuid(ship)!)).toEqual([log, sign].sort());

    // A sync that only reads the change must keep it.
    expect((await env.run()).code).toBe(0);
    expect(dep(env.byUuid(ship)!)).toEqual([log, sign].sort());

    // The user edits the line (text, then status via a priority): still both dependencies.
    env.edit('a.norg', '( ) Ship release', '( |# A) Ship the release');
    expect((await env.run()).code).toBe(0);
    let t = env.byUuid(ship)!;
    expect([t.description, t.priority]).toEqual(['Ship the release', 'H']);
    expect(dep(t)).toEqual([log, sign].sort());
    env.edit('a.norg', '( |# A) Ship the release', '(-|# A) Ship the release');
    expect((await env.run({ files: ['a.norg'], direction: 'push' })).code).toBe(0);
    t = env.byUuid(ship)!;
    expect(t.start).toBeTruthy();
    expect(dep(t)).toEqual([log, sign].sort());

    // Editing the target line does not drop the dependency either.
    env.edit('a.norg', '( ) Get sign-off', '( ) Get the sign-off');
    expect((await env.run()).code).toBe(0);
    expect(dep(env.byUuid(ship)!)).toEqual([log, sign].sort());
    await settle(env, ['Ship the release', 'Write changelog', 'Get the sign-off', 'Book venue']);
    expect(dep(env.byUuid(ship)!)).toEqual([log, sign].sort());
  });

  it("a subtask the note removes drops only its own dependency; Taskwarrior's stays", async () => {
    const env = setup({ 'a.norg': A });
    expect((await env.run()).code).toBe(0);
    const ship = env.tw('Ship release').uuid;
    const log = env.tw('Write changelog').uuid;
    const venue = env.tw('Book venue').uuid;
    env.sb.task(ship, 'modify', `depends:${venue}`);
    expect((await env.run()).code).toBe(0);
    // The user un-nests the subtask: the note no longer expresses that dependency.
    env.edit('a.norg', '  -- ( ) Write changelog', '  - ( ) Write changelog');
    expect((await env.run()).code).toBe(0);
    expect(dep(env.byUuid(ship)!)).toEqual([venue]);
    expect(env.byUuid(log)!.status).toBe('pending');
    await settle(env, ['Ship release', 'Write changelog', 'Get sign-off', 'Book venue']);
    expect(dep(env.byUuid(ship)!)).toEqual([venue]);
  });

  it('a dependency added in Taskwarrior on a task whose line also gains a link keeps both', async () => {
    const env = setup({ 'a.norg': A, 'b.norg': ['* Venue', '  - ( ) Sign lease', ''].join('\n') });
    expect((await env.run()).code).toBe(0);
    const venue = env.tw('Book venue').uuid;
    const sign = env.tw('Get sign-off').uuid;
    const lease = env.tw('Sign lease').uuid;
    env.sb.task(venue, 'modify', `depends:${sign}`);
    // The same line, in the note, gains a link to b.norg's heading.
    env.edit('a.norg', /\( \) Book venue/, '( ) Book venue {:b:* Venue}');
    expect((await env.run()).code).toBe(0);
    expect(dep(env.byUuid(venue)!)).toEqual([lease, sign].sort());
    await settle(env, ['Ship release', 'Write changelog', 'Get sign-off', 'Book venue {:b:* Venue}', 'Sign lease']);
    expect(dep(env.byUuid(venue)!)).toEqual([lease, sign].sort());
  });
});
