import { distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { normOrg } from '../../extractors/fields/orgs.ts';
import type { SealRecord, SealScan } from '../../extractors/seals/schema.ts';
import type { RuleContext, RuleEvidence, RuleFile, Statement } from './context.ts';
import type { RuleDefinition } from './schema.ts';

/**
 * GEN-10 (../shared/domain/requirements.md §4.1): a document that must be stamped carries the seal of the
 * organisation that issued or signed it — for a contract, of both parties.
 *
 * What may be said depends on what could be seen. A file read from its text layer (a Word file, a born-digital PDF)
 * shows no seal to the detector, so nothing is said about it unless it carries an electronic seal. A grey scan hides
 * red ink, so nothing is said either. A seal whose text the OCR could not read reliably is reported as "请人工核对",
 * never as a mismatch: a wrong "未见盖章" on a stamped paper costs an applicant a round trip.
 */

interface CheckResult {
  message: string;
  evidence: RuleEvidence[];
  severity?: 'error' | 'warning';
}

/** What the rule reads beyond a RuleFile: the seals and where they were looked for (pipeline/stages/evaluate.ts). */
export interface SealRuleFile extends RuleFile {
  seals?: readonly SealRecord[];
  sealScan?: SealScan;
}

const FieldName = z.string().min(1);

const StampedDocumentsParams = z.strictObject({
  documents: z
    .array(
      z.strictObject({
        /** Doc types (checklists/catalogue.yaml) that must be stamped. */
        docTypes: z.array(z.string().min(1)).min(1),
        /** Fields naming who should have stamped, in order of preference (the first a document states is used). */
        stampedBy: z.array(FieldName).min(1),
        /** Every listed field's organisation must have stamped (a contract's 甲方 and 乙方), not just the first. */
        each: z.boolean().default(false),
        /** How the message names the document kind, e.g. 批复文件. */
        label: z.string().min(1),
      }),
    )
    .min(1),
});

const FIELD_LABELS: Record<string, string> = {
  issuer: '发文机关',
  signatory: '落款单位',
  partyA: '甲方',
  partyB: '乙方',
  constructionUnit: '建设单位',
  testingAgency: '检测机构',
  supervisor: '监理单位',
  contractor: '承建单位',
  drafter: '编制单位',
};

/** A reading we trust enough to call a mismatch a mismatch. */
const TRUSTED_RIM_CONFIDENCE = 60;

/** How many misread characters a rim reading may have and still name the organisation. */
function tolerance(length: number): number {
  if (length >= 8) return 2;
  if (length >= 4) return 1;
  return 0;
}

/** The organisation names a seal stands for: its rim text, or an electronic seal's name and signer. */
function sealNames(seal: SealRecord): string[] {
  return [seal.rimText, seal.name, seal.signer].filter((t): t is string => !!t).map((t) => normOrg(t)).filter((t) => t.length > 0);
}

/** Does the seal name `org`, after norm(), allowing one or two misread characters on the rim? */
export function sealMatchesOrg(seal: SealRecord, org: string): boolean {
  const want = normOrg(org);
  if (!want) return false;
  return sealNames(seal).some((name) => {
    if (name === want) return true;
    // A rim that carries more than the name (a code, 专用章) still names it; so does a signer's certificate subject.
    if (name.includes(want) || (name.length >= 4 && want.includes(name) && name.length >= want.length * 0.8)) return true;
    return distance(name, want) <= tolerance(want.length);
  });
}

function readable(seal: SealRecord): boolean {
  if (seal.electronic) return sealNames(seal).length > 0;
  return !!seal.rimText && (seal.rimConfidence ?? 0) >= TRUSTED_RIM_CONFIDENCE && seal.sure && !seal.cutAtEdge;
}

function describeSeal(seal: SealRecord): string {
  if (seal.electronic) return `电子签章「${seal.name ?? seal.signer ?? '未命名'}」`;
  const text = seal.rimText ? `「${seal.rimText}」` : '（文字未识别）';
  return `${seal.page ? `第 ${seal.page} 页` : ''}印章${text}${seal.centreText ? `「${seal.centreText}」` : ''}`;
}

function sealEvidence(path: string, seal: SealRecord): RuleEvidence {
  return {
    path,
    ...(seal.page ? { page: seal.page } : {}),
    quote: seal.electronic ? `电子签章：${seal.name ?? ''}${seal.signer ? `（签名人：${seal.signer}）` : ''}` : `印章文字（识别）：${seal.rimText ?? '未识别'}${seal.centreText ? ` ${seal.centreText}` : ''}`,
    ...(seal.electronic ? {} : { source: 'ocr' as const }),
    label: '印章',
  };
}

/** The organisation each listed field names in this document, first statement per field. */
function expectedOrgs(statements: readonly Statement[], path: string, pages: ReadonlySet<number>, fields: readonly string[]): Array<{ field: string; statement: Statement }> {
  const out: Array<{ field: string; statement: Statement }> = [];
  for (const field of fields) {
    const statement = statements.find((s) => s.field === field && s.evidence.path === path && (s.evidence.page === undefined || pages.has(s.evidence.page)));
    if (statement) out.push({ field, statement });
  }
  return out;
}

export function stampedDocuments(ctx: RuleContext, params: z.output<typeof StampedDocumentsParams>, _rule: RuleDefinition): CheckResult[] {
  const results: CheckResult[] = [];
  for (const file of ctx.files as readonly SealRuleFile[]) {
    const spec = params.documents.find((d) => d.docTypes.some((t) => file.docTypes[0] === t));
    if (!spec) continue;
    const pages = new Set(file.pages.map((p) => p.n));
    const seals = (file.seals ?? []).filter((s) => s.page === undefined || pages.has(s.page));
    const checked = (file.sealScan?.checkedPages ?? []).filter((n) => pages.has(n));
    const monochrome = new Set(file.sealScan?.monochromePages ?? []);
    const colourChecked = checked.filter((n) => !monochrome.has(n));
    const lastPage = Math.max(...pages);
    const docName = `${spec.label}《${file.path}》`;

    if (seals.length === 0) {
      // Only a document whose every page was looked at in colour can be said to carry no seal.
      if (pages.size > 0 && colourChecked.length === pages.size) {
        results.push({
          message: `未见盖章：${docName}的扫描页上未检出印章（应由${spec.stampedBy.map((f) => FIELD_LABELS[f] ?? f).join('或')}盖章）`,
          evidence: [{ path: file.path, page: lastPage, quote: '未检出红色印章', label: '印章' }],
        });
      } else if (checked.length > 0 && colourChecked.length < checked.length && colourChecked.length === 0) {
        results.push({
          message: `${docName}为黑白扫描件，无法判断是否盖章，请人工核对`,
          evidence: [{ path: file.path, page: lastPage, label: '印章' }],
        });
      }
      continue;
    }

    const wanted = expectedOrgs(ctx.statements, file.path, pages, spec.stampedBy);
    const targets = spec.each ? wanted : wanted.slice(0, 1);
    for (const { field, statement } of targets) {
      if (seals.some((seal) => sealMatchesOrg(seal, statement.value))) continue;
      const who = `${FIELD_LABELS[field] ?? field}「${statement.value}」`;
      const trusted = seals.filter(readable);
      if (trusted.length === 0 || trusted.length < seals.length) {
        results.push({
          message: `${docName}上的印章文字未能可靠识别（${seals.map(describeSeal).join('；')}），无法确认是否为${who}所盖，请人工核对印章`,
          evidence: [{ ...statement.evidence, label: FIELD_LABELS[field] ?? field }, ...seals.map((s) => sealEvidence(file.path, s))],
        });
        continue;
      }
      results.push({
        message: `印章单位与落款单位不一致：${docName}的${who}，但所见印章为${trusted.map(describeSeal).join('；')}${spec.each ? `（缺${FIELD_LABELS[field] ?? field}印章）` : ''}`,
        evidence: [{ ...statement.evidence, label: FIELD_LABELS[field] ?? field }, ...trusted.map((s) => sealEvidence(file.path, s))],
      });
    }
  }
  return results;
}

/** The seal checks, merged into the table of checks that checklists name (checklists/rules/checks.ts). */
export const SEAL_CHECKS = {
  stampedDocuments: { params: StampedDocumentsParams, run: stampedDocuments },
};
