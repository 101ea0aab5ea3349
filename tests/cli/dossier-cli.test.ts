import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CompletenessReportSchema } from '../../pipeline/report/schema.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { dossier, ROOT } from './run.ts';

const SAMPLE = sharedPath('samples', 'dossiers', 'sample-05-mt-filing', 'dossier.zip');

describe('dossier check', () => {
  it('prints only the report JSON on stdout and exits 1 for an incomplete dossier', async () => {
    const r = await dossier(['check', SAMPLE, '--city', 'municipal-template', '--stage', 'filing', '--fact', 'filingStep=approval', '--fact', 'totalInvestmentWan=150', '--fact', 'classified=false', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = CompletenessReportSchema.parse(JSON.parse(r.stdout));
    expect(report.requirements.find((q) => q.id === 'MT-F03')?.status).toBe('missing');
  });

  it('writes a Chinese Markdown report to --out and says so on stderr', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'cli-')), 'report.md');
    const r = await dossier(['check', SAMPLE, '--city', 'municipal-template', '--stage', 'filing', '--fact', 'filingStep=approval', '--format', 'md', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const md = await readFile(out, 'utf8');
    expect(md).toContain('## 缺失材料');
    expect(md).toContain('MT-F03');
    expect(r.stderr).toContain('报告已写入');
  });

  it('exits 2 with a Chinese message for an unknown city, an unknown fact and a missing input', async () => {
    const city = await dossier(['check', SAMPLE, '--city', 'atlantis', '--stage', 'filing']);
    expect(city.code).toBe(2);
    expect(city.stderr).toMatch(/错误/);
    const fact = await dossier(['check', SAMPLE, '--city', 'changde', '--stage', 'filing', '--fact', 'noSuchFact=1']);
    expect(fact.code).toBe(2);
    expect(fact.stderr).toContain('未知事实');
    const missing = await dossier(['check', '/no/such/dossier.zip', '--city', 'changde', '--stage', 'filing']);
    expect(missing.code).toBe(2);
  });

  it('exits 2 on a usage error such as a missing --stage', async () => {
    const r = await dossier(['check', SAMPLE, '--city', 'changde']);
    expect(r.code).toBe(2);
  });

  it('checks against a user’s own checklist file for a jurisdiction we do not ship', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-'));
    const own = parseYaml(await readFile(join(ROOT, 'checklists', 'jurisdictions', 'municipal-template.yaml'), 'utf8'));
    own.id = 'qinghe';
    own.name = '青禾市';
    const file = join(dir, 'qinghe.yaml');
    await writeFile(file, stringifyYaml(own));
    const r = await dossier(['check', SAMPLE, '--checklist', file, '--stage', 'filing', '--fact', 'filingStep=approval', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = CompletenessReportSchema.parse(JSON.parse(r.stdout));
    expect(report.city).toBe('qinghe');
    expect(report.cityName).toBe('青禾市');
  });
});

describe('dossier checklists', () => {
  it('lists the shipped jurisdictions', async () => {
    const r = await dossier(['checklists', 'list']);
    expect(r.code).toBe(0);
    for (const id of ['changde', 'yiyang', 'shenyang', 'shucheng', 'municipal-template']) expect(r.stdout).toContain(id);
  });

  it('shows a jurisdiction’s rows with their articles', async () => {
    const r = await dossier(['checklists', 'show', 'changde', '--stage', 'acceptance']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CD-A12');
    expect(r.stdout).toContain('第十七条');
  });

  it('lints a checklist file whose row lacks its citation, with a Chinese problem and exit code 2', async () => {
    const r = await lintWith((own) => delete own.rows[0].citation);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('SY-F01');
    expect(r.stdout).toMatch(/引文|citation/);
  });

  it('lints a checklist file whose row names an unknown doc type', async () => {
    const r = await lintWith((own) => (own.rows[1].requirement = { docType: 'no_such_type' }));
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('no_such_type');
  });

  it('passes a shipped checklist', async () => {
    const r = await dossier(['checklists', 'lint', join(ROOT, 'checklists', 'jurisdictions', 'yiyang.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('校验通过');
  });
});

async function lintWith(edit: (own: any) => void) {
  const dir = await mkdtemp(join(tmpdir(), 'cli-'));
  const own = parseYaml(await readFile(join(ROOT, 'checklists', 'jurisdictions', 'shenyang.yaml'), 'utf8'));
  edit(own);
  const file = join(dir, 'broken.yaml');
  await writeFile(file, stringifyYaml(own));
  return dossier(['checklists', 'lint', file]);
}

describe('dossier extract', () => {
  it('shows the OCR’d pages of the garbled-text-layer PDF and none for the clean 99-page PDF', async () => {
    const real = sharedPath('samples', 'real', 'pdf');
    const clean = await dossier(['extract', join(real, 'huaxin_zhaobiao_wenjian_2023_wps.pdf'), '--format', 'json']);
    expect(clean.code).toBe(0);
    const cleanDoc = JSON.parse(clean.stdout).files[0].doc;
    expect(cleanDoc.meta.pageCount).toBe(99);
    expect(cleanDoc.meta.ocrPages).toBe(0);
  });
});
