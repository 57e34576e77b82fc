/**
 * Harness seed 400008 (log-replay, fault bad-utf8; the batch `--runs 200 --seed 400000
 * --steps 40`): a started task's mirror in a daily plan note edited ("grape n6"), then a full
 * sync while the task's home note holds bytes that are not UTF-8. The home cannot be loaded, so
 * the edit reaches no line and no merge; the mirror was rewritten from Taskwarrior's version and
 * its baseline recorded: the edit was gone, with nothing in the activity log.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../../../cli/plan.js';
import { garble, settle, setup } from './util.js';

const DAILY = 'journal/2026/12/15.norg';

describe('seed 400008: a mirror edited while its home note is not valid UTF-8', () => {
  it('keeps the edit until the home can be read, then sends it', async () => {
    const env = setup({ 'a.norg': '@document.meta\nproject: alpha\n@end\n\n* One\n  - (-) house n3\n' });
    expect((await env.run()).code).toBe(0);
    const r = await planCommand('daily', { date: '2026-12-15', workspace: env.ws }, { tw: env.sb.tw, now: new Date('2026-12-15T08:00:00') });
    expect(r.code, r.stderr).toBe(0);
    expect((await env.run()).code).toBe(0);
    env.edit(DAILY, '- (-) house n3 {', '- (-) grape n6 {');
    const path = join(env.ws, 'a.norg');
    const { good, bad } = garble(env, 'a.norg');
    const held = await env.run();
    expect(held.code).toBe(0);
    expect(
      held.warnings.some((w) => w.startsWith(`${DAILY}:`) && w.includes('a.norg cannot be read')),
      held.warnings.join('\n'),
    ).toBe(true);
    expect(readFileSync(path).equals(bad)).toBe(true);
    // Not sent (the home line may say otherwise), and not undone either.
    expect(env.read(DAILY)).toContain('- (-) grape n6 {');
    writeFileSync(path, good);
    expect((await env.run()).code).toBe(0);
    expect(env.tw('grape n6').status).toBe('pending');
    expect(env.read('a.norg')).toContain('- (-) grape n6');
    expect(env.read(DAILY)).toContain('- (-) grape n6 {');
    await settle(env, ['grape n6']);
  });
});
