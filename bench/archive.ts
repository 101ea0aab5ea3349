import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedPath } from '../tests/helpers/shared-data.ts';
import { writeZip, type ZipEntrySpec } from '../tests/helpers/zip-writer.ts';

/**
 * Peak RSS while extracting a large archive. The archive is mostly incompressible scan-sized attachments (which
 * intake streams to disk and the registry lists as unsupported) plus distinct copies of the real 99-page PDF (each
 * made unique by a trailing comment, so none is deduplicated), so both intake streaming and PDF extraction are
 * exercised. The extraction runs in a child process so its peak RSS is its own.
 */
export async function runArchiveBench(options: { targetMb?: number; pdfCopies?: number; log?: (line: string) => void } = {}) {
  const log = options.log ?? ((line: string) => console.log(line));
  const targetBytes = (options.targetMb ?? 500) * 1024 * 1024;
  const dir = await mkdtemp(join(tmpdir(), 'archive-bench-'));
  const zipPath = join(dir, '大型材料包.zip');
  try {
    const pdf = await readFile(sharedPath('samples', 'real', 'pdf', 'huaxin_zhaobiao_wenjian_2023_wps.pdf'));
    const entries: ZipEntrySpec[] = [];
    let written = 0;
    const copies = options.pdfCopies ?? 40;
    for (let i = 0; i < copies; i++) {
      const bytes = Buffer.concat([pdf, Buffer.from(`\n%copy-${i}\n`)]);
      entries.push({ name: `招标文件/招标文件-${i + 1}.pdf`, data: bytes, method: 'deflate', utf8Flag: true });
      written += bytes.length;
    }
    let n = 0;
    while (written < targetBytes) {
      const chunk = randomBytes(8 * 1024 * 1024);
      entries.push({ name: `影像附件/扫描影像-${++n}.dat`, data: chunk, method: 'store', utf8Flag: true });
      written += chunk.length;
    }
    await writeFile(zipPath, writeZip(entries));
    entries.length = 0;
    const size = (await stat(zipPath)).size;
    log(`  archive: ${(size / 1024 / 1024).toFixed(0)} MB, ${copies} PDFs of 99 pages + ${n} attachments of 8 MB`);
    const started = performance.now();
    const child = await runChild(zipPath);
    const seconds = (performance.now() - started) / 1000;
    log(`  extracted in ${seconds.toFixed(1)} s; peak RSS ${child.peakRssMb} MB (target < 1024 MB); ${child.files} files, ${child.pages} pages`);
    return { archiveMb: Math.round(size / 1024 / 1024), seconds: Math.round(seconds * 10) / 10, ...child };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runChild(zipPath: string): Promise<{ peakRssMb: number; files: number; pages: number }> {
  const { execFile } = await import('node:child_process');
  const script = `
    import { extractDossier } from './pipeline/extract-dossier.ts';
    import { createOcrPool } from './extractors/ocr/index.ts';
    const ocr = createOcrPool({ size: 2 });
    const r = await extractDossier({ input: ${JSON.stringify(zipPath)}, ocr, concurrency: Number(process.env.BENCH_CONCURRENCY ?? 2) });
    await ocr.close();
    const pages = r.files.reduce((n, f) => n + f.doc.pages.length, 0);
    console.log(JSON.stringify({ peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), files: r.files.length, pages }));
  `;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []), '--import', 'tsx', '--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '..'), maxBuffer: 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(error);
      resolve(JSON.parse(stdout.trim().split('\n').pop()!));
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runArchiveBench({ targetMb: Number(process.argv[2] ?? 500), pdfCopies: Number(process.argv[3] ?? 40) });
