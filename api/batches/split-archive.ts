import yauzl from 'yauzl';
import { decodeEntryName, isJunkEntry } from '../../pipeline/intake/index.ts';
import type { Readable } from 'node:stream';

/**
 * A batch may arrive as one zip holding many dossiers: either a zip of zips (each inner .zip is a dossier) or a zip
 * of folders (each top-level folder is a dossier). This reads the central directory only and says which, so the
 * caller can stream the pieces into storage; anything else is one dossier.
 */

export type BatchLayout =
  | { kind: 'single' }
  | { kind: 'zips'; dossiers: Array<{ name: string; entry: string }> }
  | { kind: 'folders'; dossiers: Array<{ name: string; files: Array<{ entry: string; path: string }> }> };

interface ListedEntry {
  /** Decoded '/'-separated path. */
  path: string;
  /** Key to find it again: the raw name bytes in hex (decoding may map two names to one). */
  id: string;
}

const STORED = 0;
const DEFLATED = 8;

export async function batchLayout(zipPath: string): Promise<BatchLayout> {
  let entries: ListedEntry[];
  try {
    entries = await listEntries(zipPath);
  } catch {
    return { kind: 'single' };
  }
  if (entries.length === 0) return { kind: 'single' };
  if (entries.every((e) => /\.zip$/i.test(e.path))) {
    if (entries.length < 2 && !entries[0]!.path.includes('/')) {
      // One inner zip alone is still a batch of one; say so explicitly rather than guess.
      return { kind: 'zips', dossiers: [{ name: baseName(entries[0]!.path), entry: entries[0]!.id }] };
    }
    return { kind: 'zips', dossiers: entries.map((e) => ({ name: baseName(e.path), entry: e.id })) };
  }
  const topLevelFiles = entries.filter((e) => !e.path.includes('/'));
  const folders = new Map<string, Array<{ entry: string; path: string }>>();
  for (const e of entries) {
    const [top, ...rest] = e.path.split('/');
    if (rest.length === 0) continue;
    folders.set(top!, [...(folders.get(top!) ?? []), { entry: e.id, path: e.path }]);
  }
  if (topLevelFiles.length === 0 && folders.size >= 2) {
    return { kind: 'folders', dossiers: [...folders].map(([name, files]) => ({ name, files })) };
  }
  return { kind: 'single' };
}

/** Streams the named entries, one at a time, in central-directory order. */
export async function forEachEntry(zipPath: string, wanted: ReadonlySet<string>, take: (id: string, stream: Readable) => Promise<void>): Promise<void> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: false });
  try {
    for await (const entry of zip.eachEntry()) {
      const id = entry.fileNameRaw.toString('hex');
      if (!wanted.has(id)) continue;
      const stream = await zip.openReadStreamPromise(entry);
      await take(id, stream);
    }
  } finally {
    zip.close();
  }
}

async function listEntries(zipPath: string): Promise<ListedEntry[]> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: false });
  const out: ListedEntry[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      const name = decodeEntryName(entry.fileNameRaw, entry.generalPurposeBitFlag, entry.extraFields);
      if (name.isDirectory) continue;
      // Hostile, junk, encrypted or oddly compressed entries are left out of the split; intake reports such things
      // inside each dossier, but at this level there is no dossier to report them in.
      if (yauzl.validateFileName(name.forValidation) !== null) continue;
      if (isJunkEntry(name.path.split('/'))) continue;
      if (entry.isEncrypted() || (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED)) continue;
      out.push({ path: name.path, id: entry.fileNameRaw.toString('hex') });
    }
  } finally {
    zip.close();
  }
  return out;
}

function baseName(path: string): string {
  return path.split('/').at(-1)!;
}
