import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { checkDossier } from '../../pipeline/check-dossier.ts';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { renderSealPage } from '../fixtures/seals/generate.ts';

/**
 * GEN-10 end to end: scanned approvals go through extraction (seal detection and reading), classification and the
 * rules; the stamped one is not accused, the unstamped one is reported 未见盖章 with its page, and the report carries
 * the seal with its crop.
 */

const ocr = createOcrPool({ size: 2 });
let dir: string;
let report: CompletenessReport;

const approvalLines = (issuer: string) => [
  '关于青禾市智慧档案管理系统建设项目的批复',
  '青禾市档案馆：',
  '你单位报送的《青禾市智慧档案管理系统建设项目可行性研究报告》收悉。',
  '经研究，同意该项目按照批复的建设内容和投资规模组织实施。',
  '特此批复。',
  `                                  ${issuer}`,
  '                                  二〇二三年六月十八日',
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gen10-'));
  const issuer = '青禾市数据资源管理局';
  const stamped = await renderSealPage({
    lines: approvalLines(issuer),
    textTopMm: 30,
    seals: [{ spec: { shape: 'round', rimText: issuer, star: true, sizeMm: 40, rotateDeg: -8, ink: 'strong' }, xMm: 150, yMm: 62 }],
    heightMm: 110,
    format: 'jpeg',
    seed: 41,
  });
  const unstamped = await renderSealPage({ lines: approvalLines('青禾市发展和改革委员会'), textTopMm: 30, seals: [], heightMm: 110, format: 'jpeg', seed: 42 });
  await writeFile(join(dir, '立项批复（盖章）.jpg'), stamped.image);
  await writeFile(join(dir, '可研批复.jpg'), unstamped.image);
  report = await checkDossier({ input: dir, checklist: 'municipal-template', stage: 'acceptance', facts: {}, ocr });
}, 240_000);

afterAll(async () => {
  await ocr.close();
  await rm(dir, { recursive: true, force: true });
});

describe('GEN-10 on a checked dossier', () => {
  it('reports the unstamped scan as 未见盖章 with its page, and does not accuse the stamped one', () => {
    const gen10 = report.findings.filter((f) => f.ruleId === 'GEN-10');
    const unstamped = gen10.filter((f) => f.message.startsWith('未见盖章'));
    expect(unstamped).toHaveLength(1);
    expect(unstamped[0]!.message).toContain('可研批复.jpg');
    expect(unstamped[0]!.evidence[0]).toMatchObject({ path: '可研批复.jpg', page: 1 });
    expect(gen10.filter((f) => f.message.includes('立项批复（盖章）.jpg') && /未见盖章|不一致/.test(f.message))).toEqual([]);
  });

  it('keeps the seal, with its crop and reading, on the stamped file of the report', () => {
    const file = report.files.find((f) => f.path === '立项批复（盖章）.jpg')!;
    expect(file.docTypes[0]?.id).toMatch(/approval/);
    expect(file.seals).toHaveLength(1);
    expect(file.seals![0]).toMatchObject({ source: 'scan', page: 1, shape: 'round', star: true });
    expect(file.seals![0]!.crop).toMatch(/^data:image\/png;base64,/);
    expect(report.files.find((f) => f.path === '可研批复.jpg')!.seals).toBeUndefined();
  });
});
