// One full sync in its own process (the CLI beside the editor), reporting its outcome.
import { sync, Taskwarrior } from '../../../../sync/index.js';

const [workspace] = process.argv.slice(2);
const r = await sync({ workspace, tw: new Taskwarrior({ timeoutMs: 60_000 }) });
process.stdout.write(JSON.stringify({ code: r.code, error: r.error?.code ?? null, warnings: r.warnings }) + '\n');
