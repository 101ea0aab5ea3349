import chardet from 'chardet';
import iconv from 'iconv-lite';
import type { ExtractedDocument, Extractor } from './model.ts';
import { NORMALIZE_VERSION, normalizeText, toSimplified } from './normalize.ts';

export const TEXT_EXTRACTOR_VERSION = `text-1+${NORMALIZE_VERSION}`;

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5' | (string & {});

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** Whether a byte-order mark named the encoding (otherwise it was inferred). */
  bom: boolean;
}

// Frequent characters of Chinese prose and of project dossiers, in Simplified form. Decoding Chinese bytes with the
// wrong double-byte table yields valid but random characters, which rarely fall in this set.
const COMMON_HAN = new Set(
  [
    '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行',
    '学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然',
    '前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无',
    '系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组',
    '见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研项目收验报告申请批复审核准单位财政预算投金额万元',
    '合同招标采购监理竣工建设市县省局委办厅技术方案可行性研究初步设计概评估函通知意见会议纪要附件备案承诺书证明确认签章',
    '信息网络平台软件硬件服务器数据库安全等级保护测评密码系统集成实施运维培训试运行档案材料清单目录汇总结论专家组成员日期',
  ].join(''),
);

const MOSTLY_LATIN_ENCODINGS = /^(ISO-8859-\d+|windows-125\d)$/i;

function scoreChinese(text: string): number {
  let hits = 0;
  for (const ch of toSimplified(text)) if (COMMON_HAN.has(ch)) hits += 1;
  return hits;
}

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** UTF-16 without a BOM betrays itself by NUL high bytes on ASCII characters (digits, punctuation, line breaks). */
function utf16WithoutBom(bytes: Buffer): 'utf-16le' | 'utf-16be' | null {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < bytes.length; i += 2) {
    if (bytes[i] === 0) evenZeros += 1;
    if (bytes[i + 1] === 0) oddZeros += 1;
  }
  const pairs = bytes.length / 2;
  // Han characters such as 一 (U+4E00) have a NUL low byte, so the other side is rarely zero-free.
  if (oddZeros > pairs * 0.1 && evenZeros * 4 < oddZeros) return 'utf-16le';
  if (evenZeros > pairs * 0.1 && oddZeros * 4 < evenZeros) return 'utf-16be';
  return null;
}

/**
 * Decodes a text file written by a Chinese user: BOM first, then strict UTF-8, then the legacy double-byte encodings.
 * Without a BOM the answer is inferred, not read: GB18030 (a superset of GBK and GB2312, what Chinese Windows writes)
 * unless Big5 decodes into markedly more common Chinese characters. chardet is consulted only when neither decoding
 * looks like Chinese, because on short GBK text it confidently names Japanese or Korean encodings.
 */
export function decodeText(bytes: Buffer): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8', bom: true };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le', bom: true };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be', bom: true };
  }
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) return { text: iconv.decode(bytes, utf16), encoding: utf16, bom: false };

  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8', bom: false };

  const gb = iconv.decode(bytes, 'gb18030');
  const big5 = iconv.decode(bytes, 'big5');
  const gbScore = scoreChinese(gb);
  const big5Score = scoreChinese(big5);
  if (big5Score > gbScore * 1.5 && !big5.includes('\uFFFD')) return { text: big5, encoding: 'big5', bom: false };
  if (gbScore > 0) return { text: gb, encoding: 'gb18030', bom: false };

  const guess = chardet.detect(bytes);
  if (guess && MOSTLY_LATIN_ENCODINGS.test(guess) && iconv.encodingExists(guess)) {
    return { text: iconv.decode(bytes, guess), encoding: guess.toLowerCase(), bom: false };
  }
  return { text: gb, encoding: 'gb18030', bom: false };
}

/** Share of characters that cannot be text: replacement characters and C0 controls other than tab, LF, CR, FF. */
function garbageShare(text: string): number {
  if (text.length === 0) return 0;
  const garbage = text.match(/[\uFFFD\u0000-\u0008\u000B\u000E-\u001F]/g)?.length ?? 0;
  return garbage / text.length;
}

function outcome(status: ExtractedDocument['status'], text: string | null, message?: string): ExtractedDocument {
  const pages = text === null ? [] : [{ n: 1, text, source: 'text-layer' as const }];
  return {
    status,
    ...(message ? { message } : {}),
    pages,
    meta: { pageCount: pages.length, ocrPages: 0 },
    findings: [],
    extractorVersion: TEXT_EXTRACTOR_VERSION,
  };
}

/** A plain text file becomes one page. */
export const extractText: Extractor = async ({ bytes }, ctx) => {
  const decoded = decodeText(bytes);
  if (garbageShare(decoded.text) > 0.05) {
    return outcome('unreadable', null, '无法识别文本文件的编码，内容可能不是文字');
  }
  const text = normalizeText(decoded.text);
  if (text === '') return outcome('empty', null, '文本文件中没有文字内容');
  ctx?.onPage?.({ page: 1, pageCount: 1, source: 'text-layer' });
  return outcome('ok', text);
};
