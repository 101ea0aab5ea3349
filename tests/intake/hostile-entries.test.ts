import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRAVERSAL_NAMES, zipSlip, zipWithSymlinkAndEncryptedEntry } from '../fixtures/intake/archives.ts';
import { useScratch } from './scratch.ts';

const scratch = useScratch();

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel);
}

describe('when entries try to escape the work area (zip-slip)', () => {
  it('refuses each of them with a finding that names the entry', async () => {
    const result = await scratch.intakeBytes('资料.zip', zipSlip());
    const traversal = result.findings.filter((finding) => finding.code === 'INTAKE_PATH_TRAVERSAL');
    expect(traversal.map((finding) => finding.path)).toEqual(TRAVERSAL_NAMES);
    for (const finding of traversal) {
      expect(finding.severity).toBe('error');
      expect(finding.message).toContain(finding.path!);
      expect(finding.message).toMatch(/路径指向解压目录之外/);
    }
  });

  it('still unpacks the harmless entry beside them', async () => {
    const result = await scratch.intakeBytes('资料.zip', zipSlip());
    expect(result.files.map((file) => file.path)).toEqual(['资料/真实材料.pdf']);
    expect(result.files[0]!.kind).toBe('pdf');
  });

  it('writes nothing outside the work area', async () => {
    const result = await scratch.intakeBytes('资料.zip', zipSlip());
    const written = (await scratch.allFiles()).filter((path) => !path.startsWith(`inputs${sep}`));
    expect(written.length).toBeGreaterThan(0);
    for (const path of written) expect(isInside(scratch.workDir, join(scratch.root, path))).toBe(true);
    for (const file of result.files) expect(isInside(result.workArea!, file.localPath)).toBe(true);
    expect(existsSync(join(scratch.root, 'evil.txt'))).toBe(false);
    expect(existsSync(join(scratch.workDir, '..', 'evil.txt'))).toBe(false);
    expect(existsSync('/etc/x')).toBe(false);
  });
});

describe('when an entry is a symlink', () => {
  it('reports it and does not list it as a file', async () => {
    const result = await scratch.intakeBytes('资料.zip', zipWithSymlinkAndEncryptedEntry());
    expect(result.findings).toContainEqual(
      expect.objectContaining({ code: 'INTAKE_SYMLINK', path: '资料/passwd-link', severity: 'warning' }),
    );
    expect(result.files.map((file) => file.path)).not.toContain('资料/passwd-link');
  });

  it('never copies what the link points at', async () => {
    const result = await scratch.intakeBytes('资料.zip', zipWithSymlinkAndEncryptedEntry());
    for (const file of result.files) {
      expect((await readFile(file.localPath)).includes('root:')).toBe(false);
    }
  });
});

describe('when an entry is encrypted', () => {
  it('reports it as a warning and lists it among the unreadable entries', async () => {
    const result = await scratch.intakeBytes('资料.zip', zipWithSymlinkAndEncryptedEntry());
    const finding = result.findings.find((candidate) => candidate.code === 'INTAKE_ENCRYPTED_ENTRY');
    expect(finding).toMatchObject({ severity: 'warning', path: '资料/用户培训报告.pdf' });
    expect(finding!.message).toContain('资料/用户培训报告.pdf');
    expect(finding!.message).toContain('加密');
    expect(result.unreadableEntries).toEqual([{ path: '资料/用户培训报告.pdf', reason: 'encrypted' }]);
    expect(result.files.map((file) => file.path)).toEqual(['资料/系统测试报告.pdf']);
  });
});
