import { describe, expect, it } from 'vitest';
import { InvalidKeyError } from '../../storage/errors.ts';
import {
  contentFileKey,
  dossierPrefix,
  extractedKey,
  manifestKey,
  originalFileKey,
  originalsPrefix,
  parseOriginalFileKey,
  reportKey,
  type ReportFormat,
} from '../../storage/keys.ts';
import { assertValidKey, assertValidPrefix, isValidKey } from '../../storage/object-key.ts';

const SHA = 'a'.repeat(64);

describe('when building keys for a dossier', () => {
  it('places originals, manifest and reports under dossiers/<id>/', () => {
    expect(originalFileKey('d-2024-001', '立项/可行性研究报告.pdf')).toBe('dossiers/d-2024-001/original/立项/可行性研究报告.pdf');
    expect(manifestKey('d-2024-001')).toBe('dossiers/d-2024-001/manifest.json');
    expect(reportKey('d-2024-001', 'json')).toBe('dossiers/d-2024-001/report.json');
    expect(reportKey('d-2024-001', 'html')).toBe('dossiers/d-2024-001/report.html');
    expect(reportKey('d-2024-001', 'md')).toBe('dossiers/d-2024-001/report.md');
    expect(dossierPrefix('d-2024-001')).toBe('dossiers/d-2024-001/');
    expect(originalsPrefix('d-2024-001')).toBe('dossiers/d-2024-001/original/');
  });

  it('finds the dossier and path again from an original’s key', () => {
    const key = originalFileKey('01HZX', '验收/测试报告 (1).docx');
    expect(parseOriginalFileKey(key)).toEqual({ dossierId: '01HZX', pathInDossier: '验收/测试报告 (1).docx' });
    expect(parseOriginalFileKey(reportKey('01HZX', 'json'))).toBeUndefined();
  });

  it.each(['', '../x', 'a/b', '.hidden', '项目一', 'a b', 'x'.repeat(129)])('refuses the dossier id %j', (id) => {
    expect(() => manifestKey(id)).toThrow(InvalidKeyError);
    expect(() => manifestKey(id)).toThrow(/案卷编号/);
  });

  it('refuses an original path that climbs out of the dossier', () => {
    expect(() => originalFileKey('d1', '../../files/' + SHA)).toThrow(InvalidKeyError);
    expect(() => originalFileKey('d1', '/etc/passwd')).toThrow(InvalidKeyError);
  });

  it('refuses an unknown report format', () => {
    expect(() => reportKey('d1', 'exe' as ReportFormat)).toThrow(/报告格式/);
  });
});

describe('when building content-addressed keys', () => {
  it('stores file bytes under files/<sha256> and extraction results per extractor version', () => {
    expect(contentFileKey(SHA)).toBe(`files/${SHA}`);
    expect(extractedKey(SHA, 'pdf-2.1.0')).toBe(`extracted/${SHA}-pdf-2.1.0.json`);
  });

  it.each(['A'.repeat(64), 'a'.repeat(63), 'g'.repeat(64), `${'a'.repeat(64)}/x`])('refuses the digest %j', (sha) => {
    expect(() => contentFileKey(sha)).toThrow(/SHA-256/);
  });

  it.each(['', '../1', 'v1/2', '版本一'])('refuses the extractor version %j', (version) => {
    expect(() => extractedKey(SHA, version)).toThrow(/提取器版本/);
  });
});

describe('when checking raw keys', () => {
  it.each([
    'dossiers/d1/original/立项阶段/批复（终稿）.pdf',
    'files/with space and ... dots',
    '项目/2024年/第1批/附件…/扫描件.jpg',
  ])('accepts %j', (key) => {
    expect(assertValidKey(key)).toBe(key);
    expect(isValidKey(key)).toBe(true);
  });

  it('measures the length limits in UTF-8 bytes', () => {
    // 86 Chinese characters are 258 bytes: over the 255-byte limit for one path segment.
    expect(() => assertValidKey(`a/${'汉'.repeat(86)}`)).toThrow(/255 字节/);
    expect(assertValidKey(`a/${'汉'.repeat(85)}`)).toBeTruthy();
    const tooLong = Array.from({ length: 9 }, () => 'x'.repeat(120)).join('/');
    expect(() => assertValidKey(tooLong)).toThrow(/1024 字节/);
  });

  it('refuses control characters other than NUL too', () => {
    expect(() => assertValidKey('files/a\nb')).toThrow(/控制字符/);
  });

  it('allows an empty listing prefix and one ending in “/”, but not one that climbs out', () => {
    expect(assertValidPrefix('')).toBe('');
    expect(assertValidPrefix('dossiers/d1/')).toBe('dossiers/d1/');
    expect(() => assertValidPrefix('dossiers/../')).toThrow(InvalidKeyError);
    expect(() => assertValidPrefix('/')).toThrow(InvalidKeyError);
  });
});
