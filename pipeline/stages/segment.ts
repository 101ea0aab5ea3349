import type { DocTypeClassifier } from '../../checklists/classify.ts';
import { segmentDocumentPages, segmentPages } from '../../checklists/segment/index.ts';
import type { ClassifiedFile, ClassifiedSegment } from '../model.ts';

/**
 * One file, several documents (pipeline/flow.ts, between classify and fields): a readable file whose pages hold more
 * than one document (a bound 汇编, a scanner run of stamped documents) gets its segments, each classified on its own
 * pages. A file of one document, a duplicate, or a file whose type an officer set keeps exactly what it had.
 */
export function withSegments(file: ClassifiedFile, classifier: DocTypeClassifier): ClassifiedFile {
  if (file.doc.status !== 'ok' || file.duplicateOf || file.correction) return file;
  const segments = segmentPages(file.doc.pages);
  if (segments.filter((s) => s.role === 'document').length < 2) return file;
  const folder = file.file.path.includes('/') ? file.file.path.slice(0, file.file.path.lastIndexOf('/') + 1) : '';
  const classified: ClassifiedSegment[] = segments.map((segment) => {
    const pages = segmentDocumentPages(file.doc.pages, segment);
    // The volume's own name says nothing about the documents bound in it, so each is classified by its pages alone.
    const classification = classifier.classify({ path: `${folder}第${segment.firstPage}-${segment.lastPage}页`, readable: segment.role === 'document', pages });
    return { segment, pages, classification };
  });
  return { ...file, segments: classified };
}

/** The documents of a file for presence, fields and rules: its document segments, or the file itself. */
export function documentsOf(file: ClassifiedFile): Array<{ pages: ClassifiedFile['doc']['pages']; classification: ClassifiedFile['classification']; pageRange?: { first: number; last: number } }> {
  if (!file.segments) return [{ pages: file.doc.pages, classification: file.classification }];
  return file.segments
    .filter((s) => s.segment.role === 'document')
    .map((s) => ({ pages: s.pages, classification: s.classification, pageRange: { first: s.segment.firstPage, last: s.segment.lastPage } }));
}
