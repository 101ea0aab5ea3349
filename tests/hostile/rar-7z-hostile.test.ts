import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { IntakeError } from '../../pipeline/intake/index.ts';
import { REPO_ROOT } from '../helpers/shared-data.ts';
import { writeZip } from '../helpers/zip-writer.ts';
import { TRAVERSAL_NAMES } from '../fixtures/intake/archives.ts';
import { tinyPdf } from '../fixtures/intake/documents.ts';
import { writeRar4, writeRar5, writeRar5WithEncryptedHeaders, type RarEntrySpec } from '../fixtures/intake/rar-writer.ts';
import { patch7zName, write7z } from '../fixtures/intake/seven-zip-writer.ts';
import { useScratch } from '../intake/scratch.ts';

/**
 * The zip hostile cases (tests/intake/hostile-entries, limits, archive-bombs) for RAR4, RAR5 and 7z: every rule that
 * holds for zip holds for them. RAR archives are written byte by byte (tests/fixtures/intake/rar-writer.ts), 7z
 * archives by 7z-wasm itself, with names patched where 7-Zip refuses to write them.
 */

const scratch = useScratch();
const gbk = (text: string) => iconv.encode(text, 'gbk');
const MiB = 1024 * 1024;

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
}

async function workFiles(): Promise<string[]> {
  return (await scratch.allFiles()).filter((path) => path.startsWith('work'));
}

/** A 7z holding `names` (each made under a same-length placeholder, then patched in). */
async function sevenZipWithNames(names: readonly string[], extra: { name: string; data: string }[]): Promise<Buffer> {
  const placeholders = names.map((name, index) => `${String(index)}${'x'.repeat(name.length - 1)}`);
  let archive = await write7z(
    [...placeholders.map((name) => ({ name, data: 'pwned' })), ...extra],
    { plainHeader: true, level: 0 },
  );
  names.forEach((name, index) => {
    archive = patch7zName(archive, placeholders[index]!, name);
  });
  return archive;
}

const SEVEN_ZIP_TRAVERSAL_NAMES = ['../../evil.txt', '/etc/x', '资料/../../escape.txt'];

const traversalArchives: [string, readonly string[], () => Promise<Buffer>][] = [
  [
    'RAR5',
    TRAVERSAL_NAMES,
    async () => writeRar5([...TRAVERSAL_NAMES.map((name) => ({ name, data: 'pwned' })), { name: '资料/真实材料.pdf', data: tinyPdf('real') }]),
  ],
  [
    'RAR4',
    // RAR4 writes '\\' as its separator (as Windows does); the Unicode name a reader takes has '/'.
    TRAVERSAL_NAMES.map((name) => name.replaceAll('\\', '/')),
    async () =>
      writeRar4([...TRAVERSAL_NAMES.map((name) => ({ name, data: 'pwned' })), { name: '资料/真实材料.pdf', data: tinyPdf('real') }], {
        names: 'gbk+unicode',
        encode: gbk,
      }),
  ],
  // 7-Zip keeps names as UTF-16 with '/' inside; a drive letter or backslash name is just a name to it.
  [
    '7z',
    SEVEN_ZIP_TRAVERSAL_NAMES,
    async () => sevenZipWithNames(SEVEN_ZIP_TRAVERSAL_NAMES, [{ name: '资料/真实材料.pdf', data: 'real' }]),
  ],
];

describe.each(traversalArchives)('%s entries that try to escape the work area', (format, names, build) => {
  it('are refused with a finding each, the harmless entry is unpacked, and nothing lands outside the work area', async () => {
    const result = await scratch.intakeBytes(`资料.${format === '7z' ? '7z' : 'rar'}`, await build());
    const traversal = result.findings.filter((finding) => finding.code === 'INTAKE_PATH_TRAVERSAL');
    expect(traversal.map((finding) => finding.path)).toEqual(names);
    for (const finding of traversal) expect(finding.message).toMatch(/路径指向解压目录之外/);
    expect(result.files.map((file) => file.path)).toEqual(['资料/真实材料.pdf']);
    const written = (await scratch.allFiles()).filter((path) => !path.startsWith(`inputs${sep}`));
    for (const path of written) expect(isInside(scratch.workDir, join(scratch.root, path))).toBe(true);
    expect(existsSync(join(scratch.root, 'evil.txt'))).toBe(false);
    expect(existsSync(join(scratch.workDir, '..', 'evil.txt'))).toBe(false);
    expect(existsSync(join(scratch.root, 'escape.txt'))).toBe(false);
  });
});

describe('symbolic links', () => {
  const cases: [string, () => Promise<Buffer>][] = [
    ['RAR5 (redirection record)', async () => writeRar5([{ name: '资料/passwd-link', symlinkTarget: '/etc/passwd' }, { name: '资料/报告.pdf', data: tinyPdf('r') }])],
    [
      'RAR4 (Unix mode, target as data)',
      async () =>
        writeRar4([{ name: '资料/passwd-link', data: '/etc/passwd', unixMode: 0o120777 }, { name: '资料/报告.pdf', data: tinyPdf('r') }], {
          names: 'utf8',
          encode: gbk,
        }),
    ],
    ['7z (-snl)', async () => write7z([{ name: '资料/passwd-link', symlinkTarget: '/etc/passwd' }, { name: '资料/报告.pdf', data: tinyPdf('r') }])],
  ];

  it.each(cases)('%s: reported, not listed, never followed', async (_format, build) => {
    const result = await scratch.intakeBytes('资料.rar', await build());
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_SYMLINK', path: '资料/passwd-link' })]);
    expect(result.files.map((file) => file.path)).toEqual(['资料/报告.pdf']);
    for (const file of result.files) expect((await readFile(file.localPath)).includes('root:')).toBe(false);
    for (const path of await workFiles()) expect((await lstat(join(scratch.root, path))).isSymbolicLink()).toBe(false);
  });

  it('a link to a folder outside, followed by a file "through" it, writes nothing there', async () => {
    const outside = join(scratch.root, 'outside');
    const rar = writeRar5([
      { name: 'escape', symlinkTarget: outside },
      { name: 'escape/pwned.txt', data: 'pwned' },
    ]);
    const result = await scratch.intakeBytes('资料.rar', rar);
    expect(result.findings).toContainEqual(expect.objectContaining({ code: 'INTAKE_SYMLINK', path: 'escape' }));
    expect(existsSync(outside)).toBe(false);
    expect(existsSync(join(outside, 'pwned.txt'))).toBe(false);
    for (const file of result.files) expect(isInside(result.workArea!, file.localPath)).toBe(true);
  });
});

describe('encrypted entries and encrypted file lists', () => {
  const encryptedEntry: [string, () => Promise<Buffer>][] = [
    ['RAR5', async () => writeRar5([{ name: '资料/培训报告.pdf', data: tinyPdf('t'), encrypted: true }, { name: '资料/测试报告.pdf', data: tinyPdf('x') }])],
    [
      'RAR4',
      async () =>
        writeRar4([{ name: '资料/培训报告.pdf', data: tinyPdf('t'), encrypted: true }, { name: '资料/测试报告.pdf', data: tinyPdf('x') }], {
          names: 'gbk',
          encode: gbk,
        }),
    ],
    [
      '7z',
      async () => {
        const secret = await write7z([{ name: '资料/培训报告.pdf', data: tinyPdf('t') }], { password: 'pw' });
        // One encrypted 7z beside a plain PDF, inside a plain 7z: the entry-level case for 7z is the whole inner one.
        return secret;
      },
    ],
  ];

  it.each(encryptedEntry)('%s: an encrypted entry is a warning and an unreadable entry, never a prompt', async (format, build) => {
    const result = await scratch.intakeBytes(format === '7z' ? '资料.7z' : '资料.rar', await build());
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'INTAKE_ENCRYPTED_ENTRY', path: '资料/培训报告.pdf', severity: 'warning' }),
    ]);
    expect(result.unreadableEntries).toEqual([{ path: '资料/培训报告.pdf', reason: 'encrypted' }]);
    expect(result.files.map((file) => file.path)).toEqual(format === '7z' ? [] : ['资料/测试报告.pdf']);
  });

  const encryptedHeaders: [string, string, () => Promise<Buffer>][] = [
    ['RAR5', 'rar', async () => writeRar5WithEncryptedHeaders()],
    ['RAR4', 'rar', async () => writeRar4([], { names: 'gbk', encode: gbk, encryptedHeaders: true })],
    ['7z', '7z', async () => write7z([{ name: '报告.pdf', data: tinyPdf('r') }], { password: 'pw', encryptHeaders: true })],
  ];

  it.each(encryptedHeaders)('%s with encrypted headers as the input: IntakeError INTAKE_ENCRYPTED_ARCHIVE', async (format, extension, build) => {
    const error = await scratch.intakeBytes(`加密.${extension}`, await build()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IntakeError);
    expect((error as IntakeError).code).toBe('INTAKE_ENCRYPTED_ARCHIVE');
    expect((error as IntakeError).message).toMatch(new RegExp(`^压缩包“加密\\.${extension}”为 ${format} 加密格式`));
    expect(await workFiles()).toEqual([]);
  });

  it.each(encryptedHeaders)('%s with encrypted headers inside a zip: a finding naming it, the rest checked', async (format, extension, build) => {
    const zip = writeZip([
      { name: `附件/加密.${extension}`, data: await build(), method: 'store' },
      { name: '报告.pdf', data: tinyPdf('r') },
    ]);
    const result = await scratch.intakeBytes('资料.zip', zip);
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'INTAKE_ENCRYPTED_ARCHIVE', path: `附件/加密.${extension}` }),
    ]);
    expect(result.findings[0]!.message).toContain(`${format} 加密格式`);
    expect(result.unreadableEntries).toEqual([{ path: `附件/加密.${extension}`, reason: 'encrypted' }]);
    expect(result.files.map((file) => file.path)).toEqual(['报告.pdf']);
  });
});

describe('bombs and limits', () => {
  it('7z: 24 MiB of zeros in a few KB (one solid block) is refused from its listing, nothing written', async () => {
    const bomb = await write7z([{ name: 'zeros.bin', data: Buffer.alloc(24 * MiB) }, { name: '正常材料.pdf', data: tinyPdf('n') }], { level: 1 });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const result = await scratch.intakeBytes('bomb.7z', bomb);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_ZIP_BOMB', path: 'bomb.7z', severity: 'error' })]);
    expect(result.findings[0]!.message).toContain('已拒绝解压');
    expect(result.files).toEqual([]);
    expect(await workFiles()).toEqual([]);
  });

  it('7z bomb of one entry inside a zip: that entry refused from its own ratio, as in a zip, the rest checked', async () => {
    const bomb = await write7z([{ name: 'zeros.bin', data: Buffer.alloc(24 * MiB) }], { level: 1 });
    const zip = writeZip([{ name: '附件.7z', data: bomb, method: 'store' }, { name: '报告.pdf', data: tinyPdf('r') }]);
    const result = await scratch.intakeBytes('资料.zip', zip);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_ZIP_BOMB', path: '附件.7z/zeros.bin' })]);
    expect(result.unreadableEntries).toEqual([{ path: '附件.7z/zeros.bin', reason: 'refused' }]);
    expect(result.files.map((file) => file.path)).toEqual(['报告.pdf']);
  });

  it('RAR5 whose headers declare 10 × 300 MiB in 1 KB: refused as a bomb before anything is written', async () => {
    const rar = writeRar5(Array.from({ length: 10 }, (_, index) => ({ name: `part${index}.bin`, data: 'x', declaredSize: 300 * MiB })));
    const result = await scratch.intakeBytes('bomb.rar', rar);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_ZIP_BOMB', path: 'bomb.rar' })]);
    expect(await workFiles()).toEqual([]);
  });

  it('RAR5 entry that declares more than the entry limit: refused from the header', async () => {
    const rar = writeRar5([{ name: 'big.bin', data: 'x', declaredSize: 600 * MiB }, { name: '报告.pdf', data: tinyPdf('r') }]);
    const result = await scratch.intakeBytes('资料.rar', rar);
    expect(result.findings).toContainEqual(expect.objectContaining({ code: 'INTAKE_ENTRY_TOO_LARGE', path: 'big.bin' }));
    expect(result.files.map((file) => file.path)).toEqual(['报告.pdf']);
  });

  it('RAR5 entry of unknown size: the limit holds on the bytes actually produced', async () => {
    const rar = writeRar5([
      { name: 'stream.bin', data: Buffer.alloc(2 * MiB, 0x41), sizeUnknown: true },
      { name: '报告.pdf', data: tinyPdf('r') },
    ]);
    const result = await scratch.intakeBytes('资料.rar', rar, { limits: { maxEntryBytes: MiB } });
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_ENTRY_TOO_LARGE', path: 'stream.bin' })]);
    expect(result.unreadableEntries).toEqual([{ path: 'stream.bin', reason: 'refused' }]);
    expect(result.files.map((file) => file.path)).toEqual(['报告.pdf']);
    for (const path of await workFiles()) expect((await stat(join(scratch.root, path))).size).toBeLessThanOrEqual(MiB);
  });

  it('RAR5 entries of unknown size: the total limit holds on the bytes actually produced', async () => {
    const rar = writeRar5([
      { name: 'a.bin', data: Buffer.alloc(MiB, 0x41), sizeUnknown: true },
      { name: 'b.bin', data: Buffer.alloc(MiB, 0x42), sizeUnknown: true },
    ]);
    const result = await scratch.intakeBytes('资料.rar', rar, { limits: { maxTotalBytes: 1.5 * MiB } });
    expect(result.findings).toContainEqual(expect.objectContaining({ code: 'INTAKE_TOO_LARGE' }));
    let written = 0;
    for (const path of await workFiles()) written += (await stat(join(scratch.root, path))).size;
    expect(written).toBeLessThanOrEqual(1.5 * MiB);
  });

  it('RAR5 whose header understates the size: the entry is reported damaged, not trusted', async () => {
    const rar = writeRar5([{ name: 'lie.txt', data: 'a'.repeat(4096), declaredSize: 16 }, { name: '报告.pdf', data: tinyPdf('r') }]);
    const result = await scratch.intakeBytes('资料.rar', rar);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_CORRUPT_ENTRY', path: 'lie.txt' })]);
    expect(result.files.map((file) => file.path)).toEqual(['报告.pdf']);
  });

  it('RAR5 with a wrong CRC: reported damaged', async () => {
    const rar = writeRar5([{ name: '报告.pdf', data: tinyPdf('r'), declaredCrc32: 0x12345678 }]);
    const result = await scratch.intakeBytes('资料.rar', rar);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_CORRUPT_ENTRY', path: '报告.pdf' })]);
    expect(result.unreadableEntries).toEqual([{ path: '报告.pdf', reason: 'corrupt' }]);
  });
});

describe('deep nesting across formats', () => {
  /** level1.7z ⊃ level2.rar ⊃ level3.zip ⊃ level4.7z ⊃ level5.rar, each with a PDF. */
  async function mixedDoll(): Promise<Buffer> {
    const kinds = ['7z', 'rar', 'zip', '7z', 'rar'] as const;
    let inner: { name: string; data: Buffer } | undefined;
    let archive: Buffer = Buffer.alloc(0);
    for (let level = kinds.length; level >= 1; level--) {
      const entries = [{ name: `level${level}.pdf`, data: tinyPdf(`level ${level}`) }, ...(inner ? [inner] : [])];
      const kind = kinds[level - 1]!;
      archive =
        kind === 'rar'
          ? writeRar5(entries)
          : kind === 'zip'
            ? writeZip(entries.map((entry) => ({ ...entry, method: 'store' as const })))
            : await write7z(entries, { level: 0 });
      inner = { name: `level${level}.${kind}`, data: archive };
    }
    return archive;
  }

  it('unpacks down to the depth limit and reports the archive beyond it', async () => {
    const result = await scratch.intakeBytes('level1.7z', await mixedDoll());
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'INTAKE_DEPTH_LIMIT', path: 'level2.rar/level3.zip/level4.7z/level5.rar' }),
    ]);
    expect(result.files.map((file) => [file.path, file.kind])).toEqual([
      ['level1.pdf', 'pdf'],
      ['level2.rar/level2.pdf', 'pdf'],
      ['level2.rar/level3.zip/level3.pdf', 'pdf'],
      ['level2.rar/level3.zip/level4.7z/level4.pdf', 'pdf'],
      ['level2.rar/level3.zip/level4.7z/level5.rar', 'rar'],
    ]);
  });
});

describe('100,000 entries', () => {
  it('RAR5: unpacks up to the entry limit and reports the rest, without decoding past it', async () => {
    const specs: RarEntrySpec[] = Array.from({ length: 100_000 }, (_, index) => ({ name: `材料/f${index}.txt`, data: 'x' }));
    const result = await scratch.intakeBytes('many.rar', writeRar5(specs));
    expect(result.files).toHaveLength(10_000);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_TOO_MANY_ENTRIES', path: 'many.rar' })]);
    expect(await workFiles()).toHaveLength(10_000);
  }, 60_000);

  it('7z: the same', async () => {
    const specs = Array.from({ length: 100_000 }, (_, index) => ({ name: `f${index}.txt`, data: 'x' }));
    const result = await scratch.intakeBytes('many.7z', await write7z(specs, { level: 1 }));
    expect(result.files).toHaveLength(10_000);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'INTAKE_TOO_MANY_ENTRIES', path: 'many.7z' })]);
  }, 90_000);
});

describe('memory', () => {
  it('a 192 MiB RAR is unpacked with bounded memory: neither the archive nor an entry is held whole', async () => {
    // Incompressible 32 MiB entries, stored; written straight to the scratch folder.
    const entries: RarEntrySpec[] = [];
    let seed = 1;
    for (let index = 0; index < 6; index++) {
      const data = Buffer.allocUnsafe(32 * MiB);
      for (let at = 0; at < data.length; at += 4) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        data.writeUInt32LE(seed, at);
      }
      entries.push({ name: `影像/扫描${index}.dat`, data });
    }
    const archivePath = join(scratch.root, 'big.rar');
    await writeFile(archivePath, writeRar5(entries));
    entries.length = 0;
    // Peak RSS from VmHWM: getrusage's maxRSS survives exec on Linux and would report the parent's (this test's) peak.
    const script = `
      import { readFileSync } from 'node:fs';
      import { intake } from './pipeline/intake/index.ts';
      const r = await intake(${JSON.stringify(archivePath)}, { workDir: ${JSON.stringify(scratch.workDir)} });
      const peakKb = Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
      console.log(JSON.stringify({ files: r.files.length, bytes: r.files.reduce((n, f) => n + f.size, 0), rssMb: Math.round(peakKb / 1024) }));
    `;
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message} code=${String(error.code)} signal=${String(error.signal)}\n${stdout}\n${stderr}`)) : resolve(stdout),
      );
    });
    const measured = JSON.parse(out.trim().split('\n').pop()!) as { files: number; bytes: number; rssMb: number };
    expect(measured.files).toBe(6);
    expect(measured.bytes).toBe(192 * MiB);
    // Node with tsx and the 7-Zip instance take ~150 MB; holding the archive would add 192.
    expect(measured.rssMb).toBeLessThan(300);
  }, 120_000);
});
