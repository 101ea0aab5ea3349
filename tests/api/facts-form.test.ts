import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecordDatabase } from '../../api/db/database.ts';
import { SqlRecordTable } from '../../api/db/records-table.ts';
import { DossierRepository } from '../../api/dossiers/records.ts';
import { DATABASE_FOLDER, LocalFolderStore } from '../../storage/index.ts';
import { bearer, checkedDossier, startTestApi, type TestApi } from './harness.ts';

/**
 * The report page's one facts form (api/ui/fact-entries.js) over the API's real answers: each fact once, the value
 * read from the documents prefilled with where it was read, the declared facts kept with the dossier's record in the
 * records database (SQLite here) and prefilled on the next visit.
 */

interface Entry {
  fact: { name: string; label: string };
  value: unknown;
  origin: 'declared' | 'derived' | 'none';
  source: string | null;
  rows: { id: string; title: string }[];
}
interface FactEntriesModule {
  factEntries(input: { formFacts: unknown[]; factByName: Map<string, unknown>; confirm: unknown[]; declared: Record<string, unknown>; reportFacts: Record<string, unknown> }): Entry[];
  factChanges(entries: Entry[], read: (name: string) => unknown): Record<string, unknown>;
}
// The page's own module, as the browser loads it (plain JS: the UI has no build step).
const ui = (await import(new URL('../../api/ui/fact-entries.js', import.meta.url).href)) as FactEntriesModule;

interface FormFact {
  name: string;
  label: string;
}
interface Requirement {
  id: string;
  title: string;
  status: string;
  unknownFacts: string[];
}

let api: TestApi;
let admin: string;

beforeAll(async () => {
  api = await startTestApi({ processConcurrency: 1 });
  admin = await api.token('admin');
});
afterAll(async () => {
  await api?.close();
});

async function pageData(id: string) {
  const get = async (url: string) => (await api.app.inject({ url, headers: bearer(admin) })).json();
  const dossier = await get(`/api/v1/dossiers/${id}`);
  const report = await get(`/api/v1/dossiers/${id}/report`);
  const checklist = await get(`/api/v1/checklists/${dossier.city}`);
  const formFacts = checklist.facts[report.stage] as FormFact[];
  const factByName = new Map([...checklist.facts.filing, ...checklist.facts.acceptance].map((f: FormFact) => [f.name, f]));
  const confirm = (report.requirements as Requirement[]).filter((r) => r.status === 'needs_confirmation');
  return { dossier, report, entries: ui.factEntries({ formFacts, factByName, confirm, declared: dossier.facts, reportFacts: report.facts }) };
}

describe('the one facts form of a dossier', () => {
  it('lists each fact once, the value read from the documents prefilled with its document, page and words', async () => {
    const id = await checkedDossier(api, admin, { city: 'yiyang' });
    const { report, entries } = await pageData(id);
    const names = entries.map((e) => e.fact.name);
    expect(new Set(names).size).toBe(names.length);
    // Every fact a 需确认 row asks has its control in the form, not one of its own.
    const asked = (report.requirements as Requirement[]).filter((r) => r.status === 'needs_confirmation').flatMap((r) => r.unknownFacts);
    for (const name of asked) expect(names).toContain(name);

    const investment = entries.find((e) => e.fact.name === 'totalInvestmentWan');
    expect(investment).toMatchObject({ value: 80, origin: 'derived' });
    expect(investment!.source).toMatch(/^从《项目立项申报表》第1页读出：「.*80.*」$/);
    // Left to the agency by the regulation: nothing to read, the input stays empty under its question.
    const undeclared = entries.find((e) => e.fact.name === 'sharingExempt');
    expect(undeclared).toMatchObject({ origin: 'none', value: undefined, source: null });
  });

  it('sends only what the officer changed: a derived value left as it is stays derived', async () => {
    const id = await checkedDossier(api, admin, { city: 'yiyang' });
    const { entries } = await pageData(id);
    const unchanged = ui.factChanges(entries, (name) => entries.find((e) => e.fact.name === name)!.value);
    expect(unchanged).toEqual({});
    const changed = ui.factChanges(entries, (name) => (name === 'filingStep' ? 'plan' : name === 'totalInvestmentWan' ? 120 : entries.find((e) => e.fact.name === name)!.value));
    expect(changed).toEqual({ filingStep: 'plan', totalInvestmentWan: 120 });
  });

  it('keeps declared facts with the dossier in the records database and prefills them on the next visit', async () => {
    const id = await checkedDossier(api, admin, { city: 'yiyang' });
    const recheck = await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/recheck`, headers: bearer(admin), payload: { facts: { filingStep: 'plan', totalInvestmentWan: 120 } } });
    expect(recheck.statusCode).toBe(200);

    const { dossier, report, entries } = await pageData(id);
    expect(dossier.facts).toEqual({ filingStep: 'plan', totalInvestmentWan: 120 });
    expect(report.facts.totalInvestmentWan).toMatchObject({ value: 120, source: 'declared' });
    expect(entries.find((e) => e.fact.name === 'filingStep')).toMatchObject({ value: 'plan', origin: 'declared' });
    expect(entries.find((e) => e.fact.name === 'totalInvestmentWan')).toMatchObject({ value: 120, origin: 'declared', source: null });

    // Another process over the same data folder (no cache) reads them from the SQLite records table.
    const database = await openRecordDatabase({ sqliteFile: join(api.dataDir, DATABASE_FOLDER, 'records.sqlite') });
    try {
      const fresh = new DossierRepository(new LocalFolderStore({ root: api.dataDir }), 0, new SqlRecordTable(database.db));
      expect((await fresh.get(id))?.facts).toEqual({ filingStep: 'plan', totalInvestmentWan: 120 });
    } finally {
      await database.close();
    }

    // Withdrawing a declaration (the cleared input) lets the documents' value come back, with its source.
    const withdraw = ui.factChanges(entries, (name) => (name === 'totalInvestmentWan' ? undefined : entries.find((e) => e.fact.name === name)!.value));
    expect(withdraw).toEqual({ totalInvestmentWan: null });
    await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/recheck`, headers: bearer(admin), payload: { facts: withdraw } });
    const after = await pageData(id);
    expect(after.dossier.facts).toEqual({ filingStep: 'plan' });
    expect(after.entries.find((e) => e.fact.name === 'totalInvestmentWan')).toMatchObject({ value: 80, origin: 'derived' });
  });
});
