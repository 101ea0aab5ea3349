import { describe, expect, it } from 'vitest';
import type { Page } from '../../extractors/model.ts';
import { DocTypeClassifier } from '../../checklists/classify.ts';
import { loadCatalogue } from '../../checklists/load.ts';
import { OcrTitleRepair } from '../../checklists/ocr-repair.ts';

const classifier = new DocTypeClassifier(loadCatalogue());
const scanned = (text: string) => classifier.classify({ path: 'scan.pdf', readable: true, pages: [{ n: 1, text, source: 'ocr' } satisfies Page] });
const typed = (text: string) => classifier.classify({ path: 'x.pdf', readable: true, pages: [{ n: 1, text, source: 'text-layer' } satisfies Page] });
const top = (r: ReturnType<typeof scanned>) => (r.unsure ? 'unsure' : r.docTypes[0]!.id);

describe('OcrTitleRepair: one misread character of a title\'s ending, against the dictionary', () => {
  const repair = new OcrTitleRepair(['初步设计方案', '可行性研究报告', '可研报告', '验收报告', '预验收报告', '结算报告', '决算报告'], new Set([...'初步设计方案可行性研究报告验收预结决算调整']));

  it('replaces a character outside the alphabet where exactly one word is one character away', () => {
    expect(repair.repair('某县智慧城管项目初步设计方桉')).toBe('某县智慧城管项目初步设计方案');
  });

  it('leaves words a character apart alone, and a word that is the dictionary\'s with one more character before it', () => {
    expect(repair.repair('某市政务云平台项目调研报告')).toBe('某市政务云平台项目调研报告');
    expect(repair.repair('某项目竣工财务决算报告')).toBe('某项目竣工财务决算报告');
    expect(repair.repair('软件验收报告')).toBe('软件验收报告');
  });

  it('reads only the title\'s ending: a stretch inside the title is as often two ordinary words', () => {
    expect(repair.repair('初步设计方桉编制说明', 10)).toBe('初步设计方桉编制说明');
  });
});

describe('when a scanned title has one misread character in the words that end it', () => {
  it('reads the title the catalogue\'s words vouch for, on an OCR page only', () => {
    expect(top(scanned('某县电子政务外网建没方案'))).toBe('construction_plan');
    expect(top(scanned('某市政务服务平台技木方案'))).toBe('technical_plan');
    expect(top(typed('某县电子政务外网建没方案'))).not.toBe('construction_plan');
  });

  it('does not read a real word as a misread neighbour (调研报告 is no 可研报告)', () => {
    expect(top(scanned('某市政务云平台项目调研报告'))).not.toBe('feasibility_report');
  });
});
