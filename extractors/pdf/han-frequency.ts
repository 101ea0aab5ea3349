import iconv from 'iconv-lite';

/**
 * Character sets that tell ordinary Chinese prose from characters a broken font mapping produces.
 *
 * The common set is GB2312 level 1 (3755 characters chosen by frequency of use); decoding its code points with
 * iconv-lite yields it without shipping a data file. Real mainland documents take ~97–100 % of their Han characters
 * from it; a random pick over the CJK block takes ~18 %.
 */

function decodeDoubleByteRange(encoding: string, leadFrom: number, leadTo: number, trailFrom: number, trailTo: number): Set<string> {
  const bytes: number[] = [];
  for (let lead = leadFrom; lead <= leadTo; lead++) {
    for (let trail = trailFrom; trail <= trailTo; trail++) {
      if (trail === 0x7f) continue;
      bytes.push(lead, trail);
    }
  }
  const decoded = iconv.decode(Buffer.from(bytes), encoding);
  const chars = new Set<string>();
  for (const char of decoded) {
    if (/\p{Script=Han}/u.test(char)) chars.add(char);
  }
  return chars;
}

/** GB2312 level 1: the 3755 most used characters (rows 0xB0–0xD7; 0xD7FA–0xD7FE are unassigned and decode to nothing Han). */
export const COMMON_HAN: ReadonlySet<string> = decodeDoubleByteRange('gb2312', 0xb0, 0xd7, 0xa1, 0xfe);

/**
 * Every Han character GBK can encode (~21 000: the whole URO block, Traditional forms included). A character outside
 * it is an Extension A–G or compatibility ideograph, which ordinary documents almost never contain.
 */
export const KNOWN_HAN: ReadonlySet<string> = decodeDoubleByteRange('gbk', 0x81, 0xfe, 0x40, 0xfe);

/**
 * Characters that carry grammar rather than topic; together they make up roughly a fifth of the Han characters of
 * any administrative text, whatever its subject, while a meaningless sequence of common characters hits them ~1 %
 * of the time.
 */
export const FUNCTION_HAN: ReadonlySet<string> = new Set(
  '的是在和了有为与及等对项目一不以于其或按应由并将本此之中上个年月日进行要可各所'.split(''),
);
