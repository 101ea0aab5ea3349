import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DocTypeClassifier, type Classification } from '../../../checklists/classify.ts';
import { loadCatalogue } from '../../../checklists/load.ts';
import { REPO_ROOT } from '../../helpers/shared-data.ts';

/**
 * The real-title table: published titles (procurement notices, regulations' document lists, standards' document
 * names, shared documents), each with the type a reader gives it (`none`: no type of ours) and where it was published.
 * dev.tsv is what the classifier was developed on; holdout.tsv (every title whose SHA-1 starts with a byte ≡ 0 mod 4)
 * was kept apart and run once at the end.
 */

export interface TitleRow {
  title: string;
  expected: string;
  source: string;
  line: number;
}

export function readTitleTable(split: 'dev' | 'holdout'): TitleRow[] {
  const file = join(REPO_ROOT, 'tests', 'classify', 'real-titles', `${split}.tsv`);
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[0] !== 'title\texpected\tsource') throw new Error(`${file}: header must be "title<TAB>expected<TAB>source"`);
  return lines
    .slice(1)
    .map((text, i) => ({ text, line: i + 2 }))
    .filter(({ text }) => text.trim() !== '')
    .map(({ text, line }) => {
      const [title, expected, source, ...rest] = text.split('\t');
      if (!title || !expected || !source || rest.length > 0) throw new Error(`${file}:${line}: three tab-separated columns expected`);
      return { title, expected, source, line };
    });
}

export interface TitleOutcome {
  row: TitleRow;
  got: string;
  exact: boolean;
  classification: Classification;
}

const catalogue = loadCatalogue();
const classifier = new DocTypeClassifier(catalogue);

/**
 * A title as the first line of a one-page document under an uninformative file name. Exact: the file's type is the
 * expected one and the classifier is sure of it; for `none`, the file stays the catch-all (an unsure file with
 * candidates counts, since it satisfies no row by itself).
 */
export function classifyTitle(row: TitleRow): TitleOutcome {
  const classification = classifier.classify({ path: 'scan.pdf', readable: true, pages: [{ n: 1, text: row.title, source: 'text-layer' }] });
  const top = classification.docTypes[0]?.id ?? '';
  const got = classification.unsure ? `unsure(${classification.candidates.map((c) => c.id).join('/')})` : top === catalogue.catchAll ? 'none' : top;
  const exact = row.expected === 'none' ? top === catalogue.catchAll : !classification.unsure && top === row.expected;
  return { row, got, exact, classification };
}

export function knownTypes(): Set<string> {
  return new Set(catalogue.docTypes.map((t) => t.id));
}
