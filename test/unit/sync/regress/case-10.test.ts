/**
 * Case 10: how a sync writes a note the user set up in a particular way. A note that is a
 * symlink (dotfiles, a synced folder) must stay a link with its target written; a private
 * note (600) must not become world-readable; a note the user made read-only (444) is reported
 * and left byte for byte as it is, and what could not be written reaches it once it is
 * writable again. Runs as root in CI: the read-only check must not rely on EACCES.
 */
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linesOf, settle, setup } from './util.js';

const NOTE = ['@document.meta', 'project: home', '@end', '', '* Garden', '  - ( ) Paint the fence', '  - ( ) Rake the leaves', ''].join('\n');
const mode = (p: string) => statSync(p).mode & 0o777;
const ids = (text: string) => text.match(/%#[0-9a-f]{8}%/g) ?? [];

describe('case 10: symlinked, private and read-only notes', () => {
  it('a symlinked note stays a link; its target gets the ids and later Taskwarrior changes', async () => {
    const env = setup({});
    // Outside the workspace, so the target is not a second note holding the same ids.
    const target = join(mkdtempSync(join(tmpdir(), 'planager-target-')), 'real.norg');
    writeFileSync(target, NOTE);
    const link = join(env.ws, 'plan.norg');
    symlinkSync(target, link);

    const r1 = await env.run();
    expect(r1.code).toBe(0);
    expect(r1.taskwarrior.created).toHaveLength(2);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(ids(readFileSync(target, 'utf8'))).toHaveLength(2);

    const uuid = env.tw('Paint the fence').uuid;
    env.sb.task(uuid, 'modify', 'description:Paint the fence green');
    const r2 = await env.run();
    expect(r2.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toMatch(/- \( \) Paint the fence green %#[0-9a-f]{8}%/);

    // An edit made through the link goes to Taskwarrior like any other.
    env.edit('plan.norg', '- ( ) Rake the leaves', '- (x) Rake the leaves');
    expect((await env.run()).code).toBe(0);
    expect(env.tw('Rake the leaves').status).toBe('completed');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toContain('(x) Rake the leaves');
    // The write went through a temp file beside the target: none is left behind, there or here.
    expect(readdirSync(dirname(target)).filter((f) => f.includes('planager-tmp'))).toEqual([]);
    expect(readdirSync(env.ws).filter((f) => f.includes('planager-tmp'))).toEqual([]);
    await settle(env, ['Paint the fence green']);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('a 600 note keeps mode 600 through the first sync and a pulled change', async () => {
    const env = setup({ 'plan.norg': NOTE });
    const file = join(env.ws, 'plan.norg');
    chmodSync(file, 0o600);
    expect((await env.run()).code).toBe(0);
    expect(ids(env.read('plan.norg'))).toHaveLength(2);
    expect(mode(file)).toBe(0o600);

    env.sb.task(env.tw('Paint the fence').uuid, 'modify', 'description:Paint the fence green');
    expect((await env.run()).code).toBe(0);
    expect(linesOf(env.ws, 'Paint the fence green')).toHaveLength(1);
    expect(mode(file)).toBe(0o600);
    await settle(env, ['Paint the fence green', 'Rake the leaves']);
    expect(mode(file)).toBe(0o600);
  });

  it('a 444 note is reported and never overwritten; its changes arrive once it is writable, nothing lost', async () => {
    const env = setup({ 'plan.norg': NOTE });
    const file = join(env.ws, 'plan.norg');
    expect((await env.run()).code).toBe(0);
    const paint = env.tw('Paint the fence').uuid;
    const rake = env.tw('Rake the leaves').uuid;
    // The user edits one line, then locks the note; meanwhile Taskwarrior changes the other.
    env.edit('plan.norg', 'Rake the leaves', 'Rake all the leaves');
    chmodSync(file, 0o444);
    env.sb.task(paint, 'modify', 'description:Paint the fence green');
    const before = readFileSync(file, 'utf8');
    const mtime = statSync(file).mtimeMs;

    for (let i = 0; i < 2; i++) {
      const r = await env.run();
      expect(r.code).toBe(0);
      expect(
        r.warnings.some((w) => w.includes('plan.norg') && /read-only/.test(w)),
        JSON.stringify(r.warnings),
      ).toBe(true);
      expect(readFileSync(file, 'utf8')).toBe(before);
      expect(statSync(file).mtimeMs).toBe(mtime);
      expect(mode(file)).toBe(0o444);
      // Taskwarrior's change is not reverted by the note's stale text.
      expect(env.byUuid(paint)!.description).toBe('Paint the fence green');
    }

    chmodSync(file, 0o644);
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(linesOf(env.ws, 'Paint the fence green')).toHaveLength(1);
    expect(linesOf(env.ws, 'Paint the fence')).toHaveLength(0);
    // The note's own edit made while it was locked is not lost either.
    expect(env.byUuid(rake)!.description).toBe('Rake all the leaves');
    expect(mode(file)).toBe(0o644);
    await settle(env, ['Paint the fence green', 'Rake all the leaves']);
  });

  it('a note that is 444 from the first sync creates no task without an id; unlocked, one task per line', async () => {
    const env = setup({ 'plan.norg': NOTE });
    const file = join(env.ws, 'plan.norg');
    chmodSync(file, 0o444);
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(
      r.warnings.some((w) => w.includes('plan.norg') && /read-only/.test(w)),
      JSON.stringify(r.warnings),
    ).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(NOTE);
    // A task whose id cannot be written would be created again by every later sync.
    expect(env.sb.exportAll()).toHaveLength(0);
    expect((await env.run()).code).toBe(0);
    expect(env.sb.exportAll()).toHaveLength(0);

    chmodSync(file, 0o644);
    const r2 = await env.run();
    expect(r2.code).toBe(0);
    expect(r2.taskwarrior.created).toHaveLength(2);
    expect(ids(env.read('plan.norg'))).toHaveLength(2);
    await settle(env, ['Paint the fence', 'Rake the leaves']);
  });

  it('a symlinked note whose target is read-only is reported, and the link is not replaced by a file', async () => {
    const env = setup({});
    const target = join(mkdtempSync(join(tmpdir(), 'planager-target-')), 'real.norg');
    writeFileSync(target, NOTE);
    const link = join(env.ws, 'plan.norg');
    symlinkSync(target, link);
    expect((await env.run()).code).toBe(0);
    chmodSync(target, 0o444);
    const before = readFileSync(target, 'utf8');
    env.sb.task(env.tw('Paint the fence').uuid, 'modify', 'description:Paint the fence green');
    const r = await env.run();
    expect(r.code).toBe(0);
    expect(
      r.warnings.some((w) => w.includes('plan.norg') && /read-only/.test(w)),
      JSON.stringify(r.warnings),
    ).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(before);
    chmodSync(target, 0o644);
    expect((await env.run()).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toContain('Paint the fence green %#');
    unlinkSync(link);
  });
});
