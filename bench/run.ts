import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runArchiveBench, runArchiveFormatsBench } from './archive.ts';
import { runBatchBench, type BatchBenchResult } from './batch.ts';
import { runBoundVolumeBench, type BoundVolumeBenchResult } from './bound-volume.ts';
import { runDossierSpeedBench, type DossierSpeedResult } from './dossier-speed.ts';
import { load } from './measure.ts';
import { runOcrBench, type OcrBenchResult } from './ocr.ts';
import { runOfdBench } from './ofd.ts';
import { runPdfBench, type PdfBenchResult } from './pdf.ts';
import { runPdfPagesBench, type PageImageBenchResult } from './pdf-pages.ts';
import { runQueueBench, type QueueBenchResult } from './queue.ts';
import { sharedIsolatedExtraction } from '../extractors/isolation/isolated-extraction.ts';
import { runSamplesBench } from './samples.ts';
import { runSealsBench } from './seals.ts';
import { runSheetsBench } from './sheets.ts';

/**
 * `npm run bench`: figures, not tests. Each part prints as it goes; everything lands in bench/results/bench.json, and at
 * the end one table puts issue 14's rows side by side — our figure, the peer's from the same run, the ratio, the target
 * and whether it is met. A part that fails is recorded as failed (its row says so) and the run goes on.
 * Run it on a quiet machine: other load inflates every figure. Every part also runs alone (`npx tsx bench/<part>.ts`).
 * Each part's wall time and load are printed and kept (`partSeconds`). The 200-page volume's full-page OCR peer runs
 * only with BENCH_BOUND_VOLUME_FULL=1 (it alone takes over 20 minutes); its rows then say the peer did not run.
 */
const log = (line: string) => console.log(line);
const results: Record<string, unknown> = { startedAt: new Date().toISOString(), node: process.version, loadAtStart: load() };
const failures: Record<string, string> = {};
const out = join(import.meta.dirname, 'results', 'bench.json');
/** BENCH_PARTS=pdfPages,batch runs only those parts (keys as in bench.json); the others' rows say they did not run. */
const onlyParts = process.env.BENCH_PARTS?.split(',').map((p) => p.trim()).filter(Boolean);

/** Wall seconds and load of each part that ran, so a slow part is seen and the run's length can be planned. */
const partTimes: Record<string, { seconds: number; loadBefore: number[]; loadAfter: number[] }> = {};

async function part<T>(key: string, title: string, run: () => Promise<T>): Promise<T | undefined> {
  log(`== ${title}`);
  if (onlyParts && !onlyParts.includes(key)) {
    log('  未运行（不在 BENCH_PARTS 中）');
    return undefined;
  }
  const started = performance.now();
  const loadBefore = load();
  try {
    const result = await run();
    results[key] = result;
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    failures[key] = message;
    results[key] = { failed: message };
    log(`  失败：${message}`);
    return undefined;
  } finally {
    partTimes[key] = { seconds: Math.round((performance.now() - started) / 100) / 10, loadBefore, loadAfter: load() };
    log(`  本部分用时 ${partTimes[key].seconds} s（负载 ${loadBefore.join('/')} → ${partTimes[key].loadAfter.join('/')}）`);
    // Written after every part, so a run stopped part-way leaves what it measured.
    results.partSeconds = partTimes;
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  }
}

/** The 200-page volume's full-page peer alone takes over 20 minutes on two cores: only on request. */
const boundVolumeFull = process.env.BENCH_BOUND_VOLUME_FULL === '1';

// Issue 14's table first (a run stopped part-way still has those rows), then the other figures.
const pdf = await part('pdf', 'PDF 文字层提取（99 页真实招标文件，对照 pdftotext）', () => runPdfBench({ log }));
const pdfPages = await part('pdfPages', '扫描 PDF 页：交给 OCR 的图像准备好（DCT / Flate RGB、灰度 / 1 位，对照 pdfimages、pdftoppm）', () => runPdfPagesBench({ log }));
const ocr = await part('ocr', 'OCR 引擎对照（200 dpi 生成扫描页与真实照片：字符错误率、每分钟页数、双核吞吐）', () => runOcrBench({ log }));
const dossierSpeed = await part('dossierSpeed', '60 页混合材料包（40 页文字层、20 页扫描）：冷启动与提取缓存后的第二次', () => runDossierSpeedBench({ log }));
const archive = await part('archive', '大压缩包提取峰值内存（进程树，10 / 20 / 40 份 PDF）', () => runArchiveBench({ log }));
const batch = await part('batch', 'dossier batch 吞吐量：40 份材料包（样例轮流复制），每分钟份数', () => runBatchBench({ log }));
const queue = await part('queue', '分布式队列：1 个与 2 个工作进程（真实 Redis），开销、内存、重新提交', () => runQueueBench({ log }));
const boundVolume = await part(
  'boundVolume',
  boundVolumeFull ? '200 页扫描装订验收汇编：分段与分类（快速识别对照全页 OCR）' : '200 页扫描装订验收汇编：分段与分类（只测快速识别；全页 OCR 对照需 BENCH_BOUND_VOLUME_FULL=1）',
  () => runBoundVolumeBench({ log, withFull: boundVolumeFull }),
);
await part('seals', '印章：无章页面增加的耗时、生成样本上的检出率与文字识别率', () => runSealsBench({ log }));
await part('samples', '样例材料包（冷启动，无提取缓存）', () => runSamplesBench({ log }));
await part('ofd', 'OFD 文字提取（生成的 100 页 OFD 与真实 OFD）', () => runOfdBench({ log }));
await part('sheets', '表格与演示文稿（生成的 20,000 行 .xlsx/.xls、真实表格、200 页 .pptx）', () => runSheetsBench({ log }));
await part('archiveFormats', '压缩包解压速度：zip / RAR5 / 7z（约 200 MB 相同内容）', () => runArchiveFormatsBench({ log }));

const summary = summaryRows();
printSummary(summary);
results.summary = summary;
results.failures = failures;
results.partSeconds = partTimes;
results.loadAtEnd = load();

await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
log(`结果已写入 ${out}`);
await sharedIsolatedExtraction().close();

interface SummaryRow {
  measure: string;
  ours: string;
  peer: string;
  ratio: string;
  target: string;
  /** true 达标, false 未达标, null: not measured (the row says why). */
  met: boolean | null;
}

function notMeasured(measure: string, target: string, key: string): SummaryRow {
  const why = failures[key] ? `失败：${failures[key]}` : '未运行（不在 BENCH_PARTS 中）';
  return { measure, ours: why, peer: '—', ratio: '—', target, met: null };
}

function fixed(value: number, digits = 2): string {
  return value.toFixed(digits);
}

function summaryRows(): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const pageTarget = '≤ 0.3 s/页';
  if (pdfPages) {
    for (const row of (pdfPages as PageImageBenchResult).rows) {
      rows.push({
        measure: `扫描 PDF 页→OCR 图像：${row.encoding}`,
        ours: `${fixed(row.ours.msPerPage / 1000, 3)} s/页（CPU ${fixed(row.ours.cpuMsPerPage / 1000, 3)} s）`,
        peer: row.pdfimages ? `pdfimages ${fixed(row.pdfimages.msPerPage / 1000, 3)} s/页` : '无 poppler-utils',
        ratio: row.ratioToPdfimages === null ? '—' : `${fixed(row.ratioToPdfimages)}×`,
        target: pageTarget,
        met: row.meetsTarget,
      });
    }
  } else rows.push(notMeasured('扫描 PDF 页→OCR 图像', pageTarget, 'pdfPages'));

  const ocrTarget = '≥ 1.0× 原生 tesseract（2 进程），CER 不更差';
  if (ocr) {
    const o = ocr as OcrBenchResult;
    const pool = o.throughput.find((t) => t.engine.startsWith('tesseract.js'));
    const native = o.throughput.find((t) => t.engine.startsWith('native'));
    // The same best_int model in both: the default engine and native tesseract with it (bench/ocr.ts's ids).
    const ours = o.engines.find((e) => e.id === 'tesseractjs-best_int-psm3')?.meanCer;
    const theirs = o.engines.find((e) => e.id === 'native-best_int')?.meanCer;
    const cerNote = ours && theirs ? `；CER 平均 ${fixed(avg(Object.values(ours)) * 100, 1)} % 对 ${fixed(avg(Object.values(theirs)) * 100, 1)} %` : '';
    rows.push({
      measure: 'OCR 吞吐（双核，200 dpi 生成扫描页）',
      ours: pool ? `${fixed(pool.pagesPerMinute)} 页/分钟${cerNote}` : '无 tesseract.js 吞吐结果',
      peer: native ? `原生 tesseract ${fixed(native.pagesPerMinute)} 页/分钟` : '未安装原生 tesseract',
      ratio: o.poolToNativeThroughput === undefined ? '—' : `${fixed(o.poolToNativeThroughput)}×`,
      target: ocrTarget,
      met: o.poolToNativeThroughput === undefined ? null : o.poolToNativeThroughput >= 1 && (!ours || !theirs || avg(Object.values(ours)) <= avg(Object.values(theirs)) + 0.005),
    });
  } else rows.push(notMeasured('OCR 吞吐（双核）', ocrTarget, 'ocr'));

  const textTarget = '≤ 1.5× pdftotext';
  if (pdf) {
    const p = pdf as PdfBenchResult;
    rows.push({
      measure: `文字层 PDF（真实 ${p.pages} 页文件）`,
      ours: `${fixed(p.extractMsPerPage, 1)} ms/页（CPU ${fixed(p.extractCpuMsPerPage, 1)} ms）`,
      peer: p.pdftotext ? `pdftotext ${fixed(p.pdftotext.msPerPage, 1)} ms/页（CPU ${fixed(p.pdftotext.cpuMsPerPage, 1)} ms）` : '无 poppler-utils',
      ratio: p.pdftotext ? `${fixed(p.pdftotext.extractSlowdown)}×（CPU ${fixed(p.pdftotext.extractCpuSlowdown)}×）` : '—',
      target: textTarget,
      met: p.pdftotext ? p.pdftotext.extractCpuSlowdown <= 1.5 : null,
    });
  } else rows.push(notMeasured('文字层 PDF', textTarget, 'pdf'));

  const rssTarget = '< 600 MB，且不随文件数增长';
  if (archive) {
    const a = archive as { runs: Array<{ pdfs: number; archiveMb: number; treePeakRssMb: number }>; meetsTarget: boolean };
    const peaks = a.runs.map((r) => r.treePeakRssMb);
    const growth = peaks.length > 1 ? peaks[peaks.length - 1]! / peaks[0]! : 1;
    rows.push({
      measure: `峰值内存，约 ${a.runs[a.runs.length - 1]?.archiveMb ?? '?'} MB 压缩包（${a.runs.map((r) => r.pdfs).join(' / ')} 份 PDF）`,
      ours: `${peaks.join(' / ')} MB（进程树）`,
      peer: '—（绝对目标）',
      ratio: `最多/最少文件 ${fixed(growth)}×`,
      target: rssTarget,
      met: a.meetsTarget && growth < 1.15,
    });
  } else rows.push(notMeasured('峰值内存，500 MB 压缩包', rssTarget, 'archive'));

  if (dossierSpeed) {
    const d = dossierSpeed as DossierSpeedResult;
    rows.push({
      measure: `60 页混合材料包（${d.dossier.textPages} 文字 + ${d.dossier.scannedPages} 扫描），冷启动，嵌入式`,
      ours: `${fixed(d.cold.seconds, 1)} s（${fixed(d.cold.cpuSeconds, 1)} CPU 秒，负载 ${d.cold.loadAverage[0] ?? '?'}）`,
      peer: '—（绝对目标）',
      ratio: '—',
      target: '< 60 s（双核）',
      met: d.targets.coldUnder60s,
    });
    rows.push({
      measure: '同一材料包第二次（提取缓存）',
      ours: `${fixed(d.cached.seconds, 2)} s`,
      peer: `冷启动 ${fixed(d.cold.seconds, 1)} s`,
      ratio: `${fixed(d.cachedToCold * 100)} %`,
      target: '< 5 % 冷启动',
      met: d.targets.cachedUnder5Percent,
    });
  } else {
    rows.push(notMeasured('60 页混合材料包，冷启动', '< 60 s（双核）', 'dossierSpeed'));
    rows.push(notMeasured('同一材料包第二次（提取缓存）', '< 5 % 冷启动', 'dossierSpeed'));
  }

  // Issue 11: the default (cheap) run of the 200-page scanned volume; wall time is the target, CPU-s / 2 only an estimate.
  if (boundVolume) {
    const v = boundVolume as BoundVolumeBenchResult;
    const t = v.targets;
    const load = `负载 ${t.loadBefore.join('/')} → ${t.loadAfter.join('/')}`;
    const fullNotRun = '全页 OCR 对照未运行（BENCH_BOUND_VOLUME_FULL=1 时运行）';
    rows.push({
      measure: `${v.pages} 页扫描装订汇编，分段与分类（${v.cheap.segmentsWithinOnePage}/${v.cheap.documents} 份起止页误差 ≤ 1 页）`,
      ours: `${t.wallSeconds} s（CPU ${t.cpuSeconds ?? '?'} s，空闲双核估计 ≈ ${t.idleTwoCoreEstimateSeconds ?? '?'} s，${load}）`,
      peer: v.full ? `全页 OCR ${fixed(v.full.seconds, 0)} s` : fullNotRun,
      ratio: v.speedup ? `${fixed(1 / v.speedup)}×` : '—',
      target: `< ${t.seconds} s（双核）`,
      met: t.metSeconds,
    });
    rows.push({
      measure: `${v.pages} 页扫描装订汇编，进程树峰值内存`,
      ours: `${t.peakRssMb} MB（检查进程 ${v.cheap.peakRssByProcess.check} MB、读取进程 ${v.cheap.peakRssByProcess.reader} MB）`,
      peer: v.full ? `全页 OCR ${v.full.peakRssMb} MB` : fullNotRun,
      ratio: v.rssRatio ? `${fixed(v.rssRatio)}×` : '—',
      target: `< ${t.rssMb} MB`,
      met: t.metRss,
    });
  } else {
    rows.push(notMeasured('200 页扫描装订汇编，分段与分类', '< 240 s（双核）', 'boundVolume'));
    rows.push(notMeasured('200 页扫描装订汇编，进程树峰值内存', '< 1024 MB', 'boundVolume'));
  }

  const batchTarget = '报告每分钟份数（无数值目标）';
  if (batch) {
    const b = batch as BatchBenchResult;
    rows.push({
      measure: `dossier batch，${b.dossiers} 份材料包，--concurrency ${b.concurrency}（核数：OCR 线程 ${b.plan.ocrWorkers}、同时读取 ${b.plan.filesAtOnce} 个文件、同时 ${b.plan.dossiersAtOnce} 份）`,
      ours: `${fixed(b.dossiersPerMinute)} 份/分钟（${fixed(b.seconds, 1)} s，${fixed(b.cpuSeconds, 1)} CPU 秒，失败 ${b.failed} 份）`,
      peer: '—',
      ratio: '—',
      target: batchTarget,
      met: b.failed === 0 ? true : false,
    });
  } else rows.push(notMeasured('dossier batch，40 份材料包', batchTarget, 'batch'));

  const queueTarget = '2 个工作进程 ≥ 1.8× 1 个';
  if (queue) {
    const q = (queue as QueueBenchResult).throughput;
    rows.push({
      measure: `队列吞吐（${q.twoWorkers.dossiers} 份 OCR 材料包）`,
      ours: `2 个工作进程 ${fixed(q.twoWorkers.dossiersPerMinute)} 份/分钟`,
      peer: `1 个工作进程 ${fixed(q.oneWorker.dossiersPerMinute)} 份/分钟`,
      ratio: `${fixed(q.speedup)}×`,
      target: queueTarget,
      met: q.speedup >= 1.8,
    });
  } else rows.push(notMeasured('队列吞吐', queueTarget, 'queue'));
  return rows;
}

function avg(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

function printSummary(rows: SummaryRow[]): void {
  const verdict = (met: boolean | null) => (met === null ? '未测' : met ? '达标' : '未达标');
  const header = ['项目', '我们', '对照', '比值', '目标', '结论'];
  const lines = rows.map((r) => [r.measure, r.ours, r.peer, r.ratio, r.target, verdict(r.met)]);
  log('');
  const total = Object.values(partTimes).reduce((sum, t) => sum + t.seconds, 0);
  log(`== 汇总（issue 14 各行与批量、队列；负载 ${(results.loadAtStart as number[]).join('/')} → ${load().join('/')}；各部分共用时 ${Math.round(total)} s）`);
  log(`| ${header.join(' | ')} |`);
  log(`|${header.map(() => '---').join('|')}|`);
  for (const line of lines) log(`| ${line.map((cell) => cell.replaceAll('|', '｜')).join(' | ')} |`);
}
