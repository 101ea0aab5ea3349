import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { intake, IntakeError } from '../../pipeline/intake/index.ts';
import { writeZip } from '../helpers/zip-writer.ts';
import { chineseWindowsZip } from '../fixtures/intake/archives.ts';
import { tinyPdf } from '../fixtures/intake/documents.ts';
import { useScratch } from './scratch.ts';

const scratch = useScratch();

async function intakeError(promise: Promise<unknown>): Promise<IntakeError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(IntakeError);
  return error as IntakeError;
}

describe('when the uploaded zip is truncated', () => {
  it('throws an IntakeError that names the archive', async () => {
    const whole = await chineseWindowsZip();
    const input = await scratch.write('新建压缩文件.zip', whole.subarray(0, Math.floor(whole.length * 0.6)));
    const error = await intakeError(intake(input, { workDir: scratch.workDir }));
    expect(error.code).toBe('INTAKE_CORRUPT_ARCHIVE');
    expect(error.message).toBe('压缩包已损坏或不完整：新建压缩文件.zip');
    expect(error.inputPath).toBe(input);
  });

  it('leaves no work area behind', async () => {
    const whole = await chineseWindowsZip();
    const input = await scratch.write('坏.zip', whole.subarray(0, 100));
    await intakeError(intake(input, { workDir: scratch.workDir }));
    expect(await readdir(scratch.workDir)).toEqual([]);
  });
});

describe('when a file named .zip holds bytes of no known kind', () => {
  it('throws the same clear error', async () => {
    const input = await scratch.write('材料.zip', Buffer.from([0x00, 0x13, 0x37, 0x00, 0xfe, 0xed, 0x00, 0x01]));
    const error = await intakeError(intake(input, { workDir: scratch.workDir }));
    expect(error.message).toBe('压缩包已损坏或不完整：材料.zip');
  });
});

describe('when one entry’s data is damaged', () => {
  it('reports that entry as corrupt and unreadable and keeps the others', async () => {
    const zip = writeZip([
      { name: '培训报告.pdf', data: tinyPdf('training'), declaredCrc32: 0x12345678 },
      { name: '测试报告.pdf', data: tinyPdf('test') },
    ]);
    const result = await scratch.intakeBytes('资料.zip', zip);
    expect(result.files.map((file) => file.path)).toEqual(['测试报告.pdf']);
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'INTAKE_CORRUPT_ENTRY', path: '培训报告.pdf', severity: 'error' }),
    ]);
    expect(result.unreadableEntries).toEqual([{ path: '培训报告.pdf', reason: 'corrupt' }]);
  });

  it('reports an entry whose deflate stream is garbage the same way', async () => {
    const healthy = writeZip([{ name: '合同.pdf', data: tinyPdf('contract'.repeat(50)) }]);
    const damaged = Buffer.from(healthy);
    // Overwrite the middle of the deflated data (it starts after the 30-byte header and the name).
    const dataStart = 30 + Buffer.byteLength('合同.pdf');
    damaged.fill(0xff, dataStart + 5, dataStart + 40);
    const result = await scratch.intakeBytes('资料.zip', damaged);
    expect(result.files).toEqual([]);
    expect(result.unreadableEntries).toEqual([{ path: '合同.pdf', reason: 'corrupt' }]);
  });

  it('reports an entry compressed with a method it cannot inflate as unsupported', async () => {
    const zip = writeZip([{ name: '报告.pdf', data: tinyPdf(), method: { code: 14 } }]);
    const result = await scratch.intakeBytes('资料.zip', zip);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_UNSUPPORTED_COMPRESSION', path: '报告.pdf' })]);
    expect(result.unreadableEntries).toEqual([{ path: '报告.pdf', reason: 'unsupported' }]);
  });
});

describe('when the input does not exist', () => {
  it('throws an IntakeError saying so', async () => {
    const missing = join(scratch.root, '不存在.zip');
    const error = await intakeError(intake(missing, { workDir: scratch.workDir }));
    expect(error.code).toBe('INTAKE_INPUT_NOT_FOUND');
    expect(error.message).toContain(missing);
  });
});
