import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompletenessReportSchema } from '../../pipeline/report/schema.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { dossier } from './run.ts';

const SHENYANG_PDF = sharedPath('samples', 'dossiers', 'sample-03-shenyang-acceptance', '沈阳市社保经办一体化系统升级改造项目验收材料', '07.监理总结报告.pdf');

/** A dossier whose files exist but none of which can be read must not be reported as fifteen missing documents. */
describe('无法检查: a dossier nothing of which can be read', () => {
  it('says 无法检查 with the reason first and exits 2 when no file is readable', async () => {
    const folder = join(await mkdtemp(join(tmpdir(), 'uncheckable-')), '验收材料');
    await mkdir(folder);
    // Bytes no reader recognises, under names that promise dossier documents.
    await writeFile(join(folder, '可行性研究报告.dat'), Buffer.from([0x00, 0x13, 0x37, 0xfe, 0x01, 0x02, 0x03, 0x04, 0x9a, 0x00]));
    await writeFile(join(folder, '监理报告.bin'), Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37) % 7 === 0 ? 0 : 0xee)));
    const r = await dossier(['check', folder, '--city', 'changde', '--stage', 'acceptance', '--format', 'json']);
    expect(r.code).toBe(2);
    const report = CompletenessReportSchema.parse(JSON.parse(r.stdout));
    expect(report.verdict.outcome).toBe('uncheckable');
    expect(report.verdict.text).toMatch(/^无法检查（2 个文件都无法读取：/);
    expect(report.complete).toBe(false);
  });

  it('prints 无法检查 and exits 2 when the archive itself cannot be opened', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'uncheckable-'));
    const broken = join(dir, '验收材料.zip');
    await writeFile(broken, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 0x41)]));
    const r = await dossier(['check', broken, '--city', 'changde', '--stage', 'acceptance']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^无法检查：/m);
    expect(r.stderr).toContain('验收材料.zip');
  });

  it('reads a file renamed .zip as what its bytes are', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'renamed-'));
    const renamed = join(dir, '监理总结报告.zip');
    await copyFile(SHENYANG_PDF, renamed);
    const r = await dossier(['check', renamed, '--city', 'shenyang', '--stage', 'acceptance', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = CompletenessReportSchema.parse(JSON.parse(r.stdout));
    expect(report.files).toHaveLength(1);
    expect(report.files[0]).toMatchObject({ kind: 'pdf', status: 'ok' });
    expect(report.verdict.outcome).toBe('needs_supplement');
    expect(report.verdict.text).toMatch(/^需补正（\d+ 项必须补正/);
  });
});
