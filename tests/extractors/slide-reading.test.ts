import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ExtractedDocument, FileKind } from '../../extractors/model.ts';
import { extractDocument } from '../../extractors/registry.ts';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import { slideText } from '../../extractors/slides/pptx.ts';
import { sniffKind, sniffKindOfFile } from '../../extractors/sniff.ts';
import { writeZip } from '../helpers/zip-writer.ts';
import { sharedPath, REPO_ROOT } from '../helpers/shared-data.ts';
import { minimalPpt, minimalPptx, oleWithoutSlides, PPT_PAGES, PPTX_PAGES, PPTX_TITLE } from '../fixtures/slides/generate.ts';
import { useScratch } from '../intake/scratch.ts';
import { contextWithoutOcr } from './context.ts';

const scratch = useScratch();

/** Writes the bytes under `name`, sniffs them as intake would, and reads them through the registry. */
async function sniffAndRead(name: string, bytes: Buffer): Promise<{ kind: FileKind; doc: ExtractedDocument }> {
  const path = await scratch.write(name, bytes);
  const kind = await sniffKindOfFile(path, name);
  const doc = await extractDocument({ path: name, bytes: await readFile(path), kind }, contextWithoutOcr());
  return { kind, doc };
}

describe('when the presentation is a .pptx (or a WPS .dps saved as OOXML)', () => {
  it.each(['汇报.pptx', '汇报.dps', '汇报.zip', '汇报'])('reads %s one page per slide, in the order the presentation lists them', async (name) => {
    const { kind, doc } = await sniffAndRead(name, minimalPptx());
    expect(kind).toBe('pptx');
    expect(doc.status).toBe('ok');
    expect(doc.pages.map((page) => page.text)).toEqual(PPTX_PAGES);
    expect(doc.pages.map((page) => page.n)).toEqual([1, 2, 3]);
    expect(doc.meta).toMatchObject({ pageCount: 3, title: PPTX_TITLE, ocrPages: 0 });
  });

  it('lists a .pptx inside an uploaded zip as one presentation, not as its XML parts', async () => {
    const result = await scratch.intakeBytes('资料.zip', writeZip([{ name: '汇报材料.zip', data: minimalPptx() }]));
    expect(result.files.map((file) => [file.path, file.kind])).toEqual([['汇报材料.zip', 'pptx']]);
  });

  it('reads a table row by row with its cells apart, a merged cell once', () => {
    const xml = `<p:sld xmlns:a="a" xmlns:p="p"><a:tbl>
      <a:tr><a:tc gridSpan="2"><a:txBody><a:p><a:r><a:t>项目</a:t></a:r><a:r><a:t>名称</a:t></a:r></a:p></a:txBody></a:tc><a:tc hMerge="1"><a:txBody><a:p><a:r><a:t>项目名称</a:t></a:r></a:p></a:txBody></a:tc></a:tr>
      <a:tr><a:tc><a:txBody><a:p><a:r><a:t>一期</a:t></a:r></a:p><a:p><a:r><a:t>工程</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:p><a:r><a:t>120</a:t></a:r></a:p></a:txBody></a:tc></a:tr>
      <a:tr><a:tc vMerge="1"><a:txBody><a:p><a:r><a:t>一期</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:p><a:r><a:t>80</a:t></a:r></a:p></a:txBody></a:tc></a:tr>
    </a:tbl></p:sld>`;
    expect(slideText(xml)).toBe(['项目名称', '一期工程 | 120', '80'].join('\n'));
  });

  it('stops at the page limit, says so, and reports progress slide by slide', async () => {
    const progress: number[] = [];
    const ctx = { ...contextWithoutOcr(({ page }) => progress.push(page)), limits: { ...defaultExtractionLimits, maxPagesPerDocument: 2 } };
    for (const [name, bytes, kind] of [['汇报.pptx', minimalPptx(), 'pptx'], ['汇报.ppt', minimalPpt(), 'ppt']] as const) {
      progress.length = 0;
      const doc = await extractDocument({ path: name, bytes, kind }, ctx);
      const expected = kind === 'pptx' ? PPTX_PAGES : PPT_PAGES;
      expect(doc.pages.map((page) => page.text)).toEqual(expected.slice(0, 2));
      expect(progress).toEqual([1, 2]);
      const overflow = expected.length > 2;
      expect(doc.findings.map((finding) => finding.code)).toEqual(overflow ? ['page-limit'] : []);
    }
  });

  it('calls a presentation without any text empty', async () => {
    const empty = writeZip([
      { name: 'ppt/presentation.xml', data: '<p:presentation xmlns:p="p"/>' },
      { name: 'ppt/slides/slide1.xml', data: '<p:sld xmlns:p="p"/>' },
    ]);
    const { doc } = await sniffAndRead('空白.pptx', empty);
    expect(doc).toMatchObject({ status: 'empty', message: '演示文稿中没有文字内容' });
  });

  it('calls a damaged .pptx unreadable, in Chinese', async () => {
    const pptx = minimalPptx();
    const { kind, doc } = await sniffAndRead('截断.pptx', pptx.subarray(0, Math.floor(pptx.length / 2)));
    expect(kind).toBe('pptx');
    expect(doc.status).toBe('unreadable');
    expect(doc.message).toMatch(/^无法读取演示文稿/);
  });
});

describe('when the presentation is a legacy .ppt (or a WPS .dps in that layout)', () => {
  it.each(['汇报.ppt', '汇报.dps', '汇报.pptx', 'scan0001'])('reads the text of %s one page per slide, in slide-list order', async (name) => {
    const { kind, doc } = await sniffAndRead(name, minimalPpt());
    expect(kind).toBe('ppt');
    expect(doc.status).toBe('ok');
    expect(doc.pages.map((page) => page.text)).toEqual(PPT_PAGES);
  });

  it('finds the PowerPoint Document stream past the first directory sector', async () => {
    // 4 directory entries fit in a 512-byte sector: with 8 streams ahead of it the stream is in a later sector.
    const bytes = minimalPpt({ extraStreams: 8 });
    // The first directory sector alone (all a head-only sniff sees) does not name it…
    expect(sniffKind(bytes, '无扩展名')).toBe('unknown');
    // …the directory's chain through the FAT does.
    const { kind } = await sniffAndRead('无扩展名', bytes);
    expect(kind).toBe('ppt');
  });

  it('says a compound file without slides cannot be read, and what to do', async () => {
    const { kind, doc } = await sniffAndRead('旧格式.dps', oleWithoutSlides());
    expect(kind).toBe('ppt');
    expect(doc.status).toBe('unsupported');
    expect(doc.message).toContain('请另存为 .pptx 或 PDF 后重新上传');
  });
});

describe('dossier extract on spreadsheets and presentations', () => {
  const run = promisify(execFile);
  const dossier = async (...args: string[]) =>
    run(process.execPath, [join(REPO_ROOT, 'bin', 'dossier.mjs'), 'extract', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: join(tmpdir(), 'dossier-cli-cache') },
      maxBuffer: 64 * 1024 * 1024,
    });
  interface ExtractOutput {
    files: { file: { path: string; kind: string }; doc: ExtractedDocument }[];
  }

  it('prints the text of a real WPS .xls', async () => {
    const xls = sharedPath('samples', 'real', 'sheets', 'wificar_cailiao_qingdan_wps.xls');
    const { stdout } = await dossier(xls, '--format', 'json');
    const [entry] = (JSON.parse(stdout) as ExtractOutput).files;
    expect(entry!.file.kind).toBe('xls');
    expect(entry!.doc.status).toBe('ok');
    expect(entry!.doc.pages[0]!.text).toContain('总参考价: | | | | 70.8');
    const text = await dossier(xls);
    expect(text.stdout).toContain('状态 ok');
    expect(text.stdout).toContain('工作表:Sheet1 材料名称 | 类型 | 数量');
  });

  it('prints the slides of a .pptx', async () => {
    const path = await scratch.write('汇报.pptx', minimalPptx());
    const { stdout } = await dossier(path, '--format', 'json');
    const [entry] = (JSON.parse(stdout) as ExtractOutput).files;
    expect(entry!.file.kind).toBe('pptx');
    expect(entry!.doc.pages.map((page) => page.text)).toEqual(PPTX_PAGES);
  });
});
