/**
 * What an archive's directory (a zip's central directory, a RAR's or 7z's listing) promises, weighed before a single
 * byte is inflated. Per-entry limits (entry size,
 * entry ratio) cannot see a bomb made of many honest-looking entries: 10,000 entries that each inflate to exactly
 * the grace amount, all pointing at the same compressed block, pass every per-entry check and still write 10 GB.
 * The directory gives it away at once: the sum of declared sizes, that sum against the archive's own size, and
 * local headers that several entries share.
 */

/** One central-directory entry, as much of it as the survey needs. */
export interface DirectoryEntry {
  /**
   * Offset of the entry's local file header from the start of the archive (zip). Formats whose entries cannot share
   * data by construction (RAR, 7z: data follows each header, or sizes partition one stream) leave it out.
   */
  localHeaderOffset?: number;
  /** Name length from the central directory (the local header repeats the name, so its range is at least this long). */
  nameLength: number;
  compressedSize: number;
  uncompressedSize: number;
  /**
   * Whether the entry's bytes would be written if the archive were unpacked. Entries refused on their own (too
   * large, encrypted, symlinks, directories) write nothing and do not count towards the total.
   */
  counted: boolean;
}

export interface SurveyLimits {
  /** Size of the archive file itself, in bytes. */
  archiveBytes: number;
  /** Bytes the whole unpacking may still write. */
  bytesLeft: number;
  /** Declared total / archive size above which the archive is a bomb (past the grace amount). */
  maxRatio: number;
  /** Below this declared total the ratio is not judged: tiny archives of blank forms compress absurdly well. */
  graceBytes: number;
}

export type ArchiveVerdict =
  | { verdict: 'ok'; declaredBytes: number }
  /** Entries whose local header or data lies inside another entry's: one block inflated again and again. */
  | { verdict: 'overlap'; declaredBytes: number; overlappingEntries: number }
  /** Declared total far beyond what the archive's size can honestly hold. */
  | { verdict: 'ratio'; declaredBytes: number; ratio: number }
  /** An honest-looking archive that is simply larger than what is left of the allowance. */
  | { verdict: 'too-large'; declaredBytes: number };

/** Fixed part of a local file header (signature to extra-field length). */
const LOCAL_HEADER_BYTES = 30;

export function surveyArchive(entries: readonly DirectoryEntry[], limits: SurveyLimits): ArchiveVerdict {
  let declaredBytes = 0;
  for (const entry of entries) if (entry.counted) declaredBytes += entry.uncompressedSize;

  const overlappingEntries = countOverlapping(entries);
  if (overlappingEntries > 0) return { verdict: 'overlap', declaredBytes, overlappingEntries };

  const ratio = declaredBytes / Math.max(limits.archiveBytes, 1);
  if (declaredBytes > limits.graceBytes && ratio > limits.maxRatio) return { verdict: 'ratio', declaredBytes, ratio };

  if (declaredBytes > limits.bytesLeft) return { verdict: 'too-large', declaredBytes };
  return { verdict: 'ok', declaredBytes };
}

/**
 * Entries that start inside the span of an earlier one. The span is a lower bound of the real one (the local
 * extra field and a data descriptor may follow), so an honest archive, whose entries follow one another, never
 * overlaps; a crafted one that reuses a block always does.
 */
function countOverlapping(entries: readonly DirectoryEntry[]): number {
  const spans = entries
    .filter((entry): entry is DirectoryEntry & { localHeaderOffset: number } => entry.localHeaderOffset !== undefined)
    .map((entry) => ({
      start: entry.localHeaderOffset,
      end: entry.localHeaderOffset + LOCAL_HEADER_BYTES + entry.nameLength + entry.compressedSize,
    }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  let overlapping = 0;
  let reachedSoFar = -1;
  for (const span of spans) {
    if (span.start < reachedSoFar) overlapping++;
    reachedSoFar = Math.max(reachedSoFar, span.end);
  }
  return overlapping;
}
