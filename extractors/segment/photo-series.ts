import type { Page } from '../model.ts';
import { layoutPages } from './layout.ts';
import { startCue, titleBlock } from './cues.ts';

/**
 * A document photographed page by page: consecutive images in one folder whose names run in sequence (IMG_0012.jpg,
 * IMG_0013.jpg; 报告1.jpg, 报告2.jpg) and whose later photos carry no title join the first photo's document.
 */

export interface RunFile {
  path: string;
  /** Only single-page images take part; other files end a run. */
  isImage: boolean;
  pages: readonly Page[];
}

export interface FileRunGroup {
  /** Paths in page order; the first one carries the title. */
  paths: string[];
  title?: string;
}

const SEQUENCE_NAME = /^(.*?)(\d{1,6})(\.[^.]+)$/;

function folderOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function sequenceKey(path: string): { folder: string; stem: string; index: number } | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const m = SEQUENCE_NAME.exec(name);
  if (!m) return undefined;
  return { folder: folderOf(path), stem: m[1]!.replace(/[-_\s(（]+$/, ''), index: Number(m[2]) };
}

/**
 * Groups of two or more photographed pages that make one document. Files are taken in the order given (the dossier's
 * order); a group starts at a photo with a title and takes the following photos of the same name sequence that have
 * none.
 */
export function segmentFileRun(files: readonly RunFile[]): FileRunGroup[] {
  const sorted = files
    .map((f) => ({ f, key: f.isImage && f.pages.length === 1 ? sequenceKey(f.path) : undefined }))
    .filter((x): x is { f: RunFile; key: NonNullable<ReturnType<typeof sequenceKey>> } => x.key !== undefined)
    .sort((a, b) => (a.key.folder === b.key.folder ? (a.key.stem === b.key.stem ? a.key.index - b.key.index : a.key.stem < b.key.stem ? -1 : 1) : a.key.folder < b.key.folder ? -1 : 1));
  const groups: FileRunGroup[] = [];
  let current: (FileRunGroup & { folder: string; stem: string; index: number }) | undefined;
  for (const { f, key } of sorted) {
    const [layout] = layoutPages(f.pages);
    const lines = layout?.lines ?? [];
    const title = titleBlock(lines)?.title;
    const starts = title !== undefined || (layout !== undefined && startCue(layout, undefined) !== undefined);
    const continues = current && current.folder === key.folder && current.stem === key.stem && key.index === current.index + 1 && !starts && lines.length > 0;
    if (continues) {
      current!.paths.push(f.path);
      current!.index = key.index;
      continue;
    }
    if (current && current.paths.length > 1) groups.push({ paths: current.paths, title: current.title });
    current = starts ? { paths: [f.path], title, folder: key.folder, stem: key.stem, index: key.index } : undefined;
  }
  if (current && current.paths.length > 1) groups.push({ paths: current.paths, title: current.title });
  return groups;
}
