/**
 * Vocabulary-guided repair of one misread character in an OCR'd title ("可行性研究报吿", "初步没计方案", "监理服务合后"):
 * the catalogue's own words (title terms, heads, modifiers, foreign heads) are the dictionary, the way OCR
 * post-correction uses a lexicon. A stretch of the title that is no word of the dictionary but differs from exactly one
 * of its words in exactly one Han character is read as that word. Words shorter than three characters are never the
 * target (two-character heads such as 报告/方案 differ by one character from too many ordinary words), and a stretch that
 * is one character from two different words is left as it is: there is no telling which was meant.
 */
const MIN_WORD = 3;
const MAX_WORD = 10;
const HAN = /\p{Script=Han}/u;

export class OcrTitleRepair {
  private readonly words: Set<string>;
  /** Every word of the dictionary, two-character heads too: what a stretch already is without its odd character. */
  private readonly allWords: Set<string>;
  /** A word with one character masked ("可行性研究报?") → the words it stands for. */
  private readonly masked = new Map<string, Set<string>>();

  /**
   * `alphabet`: every character the catalogue's own text uses. Only a character outside it is taken for a misread one:
   * two real words a character apart are common (调研/可研, 决算/结算, 中期/中标), while OCR's slips tend to rare
   * characters (吿 for 告, 桉 for 案).
   */
  constructor(vocabulary: Iterable<string>, private readonly alphabet: Set<string>) {
    this.allWords = new Set([...vocabulary].filter((w) => !w.includes('*')));
    this.words = new Set([...this.allWords].filter((w) => [...w].length >= MIN_WORD && [...w].length <= MAX_WORD));
    for (const word of this.words) {
      const chars = [...word];
      chars.forEach((ch, j) => {
        if (!HAN.test(ch)) return;
        const key = maskAt(chars, j);
        let set = this.masked.get(key);
        if (!set) this.masked.set(key, (set = new Set()));
        set.add(word);
      });
    }
  }

  /**
   * The title with a misread character in the words that end it replaced, where the dictionary vouches for them; longer
   * words first. Titles are head-final, so only stretches ending at `end` (the title without what trails its head) are
   * read: inside a title, a stretch one character from some word is as often two ordinary words side by side
   * ("采购医疗" is no misread "采购函").
   */
  repair(title: string, end = [...title].length): string {
    const chars = [...title];
    const fixed = new Set<number>();
    for (let length = Math.min(MAX_WORD, end); length >= MIN_WORD; length--) {
      for (let start = end - length; start === end - length; start++) {
        const stretch = chars.slice(start, start + length);
        if (this.words.has(stretch.join(''))) continue;
        for (let j = 0; j < length; j++) {
          const at = start + j;
          if (fixed.has(at) || !HAN.test(stretch[j]!) || this.alphabet.has(stretch[j]!)) continue;
          const meant = this.masked.get(maskAt(stretch, j));
          if (!meant || meant.size !== 1) continue;
          const word = [...meant][0]!;
          const replacement = [...word][j]!;
          // Only where the same stretch is not already part of another word as it stands ("测评报告" is no misread
          // "测试报告"), nor a word with one more character before or after it ("软件验收报告" is no misread "…预验收报告",
          // "验收报告单" no misread "验收报告书").
          if (this.coveredAsIs(chars, at)) continue;
          if ((j === 0 && this.allWords.has(stretch.slice(1).join(''))) || (j === length - 1 && this.allWords.has(stretch.slice(0, -1).join('')))) continue;
          chars[at] = replacement;
          fixed.add(at);
        }
      }
    }
    return chars.join('');
  }

  /** Whether a dictionary word covers position `at` of the title as it is. */
  private coveredAsIs(chars: string[], at: number): boolean {
    for (let length = MIN_WORD; length <= MAX_WORD; length++) {
      for (let start = Math.max(0, at - length + 1); start <= at && start + length <= chars.length; start++) {
        if (this.words.has(chars.slice(start, start + length).join(''))) return true;
      }
    }
    return false;
  }
}

function maskAt(chars: string[], j: number): string {
  return chars.map((c, i) => (i === j ? '?' : c)).join('');
}
