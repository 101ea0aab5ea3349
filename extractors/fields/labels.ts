import type { AmountBasis, FieldName } from './schema.ts';

/**
 * The labels of requirements §5.1 (seed wording first, then real-world wording), what each one introduces, and how
 * its value is read. A label may feed several fields ("甲方" is partyA; "采购人" names the construction unit).
 */

export type ValueKind =
  | 'org'
  | 'projectName'
  | 'code'
  | 'date'
  | 'period'
  | 'amount'
  | 'verdict'
  | 'docNumber';

export interface LabelSpec {
  labels: readonly string[];
  fields: readonly FieldName[];
  kind: ValueKind;
  confidence: number;
  basis?: AmountBasis;
  party?: 'A' | 'B';
  /** A generic party label ("乙方", "供应商") that names the supervisor when the document is about supervision. */
  partyRole?: boolean;
}

export const LABEL_SPECS: readonly LabelSpec[] = [
  { labels: ['项目名称', '工程名称', '项目全称', '采购项目名称', '建设项目名称', '项目名'], fields: ['projectName'], kind: 'projectName', confidence: 0.9 },
  // Often a shortened name (no city, no phase): kept as weak evidence, below the 0.5 that consistency checks use.
  { labels: ['被测系统名称', '测评对象', '被测对象', '系统名称', '合同名称'], fields: ['projectName'], kind: 'projectName', confidence: 0.45 },
  { labels: ['项目编号', '项目代码', '储备库编号', '采购项目编号', '采购编号', '招标编号', '项目统一代码'], fields: ['projectCode'], kind: 'code', confidence: 0.85 },
  { labels: ['合同编号', '合同号'], fields: ['contractNumber'], kind: 'code', confidence: 0.85 },
  {
    labels: ['建设单位', '项目建设单位', '项目单位', '申报单位', '采购单位', '业主单位', '项目建设主体', '项目使用方', '项目业主', '建设方', '业主方'],
    fields: ['constructionUnit'],
    kind: 'org',
    confidence: 0.9,
  },
  // Usually the construction unit, but a test may be commissioned by the contractor and a system used by others:
  // weak evidence (below 0.5) that never on its own makes a disagreement.
  { labels: ['委托单位', '使用单位', '需求单位', '用户单位'], fields: ['constructionUnit'], kind: 'org', confidence: 0.45 },
  { labels: ['采购人', '招标人'], fields: ['constructionUnit'], kind: 'org', confidence: 0.85 },
  { labels: ['委托人', '委托方'], fields: ['constructionUnit', 'partyA'], kind: 'org', confidence: 0.8, party: 'A' },
  { labels: ['甲方', '发包人', '发包方', '买方'], fields: ['partyA'], kind: 'org', confidence: 0.9, party: 'A' },
  { labels: ['乙方', '承包人', '承包方', '卖方', '受托人', '受托方'], fields: ['partyB'], kind: 'org', confidence: 0.9, party: 'B', partyRole: true },
  { labels: ['中标人', '中标单位', '中标供应商', '成交供应商', '成交人', '成交单位'], fields: ['awardee', 'contractor'], kind: 'org', confidence: 0.85, partyRole: true },
  { labels: ['供应商'], fields: ['contractor'], kind: 'org', confidence: 0.75, partyRole: true },
  {
    labels: ['承建单位', '承建方', '承建商', '实施单位', '集成商', '系统集成商', '开发单位', '施工单位', '承接单位', '项目实施单位'],
    fields: ['contractor'],
    kind: 'org',
    confidence: 0.9,
  },
  { labels: ['监理单位', '监理公司', '工程监理单位', '监理方', '监理机构', '监理服务单位'], fields: ['supervisor'], kind: 'org', confidence: 0.9 },
  { labels: ['监理人'], fields: ['supervisor', 'partyB'], kind: 'org', confidence: 0.85, party: 'B' },
  {
    labels: ['测评机构', '第三方测评机构', '测评认证机构', '检测机构', '等级测评机构', '商用密码检测机构', '密评机构', '测评单位', '检测单位', '测试单位', '评估机构', '评估单位'],
    fields: ['testingAgency'],
    kind: 'org',
    confidence: 0.9,
  },
  { labels: ['编制单位', '设计单位', '咨询机构', '编制机构', '编写单位', '咨询单位', '报告编制单位', '方案编制单位'], fields: ['drafter'], kind: 'org', confidence: 0.9 },
  {
    labels: ['发文机关', '出具单位', '评审单位', '审查单位', '组织单位', '发文单位', '审批单位', '批复单位', '签发单位', '验收组织单位', '组织验收单位', '主持单位', '评审机构'],
    fields: ['issuer'],
    kind: 'org',
    confidence: 0.85,
  },
  { labels: ['文号', '发文字号', '批复文号', '发文编号'], fields: ['docNumber'], kind: 'docNumber', confidence: 0.9 },
  {
    labels: ['日期', '编制日期', '成文日期', '报告日期', '签发日期', '批复日期', '出具日期', '落款日期', '发文日期', '印发日期', '填报日期', '申报日期', '申请日期', '申请时间', '评审日期', '测评日期', '检测日期', '测试日期', '报告时间', '编制时间', '出具时间'],
    fields: ['docDate'],
    kind: 'date',
    confidence: 0.85,
  },
  { labels: ['签订日期', '签约日期', '签署日期', '签订时间', '合同签订日期'], fields: ['signDate', 'docDate'], kind: 'date', confidence: 0.85 },
  { labels: ['验收日期', '验收时间', '验收会议时间', '竣工验收日期', '竣工验收时间'], fields: ['acceptanceDate'], kind: 'date', confidence: 0.85 },
  { labels: ['初验日期', '初步验收日期', '初步验收时间', '初验时间'], fields: ['preliminaryAcceptanceDate'], kind: 'date', confidence: 0.9 },
  { labels: ['自查日期', '自查时间', '自检日期'], fields: ['selfInspectionDate'], kind: 'date', confidence: 0.9 },
  { labels: ['开工日期', '开工时间'], fields: ['constructionStartDate'], kind: 'date', confidence: 0.9 },
  { labels: ['竣工日期', '完工日期', '完工时间', '竣工时间'], fields: ['completionDate'], kind: 'date', confidence: 0.85 },
  { labels: ['试运行时间', '试运行期', '试运行期间', '试运行周期', '试运行日期', '试运行时段'], fields: ['trialRunPeriod'], kind: 'period', confidence: 0.9 },
  { labels: ['试运行结论', '试运行情况', '试运行意见'], fields: ['trialRunConclusion'], kind: 'verdict', confidence: 0.8 },
  { labels: ['初验结论', '初步验收结论', '初验意见', '初步验收意见'], fields: ['preliminaryAcceptanceConclusion'], kind: 'verdict', confidence: 0.85 },
  { labels: ['验收结论', '竣工验收结论', '验收意见'], fields: ['acceptanceConclusion'], kind: 'verdict', confidence: 0.8 },
  { labels: ['批复总投资', '核定总投资', '批准总投资', '核定投资', '批复投资', '批复概算', '核定概算'], fields: ['totalInvestment'], kind: 'amount', confidence: 0.9, basis: 'approved' },
  { labels: ['概算总投资', '总投资概算', '投资概算', '项目概算', '总概算', '投资估算', '总投资估算', '估算总投资', '投资匡算', '投资预算'], fields: ['totalInvestment'], kind: 'amount', confidence: 0.85, basis: 'estimate' },
  { labels: ['项目总投资', '总投资', '投资总额', '项目投资', '总投资额', '项目总投资额'], fields: ['totalInvestment'], kind: 'amount', confidence: 0.85, basis: 'stated' },
  { labels: ['计划投资', '计划金额', '下达投资'], fields: ['totalInvestment'], kind: 'amount', confidence: 0.6, basis: 'planned' },
  { labels: ['审定金额', '评审金额', '核定金额', '审核金额', '审定投资', '评审核定金额', '审定总投资'], fields: ['reviewedAmount'], kind: 'amount', confidence: 0.85 },
  {
    labels: ['合同金额', '合同价款', '合同总价', '合同总金额', '签约合同价', '中标金额', '成交金额', '中标价', '成交价', '价税合计', '合同价', '中标价格', '成交价格', '合同总价款', '监理服务费', '监理费', '服务费总额', '合同服务费'],
    fields: ['contractAmount'],
    kind: 'amount',
    confidence: 0.85,
  },
  { labels: ['预算金额', '采购预算', '最高限价', '项目预算'], fields: ['procurementBudget'], kind: 'amount', confidence: 0.8 },
];

export interface LabelEntry {
  label: string;
  spec: LabelSpec;
}

/** Every label, longest first, so "项目建设单位" is tried before "建设单位" and "总投资估算" before "总投资". */
export const LABEL_ENTRIES: readonly LabelEntry[] = LABEL_SPECS.flatMap((spec) => spec.labels.map((label) => ({ label, spec }))).sort(
  (a, b) => b.label.length - a.label.length,
);

const BY_LABEL = new Map(LABEL_ENTRIES.map((entry) => [entry.label, entry]));

export function labelEntry(label: string): LabelEntry | undefined {
  return BY_LABEL.get(label);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const LABEL_ALTERNATION = LABEL_ENTRIES.map((entry) => escape(entry.label)).join('|');

/** Words in brackets after a label that only say where the seal or signature goes. */
export const SEAL_QUALIFIER = /^(?:盖章|公章|章|签章|印章|签字|签名|签字盖章|盖章签字|签字或盖章|全称|名称)$/;
