import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { writeZip } from '../helpers/zip-writer.ts';
import { russianDoll, zipInZip, zipWithCorruptInnerZip } from '../fixtures/intake/archives.ts';
import { tinyDocx, tinyPdf } from '../fixtures/intake/documents.ts';
import { writeRar5 } from '../fixtures/intake/rar-writer.ts';
import { useScratch } from './scratch.ts';

const scratch = useScratch();

describe('when a zip holds another zip', () => {
  it('lists the inner files under the inner zip’s path, and not the inner zip itself', async () => {
    const result = await scratch.intakeBytes('资料.zip', await zipInZip());
    expect(result.files.map((file) => [file.path, file.kind])).toEqual([
      ['申请竣工验收的请示.pdf', 'pdf'],
      ['资料/附件材料.zip/01.政府采购合同.pdf', 'pdf'],
      ['资料/附件材料.zip/IMG_20240120_103606.jpg', 'image'],
    ]);
    expect(result.findings).toEqual([]);
  });

  it('does not keep the opened inner zip in the work area', async () => {
    const result = await scratch.intakeBytes('资料.zip', await zipInZip());
    for (const file of result.files) expect(existsSync(file.localPath)).toBe(true);
    const workFiles = (await scratch.allFiles()).filter((path) => path.startsWith('work'));
    expect(workFiles).toHaveLength(result.files.length);
  });

  it('does not open a docx, although a docx is a zip', async () => {
    const zip = writeZip([{ name: '验收报告.docx', data: await tinyDocx() }]);
    const result = await scratch.intakeBytes('资料.zip', zip);
    expect(result.files.map((file) => [file.path, file.kind])).toEqual([['验收报告.docx', 'docx']]);
  });
});

describe('when archives are nested deeper than the limit', () => {
  it('opens archives down to the limit and lists the next one as an unopened zip', async () => {
    // top (depth 0) → level2.zip (1) → level3.zip (2) → level4.zip (3)
    const result = await scratch.intakeBytes('top.zip', russianDoll(4), { limits: { maxDepth: 2 } });
    expect(result.files.map((file) => [file.path, file.kind])).toEqual([
      ['level1.pdf', 'pdf'],
      ['level2.zip/level2.pdf', 'pdf'],
      ['level2.zip/level3.zip/level3.pdf', 'pdf'],
      ['level2.zip/level3.zip/level4.zip', 'zip'],
    ]);
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'INTAKE_DEPTH_LIMIT', path: 'level2.zip/level3.zip/level4.zip' }),
    ]);
  });

  it('opens all of them under the default limit of 3', async () => {
    const result = await scratch.intakeBytes('top.zip', russianDoll(4));
    expect(result.files.map((file) => file.path)).toContain('level2.zip/level3.zip/level4.zip/level4.pdf');
    expect(result.findings).toEqual([]);
  });

  it('opens no nested archive at all with a limit of 0', async () => {
    const result = await scratch.intakeBytes('top.zip', russianDoll(2), { limits: { maxDepth: 0 } });
    expect(result.files.map((file) => [file.path, file.kind])).toEqual([
      ['level1.pdf', 'pdf'],
      ['level2.zip', 'zip'],
    ]);
  });
});

describe('when a nested zip is corrupt', () => {
  it('reports it, lists it as a zip file, and goes on with the rest', async () => {
    const result = await scratch.intakeBytes('资料.zip', zipWithCorruptInnerZip());
    expect(result.files.map((file) => [file.path, file.kind])).toEqual([
      ['监理报告.pdf', 'pdf'],
      ['附件.zip', 'zip'],
    ]);
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'INTAKE_CORRUPT_ARCHIVE',
        path: '附件.zip',
        message: '压缩包已损坏或不完整：附件.zip',
      }),
    ]);
  });
});

describe('when a zip holds a RAR archive', () => {
  it('unpacks it like a zip and lists its files under its path', async () => {
    const rar = writeRar5([{ name: '附件/' }, { name: '附件/合同.pdf', data: tinyPdf('contract') }]);
    const zip = writeZip([
      { name: '附件.rar', data: rar },
      { name: '报告.pdf', data: tinyPdf() },
    ]);
    const result = await scratch.intakeBytes('资料.zip', zip);
    expect(result.files.map((file) => [file.path, file.kind])).toEqual([
      ['附件.rar/附件/合同.pdf', 'pdf'],
      ['报告.pdf', 'pdf'],
    ]);
    expect(result.findings).toEqual([]);
  });

  it('lists a RAR it cannot open as rar, says it is damaged, and checks the rest', async () => {
    const rar = Buffer.concat([Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), Buffer.alloc(64, 7)]);
    const zip = writeZip([
      { name: '附件.rar', data: rar },
      { name: '报告.pdf', data: tinyPdf() },
    ]);
    const result = await scratch.intakeBytes('资料.zip', zip);
    expect(result.files.map((file) => [file.path, file.kind])).toEqual([
      ['附件.rar', 'rar'],
      ['报告.pdf', 'pdf'],
    ]);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_CORRUPT_ARCHIVE', path: '附件.rar' })]);
  });
});
