/**
 * Writes page numbers the way a Chinese reviewer reads them: "第 3 页", "第 1–14 页", "第 2、5–7、9 页".
 * One finding per document with a page list stays readable where one finding per page (hundreds on a long scan)
 * would drown the report.
 */
export function describePages(pageNumbers: readonly number[]): string {
  const sorted = [...new Set(pageNumbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = sorted[0];
  let previous = start;
  for (const n of sorted.slice(1).concat(Number.NaN)) {
    if (start === undefined || previous === undefined) break;
    if (n === previous + 1) {
      previous = n;
      continue;
    }
    parts.push(start === previous ? `${start}` : `${start}–${previous}`);
    start = n;
    previous = n;
  }
  return `第 ${parts.join('、')} 页`;
}
