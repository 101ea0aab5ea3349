/**
 * Entries that operating systems and office programs leave behind and no person meant to submit:
 * macOS resource forks and folder metadata, Windows thumbnail caches and folder settings, Office lock files,
 * and Python's byte-code caches (a dossier that carries source code carries them by accident).
 */
const JUNK_FOLDERS = new Set(['__macosx', '__pycache__']);
const JUNK_FILES = new Set(['.ds_store', 'thumbs.db', 'ehthumbs.db', 'desktop.ini']);

/** `segments` is the entry's path split on '/', already decoded. */
export function isJunkEntry(segments: readonly string[]): boolean {
  if (segments.slice(0, -1).some((folder) => JUNK_FOLDERS.has(folder.toLowerCase()))) return true;
  const name = segments.at(-1) ?? '';
  if (JUNK_FILES.has(name.toLowerCase())) return true;
  // Office lock files: "~$" plus the locked document's name.
  if (name.startsWith('~$')) return true;
  // Compiled Python, which nobody reads: only its source is material.
  if (/\.py[co]$/i.test(name)) return true;
  // AppleDouble companions ("._报告.docx") that macOS writes beside files outside __MACOSX, e.g. on FAT drives.
  return name.startsWith('._');
}

export function isJunkFolder(name: string): boolean {
  return JUNK_FOLDERS.has(name.toLowerCase());
}
