/**
 * Small generated dossiers for the queue tests and bench/queue.ts, built reproducibly into
 * tests/fixtures/generated/queue/ (git-ignored) and reused while their recipe is unchanged.
 *
 * - scanned dossier: `项目建议书（扫描件）.pdf` with N scanned A4 pages (renderScan images wrapped in a PDF, as a
 *   scanner driver writes them) plus a text PDF `项目立项申报表.pdf`. OCR-heavy: ~1–2 s per page. `seed` varies
 *   the page text, so dossiers with different seeds share no content (no extraction-cache hits between them).
 * - text dossier: two text PDFs and a damaged PDF; no OCR at all, seconds to check.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { writeZip } from '../../helpers/zip-writer.ts';
import { renderScan } from '../../fixtures/scan/render.ts';
import { approvalRequestProse } from '../../fixtures/scan/sample-texts.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const QUEUE_FIXTURE_DIR = path.resolve(here, '../../fixtures/generated/queue');

/** Bump when the output of a recipe changes. */
const RECIPE_VERSION = '1';
const FIXED_DATE = new Date('2024-03-20T09:00:00+08:00');
const A4 = { width: 595.28, height: 841.89 };

export const SCANNED_FILE = '项目建议书（扫描件）.pdf';
export const FORM_FILE = '项目立项申报表.pdf';
export const DAMAGED_FILE = '损坏的文件.pdf';

function fontPath(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', 'NotoSansHans-Regular.otf');
}

async function pdf(draw: (doc: PDFKit.PDFDocument) => void | Promise<void>): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 72, autoFirstPage: false, info: { Producer: 'PDFKit', CreationDate: FIXED_DATE } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', fontPath());
  await draw(doc);
  doc.end();
  return finished;
}

function textPdf(lines: string[]): Promise<Buffer> {
  return pdf((doc) => {
    doc.addPage();
    const [heading, ...body] = lines;
    doc.font('cjk').fontSize(16).text(heading ?? '', { align: 'center' });
    doc.moveDown();
    doc.fontSize(12);
    for (const line of body) doc.text(line, { lineGap: 6 });
  });
}

function scannedPageText(seed: number, page: number): string {
  // The first line makes every page of every seed different content.
  return `卷宗编号 QY-${seed}-${page}　第${page}页\n${approvalRequestProse}`;
}

/** A PDF of `pages` scanned pages and nothing else. */
export async function scannedPdf(seed: number, pages: number): Promise<Buffer> {
  const images: Buffer[] = [];
  for (let page = 1; page <= pages; page++) images.push(await renderScan(scannedPageText(seed, page), { seed: seed * 100 + page }));
  return pdf((doc) => {
    for (const image of images) {
      doc.addPage({ margin: 0 });
      doc.image(image, 0, 0, { width: A4.width, height: A4.height });
    }
  });
}

function formLines(seed: number): string[] {
  return [
    '项目立项申报表',
    `项目名称：青禾市政务数据共享平台建设项目（第${seed}批）`,
    '建设单位：青禾市政务服务和数据管理局',
    '项目总投资：120万元，资金来源为市级财政资金。',
    '申报日期：2024年3月20日',
  ];
}

async function writeOnce(name: string, build: () => Promise<Buffer>): Promise<string> {
  const target = path.join(QUEUE_FIXTURE_DIR, name);
  if (existsSync(target)) return target;
  await mkdir(QUEUE_FIXTURE_DIR, { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, await build());
  // Atomic, so a test running at the same time never reads half a zip.
  await rename(temporary, target);
  return target;
}

/** A zip with a scanned PDF of `pages` pages and a one-page text PDF. */
export function scannedDossier(options: { pages: number; seed: number }): Promise<string> {
  return writeOnce(`scanned-v${RECIPE_VERSION}-p${options.pages}-s${options.seed}.zip`, async () =>
    writeZip([
      { name: SCANNED_FILE, data: await scannedPdf(options.seed, options.pages), utf8Flag: true },
      { name: FORM_FILE, data: await textPdf(formLines(options.seed)), utf8Flag: true },
    ]),
  );
}

/** A zip with two text PDFs and a PDF cut off half-way (a bad file: a finding, never a retry). No OCR. */
export function textDossier(options: { seed: number }): Promise<string> {
  return writeOnce(`text-v${RECIPE_VERSION}-s${options.seed}.zip`, async () => {
    const second = await textPdf(['项目建议书', `项目名称：青禾市政务数据共享平台建设项目（第${options.seed}批）`, '一、项目背景', '为提升政务数据共享水平，拟建设本平台。']);
    return writeZip([
      { name: FORM_FILE, data: await textPdf(formLines(options.seed)), utf8Flag: true },
      { name: '项目建议书.pdf', data: second, utf8Flag: true },
      { name: DAMAGED_FILE, data: second.subarray(0, Math.floor(second.length / 3)), utf8Flag: true },
    ]);
  });
}

/** A zip of `files` tiny distinct text files: as many jobs as files, each almost free, to see what the queue costs. */
export function manySmallFilesDossier(options: { files: number; seed: number }): Promise<string> {
  return writeOnce(`small-v${RECIPE_VERSION}-n${options.files}-s${options.seed}.zip`, async () =>
    writeZip(
      Array.from({ length: options.files }, (_, i) => ({
        name: `附件/说明-${String(i + 1).padStart(4, '0')}.txt`,
        data: `附件说明 第${i + 1}号（批次 ${options.seed}）\n本附件为项目材料的补充说明。\n`,
        utf8Flag: true,
      })),
    ),
  );
}
