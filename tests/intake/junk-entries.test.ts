import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { intake } from '../../pipeline/intake/index.ts';
import { writeZip } from '../helpers/zip-writer.ts';
import { JUNK_ENTRY_NAMES, macosZip, zipWithJunk } from '../fixtures/intake/archives.ts';
import { useScratch } from './scratch.ts';

const scratch = useScratch();

describe('when a zip carries operating-system and Office leftovers', () => {
  it('skips __MACOSX/, .DS_Store, Thumbs.db, desktop.ini and ~$ lock files and lists each in skipped', async () => {
    const result = await scratch.intakeBytes('资料.zip', await zipWithJunk());
    expect(result.skipped).toEqual([...JUNK_ENTRY_NAMES]);
    expect(result.files.map((file) => file.path)).toEqual(['资料/验收报告.docx']);
    expect(result.findings).toEqual([]);
  });

  it('skips the AppleDouble files and .DS_Store that macOS Archive Utility adds', async () => {
    const result = await scratch.intakeBytes('资料.zip', await macosZip());
    expect(result.skipped).toEqual(['__MACOSX/验收资料/._立项的批复.jpg', '验收资料/.DS_Store']);
  });

  it('does not count the __MACOSX/ folder entry itself as skipped junk or as a file', async () => {
    const result = await scratch.intakeBytes('资料.zip', await zipWithJunk());
    expect(result.skipped).not.toContain('__MACOSX/');
    expect(result.skipped).not.toContain('__MACOSX');
  });
});

describe('when a dossier carries Python byte-code caches (source code handed in with its build leftovers)', () => {
  it('skips __pycache__/ folders and .pyc/.pyo files, in a zip and in a folder, but keeps the .py source', async () => {
    const zip = writeZip([
      { name: '源码/tool.py', data: 'print(1)', utf8Flag: true },
      { name: '源码/__pycache__/tool.cpython-311.pyc', data: 'bytecode', utf8Flag: true },
      { name: '源码/old.pyc', data: 'bytecode', utf8Flag: true },
      { name: '源码/old.PYO', data: 'bytecode', utf8Flag: true },
    ]);
    const result = await scratch.intakeBytes('资料.zip', zip);
    expect(result.files.map((file) => file.path)).toEqual(['源码/tool.py']);
    expect(result.skipped).toEqual(['源码/__pycache__/tool.cpython-311.pyc', '源码/old.pyc', '源码/old.PYO']);

    await scratch.write('文件夹/源码/tool.py', 'print(1)');
    await scratch.write('文件夹/源码/__pycache__/tool.cpython-311.pyc', 'bytecode');
    const folder = await intake(join(scratch.root, 'inputs', '文件夹'), { workDir: scratch.workDir });
    expect(folder.files.map((file) => file.path)).toEqual(['源码/tool.py']);
    expect(folder.skipped).toEqual(['源码/__pycache__/tool.cpython-311.pyc']);
  });
});
