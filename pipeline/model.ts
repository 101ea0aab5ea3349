import type { Classification } from '../checklists/classify.ts';
import type { PresenceEvaluation } from '../checklists/evaluate.ts';
import type { DossierFact } from '../checklists/facts/index.ts';
import type { RuleFinding } from '../checklists/rules/context.ts';
import type { ReviewItem, RuleQuestion } from '../checklists/rules/engine.ts';
import type { Segment } from '../extractors/segment/index.ts';
import type { ExtractedDocument, Page } from '../extractors/model.ts';
import type { AppliedCorrection } from './corrections/schema.ts';
import type { DossierFile } from './intake/model.ts';

/**
 * The data that passes between the stages of pipeline/flow.ts. Types only: every stage imports from here, and
 * nothing here imports a stage, so the stages cannot import each other in a circle.
 */

export interface ExtractionCache {
  get(sha256: string, extractorVersion: string): Promise<ExtractedDocument | null>;
  put(sha256: string, extractorVersion: string, doc: ExtractedDocument): Promise<void>;
}

export type ProgressEvent =
  | { stage: 'intake'; path: string }
  | { stage: 'extract'; done: number; total: number; path: string; ocrPages: number }
  | { stage: 'evaluate' };

export interface ExtractedFile {
  file: DossierFile;
  doc: ExtractedDocument;
  /** Set on a byte-identical copy of an earlier file. */
  duplicateOf?: string;
}

export interface ClassifiedFile extends ExtractedFile {
  classification: Classification;
  /** Set when an officer's correction replaced the classifier's doc types (pipeline/corrections). */
  correction?: AppliedCorrection;
  /** Set when the file holds several documents (a bound volume): each segment classified on its own pages. */
  segments?: ClassifiedSegment[];
  /** Set on the first photo of a document photographed page by page: the photos in order and their pages as one. */
  series?: { paths: string[]; pages: Page[] };
  /** Set on a later photo of such a series: the first photo, which stands for the whole document. */
  seriesOf?: string;
}

/** One document inside a file: its page range, its pages (furniture removed) and its own doc types. */
export interface ClassifiedSegment {
  segment: Segment;
  pages: Page[];
  classification: Classification;
  /** The loose file of the dossier that is this same document; it carries the evidence instead. */
  duplicateOf?: string;
}

/** What the checklist made of a dossier: its rows, the rules' findings and the facts both read. */
export interface DossierEvaluation {
  presence: PresenceEvaluation;
  ruleFindings: RuleFinding[];
  /** Asked rules whose fact no document states: questions for 需确认. */
  ruleQuestions: RuleQuestion[];
  /** Rules left to the reviewer's judgement: 人工核验要点. */
  reviewItems: ReviewItem[];
  facts: Record<string, DossierFact>;
}

export function isReadable(doc: ExtractedDocument): boolean {
  return doc.status === 'ok';
}
