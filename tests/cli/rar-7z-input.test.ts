import { describe, expect, it } from 'vitest';
import { CompletenessReportSchema } from '../../pipeline/report/schema.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { dossier } from './run.ts';

function realArchive(name: string): string {
  return sharedPath('samples', 'real', 'archives', name);
}

/** A dossier that arrives as .rar or .7z is read, not reported as fifteen missing documents. */
describe('RAR and 7z dossiers through the command line', () => {
  it('check on a real RAR5 lists its 13 inner files as read, and exits 1 (材料不齐全) from the checklist, not from 7-Zip', async () => {
    const r = await dossier(['check', realArchive('nongcun_shijian_fujian_rar5_zhtree.rar'), '--city', 'changde', '--stage', 'acceptance', '--format', 'json', '--no-cache']);
    expect(r.code).toBe(1);
    const report = CompletenessReportSchema.parse(JSON.parse(r.stdout));
    expect(report.files).toHaveLength(13);
    expect(report.files.map((file) => file.path)).toContain('附件/7.访谈提纲及记录/1基层访谈提纲.docx');
    expect(report.files.map((file) => file.path)).toContain('附件/学生备忘录20220712.pdf');
    for (const file of report.files) expect(file.status, file.path).toBe('ok');
    expect(report.verdict.outcome).toBe('needs_supplement');
  }, 120_000);

  it('check on a RAR4 with encrypted headers says 无法检查 with the reason first and exits 2', async () => {
    const r = await dossier(['check', realArchive('unrarjs_HeaderEnc1234_rar4_hdrenc.rar'), '--city', 'changde', '--stage', 'acceptance']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^无法检查：压缩包“unrarjs_HeaderEnc1234_rar4_hdrenc\.rar”为 RAR4 加密格式（文件名也已加密），无法解压/m);
  }, 60_000);

  it('extract on a real 7z gives the text of its files and skips its lock files and Python caches', async () => {
    const r = await dossier(['extract', realArchive('shuju_jueceshu_guize_7z_zhnames.7z'), '--format', 'json']);
    expect(r.code).toBe(0);
    const extracted = JSON.parse(r.stdout) as { files: { file: { path: string; kind: string }; doc: { status: string } }[]; skipped: string[] };
    expect(extracted.files).toHaveLength(8);
    const docx = extracted.files.find((entry) => entry.file.path === '决策树规则自动化提取及测试_说明文档.docx');
    expect(docx).toMatchObject({ file: { kind: 'docx' }, doc: { status: 'ok' } });
    expect(extracted.skipped).toContain('~$提升度解析.docx');
    expect(extracted.skipped.filter((path) => path.endsWith('.pyc'))).toHaveLength(7);
  }, 120_000);
});
