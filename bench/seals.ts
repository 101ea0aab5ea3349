/**
 * Seal benchmark (extractors/seals): what finding seals adds to a page without one, and how well seals are found and
 * read on the seeded generated set (tests/fixtures/seals/generate.ts).
 *
 *   npx tsx bench/seals.ts [sealed pages, default 300]   prints figures, writes bench/results/seals.json
 *   npx tsx bench/seals.ts accuracy [sealed pages]      finding and reading only (bench/results/seals-accuracy.json)
 *   import { runSealsBench } from './seals.ts'           for the bench runner
 *
 * Speed: seal-free A4 pages at 200 dpi (PNG and JPEG, some under a red letterhead) go through the seal pass while an
 * OCR worker reads a page on the other core, as in a real run; the figure is the pass's own wall time per page.
 * Accuracy: detection recall (a truth seal counts when a detected seal's centre lies within half its radius), seal-free
 * pages with any false seal, rim text exact after norm() (whole seals only: a 骑缝章's text is not read), rim text
 * within two characters (what GEN-10 tolerates), centre line exact; and the CER of body text under a seal before and
 * after the seal's red ink is lifted.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { distance } from 'fastest-levenshtein';
import sharp from 'sharp';
import { normOrg } from '../extractors/fields/orgs.ts';
import { createOcrPool, type OcrPool } from '../extractors/ocr/index.ts';
import { analysePageSeals, findSeals, sealTextModel } from '../extractors/seals/index.ts';
import { bodyLines, generatedCases, renderSealPage, seededRandom, type SealPageOptions } from '../tests/fixtures/seals/generate.ts';
import { renderScan } from '../tests/fixtures/scan/render.ts';
import { characterErrorRate } from '../tests/helpers/cer.ts';

export interface SealsBenchResult {
  speed: { pages: number; medianMs: number; p95Ms: number; maxMs: number; withOcrPeer: boolean; cpuMsPerPage: number; loadAverage: number };
  detection: { sealed: number; found: number; recall: number; sealFreePages: number; pagesWithFalseSeal: number; falseSealRate: number; extraSealsOnSealedPages: number };
  reading: {
    whole: number;
    rimExact: number;
    rimWithinTwo: number;
    byKind: Record<string, { n: number; exact: number; withinTwo: number }>;
    centre: { n: number; exact: number };
    seconds: number;
    /** Which engine read the seal text (PP-OCR where its model is installed). */
    engines: Record<string, number>;
    /** Wall time of analysing one sealed page (finding, reading, lifting the ink), pages three at a time. */
    medianMsPerSealedPage: number;
  };
  inkLifting: { pages: number; cerBefore: number; cerAfter: number };
  /** One sealed page at a time, the text model already loaded: what finding and reading one seal costs. */
  perSeal: { pages: number; engine: string; medianMs: number; cpuMsPerSeal: number; modelLoadMs: number; loadAverage: number };
}

function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? 0;
}

/** Seal-free A4 pages at 200 dpi, the way an office scanner or a phone delivers them. */
async function sealFreeA4(count: number): Promise<Array<{ image: Buffer; width: number; height: number; dpi: number }>> {
  const random = seededRandom(77);
  const pages = [];
  for (let i = 0; i < count; i++) {
    const options: SealPageOptions = {
      seals: [],
      lines: bodyLines(random, 30),
      dpi: 200,
      format: i % 2 === 0 ? 'jpeg' : 'png',
      seed: 500 + i,
      ...(i % 3 === 0 ? { letterhead: '某某市人民政府文件', textTopMm: 60 } : {}),
    };
    pages.push(await renderSealPage(options));
  }
  return pages;
}

async function measureSpeed(pool: OcrPool, log: (line: string) => void): Promise<SealsBenchResult['speed']> {
  const pages = await sealFreeA4(12);
  // An OCR worker busy on the other core for the whole measurement, as when a dossier is being read.
  const peerPage = await renderScan(bodyLines(seededRandom(5), 20).join('\n'), { dpi: 200 });
  await pool.recognize(peerPage); // workers warm
  // CPU time of the pass alone, before the peer starts: wall time on a shared machine says more about the other load.
  const cpuStart = process.cpuUsage();
  for (const page of pages) await findSeals(sharp(page.image), page.width, page.height, page.dpi);
  const cpu = process.cpuUsage(cpuStart);
  const cpuMsPerPage = Math.round((cpu.user + cpu.system) / 1000 / pages.length);
  let stop = false;
  const peer = (async () => {
    while (!stop) await pool.recognize(peerPage);
  })();
  const times: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (const page of pages) {
      const t = performance.now();
      const { candidates } = await findSeals(sharp(page.image), page.width, page.height, page.dpi);
      times.push(performance.now() - t);
      if (candidates.length > 0) log(`  注意：无章页面检出 ${candidates.length} 个印章`);
    }
  }
  stop = true;
  await peer;
  const loadAverage = Math.round(loadavg()[0]! * 10) / 10;
  const result = { pages: times.length, medianMs: Math.round(percentile(times, 0.5)), p95Ms: Math.round(percentile(times, 0.95)), maxMs: Math.round(Math.max(...times)), withOcrPeer: true, cpuMsPerPage, loadAverage };
  log(`  无章 A4 页面（200 dpi）每页增加：CPU ${cpuMsPerPage} ms；耗时中位数 ${result.medianMs} ms，P95 ${result.p95Ms} ms，最大 ${result.maxMs} ms（另一核同时在做 OCR；机器负载 ${loadAverage}）`);
  return result;
}

async function measureAccuracy(pool: OcrPool, sealedCount: number, log: (line: string) => void): Promise<Pick<SealsBenchResult, 'detection' | 'reading'>> {
  const { sealed, sealFreePages } = generatedCases(sealedCount);
  let found = 0;
  let total = 0;
  let extra = 0;
  let falsePages = 0;
  const byKind: SealsBenchResult['reading']['byKind'] = {};
  let whole = 0;
  let exact = 0;
  let withinTwo = 0;
  const centre = { n: 0, exact: 0 };
  const engines: Record<string, number> = {};
  const pageTimes: number[] = [];
  const started = performance.now();
  // A few pages in flight keep both OCR workers busy.
  const inFlight: Array<Promise<void>> = [];
  const one = async (options: SealPageOptions) => {
    const page = await renderSealPage(options);
    const t = performance.now();
    const result = await analysePageSeals(sharp(page.image), page.width, page.height, { ocr: pool, page: 1, density: page.dpi, maxImagePixels: 40_000_000 });
    if (page.seals.length > 0) pageTimes.push(performance.now() - t);
    for (const s of result.seals) if (s.textEngine) engines[s.textEngine] = (engines[s.textEngine] ?? 0) + 1;
    const used = new Set<number>();
    for (const truth of page.seals) {
      total++;
      const index = result.seals.findIndex((s, i) => {
        if (used.has(i) || !s.box) return false;
        const cx = (s.box.x + s.box.width / 2) * page.width;
        const cy = (s.box.y + s.box.height / 2) * page.height;
        return Math.hypot(cx - truth.cx, cy - truth.cy) < truth.radiusPx * 0.5 || (truth.cut && Math.abs(cy - truth.cy) < truth.radiusPx * 0.5 && s.cutAtEdge !== undefined);
      });
      if (index < 0) continue;
      found++;
      used.add(index);
      if (truth.cut) continue;
      const seal = result.seals[index]!;
      const kind = `${truth.spec.shape}-${truth.spec.ink}`;
      const stats = (byKind[kind] ??= { n: 0, exact: 0, withinTwo: 0 });
      const want = normOrg(truth.spec.rimText);
      const got = normOrg(seal.rimText ?? '');
      whole++;
      stats.n++;
      if (got === want) {
        exact++;
        stats.exact++;
      }
      if (distance(got, want) <= 2) {
        withinTwo++;
        stats.withinTwo++;
      }
      if (truth.spec.centreText) {
        centre.n++;
        if (seal.centreText === truth.spec.centreText) centre.exact++;
      }
    }
    extra += result.seals.length - used.size;
    if (page.seals.length === 0 && result.seals.length > 0) falsePages++;
  };
  for (const c of [...sealed, ...sealFreePages]) {
    const task = one(c.options);
    inFlight.push(task);
    if (inFlight.length >= 3) await inFlight.shift();
  }
  await Promise.all(inFlight);
  const extraOnSealed = extra - falsePages;
  const detection = {
    sealed: total,
    found,
    recall: found / total,
    sealFreePages: sealFreePages.length,
    pagesWithFalseSeal: falsePages,
    falseSealRate: falsePages / sealFreePages.length,
    extraSealsOnSealedPages: Math.max(0, extraOnSealed),
  };
  const reading = { whole, rimExact: exact / whole, rimWithinTwo: withinTwo / whole, byKind, centre, seconds: Math.round((performance.now() - started) / 100) / 10, engines, medianMsPerSealedPage: Math.round(percentile(pageTimes, 0.5)) };
  log(`  检出率 ${(detection.recall * 100).toFixed(1)}%（${found}/${total}），无章页面误检 ${falsePages}/${sealFreePages.length}（${(detection.falseSealRate * 100).toFixed(1)}%）`);
  log(`  印章外圈文字：完全正确（norm() 后）${(reading.rimExact * 100).toFixed(1)}%，误差不超过 2 字 ${(reading.rimWithinTwo * 100).toFixed(1)}%（${whole} 枚完整印章）`);
  for (const [kind, s] of Object.entries(byKind).sort()) log(`    ${kind}: ${s.n} 枚，完全正确 ${((s.exact / s.n) * 100).toFixed(0)}%，不超过 2 字 ${((s.withinTwo / s.n) * 100).toFixed(0)}%`);
  log(`  中心文字（…专用章）完全正确 ${centre.exact}/${centre.n}`);
  log(`  识别引擎：${Object.entries(engines).map(([e, n]) => `${e} ${n} 枚`).join('，')}；有章页面分析耗时中位数 ${reading.medianMsPerSealedPage} ms（3 页并行），全部 ${reading.seconds} s`);
  return { detection, reading };
}

/** Body lines under a seal: OCR of the page as stamped, and of the page with the seal's red ink lifted. */
async function measureInkLifting(pool: OcrPool, log: (line: string) => void): Promise<SealsBenchResult['inkLifting']> {
  const random = seededRandom(99);
  let before = 0;
  let after = 0;
  const pages = 8;
  for (let i = 0; i < pages; i++) {
    const lines = bodyLines(random, 4);
    const options: SealPageOptions = {
      seals: [{ spec: { shape: i % 3 === 2 ? 'oval' : 'round', rimText: '某某市数据资源管理局', star: i % 3 !== 2, sizeMm: 40, rotateDeg: (random() - 0.5) * 40, ink: i % 2 === 0 ? 'strong' : 'faint' }, xMm: 70 + random() * 40, yMm: 33 }],
      lines,
      textTopMm: 18,
      heightMm: 62,
      dpi: 200,
      seed: 900 + i,
    };
    const page = await renderSealPage(options);
    const truth = lines.join('\n');
    const stamped = await pool.recognize(await sharp(page.image).grayscale().png().toBuffer());
    const lifted = await analysePageSeals(sharp(page.image), page.width, page.height, { ocr: pool, page: 1, density: page.dpi, maxImagePixels: 40_000_000 });
    const cleaned = lifted.cleanedPage ? await pool.recognize(lifted.cleanedPage) : stamped;
    before += characterErrorRate(truth, stamped.text);
    after += characterErrorRate(truth, cleaned.text);
  }
  const result = { pages, cerBefore: Math.round((before / pages) * 1000) / 1000, cerAfter: Math.round((after / pages) * 1000) / 1000 };
  log(`  印章覆盖的正文行 CER：去除红色印迹前 ${(result.cerBefore * 100).toFixed(1)}%，之后 ${(result.cerAfter * 100).toFixed(1)}%（${pages} 页）`);
  return result;
}

async function measurePerSeal(pool: OcrPool, log: (line: string) => void): Promise<SealsBenchResult['perSeal']> {
  const loadStart = performance.now();
  const model = await sealTextModel();
  const modelLoadMs = Math.round(performance.now() - loadStart);
  const { sealed } = generatedCases(12, 4242);
  const pages = [];
  for (const c of sealed) pages.push(await renderSealPage(c.options));
  const times: number[] = [];
  let seals = 0;
  const cpuStart = process.cpuUsage();
  for (const page of pages) {
    const t = performance.now();
    const result = await analysePageSeals(sharp(page.image), page.width, page.height, { ocr: pool, page: 1, density: page.dpi, maxImagePixels: 40_000_000 });
    times.push(performance.now() - t);
    seals += result.seals.length;
  }
  const cpu = process.cpuUsage(cpuStart);
  const result = {
    pages: pages.length,
    engine: model ? 'ppocr-v4-rec' : 'tesseract',
    medianMs: Math.round(percentile(times, 0.5)),
    // Main-thread CPU: with PP-OCR all reading runs here; tesseract's worker threads are counted in the same process.
    cpuMsPerSeal: Math.round((cpu.user + cpu.system) / 1000 / Math.max(1, seals)),
    modelLoadMs,
    loadAverage: Math.round(loadavg()[0]! * 10) / 10,
  };
  log(`  每枚印章（逐页，模型已加载，${result.engine}）：耗时中位数 ${result.medianMs} ms，CPU ${result.cpuMsPerSeal} ms；模型加载 ${modelLoadMs} ms（负载 ${result.loadAverage}）`);
  return result;
}

export async function runSealsBench(options: { log?: (line: string) => void; sealed?: number; speedOnly?: boolean } = {}): Promise<SealsBenchResult | Pick<SealsBenchResult, 'speed'>> {
  const log = options.log ?? (() => {});
  const pool = createOcrPool({ size: 2 });
  try {
    const speed = await measureSpeed(pool, log);
    if (options.speedOnly) return { speed };
    const perSeal = await measurePerSeal(pool, log);
    const accuracy = await measureAccuracy(pool, options.sealed ?? 300, log);
    const inkLifting = await measureInkLifting(pool, log);
    return { speed, ...accuracy, inkLifting, perSeal };
  } finally {
    await pool.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] === 'accuracy') {
  // `npx tsx bench/seals.ts accuracy [n]`: finding and reading only, no timing (may run beside other work).
  const pool = createOcrPool({ size: 2 });
  try {
    const result = await measureAccuracy(pool, Number(process.argv[3] ?? 300), (line) => console.log(line));
    await mkdir(join(import.meta.dirname, 'results'), { recursive: true });
    await writeFile(join(import.meta.dirname, 'results', 'seals-accuracy.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await pool.close();
  }
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // `npx tsx bench/seals.ts speed` measures the cost on seal-free pages only.
  const speedOnly = process.argv[2] === 'speed';
  const result = await runSealsBench({ log: (line) => console.log(line), sealed: speedOnly ? 0 : Number(process.argv[2] ?? 300), speedOnly });
  const dir = join(import.meta.dirname, 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'seals.json'), `${JSON.stringify(result, null, 2)}\n`);
}
