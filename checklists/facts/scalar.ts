import type { FieldValue } from '../../extractors/fields/schema.ts';

/**
 * A field value as one scalar, for reports and the facts: amounts as the 万元 decimal string, dates as ISO (reduced
 * precision allowed), periods as an ISO interval "start/end", verdicts as 合格/不合格, organisations by name.
 */
export function fieldValueToScalar(value: FieldValue): string | null {
  switch (value.kind) {
    case 'text':
      return value.text;
    case 'org':
      return value.name;
    case 'amount':
      return value.wan;
    case 'date':
      return value.iso;
    case 'period':
      return `${value.start?.iso ?? '..'}/${value.end?.iso ?? '..'}`;
    case 'verdict':
      return value.pass ? '合格' : '不合格';
    case 'docNumber':
      return value.normalized;
    case 'statement':
      return value.date ? `${value.text}（${value.date.iso}）` : value.text;
    case 'relativeDate':
      return `${value.anchor}后${value.amount}${{ day: '日', workday: '个工作日', month: '个月', year: '年' }[value.unit]}${value.bound === 'within' ? '内' : ''}`;
    case 'amountPair':
      return `${value.daxie.wan ?? '?'}/${value.arabic.wan ?? '?'}`;
    case 'planEntry':
      return value.projectName;
    case 'orgIdentifier':
      return value.creditCode ?? value.org;
    case 'itemization':
      return value.sum;
  }
}
