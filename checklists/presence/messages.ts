import { describeCondition, type FactWording } from '../conditions/index.ts';
import { ANY_HOST, docTypeName, type LoadedAlternative, type LoadedChecklist, type LoadedRow } from '../load.ts';
import type { FileStatus, RequirementEvidence } from './schema.ts';

/**
 * Every sentence the presence evaluator writes into the report, in Chinese. Each message of a row ends with the
 * article it rests on, so that the unit preparing the dossier can look it up.
 */

const FILE_STATUS_NAMES: Record<FileStatus, string> = {
  ok: '可读',
  empty: '内容为空',
  unreadable: '无法读取',
  encrypted: '已加密',
  unsupported: '格式不支持',
};

/** A fact's label (and its values' labels) for conditions in words; global facts first, then the checklist's own. */
export function factWording(checklist: LoadedChecklist, name: string): FactWording | undefined {
  const global = checklist.facts.byName.get(name);
  if (global) return { label: global.label, valueLabels: global.valueLabels };
  const local = checklist.localFacts.find((f) => f.name === name);
  return local ? { label: local.label } : undefined;
}

function factQuestion(checklist: LoadedChecklist, name: string): string | undefined {
  return checklist.facts.byName.get(name)?.question ?? checklist.localFacts.find((f) => f.name === name)?.question;
}

/**
 * "尚未声明“是否为重大电子政务工程？”" for the unknown facts: the question a person answers, never the fact key (the
 * report keeps the keys in unknownFacts for the screens that show them as small ids).
 */
function describeUnknown(unknownFacts: string[], checklist: LoadedChecklist): string {
  return `尚未声明${unknownFacts.map((f) => `“${factQuestion(checklist, f) ?? factWording(checklist, f)?.label ?? f}”`).join('、')}`;
}

/** The messages of one row, each for one outcome of the evaluator's order of decisions (checklists/evaluate.ts). */
export function rowMessages(row: LoadedRow, checklist: LoadedChecklist) {
  const wording = (name: string): FactWording | undefined => factWording(checklist, name);
  const cite = `（${row.citation.article}）`;
  const guardWords = (alternative: LoadedAlternative) => alternative.guardText ?? `“${describeCondition(alternative.guard!, wording)}”`;
  return {
    wording,
    /** Satisfied by a section where the row warns about sections (SC-A06). */
    sectionWarning: (warning: string) => `${row.id} ${row.title}：${warning}`,
    satisfied: (evidence: RequirementEvidence[]) => {
      const parts = evidence.map((e) =>
        e.via === 'section' ? `${e.path} 中的章节“${e.quote ?? ''}”` : `${e.path}（${docTypeName(checklist.catalogue, e.docType)}）`,
      );
      return `已提供${row.title}：${unique(parts).join('；')}`;
    },
    /** Only a guarded alternative is present, and its guard is unknown. */
    guardUndecided: (alternative: LoadedAlternative, unknownFacts: string[]) =>
      `需确认：仅提供了${alternative.label}，该方式仅限${guardWords(alternative)}，但${describeUnknown(unknownFacts, checklist)}。请确认后再判断${cite}`,
    /** Only a guarded alternative is present, and its guard does not hold. */
    guardNotMet: (alternative: LoadedAlternative) =>
      `不符合：仅提供了${alternative.label}，但该方式仅限${guardWords(alternative)}，本项目不满足；须提交${otherAlternatives(row, alternative)}${cite}`,
    notApplicable: (conditionText: string) => `不适用：条件“${conditionText}”不成立${cite}`,
    unreadable: (files: Array<{ path: string; status: FileStatus }>) =>
      `无法核对：${files.map((b) => `${b.path}（${FILE_STATUS_NAMES[b.status]}）`).join('、')} 应为${row.title}，但文件无法读取，请提供可读的文件${cite}`,
    /** The only file that might satisfy the row is one whose type the classifier is unsure of. */
    unsureFile: (files: Array<{ path: string; docType: string; score: number }>) =>
      `需确认：未找到可确认的${row.title}；${files
        .map((f) => `${f.path} 可能是${docTypeName(checklist.catalogue, f.docType)}（把握度 ${f.score.toFixed(2)}）`)
        .join('、')}，请人工确认文件类型${cite}`,
    conditionUnknown: (unknownFacts: string[], conditionText: string) =>
      `需确认：${describeUnknown(unknownFacts, checklist)}。若“${conditionText}”成立，须提交${row.title}${cite}`,
    declaredNotApplicable: (naText: string) => `请确认不适用：${row.id} ${row.title}——已声明“${naText}”，本项按不适用处理${cite}`,
    /** Missing, but the row may be declared not applicable. */
    missingUnlessDeclared: (naText: string, unknownFacts: string[]) =>
      `缺少${row.title}${cite}。如“${naText}”，可声明${unknownFacts.map((f) => `“${factWording(checklist, f)?.label ?? f}”`).join('、')}后按不适用处理`,
    missing: () => missingMessage(row, checklist),
  };
}

/** Why a filing row of the approval step is not asked for yet. */
export const PLAN_STEP_SKIP_REASON = '申报处于计划申报步骤，立项审批步骤的材料暂不要求';

/**
 * Two rows, one doc type (YY-A01 and YY-A12; ../shared/domain/requirements.md §9.6): a row whose condition is false
 * gives up the document.
 */
export function sharedDocumentMessage(owner: string): string {
  return `条件不成立；该文件已计入 ${owner}（同一类型的文件只计入与其相符的一行）`;
}

function missingMessage(row: LoadedRow, checklist: LoadedChecklist): string {
  const what =
    row.requirement.alternatives.length > 1 ? row.requirement.alternatives.map((a) => a.label).join('或') : row.title;
  const section = row.requirement.section;
  const hosts = section ? section.hosts.filter((h) => h !== ANY_HOST).map((h) => docTypeName(checklist.catalogue, h)) : [];
  const sectionHint = section ? (hosts.length > 0 ? `（也可为${hosts.join('或')}中的相应章节）` : '（也可为其他材料中的相应章节）') : '';
  const severityWord = row.severity === 'error' ? '缺少' : '建议补充';
  return `${severityWord}${what}${sectionHint}（${row.citation.article}：“${row.citation.quoteNormalised ?? row.citation.quote}”）`;
}

function otherAlternatives(row: LoadedRow, except: LoadedAlternative): string {
  const others = row.requirement.alternatives.filter((a) => a !== except).map((a) => a.label);
  return others.length > 0 ? others.join('或') : row.title;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
