import { describe, expect, it } from 'vitest';
import { decideVerdict, type VerdictInput } from '../../pipeline/report/verdict.ts';
import { CompletenessReportSchema } from '../../pipeline/report/schema.ts';

const readable = { path: '可行性研究报告.pdf', status: 'ok' };

function input(overrides: Partial<VerdictInput>): VerdictInput {
  return { requirements: [], findings: [], files: [readable], intakeFindings: [], ...overrides };
}

describe('the verdict an officer reads first', () => {
  it('says 材料齐全 when nothing is missing', () => {
    const verdict = decideVerdict(input({ requirements: [{ status: 'satisfied', severity: 'info' }] }));
    expect(verdict).toMatchObject({ outcome: 'complete', text: '材料齐全', mustSupply: 0, shouldSupply: 0 });
  });

  it('counts error-level gaps as 必须补正 and warning-level gaps as 建议补充', () => {
    const verdict = decideVerdict(
      input({
        requirements: [
          { status: 'missing', severity: 'error' },
          { status: 'unreadable', severity: 'error' },
          { status: 'missing', severity: 'warning' },
          { status: 'satisfied', severity: 'info' },
        ],
        findings: [{ severity: 'error', ruleId: 'GEN-03', message: '金额不一致' }],
      }),
    );
    expect(verdict).toMatchObject({ outcome: 'needs_supplement', mustSupply: 3, shouldSupply: 1 });
    expect(verdict.text).toBe('需补正（3 项必须补正，1 项建议补充）');
  });

  it('never calls a dossier incomplete for warning-level gaps alone, and says what is advised', () => {
    const verdict = decideVerdict(
      input({ requirements: [{ status: 'missing', severity: 'warning' }, { status: 'needs_confirmation', severity: 'warning' }] }),
    );
    expect(verdict.outcome).toBe('complete');
    expect(verdict.text).toBe('材料齐全（另有 1 项建议补充、1 项需确认）');
  });

  it('says 无法检查 with the file and its reason when the only file cannot be read', () => {
    const verdict = decideVerdict(
      input({
        requirements: [{ status: 'missing', severity: 'error' }],
        files: [{ path: '材料.pptx', status: 'unsupported', message: '暂不支持该格式，请另存为 PDF 后重新上传' }],
      }),
    );
    expect(verdict.outcome).toBe('uncheckable');
    expect(verdict.text).toBe('无法检查（材料.pptx：暂不支持该格式，请另存为 PDF 后重新上传）');
    expect(verdict.mustSupply).toBe(0);
  });

  it('puts the archive’s own reason first when no file came out of it', () => {
    const verdict = decideVerdict(
      input({ files: [], intakeFindings: [{ severity: 'error', message: '压缩包已加密，无法解压' }], findings: [{ severity: 'error', ruleId: 'DOSSIER-EMPTY', message: '没有文件' }] }),
    );
    expect(verdict).toMatchObject({ outcome: 'uncheckable', reason: '压缩包已加密，无法解压' });
  });

  it('summarises many unreadable files by their distinct reasons, ignoring duplicates', () => {
    const verdict = decideVerdict(
      input({
        files: [
          { path: 'a.doc', status: 'encrypted', message: '文档已加密' },
          { path: 'b.doc', status: 'encrypted', message: '文档已加密' },
          { path: 'c.xyz', status: 'unsupported', message: '无法识别的文件格式' },
          { path: 'c-副本.xyz', status: 'ok', duplicateOf: 'c.xyz' },
        ],
      }),
    );
    expect(verdict.text).toBe('无法检查（3 个文件都无法读取：文档已加密；无法识别的文件格式）');
  });

  it('is one readable file away from a real check', () => {
    const verdict = decideVerdict(input({ files: [readable, { path: 'x.xyz', status: 'unsupported', message: '无法识别' }] }));
    expect(verdict.outcome).toBe('complete');
  });

  it('is derived for a stored report written before the verdict existed', () => {
    const stored = {
      schemaVersion: '1.0.0',
      generatedAt: '2026-01-01T00:00:00.000Z',
      input: 'dossier.zip',
      city: 'changde',
      cityName: '常德市',
      stage: 'acceptance',
      checklist: { id: 'changde', name: '常德市' },
      complete: false,
      facts: {},
      fields: {},
      files: [{ path: 'a.pdf', kind: 'pdf', status: 'ok', sha256: 'x', size: 1, pageCount: 1, ocrPages: 0, docTypes: [], sections: [], needsReview: false }],
      skipped: [],
      requirements: [],
      findings: [],
      summary: { files: 1, unreadableFiles: 0, ocrPages: 0, satisfied: 0, missing: 0, unreadable: 0, needsConfirmation: 0, notApplicable: 0, errors: 0, warnings: 0 },
      timings: { intakeMs: 0, extractMs: 0, classifyMs: 0, fieldsMs: 0, evaluateMs: 0, totalMs: 0 },
    };
    expect(CompletenessReportSchema.parse(stored).verdict).toMatchObject({ outcome: 'complete', text: '材料齐全' });
  });
});
