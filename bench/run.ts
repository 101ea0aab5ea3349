import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runArchiveBench, runArchiveFormatsBench } from './archive.ts';
import { runBoundVolumeBench } from './bound-volume.ts';
import { runDossierSpeedBench } from './dossier-speed.ts';
import { runOcrBench } from './ocr.ts';
import { runOfdBench } from './ofd.ts';
import { runPdfBench } from './pdf.ts';
import { runPdfPagesBench } from './pdf-pages.ts';
import { runSamplesBench } from './samples.ts';
import { runSealsBench } from './seals.ts';
import { runSheetsBench } from './sheets.ts';

/**
 * `npm run bench`: figures, not tests. Each part prints as it goes; everything lands in bench/results/bench.json.
 * Run it on a quiet machine: other load inflates every figure.
 */
const log = (line: string) => console.log(line);
const results: Record<string, unknown> = { startedAt: new Date().toISOString(), node: process.version };

log('== PDF 文字层提取（99 页真实招标文件，对照 pdftotext）');
results.pdf = await runPdfBench({ log });
log('== 扫描 PDF 页：交给 OCR 的图像准备好（DCT / Flate RGB、灰度 / 1 位，对照 pdfimages、pdftoppm）');
results.pdfPages = await runPdfPagesBench({ log });
log('== OFD 文字提取（生成的 100 页 OFD 与真实 OFD）');
results.ofd = await runOfdBench({ log });
log('== 表格与演示文稿（生成的 20,000 行 .xlsx/.xls、真实表格、200 页 .pptx）');
results.sheets = await runSheetsBench({ log });
log('== OCR 引擎对照（200 dpi 生成扫描页与真实照片：字符错误率、每分钟页数、双核吞吐）');
results.ocr = await runOcrBench({ log });
log('== 60 页混合材料包（40 页文字层、20 页扫描）：冷启动与提取缓存后的第二次');
results.dossierSpeed = await runDossierSpeedBench({ log });
log('== 200 页扫描装订验收汇编：分段与分类（快速识别对照全页 OCR）');
results.boundVolume = await runBoundVolumeBench({ log });
log('== 印章：无章页面增加的耗时、生成样本上的检出率与文字识别率');
results.seals = await runSealsBench({ log });
log('== 样例材料包（冷启动，无提取缓存）');
results.samples = await runSamplesBench({ log });
log('== 大压缩包提取峰值内存（进程树，10 / 20 / 40 份 PDF）');
results.archive = await runArchiveBench({ log });
log('== 压缩包解压速度：zip / RAR5 / 7z（约 200 MB 相同内容）');
results.archiveFormats = await runArchiveFormatsBench({ log });

const out = join(import.meta.dirname, 'results', 'bench.json');
await mkdir(join(import.meta.dirname, 'results'), { recursive: true });
await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
log(`结果已写入 ${out}`);
