/**
 * Issue 15: no English word or internal id stands alone in what a person reads. A run of three or more lower-case
 * Latin letters is reported unless it sits in an allowed place: a file name (the dossier's own paths, or anything
 * ending in a file extension), a URL, a command the reader types (a Markdown code span, an HTML <code>), an id shown
 * after its Chinese label in small grey type (<small class="id">), or a product name the Chinese officialese uses as is.
 */

const PRODUCT_NAMES = ['Microsoft Word', 'Microsoft Excel', 'Word', 'Excel', 'Markdown', 'Chromium', 'WPS Office'];
const FILE_NAME = /[^\s，。；、：（）()“”「」《》<>"']+\.(?:pdf|ofd|docx?|xlsx?|xls|et|wps|pptx?|dps|txt|zip|7z|rar|jpe?g|png|tiff?|bmp|gif|webp|md|ya?ml|json|csv|html?)\b/gi;
const URL = /\b(?:https?:\/\/|\/api\/v1\/|\/ui\/|\/s\/)[^\s"'<>）)]*/g;

export interface LatinHit {
  word: string;
  context: string;
}

/** Visible text of an HTML page: scripts, styles, tags and the allowed elements removed, entities decoded. */
export function htmlText(html: string): string {
  return html
    .replace(/<(script|style|code|title)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<small class="id">[\s\S]*?<\/small>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(?:lt|gt|amp|quot|#39|nbsp);/g, ' ');
}

/** Markdown without its code spans (commands the reader types: `--fact major=值`). */
export function markdownText(markdown: string): string {
  return markdown.replace(/`[^`\n]*`/g, ' ').replace(/\]\([^)]*\)/g, '] ');
}

export function latinWords(text: string, filePaths: readonly string[] = []): LatinHit[] {
  let rest = text;
  for (const path of [...filePaths].sort((a, b) => b.length - a.length)) {
    rest = rest.split(path).join(' ');
    const base = path.split('/').at(-1)!;
    rest = rest.split(base).join(' ');
  }
  rest = rest.replace(URL, ' ').replace(FILE_NAME, ' ');
  for (const name of PRODUCT_NAMES) rest = rest.split(name).join(' ');
  const hits: LatinHit[] = [];
  for (const m of rest.matchAll(/[A-Za-z_]*[a-z]{3,}[A-Za-z_]*/g)) {
    hits.push({ word: m[0], context: rest.slice(Math.max(0, m.index! - 20), m.index! + m[0].length + 20).replace(/\s+/g, ' ') });
  }
  return hits;
}
