/**
 * The notes side of a sync: which notes changed since the last sync, and their texts. One
 * source for both places a note can live: the file on disk, or an open editor buffer whose
 * text the host passes in (it wins over the file).
 *
 * Contract: `scan` reads only notes whose size or mtime changed (then hashes them: a touched
 * file with the same text is unchanged); `load` reads any note; neither ever throws for a
 * missing or undecodable file (a note that is not valid UTF-8 is reported and never written).
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { decodeUtf8 } from '../parser/index.js';
import type { NoteStamp } from './store.js';
import { hashText, listNorgFiles } from './workspace.js';

export interface NoteFile {
  file: string;
  text: string;
  mtime: number;
  size: number;
  hash: string;
  exists: boolean;
}

export interface NoteScan {
  /** Every note this sync may look at (all tracked notes, or the named ones). */
  files: string[];
  changed: NoteFile[];
  /** Same text, new size or mtime: only the fingerprint is refreshed. */
  touched: Map<string, NoteStamp>;
  /** Notes the last sync knew that are gone (full syncs only). */
  removed: string[];
}

export interface NoteSourceOptions {
  workspace: string;
  stateDir: string;
  /** Only these workspace-relative notes (null: every tracked note). */
  files: string[] | null;
  texts?: Map<string, { text: string; mtime: number }>;
}

export class NoteSource {
  constructor(private readonly o: NoteSourceOptions) {}

  abs(file: string): string {
    return join(this.o.workspace, file);
  }

  async scan(known: Record<string, NoteStamp>, warnings: string[]): Promise<NoteScan | { error: string }> {
    const files = this.o.files ?? (await listNorgFiles(this.o.workspace, [this.o.stateDir]));
    const out: NoteScan = { files, changed: [], touched: new Map(), removed: [] };
    // Synchronous stats: on a workspace of 100 notes this is most of a no-change sync, and a
    // stat costs microseconds where a thread-pool round trip costs a tenth of a millisecond.
    const stats = files.map((f) => this.statOf(f));
    for (let i = 0; i < files.length; i++) {
      const r = this.scanOne(files[i], stats[i], known[files[i]], out, warnings);
      if (r) return r;
    }
    if (!this.o.files) {
      const present = new Set(files);
      for (const f of Object.keys(known)) if (!present.has(f)) out.removed.push(f);
    }
    return out;
  }

  private statOf(file: string): Stats | Error | null {
    if (this.o.texts?.has(file)) return null;
    try {
      return statSync(this.abs(file), { throwIfNoEntry: false }) ?? null;
    } catch (e) {
      return e as Error;
    }
  }

  private scanOne(file: string, s: Stats | Error | null, known: NoteStamp | undefined, out: NoteScan, warnings: string[]): { error: string } | null {
    const given = this.o.texts?.get(file);
    if (given) {
      const hash = hashText(given.text);
      if (known?.hash !== hash) out.changed.push({ file, text: given.text, mtime: given.mtime, size: given.text.length, hash, exists: true });
      return null;
    }
    if (s instanceof Error) return { error: `${file}: ${s.message}` };
    if (!s) {
      // Named (pull/push FILE) but gone: its tasks go, like removed lines.
      if (known) out.changed.push({ file, text: '', mtime: 0, size: 0, hash: hashText(''), exists: false });
      return null;
    }
    if (known && known.size === s.size && known.mtime === s.mtimeMs) return null;
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.abs(file));
    } catch (e) {
      return { error: `${file}: ${(e as Error).message}` };
    }
    const d = decodeUtf8(bytes);
    if (!d.ok) {
      warnings.push(`${file}: not valid UTF-8 (byte ${d.byteOffset}); skipped and left as it is`);
      return null;
    }
    const hash = hashText(d.text);
    if (known && known.hash === hash) out.touched.set(file, { hash, size: s.size, mtime: s.mtimeMs });
    else out.changed.push({ file, text: d.text, mtime: s.mtimeMs, size: s.size, hash, exists: true });
    return null;
  }

  /** A note as it is now; null when it cannot be decoded (left alone). */
  load(file: string): NoteFile | null {
    const given = this.o.texts?.get(file);
    if (given) return { file, text: given.text, mtime: given.mtime, size: given.text.length, hash: hashText(given.text), exists: true };
    const abs = this.abs(file);
    // Stat before reading, as the scan does: a write under way while we read ends after the
    // stat, so `unchangedSince` sees it.
    const s = statSync(abs, { throwIfNoEntry: false });
    let bytes: Buffer | null = null;
    try {
      bytes = readFileSync(abs);
    } catch {
      // gone: its tasks go
    }
    const d = bytes ? decodeUtf8(bytes) : null;
    if (d && !d.ok) return null;
    const text = d && d.ok ? d.text : '';
    return { file, text, mtime: s?.mtimeMs ?? 0, size: s?.size ?? 0, hash: hashText(text), exists: !!bytes };
  }

  /**
   * Whether a note read from disk is still as it was when read. An editor that writes in place
   * (truncate, then write) may be half-way when the sync reads: the lines not yet written would
   * count as removed, and their tasks be deleted.
   */
  unchangedSince(n: NoteFile): boolean {
    if (this.o.texts?.has(n.file)) return true;
    const s = statSync(this.abs(n.file), { throwIfNoEntry: false });
    if (!s) return !n.exists;
    return n.exists && s.size === n.size && s.mtimeMs === n.mtime;
  }

  /** The text now, to check that nobody edited a note while the sync ran. */
  current(file: string): string {
    const given = this.o.texts?.get(file);
    if (given) return given.text;
    try {
      return readFileSync(this.abs(file), 'utf8');
    } catch {
      return '';
    }
  }

  fingerprint(file: string, hash: string): NoteStamp {
    const s = statSync(this.abs(file), { throwIfNoEntry: false });
    return { hash, size: s ? s.size : 0, mtime: s ? s.mtimeMs : 0 };
  }

  /**
   * The stamp of a given note (an open buffer) this sync did not write. The file may hold
   * something else than the text the sync was given: the user wrote it after the editor took
   * the buffer's text (a `:w` right after opening, while this pull waited its turn). Recorded
   * with the text's hash, its stat would make the push of that write find nothing changed;
   * so a file that does not hold the text gets a stamp no stat matches (read again next time).
   */
  givenFingerprint(file: string, hash: string): NoteStamp {
    const s = statSync(this.abs(file), { throwIfNoEntry: false });
    const given = this.o.texts?.get(file)?.text;
    let same = false;
    try {
      // A buffer's text has no final line break; the file has one (Neovim's 'eol').
      const disk = s ? readFileSync(this.abs(file), 'utf8') : null;
      same = disk !== null && given !== undefined && (disk === given || disk === `${given}\n` || disk === `${given}\r\n`);
    } catch {
      // unreadable now: read again next time
    }
    if (!s || !same) return { hash, size: -1, mtime: -1 };
    return { hash, size: s.size, mtime: s.mtimeMs };
  }

  isGiven(file: string): boolean {
    return !!this.o.texts?.has(file);
  }
}
