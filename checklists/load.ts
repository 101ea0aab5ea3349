import { readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { foldWidth, stripPinyinAnnotations, toSimplified } from '../extractors/normalize.ts';
import { CatalogueSchema, type Catalogue, type DocType, type SectionKey } from './catalogue-schema.ts';
import {
  bindCondition,
  bindExpression,
  ConditionError,
  type BoundCondition,
  type BoundExpression,
  type FactSignature,
  type FactTable,
} from './conditions/index.ts';
import {
  ChecklistSchema,
  FactsFileSchema,
  type Alternative,
  type Checklist,
  type Citation,
  type FactDefinition,
  type LocalFact,
  type Row,
  type SectionSpec,
} from './schema.ts';
import { checkRules, commonRuleGroup, type BoundRule } from './rules/engine.ts';
import { ChecklistValidationError, describeIssue, readDataFile } from './validation.ts';

export { ChecklistValidationError, describeIssue, readDataFile } from './validation.ts';

/**
 * Loading the checklist data with validation that fails loudly (CONVENTIONS: a row naming an unknown doc type or
 * lacking a citation must stop the product at load, not surface as a wrong report later).
 */

const HERE = dirname(fileURLToPath(import.meta.url));
export const CATALOGUE_PATH = join(HERE, 'catalogue.yaml');
export const FACTS_PATH = join(HERE, 'facts.yaml');
export const JURISDICTIONS_DIR = join(HERE, 'jurisdictions');

/** Host value of a section-or-file row that accepts a section in any readable file. */
export const ANY_HOST = 'any';

// ---------------------------------------------------------------------------------------------------------------
// Catalogue

export interface LoadedCatalogue extends Catalogue {
  byId: ReadonlyMap<string, DocType>;
  sectionKeysByKey: ReadonlyMap<string, SectionKey>;
}

/**
 * Checks a parsed catalogue: schema, unique ids, section keys distinct from doc types, and every doc type that the
 * catch-all, `implies`, `refines`, the ambiguous title terms and the groups name is in the catalogue.
 */
export function prepareCatalogue(raw: unknown, source = 'catalogue'): LoadedCatalogue {
  const parsed = CatalogueSchema.safeParse(raw);
  if (!parsed.success) throw new ChecklistValidationError(source, parsed.error.issues.map((i) => describeIssue(i, raw)));
  const problems: string[] = [];
  const byId = new Map<string, DocType>();
  for (const t of parsed.data.docTypes) {
    if (byId.has(t.id)) problems.push(`文档类型编号重复：${t.id}`);
    byId.set(t.id, t);
  }
  const sectionKeysByKey = new Map<string, SectionKey>();
  for (const k of parsed.data.sectionKeys) {
    if (byId.has(k.key) || sectionKeysByKey.has(k.key)) problems.push(`章节键 ${k.key} 与已有编号重复`);
    sectionKeysByKey.set(k.key, k);
  }
  if (!byId.has(parsed.data.catchAll)) problems.push(`兜底类型 catchAll：文档类型 ${parsed.data.catchAll} 不在目录中`);
  for (const t of parsed.data.docTypes) {
    for (const implied of t.implies) if (!byId.has(implied) || implied === t.id) problems.push(`文档类型 ${t.id} 的 implies：${implied} 不是目录中的其他文档类型`);
  }
  for (const t of parsed.data.docTypes) {
    if (t.refines && (!byId.has(t.refines) || t.refines === t.id)) problems.push(`文档类型 ${t.id} 的 refines：${t.refines} 不是目录中的其他文档类型`);
  }
  // An ambiguous term only takes effect when it is read as a listed term of one of the types it names.
  for (const a of parsed.data.ambiguousTitleTerms) {
    for (const id of a.docTypes) if (!byId.has(id)) problems.push(`歧义标题词 ${a.term}：文档类型 ${id} 不在目录中`);
    if (!a.docTypes.some((id) => byId.get(id)?.titleTerms.includes(a.term))) problems.push(`歧义标题词 ${a.term}：它所列的文档类型都没有把它列为标题词（titleTerms）`);
    for (const d of a.decidedBy) if (!a.docTypes.includes(d.docType)) problems.push(`歧义标题词 ${a.term}：decidedBy 的 ${d.docType} 不是它所列的文档类型`);
  }
  for (const [name, group] of Object.entries(parsed.data.groups)) {
    for (const id of group.docTypes) if (!byId.has(id)) problems.push(`文档类型组 ${name}：文档类型 ${id} 不在目录中`);
  }
  if (problems.length > 0) throw new ChecklistValidationError(source, problems);
  return { ...parsed.data, byId, sectionKeysByKey };
}

let catalogueCache: LoadedCatalogue | undefined;

/** The doc-type catalogue shipped with the product (checklists/catalogue.yaml), validated once. */
export function loadCatalogue(path?: string): LoadedCatalogue {
  if (!path && catalogueCache) return catalogueCache;
  const file = path ?? CATALOGUE_PATH;
  const loaded = prepareCatalogue(readDataFile(file), file);
  if (!path) catalogueCache = loaded;
  return loaded;
}

/** Chinese name of a doc type or section key; the id itself when unknown. */
export function docTypeName(catalogue: LoadedCatalogue, id: string): string {
  return catalogue.byId.get(id)?.name ?? catalogue.sectionKeysByKey.get(id)?.name ?? id;
}

// ---------------------------------------------------------------------------------------------------------------
// Facts

export interface LoadedFacts {
  definitions: readonly FactDefinition[];
  byName: ReadonlyMap<string, FactDefinition>;
  table: FactTable;
  /** Derivation expressions of facts that have one, bound against `table`. */
  derivations: ReadonlyMap<string, BoundExpression>;
}

export function prepareFacts(raw: unknown, catalogue: LoadedCatalogue, source = 'facts'): LoadedFacts {
  const parsed = FactsFileSchema.safeParse(raw);
  if (!parsed.success) throw new ChecklistValidationError(source, parsed.error.issues.map((i) => describeIssue(i, raw)));
  const problems: string[] = [];
  const byName = new Map<string, FactDefinition>();
  const table = new Map<string, FactSignature>();
  for (const f of parsed.data.facts) {
    if (byName.has(f.name)) problems.push(`事实名称重复：${f.name}`);
    byName.set(f.name, f);
    table.set(f.name, { type: f.type, values: f.values });
  }
  const derivations = new Map<string, BoundExpression>();
  for (const f of parsed.data.facts) {
    for (const t of f.impliedByDocTypes) if (!catalogue.byId.has(t)) problems.push(`事实 ${f.name}：文档类型 ${t} 不在目录中`);
    if (f.derivation === undefined) continue;
    try {
      derivations.set(f.name, bindExpression(f.derivation, table, f.type));
    } catch (error) {
      problems.push(`事实 ${f.name} 的推导式：${conditionProblems(error).join('；')}`);
    }
  }
  if (problems.length > 0) throw new ChecklistValidationError(source, problems);
  return { definitions: parsed.data.facts, byName, table, derivations };
}

let factsCache: LoadedFacts | undefined;

/** The project facts (checklists/facts.yaml), validated once. */
export function loadFacts(path?: string): LoadedFacts {
  if (!path && factsCache) return factsCache;
  const file = path ?? FACTS_PATH;
  const loaded = prepareFacts(readDataFile(file), loadCatalogue(), file);
  if (!path) factsCache = loaded;
  return loaded;
}

// ---------------------------------------------------------------------------------------------------------------
// Checklists

export interface LoadedAlternative {
  allOf: string[];
  /** The alternative in words, e.g. "可行性研究报告 + 投资概算". */
  label: string;
  guard?: BoundCondition;
  guardText?: string;
}

export interface LoadedSection {
  /** The doc type (or section key) that a section stands for. */
  key: string;
  hosts: string[];
  /** Headings that count, Simplified, as written in the data. */
  headings: string[];
  warning?: string;
  /** True for section keys, which no file can carry as a type of its own. */
  sectionOnly: boolean;
}

export interface LoadedRow extends Omit<Row, 'condition' | 'naWhen' | 'requirement' | 'citation'> {
  condition: BoundCondition;
  naWhen?: BoundCondition;
  requirement: { alternatives: LoadedAlternative[]; section?: LoadedSection };
  /** Every doc type (or section key) the row names, in order. */
  docTypes: string[];
  citation: Citation & { quoteNormalised?: string };
}

export interface LoadedLocalFact extends LocalFact {
  derivation: BoundExpression;
}

export interface LoadedChecklist extends Omit<Checklist, 'rows' | 'localFacts'> {
  /** The file it came from, when loaded from one. */
  path?: string;
  rows: LoadedRow[];
  localFacts: LoadedLocalFact[];
  /** Global and local facts together: what conditions may name. */
  factTable: FactTable;
  /** The common rules, then the checklist's own, each checked and bound when the checklist loaded. */
  boundRules: readonly BoundRule[];
  facts: LoadedFacts;
  catalogue: LoadedCatalogue;
}

export interface ChecklistContext {
  catalogue?: LoadedCatalogue;
  facts?: LoadedFacts;
  /** Shown in problems; the file path when there is one. */
  source?: string;
  path?: string;
}

/**
 * Validates a parsed checklist and binds its conditions and rules (the common rules with it: a rule's check must exist,
 * its params fit that check's schema, its appliesWhen bind). Returns the problems instead of throwing, for the linter;
 * `loadChecklist` throws them.
 */
export function checkChecklist(raw: unknown, context: ChecklistContext = {}): { ok: true; checklist: LoadedChecklist } | { ok: false; problems: string[] } {
  const catalogue = context.catalogue ?? loadCatalogue();
  const facts = context.facts ?? loadFacts();
  const parsed = ChecklistSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => describeIssue(i, raw)) };
  const data = parsed.data;
  const problems: string[] = [];

  const factTable = new Map<string, FactSignature>(facts.table);
  const localFacts: LoadedLocalFact[] = [];
  for (const local of data.localFacts) {
    if (factTable.has(local.name)) {
      problems.push(`本地事实 ${local.name} 与已有事实重名`);
      continue;
    }
    try {
      localFacts.push({ ...local, derivation: bindExpression(local.definition, factTable, local.type) });
    } catch (error) {
      problems.push(`本地事实 ${local.name} 的定义：${conditionProblems(error).join('；')}`);
    }
    factTable.set(local.name, { type: local.type });
  }

  const seen = new Set<string>();
  const rows: LoadedRow[] = [];
  for (const row of data.rows) {
    const where = `行 ${row.id}`;
    if (seen.has(row.id)) problems.push(`${where}：行编号重复`);
    seen.add(row.id);
    const rowProblems: string[] = [];

    const bind = (text: string, what: string): BoundCondition | undefined => {
      try {
        return bindCondition(text, factTable);
      } catch (error) {
        rowProblems.push(`${what}“${text}”：${conditionProblems(error).join('；')}`);
        return undefined;
      }
    };
    const condition = bind(row.condition, '条件');
    const naWhen = row.naWhen === undefined ? undefined : bind(row.naWhen, '不适用条件（naWhen）');

    const section = row.requirement.section;
    const alternatives: LoadedAlternative[] = row.requirement.alternatives.map((alt: Alternative) => {
      for (const member of alt.allOf) {
        const isSectionKey = catalogue.sectionKeysByKey.has(member);
        if (isSectionKey && !(section?.sectionOnly && section.key === member)) {
          rowProblems.push(`${member} 是章节键，只能写作 { section: ${member}, sections: … }`);
        } else if (!isSectionKey && !catalogue.byId.has(member)) {
          rowProblems.push(`文档类型 ${member} 不在目录中`);
        }
      }
      return {
        allOf: alt.allOf,
        label: alt.label ?? alt.allOf.map((m) => docTypeName(catalogue, m)).join(' + '),
        guard: alt.guard === undefined ? undefined : bind(alt.guard, '备选条件（guard）'),
        guardText: alt.guardText,
      };
    });

    let loadedSection: LoadedSection | undefined;
    if (section) loadedSection = checkSection(section, row.requirement.alternatives, catalogue, rowProblems);

    for (const p of rowProblems) problems.push(`${where}：${p}`);
    if (rowProblems.length > 0 || !condition) continue;
    rows.push({
      ...row,
      condition,
      naWhen,
      requirement: { alternatives, section: loadedSection },
      docTypes: [...new Set(alternatives.flatMap((a) => a.allOf))],
      citation: withNormalisedQuote(row.citation),
    });
  }

  const rules = checkRules([commonRuleGroup(), { rules: data.rules }], factTable);
  problems.push(...rules.problems);
  for (const limit of data.timeLimits) {
    if (limit.appliesWhen === undefined) continue;
    try {
      bindCondition(limit.appliesWhen, factTable);
    } catch (error) {
      problems.push(`时限“${limit.title}”的适用条件“${limit.appliesWhen}”：${conditionProblems(error).join('；')}`);
    }
  }

  if (problems.length > 0) return { ok: false, problems };
  const { rows: _rows, localFacts: _local, ...meta } = data;
  return { ok: true, checklist: { ...meta, path: context.path, rows, localFacts, factTable, boundRules: rules.bound, facts, catalogue } };
}

function checkSection(
  section: SectionSpec & { key: string; sectionOnly: boolean },
  alternatives: Alternative[],
  catalogue: LoadedCatalogue,
  problems: string[],
): LoadedSection | undefined {
  const members = alternatives.flatMap((a) => a.allOf);
  if (!section.key) {
    problems.push('多个备选项的行须用 sections.for 指明章节代表哪一类文档');
    return undefined;
  }
  if (!members.includes(section.key)) problems.push(`sections.for 的 ${section.key} 不是本行要求的文档类型`);
  for (const host of section.hosts) {
    if (host !== ANY_HOST && !catalogue.byId.has(host)) problems.push(`章节宿主 ${host} 不在目录中`);
  }
  const headings = section.headings ?? catalogue.byId.get(section.key)?.sectionHeadings ?? catalogue.sectionKeysByKey.get(section.key)?.headings ?? [];
  if (headings.length === 0) problems.push(`没有可识别 ${section.key} 章节的标题（目录中无 sectionHeadings，行中也未列出 headings）`);
  return { key: section.key, hosts: section.hosts, headings, warning: section.warning, sectionOnly: section.sectionOnly };
}

/**
 * The 004 seed is Traditional with pinyin annotations: keep its words, add the Simplified reading for people
 * (../shared/domain/requirements.md §0.4).
 */
function withNormalisedQuote(given: Citation): Citation & { quoteNormalised?: string } {
  // Articles listed with ASCII ';' in the data (第八条; 第十条) read with the Chinese '；' in every rendering.
  const citation = { ...given, article: given.article.replace(/\s*;\s*/g, '；') };
  const simplified = toSimplified(stripPinyinAnnotations(citation.quote));
  return simplified === foldWidth(citation.quote.normalize('NFC')) ? citation : { ...citation, quoteNormalised: simplified };
}

/** Like checkChecklist, but throws ChecklistValidationError. */
export function prepareChecklist(raw: unknown, context: ChecklistContext = {}): LoadedChecklist {
  const result = checkChecklist(raw, context);
  if (!result.ok) throw new ChecklistValidationError(context.source ?? context.path ?? 'checklist', result.problems);
  return result.checklist;
}

const checklistCache = new Map<string, LoadedChecklist>();

/**
 * A shipped checklist by jurisdiction id (`changde`), or a user's checklist file by path (YAML or JSON).
 * Shipped checklists are cached; a user's file is read afresh each time so that edits show.
 */
export function loadChecklist(idOrPath: string): LoadedChecklist {
  const path = resolveChecklistPath(idOrPath);
  const shipped = dirname(path) === JURISDICTIONS_DIR;
  const cached = shipped ? checklistCache.get(path) : undefined;
  if (cached) return cached;
  const loaded = prepareChecklist(readDataFile(path), { source: path, path });
  if (shipped) checklistCache.set(path, loaded);
  return loaded;
}

function resolveChecklistPath(idOrPath: string): string {
  if (/^[a-z][a-z0-9-]*$/.test(idOrPath)) {
    const known = shippedChecklistFiles();
    const match = known.find((f) => basename(f).replace(/\.(ya?ml|json)$/, '') === idOrPath);
    if (match) return match;
    throw new ChecklistValidationError(idOrPath, [`没有内置的地区检查清单“${idOrPath}”（可选：${known.map((f) => basename(f).replace(/\.(ya?ml|json)$/, '')).join('、')}）`]);
  }
  return isAbsolute(idOrPath) ? idOrPath : resolve(idOrPath);
}

function shippedChecklistFiles(): string[] {
  return readdirSync(JURISDICTIONS_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => join(JURISDICTIONS_DIR, f));
}

export interface ChecklistSummary {
  id: string;
  name: string;
  regulation?: string;
  seedFile?: string;
  path: string;
  rows: number;
}

/** The shipped jurisdiction checklists, each validated. */
export function listChecklists(): ChecklistSummary[] {
  return shippedChecklistFiles().map((path) => {
    const c = loadChecklist(path);
    return { id: c.id, name: c.name, regulation: c.regulation, seedFile: c.seedFile, path, rows: c.rows.length };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Shared helpers

function conditionProblems(error: unknown): string[] {
  if (error instanceof ConditionError) return error.problems;
  throw error;
}
