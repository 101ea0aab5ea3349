import { describe, expect, it } from 'vitest';
import { COMPRESSION_RATIO_GRACE_BYTES, IntakeLimitsSchema } from '../../pipeline/intake/index.ts';
import { writeZip } from '../helpers/zip-writer.ts';
import { zipBomb } from '../fixtures/intake/archives.ts';
import { tinyPdf } from '../fixtures/intake/documents.ts';
import { useScratch } from './scratch.ts';

const scratch = useScratch();

function manyPdfs(count: number, bytesEach = 0): Buffer {
  return writeZip(
    Array.from({ length: count }, (_, index) => ({
      name: `材料${String(index + 1).padStart(2, '0')}.pdf`,
      data: Buffer.concat([tinyPdf(`file ${index}`), Buffer.alloc(bytesEach, 0x20)]),
      method: 'store' as const,
    })),
  );
}

describe('when an entry inflates far beyond its compressed size (zip bomb)', () => {
  it('refuses it from the header alone when the header admits the ratio', async () => {
    const result = await scratch.intakeBytes('bomb.zip', zipBomb({ lyingHeader: false }));
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'INTAKE_ZIP_BOMB', path: 'bomb.txt', severity: 'error' }),
    ]);
    expect(result.unreadableEntries).toEqual([{ path: 'bomb.txt', reason: 'refused' }]);
    expect(result.files.map((file) => file.path)).toEqual(['正常材料.pdf']);
  });

  it('stops inflating when the header lies about the size, counting the bytes really produced', async () => {
    const result = await scratch.intakeBytes('bomb.zip', zipBomb({ lyingHeader: true }));
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_ZIP_BOMB', path: 'bomb.txt' })]);
    expect(result.files.map((file) => file.path)).toEqual(['正常材料.pdf']);
    const workFiles = (await scratch.allFiles()).filter((path) => path.startsWith('work'));
    expect(workFiles).toHaveLength(1);
  });

  it('lets a small but highly compressible file through (the grace amount)', async () => {
    const blankForm = Buffer.alloc(COMPRESSION_RATIO_GRACE_BYTES / 2, 0x20);
    const result = await scratch.intakeBytes('资料.zip', writeZip([{ name: '空白表.txt', data: blankForm }]));
    expect(result.findings).toEqual([]);
    expect(result.files[0]).toMatchObject({ path: '空白表.txt', size: blankForm.length, kind: 'text' });
  });

  it('honours a configured ratio', async () => {
    const result = await scratch.intakeBytes('bomb.zip', zipBomb({ lyingHeader: false }), {
      limits: { maxCompressionRatio: 100_000 },
    });
    expect(result.findings).toEqual([]);
    expect(result.files.map((file) => file.path)).toEqual(['bomb.txt', '正常材料.pdf']);
  });
});

describe('when there are more entries than allowed', () => {
  it('unpacks up to the limit and reports the rest as unchecked', async () => {
    const result = await scratch.intakeBytes('资料.zip', manyPdfs(12), { limits: { maxEntries: 10 } });
    expect(result.files).toHaveLength(10);
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'INTAKE_TOO_MANY_ENTRIES', path: '资料.zip', severity: 'error' }),
    ]);
    expect(result.findings[0]!.message).toContain('10');
  });

  it('counts the entries of nested archives too', async () => {
    const inner = manyPdfs(6);
    const zip = writeZip([...Array.from({ length: 3 }, (_, i) => ({ name: `外${i}.pdf`, data: tinyPdf() })), { name: '内.zip', data: inner }]);
    const result = await scratch.intakeBytes('资料.zip', zip, { limits: { maxEntries: 8 } });
    // 3 PDFs + the inner zip's own entry + 4 of its 6 entries
    expect(result.files).toHaveLength(7);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_TOO_MANY_ENTRIES', path: '内.zip' })]);
  });
});

describe('when the unpacked total is larger than allowed', () => {
  it('refuses the whole archive before writing a byte when its directory already says so', async () => {
    const zip = manyPdfs(5, 100_000);
    const result = await scratch.intakeBytes('资料.zip', zip, { limits: { maxTotalBytes: 350_000 } });
    expect(result.files).toEqual([]);
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'INTAKE_ARCHIVE_TOO_LARGE', path: '资料.zip', severity: 'error' }),
    ]);
    expect(result.findings[0]!.message).toMatch(/按目录计算解压后共 \d+(\.\d)? KiB，超过上限（还可解压 341\.8 KiB），已拒绝解压/);
    expect(await scratch.allFiles()).toEqual(['inputs/资料.zip']);
  });

  it('refuses a nested archive that would overflow what is left, and goes on with the rest', async () => {
    const zip = writeZip([
      { name: '申报表.pdf', data: tinyPdf('申报表') },
      { name: '附件.zip', data: manyPdfs(5, 100_000), method: 'store' },
      { name: '可研.pdf', data: tinyPdf('可研') },
    ]);
    const result = await scratch.intakeBytes('资料.zip', zip, { limits: { maxTotalBytes: 800_000 } });
    expect(result.files.map((file) => file.path)).toEqual(['申报表.pdf', '可研.pdf']);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_ARCHIVE_TOO_LARGE', path: '附件.zip' })]);
    expect(result.unreadableEntries).toEqual([{ path: '附件.zip', reason: 'refused' }]);
    const workFiles = (await scratch.allFiles()).filter((path) => path.startsWith('work'));
    expect(workFiles).toHaveLength(2);
  });

  it('counts real bytes when headers understate sizes', async () => {
    const big = Buffer.concat([tinyPdf(), Buffer.alloc(300_000, 0x20)]);
    const zip = writeZip([
      { name: '一.pdf', data: big },
      { name: '二.pdf', data: big, declaredUncompressedSize: 10 },
      { name: '三.pdf', data: tinyPdf() },
    ]);
    const result = await scratch.intakeBytes('资料.zip', zip, {
      limits: { maxTotalBytes: 400_000, maxCompressionRatio: 100_000 },
    });
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_TOO_LARGE', path: '二.pdf' })]);
    expect(result.files.map((file) => file.path)).toEqual(['一.pdf']);
    const workFiles = (await scratch.allFiles()).filter((path) => path.startsWith('work'));
    expect(workFiles).toHaveLength(1);
  });
});

describe('when a single entry is larger than allowed', () => {
  it('refuses that entry and keeps the others', async () => {
    const zip = writeZip([
      { name: '大文件.pdf', data: Buffer.concat([tinyPdf(), Buffer.alloc(200_000, 0x20)]) },
      { name: '小文件.pdf', data: tinyPdf() },
    ]);
    const result = await scratch.intakeBytes('资料.zip', zip, {
      limits: { maxEntryBytes: 100_000, maxCompressionRatio: 100_000 },
    });
    expect(result.files.map((file) => file.path)).toEqual(['小文件.pdf']);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_ENTRY_TOO_LARGE', path: '大文件.pdf' })]);
    expect(result.unreadableEntries).toEqual([{ path: '大文件.pdf', reason: 'refused' }]);
  });

  it('refuses it while copying when the header understates it', async () => {
    const zip = writeZip([
      { name: '大文件.pdf', data: Buffer.concat([tinyPdf(), Buffer.alloc(200_000, 0x20)]), declaredUncompressedSize: 1_000 },
    ]);
    const result = await scratch.intakeBytes('资料.zip', zip, {
      limits: { maxEntryBytes: 100_000, maxCompressionRatio: 100_000 },
    });
    expect(result.files).toEqual([]);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_ENTRY_TOO_LARGE', path: '大文件.pdf' })]);
  });
});

describe('the default limits', () => {
  it('are 2 GiB total, 10 000 entries, ratio 200, depth 3 and 512 MiB per entry', () => {
    expect(IntakeLimitsSchema.parse({})).toEqual({
      maxTotalBytes: 2 * 1024 ** 3,
      maxEntries: 10_000,
      maxCompressionRatio: 200,
      maxDepth: 3,
      maxEntryBytes: 512 * 1024 ** 2,
    });
  });
});
