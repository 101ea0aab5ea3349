import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../extractors/normalize.ts';
import { listChecklists, loadCatalogue, loadChecklist } from '../../checklists/load.ts';
import { sharedPath } from '../helpers/shared-data.ts';

/**
 * Every quote in the data must be the seed's own words (../shared/domain/requirements.md conventions): each part of a quote between
 * "…" occurs verbatim in the seed. In-cell line breaks of the shucheng form are ignored (§0 conventions).
 */

const SEEDS = sharedPath('seeds');
const SEED_OF_CITY: Record<string, string> = {
  changde: '000_8978433087884894.txt',
  yiyang: '001_98b6788e7c190265.txt',
  shenyang: '002_47023b82e933b0da.txt',
  shucheng: '003_cfbe300af1d38869.txt',
  'municipal-template': '004_5b2560a086eedf88.txt',
};

const seedText = (file: string) => readFileSync(join(SEEDS, file), 'utf8').replace(/\s+/g, '');
const parts = (quote: string) => quote.split('…').map((p) => p.replace(/\s+/g, '')).filter(Boolean);

describe('when checking quotes against the seeds', () => {
  it('finds the seed files', () => {
    for (const file of Object.values(SEED_OF_CITY)) expect(existsSync(join(SEEDS, file)), file).toBe(true);
  });

  for (const summary of listChecklists()) {
    const checklist = loadChecklist(summary.id);
    it(`${checklist.id}: names its own seed file`, () => {
      expect(checklist.seedFile).toBe(SEED_OF_CITY[checklist.id]);
    });

    it(`${checklist.id}: quotes every row's citation verbatim from ${checklist.seedFile}`, () => {
      const seed = seedText(checklist.seedFile);
      for (const row of checklist.rows) {
        for (const part of parts(row.citation.quote)) expect(seed.includes(part), `${row.id}: ${part}`).toBe(true);
      }
    });

    it(`${checklist.id}: quotes its entry into force, by-reference clause and local-fact citations verbatim`, () => {
      const seed = seedText(checklist.seedFile);
      const quotes = [checklist.entryIntoForce.quote, checklist.byReference?.quote, ...checklist.localFacts.map((f) => f.citation?.quote)];
      for (const q of quotes.filter((x): x is string => Boolean(x))) expect(seed.includes(q.replace(/\s+/g, '')), q).toBe(true);
    });
  }

  /** The seeds numbered by article (not 004): article → its text, first occurrence wins. */
  const articlesOf = (file: string): Map<string, string> => {
    // shucheng prints its fourth article as "第四项" (§7 #29).
    const text = readFileSync(join(SEEDS, file), 'utf8').replace('第四项', '第四条');
    const pieces = text.split(/(第[一二三四五六七八九十百]+条)/);
    const map = new Map<string, string>();
    for (let i = 1; i < pieces.length; i += 2) if (!map.has(pieces[i]!)) map.set(pieces[i]!, pieces[i + 1]!.replace(/\s+/g, ''));
    if (text.includes('附件2')) map.set('附件2', text.slice(text.indexOf('附件2')).replace(/\s+/g, ''));
    return map;
  };

  for (const id of ['changde', 'yiyang', 'shenyang', 'shucheng']) {
    it(`${id}: quotes each row from one of the articles the row cites`, () => {
      const checklist = loadChecklist(id);
      const articles = articlesOf(checklist.seedFile);
      for (const row of checklist.rows) {
        const cited = row.citation.article.split(/[;；]\s*/).map((a) => /^(第[一二三四五六七八九十百]+条|附件2)/.exec(a)?.[1]);
        expect(cited.every(Boolean), `${row.id}: ${row.citation.article}`).toBe(true);
        const inOne = cited.some((a) => parts(row.citation.quote).every((p) => articles.get(a!)?.includes(p)));
        expect(inOne, `${row.id}: ${row.citation.quote}`).toBe(true);
      }
    });
  }

  it('adds a Simplified reading to the Traditional, annotated municipal-template quotes only', () => {
    const mt = loadChecklist('municipal-template');
    expect(mt.rows.find((r) => r.id === 'MT-A09')!.citation.quoteNormalised).toBe('由监理单位初步验收后');
    expect(loadChecklist('shucheng').rows.every((r) => r.citation.quoteNormalised === undefined)).toBe(true);
  });
});

describe('when checking catalogue seed terms against the seeds', () => {
  const catalogue = loadCatalogue();
  const terms = [...catalogue.docTypes.map((t) => [t.id, t.seedTerms] as const), ...catalogue.sectionKeys.map((k) => [k.key, k.seedTerms] as const)];

  it.each(terms)('%s: every seed term occurs in the seed it cites', (_id, seedTerms) => {
    for (const t of seedTerms) {
      const city = t.cite.split(' ')[0]!;
      const file = SEED_OF_CITY[city];
      expect(file, t.cite).toBeDefined();
      expect(seedText(file!).includes((t.original ?? t.term).replace(/\s+/g, '')), `${t.term} (${t.cite})`).toBe(true);
    }
  });

  it('stores Traditional seed terms with their normalised Simplified form', () => {
    for (const [, seedTerms] of terms) {
      for (const t of seedTerms) if (t.original) expect(normalizeText(t.original)).toBe(t.term);
    }
  });

  it('keeps every seed term that names a document findable by title matching', () => {
    // Types whose seed terms name a document (the others quote an act: 审定, 报备, 整改 …). A title containing the
    // seed term must contain one of the type's title terms.
    const naming = [
      'application_form', 'project_plan', 'project_proposal', 'project_summary', 'feasibility_report', 'requirements_analysis',
      'preliminary_design', 'technical_plan', 'construction_plan', 'implementation_plan', 'budget_estimate', 'annual_investment_plan',
      'classified_protection_plan', 'data_resource_sharing_list', 'pre_technical_review_opinion', 'annual_plan_notice',
      'procurement_documents', 'contract', 'completion_report', 'supervision_report', 'training_report', 'test_report',
      'data_three_lists', 'database_admin_handover', 'source_code', 'interface_spec', 'extension_application',
      'acceptance_application', 'pre_acceptance_report', 'acceptance_report',
    ];
    for (const id of naming) {
      const t = catalogue.byId.get(id)!;
      for (const s of t.seedTerms) {
        const term = s.term.replace(/[《》]/g, '');
        expect(t.titleTerms.some((x) => term.includes(x)), `${id}: ${term}`).toBe(true);
      }
    }
  });
});
