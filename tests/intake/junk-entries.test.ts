import { describe, expect, it } from 'vitest';
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
