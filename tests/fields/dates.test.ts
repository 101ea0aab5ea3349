import { describe, expect, it } from 'vitest';
import { addDays, addMonths, endOfMonth, findDates, parseDate, resolveRelative, type ParsedDate, type ParsedRange } from '../../extractors/fields/dates.ts';

const day = (text: string) => {
  const parsed = parseDate(text);
  expect(parsed?.kind).toBe('date');
  return parsed as ParsedDate;
};

describe('when a full date is written', () => {
  it.each([
    ['2022年9月15日', '2022-09-15'],
    ['2022年09月15日', '2022-09-15'],
    ['2022 年 9 月 15 日', '2022-09-15'],
    ['2022年9月15号', '2022-09-15'],
    ['2022-09-15', '2022-09-15'],
    ['2022.9.15', '2022-09-15'],
    ['2018.7.18', '2018-07-18'],
    ['2022/9/15', '2022-09-15'],
    ['20220915', '2022-09-15'],
    ['２０２２年９月１５日', '2022-09-15'],
    ['二○一二年三月二十一日', '2012-03-21'],
    ['二〇一二年三月二十一日', '2012-03-21'],
    ['二零一二年三月二十一日', '2012-03-21'],
    ['二O一二年三月二十一日', '2012-03-21'],
    ['二〇二四年十二月三十一日', '2024-12-31'],
    ['二〇二四年二月二十九日', '2024-02-29'],
    ['二〇二三年十月一日', '2023-10-01'],
  ])('reads %s as %s with day precision', (text, iso) => {
    const parsed = day(text);
    expect(parsed.iso).toBe(iso);
    expect(parsed.precision).toBe('day');
    expect(parsed.earliest).toBe(iso);
    expect(parsed.latest).toBe(iso);
  });

  it('rejects days a month does not have', () => {
    expect(parseDate('2023年2月29日')?.kind === 'date' && (parseDate('2023年2月29日') as ParsedDate).precision === 'day').toBe(false);
    expect(findDates('2023-02-30').filter((d) => d.kind === 'date' && d.precision === 'day')).toEqual([]);
  });
});

describe('when a date is partial or fuzzy', () => {
  it('reads X月底 as the last day of that month', () => {
    const parsed = day('2024年2月底');
    expect(parsed.iso).toBe('2024-02-29');
    expect(parsed.fuzzy).toBe('月底');
  });

  it('reads 年底 as 31 December', () => {
    expect(day('2023年底').iso).toBe('2023-12-31');
    expect(day('2023年年底').iso).toBe('2023-12-31');
  });

  it.each([
    ['2022年8月上旬', '2022-08-01', '2022-08-10'],
    ['2022年8月中旬', '2022-08-11', '2022-08-20'],
    ['2022年8月下旬', '2022-08-21', '2022-08-31'],
    ['2023年2月下旬', '2023-02-21', '2023-02-28'],
  ])('reads %s as the range %s..%s', (text, earliest, latest) => {
    const parsed = day(text);
    expect(parsed.precision).toBe('dekad');
    expect(parsed.earliest).toBe(earliest);
    expect(parsed.latest).toBe(latest);
  });

  it('reads X月份 with month precision', () => {
    const parsed = day('2022年9月份');
    expect(parsed.iso).toBe('2022-09');
    expect(parsed.precision).toBe('month');
    expect(parsed.earliest).toBe('2022-09-01');
    expect(parsed.latest).toBe('2022-09-30');
  });

  it('reads a bare year with year precision', () => {
    const parsed = day('2024年度');
    expect(parsed.iso).toBe('2024');
    expect(parsed.precision).toBe('year');
  });

  it('needs a reference year for a date written without one', () => {
    expect(parseDate('9月底')).toBeNull();
    expect((parseDate('9月底', { referenceYear: 2023 }) as ParsedDate).iso).toBe('2023-09-30');
    expect((parseDate('8月中旬', { referenceYear: 2023 }) as ParsedDate).earliest).toBe('2023-08-11');
    expect((parseDate('年底', { referenceYear: 2023 }) as ParsedDate).iso).toBe('2023-12-31');
  });
});

describe('when a period is written as a range', () => {
  it.each([
    ['自2023年1月1日起至2023年3月31日止', '2023-01-01', '2023-03-31'],
    ['2023年1月1日—2023年3月31日', '2023-01-01', '2023-03-31'],
    ['2023年1月1日至2023年3月31日', '2023-01-01', '2023-03-31'],
    ['2023年1月1日至3月31日', '2023-01-01', '2023-03-31'],
    ['2023.1.1-2023.3.31', '2023-01-01', '2023-03-31'],
    ['2023-01-01~2023-03-31', '2023-01-01', '2023-03-31'],
    ['2022年12月12日至2023年02月11日', '2022-12-12', '2023-02-11'],
    ['自 2022 年 12 月 12 日至 2023 年 02 月 11 日', '2022-12-12', '2023-02-11'],
  ])('reads %s', (text, start, end) => {
    const parsed = parseDate(text) as ParsedRange;
    expect(parsed.kind).toBe('range');
    expect(parsed.start.iso).toBe(start);
    expect(parsed.end.iso).toBe(end);
  });

  it('reads a month range with the start on the first day and the end on the last day', () => {
    const parsed = parseDate('2023年1月至2023年3月') as ParsedRange;
    expect(parsed.start.precision).toBe('month');
    expect(parsed.start.earliest).toBe('2023-01-01');
    expect(parsed.end.latest).toBe('2023-03-31');
  });

  it('includes 自…起 and 止 in the quoted text', () => {
    const text = '系统试运行时间自2024年3月6日起至2024年5月2日止。';
    const [range] = findDates(text);
    expect(text.slice(range!.offset.start, range!.offset.end)).toBe('自2024年3月6日起至2024年5月2日止');
  });
});

describe('when a date is relative to an event', () => {
  it('reads 合同签订后90日内', () => {
    expect(parseDate('合同签订后90日内')).toEqual({ kind: 'relative', raw: '合同签订后90日内', anchor: '合同签订', amount: 90, unit: 'day', bound: 'within' });
  });

  it('reads 自合同签订之日起12个月内', () => {
    const parsed = parseDate('乙方应自合同签订之日起12个月内完成建设并通过验收');
    expect(parsed).toMatchObject({ kind: 'relative', anchor: '合同签订', amount: 12, unit: 'month', bound: 'within' });
  });

  it('reads a duration without 内 as a period', () => {
    expect(parseDate('自验收合格之日起3年')).toMatchObject({ kind: 'relative', anchor: '验收合格', amount: 3, unit: 'year', bound: 'period' });
  });

  it('reads Chinese numerals and working days', () => {
    expect(parseDate('收到通知后十五个工作日内')).toMatchObject({ amount: 15, unit: 'workday' });
  });

  it('resolves months by the corresponding day', () => {
    const relative = parseDate('合同签订后3个月内');
    expect(relative?.kind).toBe('relative');
    if (relative?.kind === 'relative') expect(resolveRelative(relative, '2023-11-30')).toBe('2024-02-29');
  });
});

describe('when adding months per 民法典 第二百零二条', () => {
  it.each([
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2023-11-30', 3, '2024-02-29'],
    ['2023-01-15', 3, '2023-04-15'],
    ['2023-12-15', 1, '2024-01-15'],
    ['2023-03-31', 1, '2023-04-30'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2023-05-31', -3, '2023-02-28'],
  ])('addMonths(%s, %i) = %s', (start, months, expected) => {
    expect(addMonths(start, months)).toBe(expected);
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-01-01', 90)).toBe('2023-04-01');
  });

  it('knows the last day of February in leap and common years', () => {
    expect(endOfMonth(2024, 2)).toBe('2024-02-29');
    expect(endOfMonth(2100, 2)).toBe('2100-02-28');
    expect(endOfMonth(2000, 2)).toBe('2000-02-29');
  });
});

describe('when finding dates in running text', () => {
  it('finds every date with its offsets', () => {
    const text = '项目于2023-06-04经批复立项，2023年11月7日起进入试运行，12月15日结束。';
    const found = findDates(text);
    expect(found.filter((d) => d.kind === 'date').map((d) => (d as ParsedDate).iso)).toEqual(['2023-06-04', '2023-11-07']);
    for (const d of found) expect(text.slice(d.offset.start, d.offset.end)).toBe(d.raw);
  });

  it('does not read amounts, standard numbers or contract numbers as dates', () => {
    const found = findDates('金额2023.12万元；GB/T 22239-2019；合同编号HT-2023-1541；共12个月');
    expect(found.filter((d) => d.kind === 'date' && d.precision !== 'year')).toEqual([]);
  });
});
