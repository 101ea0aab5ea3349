/**
 * Merges gathered real-title files into the measured table: `npx tsx tests/classify/real-titles/merge.ts FILE…`.
 *
 * Each gathered file has the table's header and three tab-separated columns (title, expected type or `none`, http(s)
 * source). A row goes to holdout.tsv when the first byte of SHA-1(title, UTF-8) ≡ 0 (mod 4), otherwise to dev.tsv, so
 * the split does not depend on who gathered it or in which order. A title already in either half (or earlier in the
 * input), also as a file's name with its extension, is dropped. It prints only counts: the holdout rows stay unseen by
 * whoever runs it.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../../helpers/shared-data.ts';
import { knownTypes, readTitleTable, requiredTypes, tableCounts } from './measure.ts';

const HEADER = 'title\texpected\tsource';

/** A title and the same title shown as a file's name ("…验收报告" and "…验收报告.docx") are one title. */
export function sameTitleKey(title: string): string {
  return title.trim().replace(/\.(?:docx?|wps|pdf|ofd|xlsx?|et|txt|rtf|md|html?|pptx?|dps)$/i, '');
}

export function splitOf(title: string): 'dev' | 'holdout' {
  return createHash('sha1').update(title, 'utf8').digest()[0]! % 4 === 0 ? 'holdout' : 'dev';
}

interface GatheredRow {
  title: string;
  expected: string;
  source: string;
  where: string;
}

function readGathered(file: string, types: Set<string>): { rows: GatheredRow[]; problems: string[] } {
  const lines = readFileSync(file, 'utf8').split('\n');
  const problems: string[] = [];
  if (lines[0]?.replace(/\r$/, '') !== HEADER) problems.push(`${file}:1: 表头应为 "title<TAB>expected<TAB>source"`);
  const rows: GatheredRow[] = [];
  lines.slice(1).forEach((raw, i) => {
    const text = raw.replace(/\r$/, '');
    const where = `${file}:${i + 2}`;
    if (text.trim() === '') return;
    const cells = text.split('\t');
    const [title, expected, source] = cells;
    if (cells.length !== 3 || !title || !expected || !source) return void problems.push(`${where}: 应为三列（以制表符分隔）`);
    if (title !== title.trim()) problems.push(`${where}: 标题首尾有空白`);
    if (expected !== 'none' && !types.has(expected)) problems.push(`${where}: 未知类型 ${expected}`);
    if (!/^https?:\/\/\S+$/.test(source)) problems.push(`${where}: 来源应为 http(s) 地址`);
    rows.push({ title, expected, source, where });
  });
  return { rows, problems };
}

function main(files: string[]): number {
  if (files.length === 0) {
    console.error('用法: npx tsx tests/classify/real-titles/merge.ts 收集文件.tsv …');
    return 2;
  }
  const types = knownTypes();
  const gathered = files.map((f) => readGathered(f, types));
  const problems = gathered.flatMap((g) => g.problems);
  if (problems.length > 0) {
    console.error(`未合并：${problems.length} 处问题\n${problems.join('\n')}`);
    return 1;
  }
  // Titles only: the holdout rows are compared, never printed.
  const seen = new Set([...readTitleTable('dev'), ...readTitleTable('holdout')].map((r) => sameTitleKey(r.title)));
  const added = { dev: [] as string[], holdout: [] as string[] };
  let duplicates = 0;
  for (const row of gathered.flatMap((g) => g.rows)) {
    if (seen.has(sameTitleKey(row.title))) {
      duplicates += 1;
      continue;
    }
    seen.add(sameTitleKey(row.title));
    added[splitOf(row.title)].push(`${row.title}\t${row.expected}\t${row.source}`);
  }
  for (const split of ['dev', 'holdout'] as const) {
    if (added[split].length === 0) continue;
    const file = join(REPO_ROOT, 'tests', 'classify', 'real-titles', `${split}.tsv`);
    const text = readFileSync(file, 'utf8');
    appendFileSync(file, (text.endsWith('\n') ? '' : '\n') + added[split].join('\n') + '\n');
  }
  console.log(`合并：dev +${added.dev.length}，holdout +${added.holdout.length}，重复跳过 ${duplicates}`);
  const { total, byType } = tableCounts();
  const required = new Set(requiredTypes());
  console.log(`全表 ${total} 条（dev ${readTitleTable('dev').length}，holdout ${readTitleTable('holdout').length}）；各类型条数（* 为清单要求的类型）：`);
  for (const id of [...types, 'none'].sort()) console.log(`  ${required.has(id) ? '*' : ' '} ${id}\t${byType.get(id) ?? 0}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
