import type { FieldValue } from '../../extractors/fields/schema.ts';

/**
 * A field value as one scalar, for reports and the facts: amounts as the 万元 decimal string, dates as ISO (reduced
 * precision allowed), periods as an ISO interval "start/end", verdicts as 合格/不合格, organisations by name, service
 * periods in months, payments as "15%", changes as their 万元 amount, expert lists joined by 、.
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
    case 'payment':
      return `${value.percent}%`;
    case 'duration':
      return String(value.months);
    case 'change':
      return value.amount.wan;
    case 'accreditation':
      return value.number ? `${value.mark} ${value.number}` : value.mark;
    case 'certificate':
      return value.validUntil ? `${value.holder ?? '?'}至${value.validUntil.iso}` : value.holder;
    case 'names':
      return value.names.join('、');
  }
}
