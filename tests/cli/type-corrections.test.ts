import { describe, expect, it } from 'vitest';
import { CompletenessReportSchema } from '../../pipeline/report/schema.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { dossier } from './run.ts';

// municipal-template filing: 项目建议书.pdf satisfies MT-F02 (可行性研究报告); nothing satisfies MT-F03 (需求分析报告).
const SAMPLE = sharedPath('samples', 'dossiers', 'sample-05-mt-filing', 'dossier.zip');
const BASE = ['check', SAMPLE, '--city', 'municipal-template', '--stage', 'filing', '--fact', 'filingStep=approval'];

describe('dossier check --type', () => {
  it('uses the officer’s type for the file: the rows follow, and the report says it was set by hand', async () => {
    const plain = CompletenessReportSchema.parse(JSON.parse((await dossier([...BASE, '--format', 'json'])).stdout));
    expect(plain.requirements.find((r) => r.id === 'MT-F02')?.status).toBe('satisfied');
    expect(plain.requirements.find((r) => r.id === 'MT-F03')?.status).toBe('missing');

    const r = await dossier([...BASE, '--type', '项目建议书.pdf=requirements_analysis', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = CompletenessReportSchema.parse(JSON.parse(r.stdout));
    expect(report.requirements.find((q) => q.id === 'MT-F03')).toMatchObject({ status: 'satisfied', evidence: [expect.objectContaining({ path: '项目建议书.pdf' })] });
    expect(report.requirements.find((q) => q.id === 'MT-F02')?.status).toBe('missing');
    const file = report.files.find((f) => f.path === '项目建议书.pdf')!;
    expect(file.correction).toMatchObject({ docType: 'requirements_analysis', name: '需求分析报告', by: 'cli', classifiedAs: [expect.objectContaining({ id: 'feasibility_report' })] });
    expect(file.docTypes[0]?.evidence).toMatchObject({ rule: 'officer', quote: expect.stringMatching(/^人工指定：需求分析报告（cli，\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}）$/) });
  });

  it('takes the Chinese name of the type and prints 已人工指定类型 in the Markdown report', async () => {
    const r = await dossier([...BASE, '--type', '项目建议书.pdf=需求分析报告']);
    expect(r.stdout).toMatch(/\| 项目建议书\.pdf \|.*\| 需求分析报告 \| 已人工指定类型（cli，.*；原识别为：可行性研究报告）/);
  });

  it('exits 2 naming the close types for an unknown type, before reading any file', async () => {
    const r = await dossier([...BASE, '--type', '项目建议书.pdf=requirement_analysis']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('未知的材料类型“requirement_analysis”。相近的类型：requirements_analysis（需求分析报告）');
    expect(r.stdout).toBe('');
  });

  it('exits 2 naming the close paths for a path the dossier does not have', async () => {
    const r = await dossier([...BASE, '--type', '项目建议.pdf=requirements_analysis']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('材料中没有文件“项目建议.pdf”。相近的文件：项目建议书.pdf');
  });

  it('exits 2 with the expected form for an argument without "="', async () => {
    const r = await dossier([...BASE, '--type', 'requirements_analysis']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--type 应写成“文件路径=材料类型”');
  });

  it('documents --type in the help, in Chinese', async () => {
    const r = await dossier(['check', '--help']);
    expect(r.stdout).toContain('--type <path=docType>');
    expect(r.stdout).toContain('人工指定文件的材料类型');
  });
});
