import type { ExtractedDocument } from '../../extractors/model.ts';
import type { DossierFile } from '../intake/model.ts';
import type { ExtractedFile } from '../model.ts';

/**
 * Byte-identical files are read once. These two functions are the whole of that rule, for every mode: which file
 * of a content is read, and which later files are copies of it.
 */

/** The first file of each distinct content, in dossier order. */
export function distinctContents<F extends { sha256: string }>(files: readonly F[]): F[] {
  const seen = new Set<string>();
  return files.filter((file) => !seen.has(file.sha256) && seen.add(file.sha256));
}

/** Every file with the document read for its content; a later copy names the first file that holds it. */
export function linkDuplicates(files: readonly DossierFile[], docBySha: ReadonlyMap<string, ExtractedDocument>): ExtractedFile[] {
  const firstPathBySha = new Map<string, string>();
  return files.map((file) => {
    const doc = docBySha.get(file.sha256);
    if (!doc) throw new Error(`内部错误：文件“${file.path}”没有提取结果`);
    const first = firstPathBySha.get(file.sha256);
    if (first === undefined) firstPathBySha.set(file.sha256, file.path);
    return { file, doc, ...(first === undefined ? {} : { duplicateOf: first }) };
  });
}
