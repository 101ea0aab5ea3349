import { describe, expect, it } from 'vitest';
import type { Page } from '../../extractors/model.ts';
import { segmentFileRun, segmentPages } from '../../extractors/segment/index.ts';

function pages(...texts: string[]): Page[] {
  return texts.map((text, i) => ({ n: i + 1, text, source: 'text-layer' as const }));
}

const body = (n: number) => `本项目按照建设方案组织实施，第${n}部分内容如下，各项工作均已按计划完成。\n系统运行稳定，相关数据已迁移完毕，用户反馈良好。`;

function ranges(ps: Page[]) {
  return segmentPages(ps).map((s) => [s.firstPage, s.lastPage, s.role, s.boundary]);
}

describe('when a file is one document', () => {
  it('gives one segment for a report whose 目录 lists only its own chapters', () => {
    const ps = pages(
      '某市智慧政务平台项目可行性研究报告\n某市大数据局\n2025年3月',
      '目录\n第一章 总论……………………1\n第二章 建设必要性………………3\n第三章 建设方案……………………5\n第四章 投资估算……………………7',
      `1\n第一章 总论\n${body(1)}`,
      `2\n${body(2)}`,
      `3\n第二章 建设必要性\n${body(3)}`,
      `4\n第三章 建设方案\n${body(4)}`,
    );
    expect(ranges(ps)).toEqual([[1, 6, 'document', 'single']]);
  });

  it('does not split a report at its chapter pages or at a caption ending in 表', () => {
    const ps = pages(
      '某市智慧政务平台项目初步设计方案\n编制单位：某设计院有限公司\n2025年5月',
      `第一章 项目概况\n${body(1)}`,
      `投资估算表\n序号 | 名称 | 金额\n1 | 硬件 | 20`,
      `第二章 建设内容\n${body(2)}`,
    );
    expect(segmentPages(ps)).toHaveLength(1);
  });
});

describe('when a scanner run holds several documents without a 目录', () => {
  it('starts a document at a 公文 header with its 文号', () => {
    const ps = pages(
      '某市发展和改革委员会文件\n某发改投资〔2025〕12号\n关于某市智慧政务平台项目初步设计的批复\n某市大数据局：\n你单位报来的初步设计收悉。',
      `${body(1)}\n某市发展和改革委员会\n2025年6月1日`,
      '某市财政局\n某财建〔2025〕33号\n关于某市智慧政务平台项目资金安排的通知\n各有关单位：',
      `${body(2)}\n某市财政局\n2025年6月9日`,
    );
    expect(ranges(ps)).toEqual([
      [1, 2, 'document', 'document-number'],
      [3, 4, 'document', 'document-number'],
    ]);
  });

  it('starts a document where printed page numbers begin again at 1', () => {
    const ps = pages(`1\n${body(1)}`, `2\n${body(2)}`, `1\n${body(3)}`, `2\n${body(4)}`, `3\n${body(5)}`);
    expect(ranges(ps)).toEqual([
      [1, 2, 'document', 'single'],
      [3, 5, 'document', 'numbering-restart'],
    ]);
  });

  it('starts a document after a blank separator sheet and keeps the sheet apart', () => {
    const ps = pages(`${body(1)}`, `${body(2)}`, '  ', `${body(3)}`);
    expect(ranges(ps)).toEqual([
      [1, 2, 'document', 'single'],
      [3, 3, 'blank', 'separator'],
      [4, 4, 'document', 'separator'],
    ]);
  });

  it('starts a document at a cover page with project, unit and date', () => {
    const ps = pages(
      '某市智慧政务平台项目\n监理工作总结报告\n监理单位：某工程监理有限公司\n2025年10月',
      body(1),
      '某市智慧政务平台项目\n第三方测试报告\n测试单位：某软件测评中心\n2025年9月',
      body(2),
    );
    expect(ranges(ps)).toEqual([
      [1, 2, 'document', 'cover'],
      [3, 4, 'document', 'cover'],
    ]);
  });

  it('lets a 目录 listing 附件 documents split the volume, each found by its title near the printed page', () => {
    const ps = pages(
      '某市智慧政务平台项目验收资料汇编\n目录\n附件1 项目初步设计批复…………1\n附件2 项目建设合同………………2\n附件3 项目验收报告………………4',
      '1\n关于某市智慧政务平台项目初步设计的批复\n某发改投资〔2025〕12号\n' + body(1),
      '2\n某市智慧政务平台项目建设合同\n甲方：某市大数据局\n' + body(2),
      '3\n' + body(3),
      '4\n某市智慧政务平台项目验收报告\n' + body(4),
    );
    expect(ranges(ps)).toEqual([
      [1, 1, 'front-matter', 'toc'],
      [2, 2, 'document', 'toc'],
      [3, 4, 'document', 'toc'],
      [5, 5, 'document', 'toc'],
    ]);
  });
});

describe('when a document was photographed page by page', () => {
  const photo = (path: string, text: string) => ({ path, isImage: true, pages: pages(text) });

  it('joins the untitled photos that follow a titled one in the same name sequence', () => {
    const groups = segmentFileRun([
      photo('照片/IMG_0011.jpg', '某市智慧政务平台项目监理工作总结报告\n(送审稿)\n' + body(1)),
      photo('照片/IMG_0012.jpg', body(2)),
      photo('照片/IMG_0013.jpg', body(3)),
      photo('照片/IMG_0014.jpg', '某市智慧政务平台项目用户使用报告\n(盖章版)\n' + body(4)),
      photo('照片/IMG_0015.jpg', body(5)),
      photo('照片/IMG_0017.jpg', body(6)),
    ]);
    expect(groups).toEqual([
      { paths: ['照片/IMG_0011.jpg', '照片/IMG_0012.jpg', '照片/IMG_0013.jpg'], title: '某市智慧政务平台项目监理工作总结报告' },
      { paths: ['照片/IMG_0014.jpg', '照片/IMG_0015.jpg'], title: '某市智慧政务平台项目用户使用报告' },
    ]);
  });

  it('leaves photos in different folders and files that are not images alone', () => {
    const groups = segmentFileRun([
      photo('a/1.jpg', '某市智慧政务平台项目验收报告\n(终稿)\n' + body(1)),
      photo('b/2.jpg', body(2)),
      { path: 'a/2.pdf', isImage: false, pages: pages(body(3)) },
    ]);
    expect(groups).toEqual([]);
  });
});
