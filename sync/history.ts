/**
 * `planager history ID` and `planager restore ID [--version N]`: every version of a task the
 * activity log holds, newest first, and bringing one back as a new change (written to
 * Taskwarrior, then pulled into the note by a sync, so it itself syncs and is logged).
 */
import { join } from 'node:path';
import { loadState, stateDirOf, sync, type SyncOptions, type SyncReport } from './engine.js';
import { appendLog, readLog, type LogEntry } from './log.js';
import { fromTw, toTw, type Fields } from './mapping.js';

export interface Version {
  /** 0 is the current version; 1 the newest the log kept; and so on. */
  n: number;
  time: string | null;
  source: 'current' | 'note' | 'taskwarrior';
  action: LogEntry['action'] | 'current';
  fields: Fields;
  changed: string[];
}

export async function history(
  opts: Pick<SyncOptions, 'workspace' | 'stateDir'>,
  idOrUuid: string,
): Promise<{ ok: true; uuid: string; id: string; versions: Version[] } | { ok: false; message: string }> {
  const dir = stateDirOf(opts);
  const state = await loadState(dir);
  const log = await readLog(join(dir, 'activity.jsonl'));
  const want = idOrUuid.replace(/^%#|%$/g, '').toLowerCase();
  const uuids = new Set([...Object.values(state.tasks).map((t) => t.uuid), ...log.map((e) => e.uuid)]);
  const hits = [...uuids].filter((u) => u === want || u.replace(/-/g, '').startsWith(want.replace(/-/g, '')));
  if (hits.length === 0) return { ok: false, message: `no task ${idOrUuid} in this workspace's history` };
  if (hits.length > 1) return { ok: false, message: `${idOrUuid} is ambiguous (${hits.length} tasks); give more of the id` };
  const uuid = hits[0];
  const st = state.tasks[uuid];
  const entries = log.filter((e) => e.uuid === uuid).reverse();
  const versions: Version[] = [];
  if (st) versions.push({ n: 0, time: null, source: 'current', action: 'current', fields: st.base, changed: [] });
  entries.forEach((e, i) => versions.push({ n: i + 1, time: e.time, source: e.side, action: e.action, fields: e.version, changed: Object.keys(e.fields) }));
  return { ok: true, uuid, id: st?.id ?? entries[0]?.id ?? uuid.slice(0, 8), versions };
}

export async function restore(opts: SyncOptions, idOrUuid: string, n = 1): Promise<SyncReport | { ok: false; code: 2; message: string }> {
  const h = await history(opts, idOrUuid);
  if (!h.ok) return { ok: false, code: 2, message: h.message };
  const v = h.versions.find((x) => x.n === n);
  if (!v) return { ok: false, code: 2, message: `task ${h.id} has no version ${n} (it has ${h.versions.length - 1} logged)` };
  const e = await opts.tw.export([h.uuid]);
  if (!e.ok) return { ok: false, code: 2, message: e.error.message };
  const current = e.value[0] ?? null;
  const now = opts.now?.() ?? new Date();
  const restored = toTw(v.fields, current, h.uuid, now);
  const r = await opts.tw.import([restored]);
  if (!r.ok) return { ok: false, code: 2, message: r.error.message };
  if (current) {
    const before = fromTw(current);
    await appendLog(join(stateDirOf(opts), 'activity.jsonl'), [
      {
        time: now.toISOString(),
        uuid: h.uuid,
        id: h.id,
        side: 'taskwarrior',
        action: 'restore',
        fields: Object.fromEntries(
          Object.keys(before)
            .filter((k) => JSON.stringify(before[k as keyof Fields]) !== JSON.stringify(v.fields[k as keyof Fields]))
            .map((k) => [k, { lost: before[k as keyof Fields], kept: v.fields[k as keyof Fields] }]),
        ),
        version: before,
        note: `restored version ${n}`,
      },
    ]);
  }
  return sync(opts);
}
