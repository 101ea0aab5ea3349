import { z } from 'zod';

/**
 * The answer an officer reads first: accept, ask for 补正, or say the dossier could not be checked at all. The same
 * words appear in the CLI, the report, the UI, the batch table and the notice, so they are made here only.
 *
 * Error-level gaps are 必须补正; warning-level gaps are 建议补充 and never make a dossier incomplete on their own. A
 * dossier none of whose files can be read is 无法检查, never "不齐全（缺 15 项）": that answer would be confidently wrong.
 */
export const VerdictOutcomeSchema = z.enum(['complete', 'needs_supplement', 'uncheckable']);
export type VerdictOutcome = z.infer<typeof VerdictOutcomeSchema>;

export const VerdictSchema = z.object({
  outcome: VerdictOutcomeSchema,
  /** 材料齐全 / 需补正（N 项必须补正，M 项建议补充） / 无法检查（原因）. */
  text: z.string(),
  /** Error-level gaps and error findings: the unit must supply or fix these. */
  mustSupply: z.number().int().nonnegative(),
  /** Warning-level gaps: advised, not required. */
  shouldSupply: z.number().int().nonnegative(),
  /** Rows waiting for a fact the officer has to declare. */
  toConfirm: z.number().int().nonnegative(),
  /** For 无法检查: why, in a sentence the user can act on. */
  reason: z.string().optional(),
});
export type Verdict = z.infer<typeof VerdictSchema>;

export interface VerdictInput {
  requirements: ReadonlyArray<{ status: string; severity: string }>;
  findings: ReadonlyArray<{ severity: string; ruleId: string; message: string }>;
  files: ReadonlyArray<{ path: string; status: string; message?: string; duplicateOf?: string }>;
  /** Intake's own findings (an archive that would not open, encrypted entries…): the likeliest reason for 无法检查. */
  intakeFindings: ReadonlyArray<{ severity: string; message: string }>;
}

const GAP_STATUSES = new Set(['missing', 'unreadable']);
/** Findings that restate the dossier's emptiness or a file's unreadability; the reason says it better. */
const RESTATING_FINDINGS = /^(DOSSIER-EMPTY|FILE-)/;
const MAX_REASONS_LISTED = 3;

export function decideVerdict(input: VerdictInput): Verdict {
  const toConfirm = input.requirements.filter((r) => r.status === 'needs_confirmation').length;
  const reason = uncheckableReason(input);
  if (reason !== undefined) {
    return { outcome: 'uncheckable', text: uncheckableText(reason), mustSupply: 0, shouldSupply: 0, toConfirm, reason };
  }
  const gaps = input.requirements.filter((r) => GAP_STATUSES.has(r.status));
  const errorFindings = input.findings.filter((f) => f.severity === 'error' && !RESTATING_FINDINGS.test(f.ruleId));
  const mustSupply = gaps.filter((r) => r.severity === 'error').length + errorFindings.length;
  const shouldSupply = gaps.filter((r) => r.severity !== 'error').length;
  if (mustSupply > 0) {
    return { outcome: 'needs_supplement', text: needsSupplementText(mustSupply, shouldSupply), mustSupply, shouldSupply, toConfirm };
  }
  return { outcome: 'complete', text: completeText(shouldSupply, toConfirm), mustSupply, shouldSupply, toConfirm };
}

export function needsSupplementText(mustSupply: number, shouldSupply: number): string {
  return `需补正（${mustSupply} 项必须补正${shouldSupply > 0 ? `，${shouldSupply} 项建议补充` : ''}）`;
}

export function uncheckableText(reason: string): string {
  return `无法检查（${reason.replace(/[。；]+$/, '')}）`;
}

function completeText(shouldSupply: number, toConfirm: number): string {
  const extras = [shouldSupply > 0 ? `${shouldSupply} 项建议补充` : '', toConfirm > 0 ? `${toConfirm} 项需确认` : ''].filter(Boolean);
  return extras.length > 0 ? `材料齐全（另有 ${extras.join('、')}）` : '材料齐全';
}

/** Undefined when at least one file was read; otherwise why nothing could be. */
function uncheckableReason(input: VerdictInput): string | undefined {
  const originals = input.files.filter((f) => !f.duplicateOf);
  if (originals.some((f) => f.status === 'ok')) return undefined;
  const intakeReasons = input.intakeFindings.filter((f) => f.severity !== 'info').map((f) => f.message);
  if (originals.length === 0) {
    return [...new Set(intakeReasons)].slice(0, MAX_REASONS_LISTED).join('；') || '材料包中没有可检查的文件，请确认上传的是完整的材料包';
  }
  if (originals.length === 1) {
    const only = originals[0]!;
    return `${only.path}：${only.message ?? '无法读取'}`;
  }
  const fileReasons = [...new Set(originals.map((f) => f.message ?? '无法读取'))];
  const listed = [...new Set([...intakeReasons, ...fileReasons])].slice(0, MAX_REASONS_LISTED);
  return `${originals.length} 个文件都无法读取：${listed.join('；')}`;
}
