import { foldForMatching } from '../../extractors/normalize.ts';
import { ANY_HOST, type LoadedAlternative, type LoadedRow } from '../load.ts';
import type { FileStatus, PageRange, PresenceFile, RequirementEvidence } from './schema.ts';

/** The dossier's files as the presence evaluator looks them up: by doc type, by section, and what could not be read. */

export interface SectionHit {
  path: string;
  pageRange?: PageRange;
  page?: number;
  heading: string;
  docType: string;
  hostTypes: string[];
}

export interface FileIndex {
  /** Readable files by doc type. */
  present: Map<string, RequirementEvidence[]>;
  sections: SectionHit[];
  /** Unreadable files by what they would have been. */
  unreadable: Map<string, Array<{ path: string; status: FileStatus }>>;
  /** Readable files the classifier is unsure of, by each of their candidate types. */
  unsure: Map<string, UnsureFile[]>;
}

export interface UnsureFile {
  path: string;
  docType: string;
  score: number;
}

export function indexFiles(files: PresenceFile[]): FileIndex {
  const present = new Map<string, RequirementEvidence[]>();
  const sections: SectionHit[] = [];
  const unreadable = new Map<string, Array<{ path: string; status: FileStatus }>>();
  const unsure = new Map<string, UnsureFile[]>();
  for (const file of files) {
    if (file.status === 'ok') {
      for (const c of file.unsureCandidates ?? []) {
        const list = unsure.get(c.id) ?? [];
        list.push({ path: file.path, docType: c.id, score: c.score });
        unsure.set(c.id, list);
      }
      for (const d of file.docTypes) {
        const list = present.get(d.id) ?? [];
        list.push({ path: file.path, pageRange: file.pageRange, page: d.evidence.page, quote: d.evidence.quote, docType: d.id, via: 'file' });
        present.set(d.id, list);
      }
      const hostTypes = file.docTypes.map((d) => d.id);
      for (const s of file.sections ?? []) sections.push({ path: file.path, pageRange: file.pageRange, page: s.page, heading: s.heading, docType: s.docType, hostTypes });
    } else {
      for (const id of new Set([...(file.contentDocTypes ?? []), ...file.docTypes.map((d) => d.id)])) {
        const list = unreadable.get(id) ?? [];
        list.push({ path: file.path, status: file.status });
        unreadable.set(id, list);
      }
    }
  }
  return { present, sections, unreadable, unsure };
}

export function alternativeEvidence(alternative: LoadedAlternative, row: LoadedRow, index: FileIndex): RequirementEvidence[] | undefined {
  const evidence: RequirementEvidence[] = [];
  for (const member of alternative.allOf) {
    const found = memberEvidence(member, row, index);
    if (found.length === 0) return undefined;
    evidence.push(...found);
  }
  return evidence;
}

/** Files first; a section only where the row is section-or-file for that member and the host fits. */
function memberEvidence(member: string, row: LoadedRow, index: FileIndex): RequirementEvidence[] {
  const section = row.requirement.section;
  const files = section?.sectionOnly && section.key === member ? [] : (index.present.get(member) ?? []);
  if (files.length > 0 || !section || section.key !== member) return files;
  const headings = section.headings.map(foldForMatching).filter(Boolean);
  const anyHost = section.hosts.includes(ANY_HOST);
  return index.sections
    .filter((s) => anyHost || s.hostTypes.some((t) => section.hosts.includes(t)))
    .filter((s) => {
      if (s.docType === member) return true;
      const heading = foldForMatching(s.heading);
      return headings.some((h) => heading.includes(h));
    })
    .map((s) => ({
      path: s.path,
      pageRange: s.pageRange,
      page: s.page,
      quote: s.heading,
      docType: member,
      via: 'section' as const,
      label: `章节“${s.heading}”`,
    }));
}

/**
 * Unsure files that may be what the row asks for: an alternative that readable files and unsure files complete
 * together, with at least one unsure file (its only candidate evidence).
 */
export function unsureCandidates(row: LoadedRow, index: FileIndex): UnsureFile[] {
  const out: UnsureFile[] = [];
  for (const alternative of row.requirement.alternatives) {
    const missing = alternative.allOf.filter((m) => memberEvidence(m, row, index).length === 0);
    if (missing.length === 0 || missing.some((m) => !index.unsure.has(m))) continue;
    for (const m of missing) for (const f of index.unsure.get(m)!) if (!out.some((o) => o.path === f.path && o.docType === f.docType)) out.push(f);
  }
  return out.sort((a, b) => b.score - a.score);
}

export function unreadableCandidates(row: LoadedRow, index: FileIndex): Array<{ path: string; status: FileStatus }> {
  const out: Array<{ path: string; status: FileStatus }> = [];
  for (const alternative of row.requirement.alternatives) {
    // The alternative must be completable by readable and unreadable files together, with at least one unreadable.
    const missing = alternative.allOf.filter((m) => memberEvidence(m, row, index).length === 0);
    if (missing.length === 0 || missing.some((m) => !index.unreadable.has(m))) continue;
    for (const m of missing) for (const f of index.unreadable.get(m)!) if (!out.some((o) => o.path === f.path)) out.push(f);
  }
  return out;
}
