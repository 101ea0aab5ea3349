import { symlink } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { intake } from '../../pipeline/intake/index.ts';
import { writeZip } from '../helpers/zip-writer.ts';
import { tinyDocx, tinyImage, tinyPdf } from '../fixtures/intake/documents.ts';
import { useScratch } from './scratch.ts';

const scratch = useScratch();

describe('when the dossier is a folder', () => {
  it('lists files relative to the folder, walking subfolders, with the folders as path prefixes', async () => {
    await scratch.write('验收材料/02-申请竣工验收的请示.txt', '关于申请竣工验收的请示');
    await scratch.write('验收材料/一、立项材料/可研报告.pdf', tinyPdf());
    await scratch.write('验收材料/一、立项材料/批复.jpg', await tinyImage('jpeg'));
    const result = await intake(join(scratch.root, 'inputs', '验收材料'), { workDir: scratch.workDir });
    expect(result.files.map((file) => [file.path, file.kind])).toEqual([
      ['02-申请竣工验收的请示.txt', 'text'],
      ['一、立项材料/可研报告.pdf', 'pdf'],
      ['一、立项材料/批复.jpg', 'image'],
    ]);
  });

  it('copies each file into the work area with its sha256 and size', async () => {
    const pdf = tinyPdf('copied');
    await scratch.write('材料/报告.pdf', pdf);
    const result = await intake(join(scratch.root, 'inputs', '材料'), { workDir: scratch.workDir });
    const [file] = result.files;
    expect(file!.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(file!.size).toBe(pdf.length);
    expect(relative(result.workArea!, dirname(file!.localPath))).toBe('');
    expect(await readFile(file!.localPath)).toEqual(pdf);
  });

  it('opens zips found in the folder as nested archives', async () => {
    await scratch.write('材料/附件.zip', writeZip([{ name: '合同.pdf', data: tinyPdf() }]));
    await scratch.write('材料/报告.docx', await tinyDocx());
    const result = await intake(join(scratch.root, 'inputs', '材料'), { workDir: scratch.workDir });
    expect(result.files.map((file) => [file.path, file.kind])).toEqual([
      ['报告.docx', 'docx'],
      ['附件.zip/合同.pdf', 'pdf'],
    ]);
  });

  it('skips junk and does not follow symlinks', async () => {
    await scratch.write('材料/报告.pdf', tinyPdf());
    await scratch.write('材料/Thumbs.db', 'thumbs');
    await scratch.write('材料/__MACOSX/._报告.pdf', 'resource fork');
    await symlink('/etc/passwd', join(scratch.root, 'inputs', '材料', 'passwd.txt'));
    const result = await intake(join(scratch.root, 'inputs', '材料'), { workDir: scratch.workDir });
    expect(result.files.map((file) => file.path)).toEqual(['报告.pdf']);
    expect(result.skipped.sort()).toEqual(['Thumbs.db', '__MACOSX/._报告.pdf']);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_SYMLINK', path: 'passwd.txt' })]);
  });

  it('normalises names the file system stores decomposed to NFC', async () => {
    await scratch.write('材料/Zu\u0308rich.pdf', tinyPdf());
    const result = await intake(join(scratch.root, 'inputs', '材料'), { workDir: scratch.workDir });
    expect(result.files[0]!.path).toBe('Z\u00fcrich.pdf');
  });
});

describe('when the dossier is a single file', () => {
  it('lists that one file under its base name', async () => {
    const input = await scratch.write('扫描件12.pdf', tinyPdf());
    const result = await intake(input, { workDir: scratch.workDir });
    expect(result.files).toEqual([
      expect.objectContaining({ path: '扫描件12.pdf', kind: 'pdf', size: tinyPdf().length }),
    ]);
    expect(result.findings).toEqual([]);
  });

  it('reports each entry to onEntry as it goes', async () => {
    const seen: string[] = [];
    const zip = writeZip([
      { name: '一.pdf', data: tinyPdf() },
      { name: '二.pdf', data: tinyPdf() },
    ]);
    await scratch.intakeBytes('资料.zip', zip, { onEntry: (path) => seen.push(path) });
    expect(seen).toEqual(['一.pdf', '二.pdf']);
  });

  it('gives every run its own work area inside workDir', async () => {
    const input = await scratch.write('报告.pdf', tinyPdf());
    const first = await intake(input, { workDir: scratch.workDir });
    const second = await intake(input, { workDir: scratch.workDir });
    expect(first.workArea).not.toBe(second.workArea);
    for (const run of [first, second]) expect(dirname(run.workArea!)).toBe(scratch.workDir);
  });
});
