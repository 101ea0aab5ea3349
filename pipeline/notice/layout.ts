/**
 * The page of a Chinese official document (GB/T 9704-2012 党政机关公文格式), in one place for the DOCX and the PDF:
 * A4; 天头 37 mm, 订口 28 mm; 版心 156 mm × 225 mm; 正文 3号 (16 pt) in 22 lines of 28 characters; 标题 2号 (22 pt);
 * 页码 4号 (14 pt) as "— 1 —", odd pages right and even pages left, one character in from the edge of the 版心.
 */

export const MM_TO_PT = 72 / 25.4;

export const PAGE = {
  widthMm: 210,
  heightMm: 297,
  topMm: 37,
  leftMm: 28,
  textWidthMm: 156,
  textHeightMm: 225,
} as const;

export const SIZES_PT = {
  /** 发文机关标志: the standard fixes only its colour and that it is smaller than the 版心; 小初 is the usual size. */
  issuerMark: 36,
  /** 2号: the title. */
  title: 22,
  /** 3号: 发文字号, 主送机关, 正文, 落款. */
  body: 16,
  /** 4号: 页码. */
  pageNumber: 14,
} as const;

/** 22 lines on 225 mm: each line 225 / 22 mm high. */
export const BODY_LINE_PT = (PAGE.textHeightMm / 22) * MM_TO_PT;

/** The 版头's red: the standard asks for red; GB/T 9704 printers use pure red. */
export const OFFICIAL_RED = 'FF0000';

/** Fonts a Chinese Windows or WPS installation has under these names; the DOCX names them, the reader's Office draws them. */
export const FONTS = {
  issuerMark: '方正小标宋简体',
  title: '方正小标宋简体',
  body: '仿宋_GB2312',
  level1: '黑体',
  level2: '楷体_GB2312',
  pageNumber: '宋体',
} as const;

/** "— 3 —": the page number between two em dashes. */
export function pageNumberText(page: number): string {
  return `— ${page} —`;
}

/** 一、二、… for the numbered sections of the 正文. */
export function chineseOrdinal(n: number): string {
  const digits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  if (n < 10) return digits[n]!;
  if (n < 20) return `十${n % 10 === 0 ? '' : digits[n % 10]}`;
  return `${digits[Math.floor(n / 10)]}十${n % 10 === 0 ? '' : digits[n % 10]}`;
}
