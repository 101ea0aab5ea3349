import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { surveyArchive, type DirectoryEntry } from '../../pipeline/intake/archive-survey.ts';
import { COMPRESSION_RATIO_GRACE_BYTES } from '../../pipeline/intake/index.ts';
import { hostileSample } from '../helpers/hostile-samples.ts';
import { writeZip } from '../helpers/zip-writer.ts';
import { tinyPdf } from '../fixtures/intake/documents.ts';
import { useScratch } from './scratch.ts';

const scratch = useScratch();

/**
 * One stored entry, then its central-directory record repeated `count` times under names of the same length, all
 * pointing at the one local header: the shape of bomb_overlap_10k.zip, at any size.
 */
function overlappingZip(count: number, data: Buffer): Buffer {
  const single = writeZip([{ name: 'f00000.pdf', data }]);
  const eocdOffset = single.length - 22;
  const centralOffset = single.readUInt32LE(eocdOffset + 16);
  const record = single.subarray(centralOffset, eocdOffset);
  const records = Array.from({ length: count }, (_, index) => {
    const copy = Buffer.from(record);
    copy.write(`f${String(index).padStart(5, '0')}.pdf`, 46, 'latin1');
    return copy;
  });
  const central = Buffer.concat(records);
  const eocd = Buffer.from(single.subarray(eocdOffset));
  eocd.writeUInt16LE(count, 8);
  eocd.writeUInt16LE(count, 10);
  eocd.writeUInt32LE(central.length, 12);
  return Buffer.concat([single.subarray(0, centralOffset), central, eocd]);
}

async function workFiles(): Promise<string[]> {
  return (await scratch.allFiles()).filter((path) => path.startsWith('work'));
}

describe('bomb_overlap_10k.zip (10,000 directory entries pointing at one 1 MiB block)', () => {
  it('is refused as a bomb from its directory alone, at once, and nothing is written', async () => {
    const bytes = await readFile(hostileSample('bomb_overlap_10k.zip'));
    const started = performance.now();
    const result = await scratch.intakeBytes('bomb_overlap_10k.zip', bytes);
    const elapsedMs = performance.now() - started;
    console.info(`bomb_overlap_10k.zip：${elapsedMs.toFixed(0)} ms`);

    expect(result.files).toEqual([]);
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'INTAKE_ZIP_BOMB', path: 'bomb_overlap_10k.zip', severity: 'error' }),
    ]);
    expect(result.findings[0]!.message).toContain('压缩包“bomb_overlap_10k.zip”疑似压缩炸弹');
    expect(result.findings[0]!.message).toContain('9999 个条目的数据位置与其他条目重叠');
    expect(result.findings[0]!.message).toContain('已拒绝解压');
    // It used to write 2 GiB and take 16–45 s. Refused from the directory alone means not one entry was inflated to
    // disk; the time is printed above, not asserted (a loaded machine would make a bound test the load).
    expect(await workFiles()).toEqual([]);
  });

  it('is refused the same way when it sits inside the dossier, and the rest is checked', async () => {
    const bomb = await readFile(hostileSample('bomb_overlap_10k.zip'));
    const dossier = writeZip([
      { name: '项目立项申报表.pdf', data: tinyPdf('申报表'), utf8Flag: true },
      { name: '附件/bomb_overlap_10k.zip', data: bomb, method: 'store', utf8Flag: true },
      { name: '可行性研究报告.pdf', data: tinyPdf('可研'), utf8Flag: true },
    ]);
    const result = await scratch.intakeBytes('资料.zip', dossier);
    expect(result.files.map((file) => file.path)).toEqual(['项目立项申报表.pdf', '可行性研究报告.pdf']);
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'INTAKE_ZIP_BOMB', path: '附件/bomb_overlap_10k.zip' }),
    ]);
    expect(result.findings[0]!.message).toContain('疑似压缩炸弹');
    expect(result.unreadableEntries).toEqual([{ path: '附件/bomb_overlap_10k.zip', reason: 'refused' }]);
    // The two PDFs; the bomb's own copy is gone and none of its entries was written.
    expect(await workFiles()).toHaveLength(2);
  });
});

describe('when several directory entries share one local header', () => {
  it('refuses the archive even when every entry is small and the total is far below the limits', async () => {
    const result = await scratch.intakeBytes('资料.zip', overlappingZip(3, tinyPdf()));
    expect(result.files).toEqual([]);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_ZIP_BOMB', path: '资料.zip' })]);
    expect(result.findings[0]!.message).toContain('2 个条目的数据位置与其他条目重叠');
    expect(await workFiles()).toEqual([]);
  });
});

describe('when many small entries together inflate far beyond the archive', () => {
  // Each entry is under the per-entry grace, so no single entry is a bomb; together they are 300 × the archive.
  const entries = Array.from({ length: 24 }, (_, index) => ({ name: `空白${index}.txt`, data: Buffer.alloc(64 * 1024, 0x20) }));

  it('refuses the archive by the ratio of the declared total to its own size', async () => {
    const zip = writeZip(entries);
    expect(24 * 64 * 1024).toBeGreaterThan(COMPRESSION_RATIO_GRACE_BYTES);
    const result = await scratch.intakeBytes('资料.zip', zip);
    expect(result.files).toEqual([]);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_ZIP_BOMB', path: '资料.zip' })]);
    expect(result.findings[0]!.message).toMatch(/的压缩包按目录声明解压后共 1\.5 MiB，是其 \d+ 倍，超过 200 倍的上限/);
    expect(await workFiles()).toEqual([]);
  });

  it('honours a configured ratio', async () => {
    const result = await scratch.intakeBytes('资料.zip', writeZip(entries), { limits: { maxCompressionRatio: 100_000 } });
    expect(result.findings).toEqual([]);
    expect(result.files).toHaveLength(24);
  });
});

describe('the directory survey', () => {
  const entry = (localHeaderOffset: number, compressedSize: number, uncompressedSize = compressedSize): DirectoryEntry => ({
    localHeaderOffset,
    nameLength: 10,
    compressedSize,
    uncompressedSize,
    counted: true,
  });
  const limits = { archiveBytes: 10_000, bytesLeft: 1_000_000, maxRatio: 200, graceBytes: 1024 };

  it('passes entries that follow one another, in any directory order', () => {
    // Each span is 30 + 10 + compressed bytes: 0–140, 140–240, 240–290.
    expect(surveyArchive([entry(140, 60), entry(0, 100), entry(240, 10)], limits)).toEqual({ verdict: 'ok', declaredBytes: 170 });
  });

  it('finds an entry whose local header lies inside another entry’s data (a quoted overlap)', () => {
    expect(surveyArchive([entry(0, 100), entry(50, 10)], limits)).toMatchObject({ verdict: 'overlap', overlappingEntries: 1 });
  });

  it('counts only the entries that would be written', () => {
    const refusedAlone = { ...entry(140, 10, 5_000_000), counted: false };
    expect(surveyArchive([entry(0, 100), refusedAlone], limits)).toEqual({ verdict: 'ok', declaredBytes: 100 });
  });

  it('says too-large, not bomb, for an honest archive bigger than what is left', () => {
    expect(surveyArchive([entry(0, 9_000, 9_000)], { ...limits, bytesLeft: 5_000 })).toEqual({ verdict: 'too-large', declaredBytes: 9_000 });
  });
});
