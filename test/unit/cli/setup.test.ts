/**
 * Issue 14: `planager setup` with a throwaway TASKRC (twSandbox), run as the built CLI.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { twSandbox, type TwSandbox } from '../../helpers/tw.js';
import { assertBuilt, planager } from './run.js';

let sb: TwSandbox;
const run = (args: string[], env: NodeJS.ProcessEnv = sb.env) => planager(args, { cwd: sb.dir, env });
const rc = () => readFileSync(sb.env.TASKRC!, 'utf8');

beforeAll(assertBuilt);
beforeEach(() => {
  sb = twSandbox();
});

describe('planager setup', () => {
  it('tells about the UDAs, asks (exit 1) without --yes and writes nothing', async () => {
    const before = rc();
    const r = await run(['setup']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`taskrc: ${sb.env.TASKRC}`);
    expect(r.stdout).toMatch(/norgrecur\s+not declared/);
    expect(r.stdout).toMatch(/norgpriority\s+not declared/);
    expect(r.stdout).toContain('    uda.norgrecur.type=string\n');
    expect(r.stdout).toContain('run `planager setup --yes`');
    expect(rc()).toBe(before);
  });

  it('--yes declares them so that task itself shows them; a second run finds them declared', async () => {
    const r = await run(['setup', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote them to ${sb.env.TASKRC}`);
    expect(rc()).toMatch(
      /^data\.location=.*\nconfirmation=off\n\n# Planager's UDAs \(written by planager setup\)\nuda\.norgrecur\.type=string\nuda\.norgrecur\.label=Norg recur\nuda\.norgpriority\.type=string\nuda\.norgpriority\.label=Norg priority\n$/,
    );
    // The real task accepts the taskrc and shows the attribute.
    sb.task('add', 'Water plants', 'norgrecur:every week');
    expect(sb.task('1', 'info')).toMatch(/Norg recur\s+every week/);
    const again = await run(['setup', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/norgrecur\s+declared/);
    expect(again.stdout).not.toContain('wrote them');
    expect(rc().match(/uda\.norgrecur\.type/g)).toHaveLength(1);
  });

  it('only the missing one is written; another type is reported, not changed', async () => {
    writeFileSync(sb.env.TASKRC!, rc() + 'uda.norgrecur.type=numeric\n');
    const r = await run(['setup', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/norgrecur\s+declared as numeric, Planager stores string/);
    expect(rc()).toContain('uda.norgrecur.type=numeric\n');
    expect(rc().match(/uda\.norgrecur\.type/g)).toHaveLength(1);
    expect(rc()).toContain('uda.norgpriority.type=string\n');
  });

  it('no taskrc yet: --yes creates it with the UDAs', async () => {
    const path = join(sb.dir, 'new-taskrc');
    const env = { ...sb.env, TASKRC: path };
    const r = await run(['setup'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('(does not exist yet)');
    expect(existsSync(path)).toBe(false);
    expect((await run(['setup', '--yes'], env)).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toContain('uda.norgpriority.type=string');
  });

  it('says whether the live-refresh hook is installed', async () => {
    const hook = join(sb.env.TASKDATA!, 'hooks', 'on-exit.planager');
    expect((await run(['setup'])).stdout).toContain(`live refresh: the hook is not installed (${hook}); \`planager hook install\``);
    expect((await run(['hook', 'install'])).code).toBe(0);
    expect((await run(['setup'])).stdout).toContain(`live refresh: the hook is installed (${hook})\n`);
    writeFileSync(sb.env.TASKRC!, rc() + 'hooks=off\n');
    expect((await run(['setup'])).stdout).toContain('but hooks are off in the taskrc');
    chmodSync(hook, 0o644);
    expect((await run(['setup'])).stdout).toContain('but not executable');
    rmSync(hook);
    mkdirSync(join(sb.env.TASKDATA!, 'hooks'), { recursive: true });
    writeFileSync(hook, '#!/bin/sh\nexit 0\n');
    expect((await run(['setup'])).stdout).toContain("exists but is not Planager's");
  });

  it('no task on PATH: exit 2 with a message', async () => {
    const r = await run(['setup'], { ...sb.env, PATH: '/nonexistent' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('planager setup: task (Taskwarrior) is not on PATH\n');
  });
});
