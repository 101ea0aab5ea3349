import type { FieldCandidate } from '../../extractors/fields/schema.ts';
import type { Catalogue } from '../catalogue-schema.ts';

/**
 * What the dossier-level facts are computed from: the dossier's documents as extraction and classification left them,
 * the catalogue's doc-type groups (which document's value wins), and the checklist's investment thresholds. Plain
 * data, so that the facts are pure functions of it.
 */

/** One file of the dossier: its doc types (most likely first) and every field candidate extracted from it. */
export interface FactsDocument {
  path: string;
  docTypes: string[];
  candidates: FieldCandidate[];
}

/** The part of the catalogue that the facts read: its named doc-type groups and their precedence. */
export type DocTypeGroups = Pick<Catalogue, 'groups' | 'documentPrecedence'>;

export interface DossierFactsInput {
  /** Every file of the dossier, unreadable ones with no candidates. */
  documents: FactsDocument[];
  /** Usually the loaded checklist's catalogue. */
  catalogue: DocTypeGroups;
  /**
   * 万元 amounts at which the checklist's conditions change (investmentThresholdsWan in thresholds.ts); a conflict
   * between stated totals names those the totals fall on different sides of.
   */
  investmentThresholdsWan: readonly number[];
}
