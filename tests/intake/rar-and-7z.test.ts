import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { intake, IntakeError } from '../../pipeline/intake/index.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { writeZip } from '../helpers/zip-writer.ts';
import { tinyDocx, tinyPdf } from '../fixtures/intake/documents.ts';
import { writeRar4, writeRar5, type Rar4Name } from '../fixtures/intake/rar-writer.ts';
import { write7z } from '../fixtures/intake/seven-zip-writer.ts';
import { useScratch } from './scratch.ts';

const scratch = useScratch();

function realArchive(name: string): string {
  return sharedPath('samples', 'real', 'archives', name);
}

const gbk = (text: string) => iconv.encode(text, 'gbk');

/** CRC32 of every file entry of a RAR5 archive, read from its headers (independently of the reader under test). */
function rar5HeaderCrcs(archive: Buffer): Map<string, number> {
  const crcs = new Map<string, number>();
  const vint = (position: number): [number, number] => {
    let value = 0;
    let shift = 1;
    let at = position;
    for (;;) {
      const byte = archive[at++]!;
      value += (byte & 0x7f) * shift;
      shift *= 128;
      if ((byte & 0x80) === 0) return [value, at];
    }
  };
  let position = 8;
  while (position < archive.length) {
    const [headerSize, bodyStart] = vint(position + 4);
    const bodyEnd = bodyStart + headerSize;
    let [type, at] = vint(bodyStart);
    let flags: number;
    [flags, at] = vint(at);
    if (flags & 0x1) [, at] = vint(at);
    let dataSize = 0;
    if (flags & 0x2) [dataSize, at] = vint(at);
    if (type === 2) {
      let fileFlags: number;
      [fileFlags, at] = vint(at);
      [, at] = vint(at); // unpacked size
      [, at] = vint(at); // attributes
      if (fileFlags & 0x2) at += 4;
      const crc = fileFlags & 0x4 ? archive.readUInt32LE(at) : undefined;
      if (fileFlags & 0x4) at += 4;
      [, at] = vint(at); // compression
      [, at] = vint(at); // host
      let nameLength: number;
      [nameLength, at] = vint(at);
      const name = archive.subarray(at, at + nameLength).toString('utf8');
      if (!(fileFlags & 0x1) && crc !== undefined) crcs.set(name, crc);
    }
    if (type === 5) break;
    position = bodyEnd + dataSize;
  }
  return crcs;
}

describe('real RAR5 archive with a two-level Chinese folder tree (nongcun_shijian_fujian_rar5_zhtree.rar)', () => {
  const name = 'nongcun_shijian_fujian_rar5_zhtree.rar';
  const expected = [
    '附件/1.课题申报表.docx',
    '附件/2.研究日记空白表格.docx',
    '附件/7.访谈提纲及记录/1基层访谈提纲.docx',
    '附件/7.访谈提纲及记录/2中层访谈提纲.docx',
    '附件/7.访谈提纲及记录/3高层访谈提纲.docx',
    '附件/7.访谈提纲及记录/4基层访谈记录.docx',
    '附件/7.访谈提纲及记录/5中层访谈记录.docx',
    '附件/7.访谈提纲及记录/6高层访谈记录.docx',
    '附件/8.实地考察方案及记录/A实地考察方案及记录.doc',
    '附件/8.实地考察方案及记录/B实地考察方案及记录.doc',
    '附件/8.实地考察方案及记录/C实地考察方案及记录.doc',
    '附件/9.实验设计.doc',
    '附件/学生备忘录20220712.pdf',
  ];

  it('unpacks all 13 files under their Chinese names, each matching the CRC its header declares', async () => {
    const path = realArchive(name);
    const result = await intake(path, { workDir: scratch.workDir });
    expect(result.findings).toEqual([]);
    expect(result.files.map((file) => file.path).sort()).toEqual([...expected].sort());
    const crcs = rar5HeaderCrcs(await readFile(path));
    expect(crcs.size).toBe(13);
    for (const file of result.files) {
      expect(crc32(await readFile(file.localPath)) >>> 0, file.path).toBe(crcs.get(file.path));
    }
    expect(result.files.find((file) => file.path.endsWith('.pdf'))!.kind).toBe('pdf');
    expect(result.files.filter((file) => file.kind === 'docx')).toHaveLength(8);
  });

  it('reports a damaged entry (one byte changed) and keeps the other twelve', async () => {
    const bytes = Buffer.from(await readFile(realArchive(name)));
    const crcs = rar5HeaderCrcs(bytes);
    expect(crcs.size).toBe(13);
    // The PDF is the last file: change a byte well inside its stored data, far from any header.
    const at = bytes.length - 2000;
    bytes[at] = bytes[at]! ^ 0xff;
    const result = await scratch.intakeBytes(name, bytes);
    const corrupt = result.findings.filter((finding) => finding.code === 'INTAKE_CORRUPT_ENTRY');
    expect(corrupt.length).toBeGreaterThanOrEqual(1);
    expect(result.unreadableEntries.map((entry) => entry.reason)).toEqual(corrupt.map(() => 'corrupt'));
    expect(result.files.length + corrupt.length).toBe(13);
  });
});

describe('real RAR4 archives', () => {
  it('takes the names of a Windows RAR4 with GBK bytes and Unicode names exactly (publicinst_fujian3_zhuanye_mulu_rar4_gbk.rar)', async () => {
    const result = await intake(realArchive('publicinst_fujian3_zhuanye_mulu_rar4_gbk.rar'), { workDir: scratch.workDir });
    expect(result.findings).toEqual([]);
    expect(result.files.map((file) => file.path).sort()).toEqual(
      [
        '附件3-4 授予博士、硕士学位和培养研究生的学科、专业目录（ 2008 更新版）.xlsx',
        '附件3-5 授予博士、硕士学位和培养研究生的学科、专业目录（2011年颁布）.doc',
        '附件3-1  普通高等学校本科专业目录（2012年）.doc',
        '附件3-2普通高等学校本科专业目录（2020年版）.docx',
        '附件3-3普通高等学校高等职业教育（专科）专业目录（2015年）.doc',
      ].sort(),
    );
    expect(result.files.reduce((sum, file) => sum + file.size, 0)).toBe(1_950_670);
    expect(result.files.map((file) => file.kind).sort()).toEqual(['doc', 'doc', 'doc', 'docx', 'xlsx']);
  });

  it('takes the Unicode name where the byte name holds "??" (unrarjs_FolderTest_rar4_zhfolder.rar)', async () => {
    const result = await intake(realArchive('unrarjs_FolderTest_rar4_zhfolder.rar'), { workDir: scratch.workDir });
    expect(result.findings).toEqual([]);
    expect(result.files.map((file) => [file.path, file.size])).toEqual([
      ['Folder1/Folder Space/long.txt', 1_049_076],
      ['Folder1/Folder 中文/2中文.txt', 15],
    ]);
    expect((await readFile(result.files[1]!.localPath)).toString('utf8')).toBe('\ufeff中文中文');
  });

  it('reads a Unix RAR4 whose byte names are UTF-8 (junrar_unicode_rar4_unix_utf8.rar)', async () => {
    const result = await intake(realArchive('junrar_unicode_rar4_unix_utf8.rar'), { workDir: scratch.workDir });
    expect(result.findings).toEqual([]);
    expect(result.files.map((file) => [file.path, file.size])).toEqual([
      ['ウニコド.txt', 67],
      ['新建文本文档.txt', 10],
    ]);
  });
});

describe('real archives whose file list is encrypted', () => {
  it.each([
    ['unrarjs_HeaderEnc1234_rar4_hdrenc.rar', 'RAR4'],
    ['rarfile_rar5-hpsw_rar5_hdrenc.rar', 'RAR5'],
  ])('%s as the input: an IntakeError whose Chinese message gives the reason first', async (name, format) => {
    const error = await intake(realArchive(name), { workDir: scratch.workDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IntakeError);
    expect((error as IntakeError).code).toBe('INTAKE_ENCRYPTED_ARCHIVE');
    expect((error as IntakeError).message).toMatch(new RegExp(`^压缩包“${name.replace(/[.]/g, '\\.')}”为 ${format} 加密格式（文件名也已加密），无法解压`));
    expect((error as IntakeError).message).toContain('请提供不加密的压缩包或改用 zip');
  });

  it('inside a dossier: a finding naming the archive, an unreadable entry, and the rest checked', async () => {
    const hidden = await readFile(realArchive('rarfile_rar5-hpsw_rar5_hdrenc.rar'));
    const zip = writeZip([
      { name: '附件/加密附件.rar', data: hidden, method: 'store' },
      { name: '验收报告.pdf', data: tinyPdf('report') },
    ]);
    const result = await scratch.intakeBytes('资料.zip', zip);
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'INTAKE_ENCRYPTED_ARCHIVE', path: '附件/加密附件.rar', severity: 'error' }),
    ]);
    expect(result.findings[0]!.message).toContain('RAR5 加密格式');
    expect(result.unreadableEntries).toEqual([{ path: '附件/加密附件.rar', reason: 'encrypted' }]);
    expect(result.files.map((file) => file.path)).toEqual(['验收报告.pdf']);
  });
});

describe('real 7z archive with Chinese names, Office lock files and Python caches (shuju_jueceshu_guize_7z_zhnames.7z)', () => {
  it('lists the documents and sources, and skips the lock files and the byte-code caches as junk', async () => {
    const result = await intake(realArchive('shuju_jueceshu_guize_7z_zhnames.7z'), { workDir: scratch.workDir });
    expect(result.findings).toEqual([]);
    expect(result.files.map((file) => file.path).sort()).toEqual(
      [
        '决策树规则自动化提取及测试_说明文档.docx',
        '决策树规则自动化提取及测试.py',
        'internal_lib/autorule/scripts/AutoRule.py',
        'internal_lib/autorule/scripts/backup/AutoRule.py',
        'internal_lib/backups/20181024/autorule/scripts/AutoRule.py',
        'internal_lib/backups/20181024/rulereproduction/rerule.py',
        'internal_lib/rulereproduction/rerule.py',
        'internal_lib/treecut/scripts/tree_cut.py',
      ].sort(),
    );
    expect(result.skipped).toContain('~$提升度解析.docx');
    expect(result.skipped).toContain('~$树规则自动化提取及测试_说明文档.docx');
    expect(result.skipped.filter((path) => path.endsWith('.pyc'))).toHaveLength(7);
    expect(result.files.length + result.skipped.length).toBe(17);
    expect(result.files.find((file) => file.path.endsWith('.docx'))).toMatchObject({ kind: 'docx', size: 497_366 });
  });
});

describe('RAR4 names in legacy code pages (generated)', () => {
  const entries = [{ name: '竣工资料/' }, { name: '竣工资料/誠信承诺书.txt', data: '承诺' }, { name: '验收报告.txt', data: '报告' }];

  it.each<[Rar4Name, string]>([
    ['gbk', 'GBK bytes only, as a non-Unicode tool on Chinese Windows writes them'],
    ['gbk+unicode', 'GBK bytes plus the Unicode form, as WinRAR writes them'],
    ['utf8', 'UTF-8 bytes from a Unix host'],
  ])('decodes %s names (%s)', async (names) => {
    const rar = writeRar4(entries, { names, encode: gbk });
    const result = await scratch.intakeBytes('资料.rar', rar);
    expect(result.findings).toEqual([]);
    expect(result.files.map((file) => file.path)).toEqual(['竣工资料/誠信承诺书.txt', '验收报告.txt']);
    expect((await readFile(result.files[0]!.localPath)).toString('utf8')).toBe('承诺');
    expect((await readFile(result.files[1]!.localPath)).toString('utf8')).toBe('报告');
  });
});

describe('GBK-only RAR4 names beside entries that are not unpacked', () => {
  it('matches each unpacked entry to its own bytes although 7-Zip cannot spell the names', async () => {
    const rar = writeRar4(
      [
        { name: '资料/加密报告.pdf', data: 'secret', encrypted: true },
        { name: '资料/~$锁定.docx', data: 'junk' },
        { name: '资料/链接', data: '/etc/passwd', unixMode: 0o120777 },
        { name: '资料/验收报告.txt', data: '报告正文' },
        { name: '资料/第二份.txt', data: '第二' },
      ],
      { names: 'gbk', encode: gbk },
    );
    const result = await scratch.intakeBytes('资料.rar', rar);
    expect(result.findings.map((finding) => [finding.code, finding.path])).toEqual([
      ['INTAKE_ENCRYPTED_ENTRY', '资料/加密报告.pdf'],
      ['INTAKE_SYMLINK', '资料/链接'],
    ]);
    expect(result.skipped).toEqual(['资料/~$锁定.docx']);
    expect(result.files.map((file) => file.path)).toEqual(['资料/验收报告.txt', '资料/第二份.txt']);
    expect((await readFile(result.files[0]!.localPath)).toString('utf8')).toBe('报告正文');
    expect((await readFile(result.files[1]!.localPath)).toString('utf8')).toBe('第二');
  });
});

describe('archives of one kind inside another', () => {
  it('zip in 7z, 7z in RAR, RAR in zip: every inner file listed under its path', async () => {
    const innerZip = writeZip([{ name: '合同.pdf', data: tinyPdf('contract'), utf8Flag: true }]);
    const seven = await write7z([
      { name: '附件.zip', data: innerZip },
      { name: '说明.docx', data: await tinyDocx('说明') },
    ]);
    const rar = writeRar5([{ name: '打包/附件.7z', data: seven }, { name: '打包/清单.pdf', data: tinyPdf('list') }]);
    const outer = writeZip([{ name: '资料.rar', data: rar, method: 'store' }, { name: '报告.pdf', data: tinyPdf('report') }]);
    const result = await scratch.intakeBytes('材料包.zip', outer, { limits: { maxDepth: 3 } });
    expect(result.findings).toEqual([]);
    // 7-Zip orders what it adds by extension, so the docx comes before the zip.
    expect(result.files.map((file) => [file.path, file.kind])).toEqual([
      ['资料.rar/打包/附件.7z/说明.docx', 'docx'],
      ['资料.rar/打包/附件.7z/附件.zip/合同.pdf', 'pdf'],
      ['资料.rar/打包/清单.pdf', 'pdf'],
      ['报告.pdf', 'pdf'],
    ]);
    // Opened archives leave only their files behind.
    const workFiles = (await scratch.allFiles()).filter((path) => path.startsWith('work'));
    expect(workFiles).toHaveLength(4);
  });

  it('a 7z input with a RAR4 inside', async () => {
    const rar = writeRar4([{ name: '附件/图纸.pdf', data: tinyPdf('drawing') }], { names: 'gbk+unicode', encode: gbk });
    const seven = await write7z([{ name: '验收/附件.rar', data: rar }]);
    const result = await scratch.intakeBytes('验收.7z', seven);
    expect(result.findings).toEqual([]);
    expect(result.files.map((file) => [file.path, file.kind])).toEqual([['验收/附件.rar/附件/图纸.pdf', 'pdf']]);
  });

  it('works on a copy of a real RAR inside a 7z', async () => {
    const real = join(scratch.root, 'copy.rar');
    await copyFile(realArchive('junrar_unicode_rar4_unix_utf8.rar'), real);
    const seven = await write7z([{ name: 'unicode.rar', data: await readFile(real) }]);
    const result = await scratch.intakeBytes('包.7z', seven);
    expect(result.files.map((file) => file.path)).toEqual(['unicode.rar/ウニコド.txt', 'unicode.rar/新建文本文档.txt']);
  });
});

describe('junk entries in RAR and 7z', () => {
  const junk = ['__MACOSX/资料/._验收报告.docx', '资料/Thumbs.db', '资料/~$验收报告.docx', '__pycache__/x.cpython-311.pyc', '资料/old.pyc'];

  it.each(['rar', '7z'])('skips them in a .%s as in a zip', async (kind) => {
    const specs = [{ name: '资料/验收报告.pdf', data: tinyPdf('report') }, ...junk.map((name) => ({ name, data: 'junk' }))];
    const bytes = kind === 'rar' ? writeRar5(specs) : await write7z(specs);
    const result = await scratch.intakeBytes(`资料.${kind}`, bytes);
    expect(result.files.map((file) => file.path)).toEqual(['资料/验收报告.pdf']);
    expect([...result.skipped].sort()).toEqual([...junk].sort());
    expect(result.findings).toEqual([]);
  });
});

describe('entries 7-Zip writes to the same place', () => {
  it('two RAR5 entries of the same name each keep their own bytes, with a duplicate-path note', async () => {
    const rar = writeRar5([
      { name: '资料/报告.txt', data: 'first' },
      { name: '资料/空.txt', data: '' },
      { name: '资料/报告.txt', data: 'second!' },
    ]);
    const result = await scratch.intakeBytes('资料.rar', rar);
    expect(result.files.map((file) => [file.path, file.size])).toEqual([
      ['资料/报告.txt', 5],
      ['资料/空.txt', 0],
      ['资料/报告.txt', 7],
    ]);
    expect((await readFile(result.files[0]!.localPath)).toString('utf8')).toBe('first');
    expect((await readFile(result.files[2]!.localPath)).toString('utf8')).toBe('second!');
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_DUPLICATE_PATH', path: '资料/报告.txt' })]);
  });
});
