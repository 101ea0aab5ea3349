import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../helpers/shared-data.ts';
import { dossier } from './run.ts';

const SAMPLE = sharedPath('samples', 'dossiers', 'sample-05-mt-filing', 'dossier.zip');

describe('dossier notice', () => {
  it('turns a check report into a DOCX and a PDF notice, and refuses a bad deadline in Chinese', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'notice-cli-'));
    const reportPath = join(dir, '报告.json');
    const checked = await dossier(['check', SAMPLE, '--city', 'municipal-template', '--stage', 'filing', '--fact', 'filingStep=approval', '--format', 'json', '--out', reportPath]);
    expect(checked.code).toBe(1);

    const docx = join(dir, '告知书.docx');
    const made = await dossier(['notice', reportPath, '--out', docx, '--issuer', '青禾市数据资源管理局', '--doc-number', '青数据补〔2026〕7号', '--deadline', '2026-10-09', '--date', '2026-09-28']);
    expect(made.code).toBe(0);
    expect(made.stderr).toMatch(/一次性告知书已写入 .*告知书\.docx（必须补正 \d+ 项/);
    const { value: text } = await mammoth.extractRawText({ buffer: await readFile(docx) });
    expect(text).toContain('青数据补〔2026〕7号');
    expect(text).toContain('项目需求分析报告');
    expect(text).toContain('请于2026年10月9日前');

    const pdf = join(dir, '告知书.pdf');
    expect((await dossier(['notice', reportPath, '--out', pdf])).code).toBe(0);
    expect((await readFile(pdf)).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const bad = await dossier(['notice', reportPath, '--out', join(dir, 'x.pdf'), '--deadline', '下周五']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('补正期限应为 YYYY-MM-DD');
    const notReport = await dossier(['notice', docx, '--out', join(dir, 'y.pdf')]);
    expect(notReport.code).toBe(2);
    expect(notReport.stderr).toMatch(/无法读取检查报告|不是本工具输出的检查报告/);
  });
});
