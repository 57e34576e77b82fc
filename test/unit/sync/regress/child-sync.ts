// One full sync in its own process (case 11 runs it as another user): prints the report, or
// the exception if the sync threw instead of returning one.
import { sync, Taskwarrior } from '../../../../sync/index.js';

const [workspace] = process.argv.slice(2);
try {
  const r = await sync({ workspace, tw: new Taskwarrior({ timeoutMs: 30_000 }) });
  process.stdout.write(JSON.stringify({ threw: false, report: { ok: r.ok, code: r.code, error: r.error, warnings: r.warnings } }) + '\n');
} catch (e) {
  process.stdout.write(JSON.stringify({ threw: true, message: String((e as Error)?.stack ?? e) }) + '\n');
}
