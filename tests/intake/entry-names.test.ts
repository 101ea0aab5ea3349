import { describe, expect, it } from 'vitest';
import { decodeEntryName } from '../../pipeline/intake/index.ts';
import { gbk, unicodePathField, writeZip } from '../helpers/zip-writer.ts';
import { chineseWindowsZip, macosZip, utf8FlaggedZip } from '../fixtures/intake/archives.ts';
import { tinyPdf } from '../fixtures/intake/documents.ts';
import { useScratch } from './scratch.ts';

const scratch = useScratch();

describe('when the zip was made on Chinese Windows (GBK names, no UTF-8 flag)', () => {
  it('recovers 一、立项材料/可行性研究报告.pdf from its GBK name, with its top folder', async () => {
    const result = await scratch.intakeBytes('新建压缩文件.zip', await chineseWindowsZip());
    expect(result.files.map((file) => file.path)).toEqual([
      '竣工验收资料/一、立项材料/可行性研究报告.pdf',
      '竣工验收资料/二、建设材料/誠信承诺书.pdf',
      '竣工验收资料/二、建设材料/系统集成合同.docx',
    ]);
    expect(result.findings).toEqual([]);
  });

  it('does not split 誠 (GBK D5 5C) at its backslash byte', () => {
    const decoded = decodeEntryName(gbk('二、建设材料/誠信承诺书.pdf'), 0);
    expect(decoded.encoding).toBe('gb18030');
    expect(decoded.path).toBe('二、建设材料/誠信承诺书.pdf');
  });

  it('reads backslashes that old Windows zippers used as folder separators', () => {
    expect(decodeEntryName(gbk('一、立项材料\\可行性研究报告.pdf'), 0).path).toBe('一、立项材料/可行性研究报告.pdf');
  });

  it('treats folder entries as folders, not files', () => {
    const decoded = decodeEntryName(gbk('竣工验收资料/一、立项材料/'), 0);
    expect(decoded.isDirectory).toBe(true);
  });
});

describe('when the zip was made on macOS (UTF-8 names without the flag)', () => {
  it('decodes the names as UTF-8 and normalises decomposed characters to NFC', async () => {
    const result = await scratch.intakeBytes('资料.zip', await macosZip());
    const paths = result.files.map((file) => file.path);
    expect(paths).toEqual(['验收资料/Zürich-合作协议.pdf', '验收资料/立项的批复.jpg']);
    expect(paths[0]).toBe(paths[0]!.normalize('NFC'));
    expect(paths[0]!.length).toBe('验收资料/Zürich-合作协议.pdf'.length);
  });
});

describe('when the zip sets the UTF-8 flag', () => {
  it('decodes the names as UTF-8, curly quotes included', async () => {
    const result = await scratch.intakeBytes('资料.zip', await utf8FlaggedZip());
    expect(result.files.map((file) => file.path)).toEqual(['02.中标通知书.pdf', '附件/数据“三清单”.png']);
  });

  it('picks UTF-8 for flagged names even when the bytes would also pass as GB18030', () => {
    // "中标" in UTF-8 is E4 B8 AD E6 A0 87, which GB18030 also decodes (to other characters).
    const decoded = decodeEntryName(Buffer.from('中标.pdf', 'utf8'), 0x800);
    expect(decoded).toMatchObject({ encoding: 'utf8', path: '中标.pdf' });
  });
});

describe('when a name carries an Info-ZIP Unicode Path field', () => {
  it('takes the UTF-8 name from the field over the raw bytes', () => {
    const raw = Buffer.from('????.pdf', 'latin1');
    const decoded = decodeEntryName(raw, 0, [unicodePathField(raw, '验收报告.pdf')]);
    expect(decoded).toMatchObject({ encoding: 'unicode-path-field', path: '验收报告.pdf' });
  });

  it('ignores the field when its CRC does not match the raw name', () => {
    const decoded = decodeEntryName(gbk('验收报告.pdf'), 0, [unicodePathField(gbk('别的名字.pdf'), '别的名字.pdf')]);
    expect(decoded.path).toBe('验收报告.pdf');
  });
});

describe('when a name is neither UTF-8 nor GB18030', () => {
  it('keeps the entry under a placeholder name and reports it', async () => {
    const brokenName = Buffer.concat([gbk('资料/'), Buffer.from([0x81, 0x20, 0xff]), Buffer.from('.pdf')]);
    const zip = writeZip([
      { name: brokenName, data: tinyPdf('lost name') },
      { name: gbk('资料/正常.pdf'), data: tinyPdf('fine') },
    ]);
    const result = await scratch.intakeBytes('资料.zip', zip);
    expect(result.files).toHaveLength(2);
    const placeholder = result.files[0]!;
    expect(placeholder.path).toMatch(/^资料\/无法识别的名称-[0-9a-f]{8}\.pdf$/);
    expect(placeholder.kind).toBe('pdf');
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'INTAKE_UNDECODABLE_NAME', severity: 'warning', path: placeholder.path }),
    ]);
    expect(result.findings[0]!.message).toContain(placeholder.path);
  });
});

describe('when two entries carry the same name', () => {
  it('lists both and notes the duplicate', async () => {
    const zip = writeZip([
      { name: gbk('合同.pdf'), data: tinyPdf('first') },
      { name: gbk('合同.pdf'), data: tinyPdf('second') },
    ]);
    const result = await scratch.intakeBytes('资料.zip', zip);
    expect(result.files.map((file) => file.path)).toEqual(['合同.pdf', '合同.pdf']);
    expect(result.files[0]!.sha256).not.toBe(result.files[1]!.sha256);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_DUPLICATE_PATH', severity: 'info' })]);
  });
});
