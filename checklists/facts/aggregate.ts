import type { FieldCandidate } from '../../extractors/fields/schema.ts';
import { selfContradictions } from './amount-checks.ts';
import { aggregateDates } from './dates.ts';
import type { DossierFactsInput } from './input.ts';
import { aggregateAmounts } from './investment.ts';
import { aggregateOrganisations } from './organisations.ts';
import { aggregateProjectName } from './project-name.ts';
import type { AggregatedField, AggregatedFieldName, AggregatedFields, FieldConflict } from './schema.ts';
import { aggregateTerms, termsStated } from './terms.ts';

/**
 * Chooses one value per dossier-level field from the candidates of every document: approval-type documents outrank
 * review documents, which outrank design and plan documents, then the application form, then anything else (the
 * catalogue's `documentPrecedence`). Every choice keeps its provenance and the other values stated, and disagreements
 * are listed as conflicts (material for GEN-01..GEN-04). The project's name comes first because the other choices
 * look for rows of multi-project tables that name it.
 */
export function aggregateFields(input: DossierFactsInput): AggregatedFields {
  const fields: Record<string, AggregatedField> = {};
  const conflicts: FieldConflict[] = [];
  const setAll = (chosen: Partial<Record<AggregatedFieldName, AggregatedField | null>>) => {
    for (const [name, value] of Object.entries(chosen)) if (value) fields[name] = value;
  };

  const projectName = aggregateProjectName(input, conflicts);
  setAll({ projectName });
  const project = projectName?.value.kind === 'text' ? projectName.value.text : null;

  setAll(aggregateOrganisations(input, project, conflicts));
  setAll(aggregateAmounts(input, project, conflicts));
  setAll(aggregateDates(input));
  conflicts.push(...selfContradictions(input.documents));

  const documents = input.documents.map((doc) => {
    const best: Record<string, FieldCandidate> = {};
    for (const c of doc.candidates) {
      const previous = best[c.field];
      if (!previous || c.confidence > previous.confidence) best[c.field] = c;
    }
    return { path: doc.path, docTypes: doc.docTypes, fields: best };
  });

  // Left out when no document states any clause, so that a dossier's fields read the same as before clauses existed.
  const terms = aggregateTerms(input.documents);
  return { fields, conflicts, documents, ...(termsStated(terms) ? { terms } : {}) };
}
