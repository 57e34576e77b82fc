/**
 * What `planager plan` (CLI or Neovim) tells the sync about the plan note it wrote: each
 * mirror's baseline (sync/mirrors.ts), so that the next sync tells the user's edit of a mirror
 * from a mirror that only fell behind its task. Without it, a mirror written from a version of
 * a task the sync never saw (a `task add` since the last sync, changed again before it) was
 * taken for an edit and undid the change (harness finding mirror-F10).
 *
 * `unsent` is the other way round: mirrors of the note as it is that show an edit no sync has
 * sent yet; a refresh leaves them as they are (mirror-F1: it rewrote them, and the edit was lost).
 */
import { join } from 'node:path';
import type { Tree } from '../parser/index.js';
import { changedFields, readMirrors } from '../plan/mirrorread.js';
import type { MirrorBases } from './mirrors.js';
import type { Inputs } from './stamps.js';
import { Store } from './store.js';

/** Mirror ids of `text` whose fields differ from what the last sync or plan recorded (`inputs`: the shard read). */
export async function unsentMirrors(workspace: string, file: string, text: string | null, inputs?: Inputs, tree?: Tree): Promise<Set<string>> {
  const out = new Set<string>();
  if (text === null || !text.includes('%@')) return out;
  const store = new Store(join(workspace, '.planager'));
  inputs?.file(store.shardPath(file));
  const bases = (await store.shard(file)).mirrors ?? {};
  const byId = new Map(Object.values(bases).map((b) => [b.id, b]));
  if (byId.size === 0) return out;
  for (const l of readMirrors(text, tree)) {
    const b = byId.get(l.id);
    if (b && l.shown && changedFields(b.shown, l.shown).length > 0) out.add(l.id);
  }
  return out;
}

/**
 * Record the baselines of the mirrors `text` holds (the plan note as written), under the
 * workspace lock the caller holds. `uuidOf` names a marker's task. Mirrors left unsent keep
 * their old baseline. A shard that cannot be read is left alone (the sync rebuilds it).
 */
export async function recordPlanMirrors(
  workspace: string,
  file: string,
  text: string,
  uuidOf: (id: string) => string | null,
  unsent: ReadonlySet<string>,
): Promise<void> {
  const store = new Store(join(workspace, '.planager'));
  const sh = await store.shard(file);
  if (store.unreadable.length > 0) return;
  const old = sh.mirrors ?? {};
  const oldById = new Map(Object.entries(old).map(([u, b]) => [b.id, u]));
  const bases: MirrorBases = {};
  for (const l of readMirrors(text)) {
    const u = oldById.get(l.id) ?? uuidOf(l.id);
    if (!u || !l.shown) continue;
    bases[u] = unsent.has(l.id) && old[u] ? old[u]! : { id: l.id, shown: l.shown };
  }
  await store.saveShardText(file, JSON.stringify({ ...sh, mirrors: bases }));
  const index = await store.index();
  if (store.unreadable.length > 0) return;
  const mirrored = { ...(index.mirrored ?? {}) };
  if (Object.keys(bases).length > 0) mirrored[file] = Object.keys(bases);
  else delete mirrored[file];
  await store.saveCatalogText(store.catalogText({ ...index, mirrored }));
}
