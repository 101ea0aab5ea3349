import { readdirSync, readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { judgeTextLayer } from '../../extractors/pdf/garbage.ts';
import { COMMON_HAN } from '../../extractors/pdf/han-frequency.ts';
import { FEASIBILITY_PAGE_1, FEASIBILITY_PAGE_2, SCANNED_PAGE_TEXT } from '../fixtures/pdf/generate.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { GARBLED_GBT_PDF, HUAXIN_PDF, readTextLayers } from './text-layers.ts';

/** mulberry32, so every synthetic garbage page is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` picks from `alphabet`, broken into lines of 30 the way a page's text layer comes out. */
function randomText(alphabet: readonly string[], count: number, seed: number): string {
  const random = seededRandom(seed);
  let text = '';
  for (let i = 0; i < count; i++) {
    text += alphabet[Math.floor(random() * alphabet.length)];
    if (i % 30 === 29) text += '\n';
  }
  return text;
}

function codePointRange(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));
}

function gb2312Level2(): string[] {
  const bytes: number[] = [];
  for (let lead = 0xd8; lead <= 0xf7; lead++) for (let trail = 0xa1; trail <= 0xfe; trail++) bytes.push(lead, trail);
  return [...iconv.decode(Buffer.from(bytes), 'gb2312')].filter((c) => /\p{Script=Han}/u.test(c));
}

const CLEAN_PROSE = [FEASIBILITY_PAGE_1, FEASIBILITY_PAGE_2, SCANNED_PAGE_TEXT].join('\n');

describe('when a page carries ordinary Chinese text', () => {
  it.each([
    ['a feasibility-study page', FEASIBILITY_PAGE_1],
    ['a page with amounts and dates', FEASIBILITY_PAGE_2],
    ['a short letter', SCANNED_PAGE_TEXT],
    ['a lone heading', '95\n十、技术支持资料'],
    ['a table of contents with dot leaders', '目 录\n第一章 招标公告 ........................................ 2\n第二章 投标人须知 .................................... 5\n第三章 评标办法 ...................................... 31'],
    ['a form with underscore blanks', '投标人名称：________________\n法定代表人：__________ 职务：__________\n联系电话：______________ 日期：____年____月____日'],
    ['a parameter list with little grammar', '额定电压：40.5kV\n额定电流：1250A\n额定短路开断电流：31.5kA\n动稳定电流（峰值）：80kA\n型号：KYN61-40.5\n防护等级：IP4X\n'.repeat(4)],
    ['a few symbol-font bullets among the text', `\uF0FE ${FEASIBILITY_PAGE_1}\n\uF0A8 ${FEASIBILITY_PAGE_2}`],
    ['an English abstract', 'This guideline specifies the requirements for the long-term preservation of OFD documents in archives, including file structure, metadata, signatures and format conversion. It applies to archival institutions and records centres.'],
  ])('keeps %s', (_, text) => {
    const verdict = judgeTextLayer(text);
    expect(verdict, JSON.stringify(verdict.scores)).toMatchObject({ usable: true, reason: 'clean' });
  });

  it('keeps every page-sized chunk of the regulation texts, Traditional and pinyin-annotated ones included', () => {
    const seedDir = sharedPath('seeds');
    const chunks = readdirSync(seedDir).flatMap((file) => readFileSync(`${seedDir}/${file}`, 'utf8').match(/[\s\S]{1,800}/g) ?? []);
    expect(chunks.length).toBeGreaterThan(20);
    const rejected = chunks.map(judgeTextLayer).filter((verdict) => !verdict.usable);
    expect(rejected).toEqual([]);
  });
});

describe('when a page has no text worth trusting', () => {
  it('calls a blank text layer no text', () => {
    expect(judgeTextLayer(' \n\t \n')).toMatchObject({ usable: false, reason: 'no-text' });
  });

  it('calls a lone page number too short', () => {
    expect(judgeTextLayer('- 12 -')).toMatchObject({ usable: false, reason: 'too-short' });
  });
});

describe('when a font without a Unicode map turns the text into garbage', () => {
  it('rejects ASCII punctuation soup', () => {
    const soup = randomText([...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'].concat([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789']), 600, 1);
    expect(judgeTextLayer(soup)).toMatchObject({ usable: false, reason: 'symbol-soup' });
  });

  it('rejects Latin-1 letter soup of the kind Type1C custom encodings produce', () => {
    const soup = randomText([...'ÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßãäåæçêëîïðñõöøûýþÿ'].concat([...'abcdefghijklmnopqrstuvwxyz']), 400, 2);
    expect(judgeTextLayer(soup).usable).toBe(false);
  });

  it('rejects private-use code points', () => {
    expect(judgeTextLayer(randomText(codePointRange(0xe000, 0xf8ff), 300, 3))).toMatchObject({ usable: false, reason: 'unmapped-glyphs' });
  });

  it('rejects replacement characters mixed into Chinese', () => {
    const broken = [...CLEAN_PROSE].map((char, i) => (i % 4 === 0 ? '\uFFFD' : char)).join('');
    expect(judgeTextLayer(broken)).toMatchObject({ usable: false, reason: 'unmapped-glyphs' });
  });
});

describe('when a broken font maps glyphs onto real but meaningless Chinese characters', () => {
  it('rejects random rare characters (GB2312 level 2)', () => {
    expect(judgeTextLayer(randomText(gb2312Level2(), 400, 4))).toMatchObject({ usable: false, reason: 'rare-han' });
  });

  it('rejects random CJK Extension A characters', () => {
    expect(judgeTextLayer(randomText(codePointRange(0x3400, 0x4dbf), 400, 5))).toMatchObject({ usable: false, reason: 'rare-han' });
  });

  it('rejects random characters from the whole CJK block', () => {
    expect(judgeTextLayer(randomText(codePointRange(0x4e00, 0x9fa5), 400, 6))).toMatchObject({ usable: false, reason: 'rare-han' });
  });

  it('rejects a short run of random CJK characters, too', () => {
    expect(judgeTextLayer(randomText(codePointRange(0x4e00, 0x9fa5), 40, 7)).usable).toBe(false);
  });

  it.each([1, 2, 5, 100])('rejects a clean text whose code points are shifted by %i (a consistent wrong mapping)', (shift) => {
    const shifted = [...CLEAN_PROSE]
      .map((char) => (/\p{Script=Han}/u.test(char) ? String.fromCodePoint(char.codePointAt(0)! + shift) : char))
      .join('');
    expect(judgeTextLayer(shifted).usable).toBe(false);
  });

  it('rejects random picks from the 3755 most common characters (no grammar, nothing repeated)', () => {
    const verdict = judgeTextLayer(randomText([...COMMON_HAN], 400, 8));
    expect(verdict).toMatchObject({ usable: false, reason: 'meaningless-han' });
    expect(verdict.scores.commonHanShare).toBe(1);
  });
});

describe('when the two real sample PDFs are judged page by page, without OCR', () => {
  it('keeps all 99 pages of the clean WPS 招标文件', async () => {
    const pages = await readTextLayers(HUAXIN_PDF);
    expect(pages).toHaveLength(99);
    const rejected = pages.map((text, i) => ({ n: i + 1, ...judgeTextLayer(text) })).filter((page) => !page.usable);
    expect(rejected).toEqual([]);
  });

  it('flags every page of GB/T 42133 as garbage', async () => {
    const pages = await readTextLayers(GARBLED_GBT_PDF);
    expect(pages).toHaveLength(14);
    // The text layer is far from empty: it is the content that is wrong, not its absence.
    for (const text of pages) expect(text.replace(/\s/g, '').length).toBeGreaterThan(100);
    const verdicts = pages.map(judgeTextLayer);
    expect(verdicts.filter((verdict) => verdict.usable)).toEqual([]);
    expect(new Set(verdicts.map((verdict) => verdict.reason))).not.toContain('no-text');
  });
});
