/**
 * Two checkouts' sync engines compared in one process, their rounds interleaved, so both see
 * the same machine load (separate `npm run bench` runs on this 2-core machine differ by more
 * than the 10% a regression check needs). Medians of wall and CPU time.
 *
 *   ROOTS=/path/to/before,/path/to/after KIND=pull|push|first|populated N=100 R=40 \
 *     node --import tsx bench/ab.ts
 *
 * A checkout's sync/index.ts is imported as TypeScript (tsx), so a tree needs no build.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const roots = (process.env.ROOTS ?? '').split(',').filter(Boolean);
if (roots.length !== 2) throw new Error('ROOTS=before,after: two checkouts to compare');
const mods = await Promise.all(roots.map((r) => import(join(r, 'sync/index.ts'))));
const n = Number(process.env.N ?? 100);
const R = Number(process.env.R ?? 30);
function setup(m: any, pre = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'prof-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'taskrc'), `data.location=${join(dir, 'data')}\nconfirmation=off\n`);
  const env = { PATH: process.env.PATH, HOME: dir, TASKRC: join(dir, 'taskrc'), TASKDATA: join(dir, 'data'), TZ: 'UTC' };
  const tw = new m.Taskwarrior({ env, timeoutMs: 120_000 });
  const ws = join(dir, 'ws');
  mkdirSync(ws);
  const perFile = Math.min(100, n);
  for (let f = 0; f * perFile < n; f++) {
    const lines = [`@document.meta`, `project: area${f}`, `@end`, ''];
    for (let i = 0; i < perFile && f * perFile + i < n; i++) {
      if (i % 20 === 0) lines.push(`* Section ${i / 20}`);
      lines.push(`  - ( |# B) Task ${f}.${i} with some words to describe it`);
    }
    writeFileSync(join(ws, `f${f}.norg`), lines.join('\n') + '\n');
  }
  return { dir, env, tw, ws };
}
const med = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};
const kind = process.env.KIND ?? 'pull';
const res: number[][] = roots.map(() => []);
const cpu: number[][] = roots.map(() => []);
if (kind === 'pull' || kind === 'push') {
  const S = await Promise.all(
    mods.map(async (m) => {
      const s = setup(m);
      await m.sync({ workspace: s.ws, tw: s.tw });
      const all = await s.tw.export();
      return { ...s, m, uuid: all.value.find((t: any) => t.description.startsWith('Task 0.2 ')).uuid };
    }),
  );
  for (let r = 0; r < R + 3; r++)
    for (let i = 0; i < S.length; i++) {
      const s = S[i];
      if (kind === 'pull')
        execFileSync('task', ['rc.verbose=nothing', 'rc.confirmation=off', s.uuid, 'modify', `priority:${r % 2 ? 'H' : 'L'}`], { env: s.env });
      else {
        const file = join(s.ws, 'f0.norg');
        const t = readFileSync(file, 'utf8');
        writeFileSync(file, r % 2 ? t.replace('(x|# B) Task 0.1 ', '( |# B) Task 0.1 ') : t.replace('( |# B) Task 0.1 ', '(x|# B) Task 0.1 '));
      }
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const rep = await s.m.sync({ workspace: s.ws, tw: s.tw });
      const c1 = process.cpuUsage(c0);
      if (r >= 3) cpu[i].push((c1.user + c1.system) / 1000);
      if (rep.code !== 0) throw new Error('fail');
      if (process.env.EACH) console.log(roots[i].split('/').pop(), r, (performance.now() - t0).toFixed(1));
      if (r >= 3) res[i].push(performance.now() - t0);
    }
} else {
  for (let r = 0; r < R + 1; r++)
    for (let i = 0; i < mods.length; i++) {
      const s = setup(mods[i]);
      if (kind === 'populated')
        await s.tw.import(
          Array.from({ length: n }, (_, k) => ({
            uuid: crypto.randomUUID(),
            description: `Other ${k}`,
            status: 'pending',
            entry: '20261201T000000Z',
            project: 'elsewhere',
          })),
        );
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const rep = await mods[i].sync({ workspace: s.ws, tw: s.tw });
      const c1 = process.cpuUsage(c0);
      if (rep.code !== 0) throw new Error('fail');
      if (r >= 1) res[i].push(performance.now() - t0), cpu[i].push((c1.user + c1.system) / 1000);
      rmSync(s.dir, { recursive: true, force: true });
    }
}
console.log(
  kind,
  'n',
  n,
  roots.map((r, i) => `${r.split('/').pop()} ${med(res[i]).toFixed(2)}`).join('  '),
  'ratio',
  (med(res[1]) / med(res[0])).toFixed(3),
  '| cpu',
  roots.map((r, i) => med(cpu[i] ?? []).toFixed(2)).join(' '),
  (med(cpu[1]) / med(cpu[0])).toFixed(3),
);
