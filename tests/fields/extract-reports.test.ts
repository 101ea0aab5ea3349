import { describe, expect, it } from 'vitest';
import { best, extract, valuesOf } from './extract-helpers.ts';

const TRIAL_AND_PRELIMINARY = `岳阳市城市运行管理平台三期建设项目
系统试运行和初步验收报告
项目名称：岳阳市城市运行管理平台三期建设项目
建设单位：岳阳市城市管理和综合执法局
编制单位：湖南正衡项目管理咨询有限公司
日期：2025年3月20日
一、试运行时间
系统试运行时间自2024年12月1日起至2025年2月28日止。
二、运行情况
试运行期间累计办理业务12034件，系统运行稳定，未发生重大故障。
三、初步验收情况
2025年3月15日，湖南正衡项目管理咨询有限公司组织对项目进行了初步验收，初验结论为合格。
四、结论
试运行合格，系统功能和性能满足合同要求。`;

describe('when reading a combined trial-run and preliminary-acceptance report', () => {
  const candidates = extract(TRIAL_AND_PRELIMINARY, 'text-layer', 'report.docx');

  it('reads the trial-run period as a range', () => {
    expect(best(candidates, 'trialRunPeriod')!.value).toMatchObject({
      kind: 'period',
      start: { iso: '2024-12-01', precision: 'day' },
      end: { iso: '2025-02-28', precision: 'day' },
    });
  });

  it('reads the trial-run conclusion, preferring an explicit verdict over "运行稳定"', () => {
    expect(best(candidates, 'trialRunConclusion')!.value).toEqual({ kind: 'verdict', pass: true, text: '合格' });
  });

  it('reads the preliminary acceptance date, verdict and organiser', () => {
    expect(valuesOf(candidates, 'preliminaryAcceptanceDate')[0]).toBe('2025-03-15');
    expect(valuesOf(candidates, 'preliminaryAcceptanceConclusion')).toEqual(['合格']);
    expect(valuesOf(candidates, 'preliminaryAcceptanceOrganizer')).toEqual(['湖南正衡项目管理咨询有限公司']);
  });

  it('gives the report date as the trial-run report date', () => {
    expect(valuesOf(candidates, 'trialRunReportDate')).toEqual(['2025-03-20']);
  });
});

describe('when a trial run or preliminary acceptance failed', () => {
  it('reads a failed trial run', () => {
    const candidates = extract('试运行结论：不合格，需整改后重新试运行。');
    expect(best(candidates, 'trialRunConclusion')!.value).toMatchObject({ pass: false });
  });

  it('reads a failed preliminary acceptance', () => {
    const candidates = extract('2025年3月15日组织初步验收，初验结论为不合格。');
    expect(best(candidates, 'preliminaryAcceptanceConclusion')!.value).toMatchObject({ pass: false, text: '不合格' });
  });
});

describe('when only the start of a trial run is stated', () => {
  it('records a period with an open end', () => {
    const candidates = extract('项目于2024年11月04日完成建设，2024年11月7日起进入试运行。');
    expect(best(candidates, 'trialRunPeriod')!.value).toEqual({ kind: 'period', start: expect.objectContaining({ iso: '2024-11-07' }), end: null });
  });

  it('reads a labelled period written with dots', () => {
    const candidates = extract('试运行期：2024.12.1-2025.2.28');
    expect(best(candidates, 'trialRunPeriod')!.value).toMatchObject({ start: { iso: '2024-12-01' }, end: { iso: '2025-02-28' } });
  });
});

describe('when reading a self-inspection', () => {
  it('takes the date of the self-inspection from the sentence that reports it', () => {
    const candidates = extract(`自查报告
编制日期：2025年5月30日
一、自查组织情况
2025年5月26日，岳阳市城市管理和综合执法局组织项目组对项目进行了自审自查。`);
    expect(valuesOf(candidates, 'selfInspectionDate')[0]).toBe('2025-05-26');
  });

  it('falls back to the report date when no sentence dates it', () => {
    const candidates = extract(`项目自查报告
日期：2025年5月30日
经自查，项目已按批复内容完成建设。`);
    expect(valuesOf(candidates, 'selfInspectionDate')).toEqual(['2025-05-30']);
  });
});

describe('when a document states formal operation', () => {
  it('records an affirmative dated statement', () => {
    const candidates = extract('系统已于2025年1月6日正式上线运行，运行情况良好。');
    expect(best(candidates, 'formalOperation')!.value).toEqual({ kind: 'statement', text: '正式上线运行', date: expect.objectContaining({ iso: '2025-01-06' }) });
  });

  it('records an undated affirmative statement with less confidence', () => {
    const candidates = extract('目前系统已投入使用，各科室反映良好。');
    expect(best(candidates, 'formalOperation')!.value).toMatchObject({ text: '已投入使用', date: null });
    expect(best(candidates, 'formalOperation')!.confidence).toBeLessThan(0.75);
  });

  it.each([
    '未经竣工验收或验收不合格的项目，不得投入使用。',
    '须通过竣工验收方可投入正式运行。',
    '系统拟于2025年7月1日正式上线。',
    '通过验收后正式投入使用。',
    '系统试运行期间运行稳定。',
  ])('records nothing for %s', (text) => {
    expect(valuesOf(extract(text), 'formalOperation')).toEqual([]);
  });
});

describe('when reading investment figures in running text', () => {
  it.each([
    ['项目总投资356.80万元，资金来源为市财政项目资金。', '356.8', 'stated'],
    ['本项目总投资估算为120.00万元（大写：壹佰贰拾万元整）。', '120', 'estimate'],
    ['项目概算总投资 260.00 万元，其中：', '260', 'estimate'],
    ['于2023-06-04经市电子政务办批复立项，批复总投资 49.50 万元。', '49.5', 'approved'],
    ['经市发改委批复（岳发改〔2024〕5号），总投资 356.80 万元。', '356.8', 'approvedQuoted'],
    ['项目投资（万元）：356.80', '356.8', 'stated'],
    ['计划投资(万元)：218.40', '218.4', 'planned'],
  ])('reads %s', (text, wan, basis) => {
    const total = best(extract(text), 'totalInvestment')!;
    expect(total.value).toMatchObject({ kind: 'amount', wan });
    expect(total.basis).toBe(basis);
  });

  it.each([
    '根据办法，总投资50万元以上的电子政务工程实行项目监理制。',
    '总投资200万元（含）以上的项目应组织专家评审。',
    '项目实际完成投资 43.48 万元，资金使用符合有关规定。',
    '总投资在50万元至100万元之间的项目，由建设单位组织验收。',
  ])('takes no total from %s', (text) => {
    expect(valuesOf(extract(text), 'totalInvestment')).toEqual([]);
  });

  it('reads the reviewed amount, not the submitted one', () => {
    const candidates = extract('送审金额120.00万元，审定金额117.94万元，审减2.06万元。');
    expect(valuesOf(candidates, 'reviewedAmount')).toEqual(['117.94']);
    expect(valuesOf(candidates, 'totalInvestment')).toEqual([]);
  });

  it('keeps a figure without any unit indeterminate', () => {
    const total = best(extract('项目总投资：356.80'), 'totalInvestment')!;
    expect(total.value).toMatchObject({ wan: null });
  });

  it('uses the document unit note for a bare figure', () => {
    const total = best(extract('单位：万元\n项目总投资：356.80'), 'totalInvestment')!;
    expect(total.value).toMatchObject({ wan: '356.8', unitSource: 'document' });
  });
});

describe('when roles are stated in running text', () => {
  it('reads contractor and supervisor named in one sentence across a line break', () => {
    const candidates = extract(`一、项目概况
岳阳市城市运行管理平台三期建设项目于2024年3月18日经批复立项，批复总投资356.80万元，承建单位为湖南星河软件股份有
限公司，监理单位为湖南正衡项目管理咨询有限公司。`);
    expect(valuesOf(candidates, 'contractor')).toEqual(['湖南星河软件股份有限公司']);
    expect(valuesOf(candidates, 'supervisor')).toEqual(['湖南正衡项目管理咨询有限公司']);
  });
});

describe('when reading planning documents', () => {
  it('takes the project from a title that joins name and document kind', () => {
    const candidates = extract(`岳阳市城市运行管理平台三期建设项目初步设计方案（送审稿）
编制单位：湖南云帆规划设计研究院有限公司`);
    expect(valuesOf(candidates, 'projectName')).toEqual(['岳阳市城市运行管理平台三期建设项目']);
    expect(valuesOf(candidates, 'versionMarker')).toEqual(['送审稿']);
    expect(valuesOf(candidates, 'drafter')).toEqual(['湖南云帆规划设计研究院有限公司']);
  });

  it('reads a Traditional-script document after conversion', () => {
    const candidates = extract(`項目名稱：青禾市生態環境監測監控平臺二期建設項目
建設單位：青禾市生態環境局
本項目總投資估算為 150.00 萬元（大寫：壹佰伍拾萬元整）。`);
    expect(valuesOf(candidates, 'projectName')).toEqual(['青禾市生态环境监测监控平台二期建设项目']);
    expect(valuesOf(candidates, 'constructionUnit')).toEqual(['青禾市生态环境局']);
    expect(valuesOf(candidates, 'totalInvestment')).toEqual(['150']);
    expect(best(candidates, 'amountPairs')!.value).toMatchObject({ equal: true });
  });
});

describe('when a cost table itemises a total (GEN-04)', () => {
  it('adds up the items of a Word table and compares them with 合计', () => {
    const candidates = extract(`项目总投资356.80万元，具体构成如下：
序号 | 费用名称 | 金额（万元） | 占比
1 | 软件开发费 | 180.40 | 50.6%
2 | 硬件设备购置费 | 120.00 | 33.6%
3 | 工程监理费 | 56.40 | 15.8%
| 合计 | 356.80 | 100%`);
    expect(best(candidates, 'itemizedTotal')!.value).toMatchObject({
      kind: 'itemization',
      sum: '356.8',
      statedTotal: { wan: '356.8' },
      equal: true,
      items: [
        { name: '软件开发费', wan: '180.4' },
        { name: '硬件设备购置费', wan: '120' },
        { name: '工程监理费', wan: '56.4' },
      ],
    });
  });

  it('reads a text-layer table whose cells ran together and finds a wrong total', () => {
    const candidates = extract(`序号 费用名称 金额（万元） 占比
1 软件开发费 180.40 50.6%
2 硬件设备购置费 120.00 33.6%
3 工程监理费 56.40 15.8%
合计 366.80 100%`);
    expect(best(candidates, 'itemizedTotal')!.value).toMatchObject({ sum: '356.8', equal: false });
  });

  it.each([
    ['2,050.00', true],
    ['2,099.99', true],
    ['2,200.00', false],
  ])('compares within 0.01万元 (second item %s元 → %s)', (second, equal) => {
    const candidates = extract(`费用名称 | 金额（元）
软件开发费 | 1,000.00
硬件设备购置费 | ${second}
合计 | 3,000.00`);
    expect(best(candidates, 'itemizedTotal')!.value).toMatchObject({ equal });
  });

  it('leaves alone a table with subtotals', () => {
    const candidates = extract(`费用名称 | 金额（万元）
软件开发费 | 100.00
硬件购置费 | 50.00
小计 | 150.00
监理费 | 10.00
合计 | 160.00`);
    expect(valuesOf(candidates, 'itemizedTotal')).toEqual([]);
  });
});
