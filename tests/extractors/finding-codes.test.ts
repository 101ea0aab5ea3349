import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES, isFindingCode, type FindingCode } from '../../extractors/finding-codes.ts';
import { FINDING_CODES_DOC, renderFindingCodesDoc } from '../../extractors/write-finding-codes-doc.ts';
import { INTAKE_CODES, intakeFinding, type IntakeCode } from '../../pipeline/intake/index.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const codes = Object.keys(FINDING_CODES) as FindingCode[];
const intakeCodes = Object.keys(INTAKE_CODES) as IntakeCode[];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every `code: '…'` a reader or intake writes into a finding, and every INTAKE_ code named in the source. */
function codesUsedInSource(): Set<string> {
  const used = new Set<string>();
  for (const file of [...sourceFiles(join(REPO, 'extractors')), ...sourceFiles(join(REPO, 'pipeline/intake'))]) {
    if (file.endsWith('finding-codes.ts')) continue;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/code: (?:[^,\n]*\? )?'([a-z][a-z-]+)'(?: : '([a-z][a-z-]+)')?/g)) {
      used.add(match[1]!);
      if (match[2]) used.add(match[2]);
    }
    for (const match of text.matchAll(/'(INTAKE_[A-Z_]+)'/g)) used.add(match[1]!);
  }
  return used;
}

describe('the finding-code registry', () => {
  it.each(codes)('%s has a severity and a Chinese meaning', (code) => {
    expect(['error', 'warning', 'info']).toContain(FINDING_CODES[code].severity);
    expect(FINDING_CODES[code].meaning).toMatch(/\p{Script=Han}/u);
  });

  it('holds every code the readers and intake write, and each registered code is written somewhere', () => {
    const used = codesUsedInSource();
    const unregistered = [...used].filter((code) => !isFindingCode(code));
    expect(unregistered).toEqual([]);
    const unused = codes.filter((code) => !used.has(code) && FINDING_CODES[code].source !== 'isolation');
    expect(unused).toEqual([]);
  });

  it('names every limit the reader process can hit', async () => {
    const text = readFileSync(join(REPO, 'extractors/isolation/isolated-extraction.ts'), 'utf8');
    for (const code of codes.filter((c) => FINDING_CODES[c].source === 'isolation')) expect(text).toContain(`'${code}'`);
  });

  it('is documented in docs/finding-codes.md, generated from it', () => {
    expect(readFileSync(FINDING_CODES_DOC, 'utf8')).toBe(renderFindingCodesDoc());
  });
});

describe('intake’s messages', () => {
  it('has a message for exactly the registered INTAKE_ codes', () => {
    expect(intakeCodes.sort()).toEqual(codes.filter((c) => FINDING_CODES[c].source === 'intake').sort());
  });

  it.each(intakeCodes)('%s is a stable upper-snake INTAKE_ code and makes a Chinese message that names the entry', (code) => {
    expect(code).toMatch(/^INTAKE_[A-Z]+(?:_[A-Z]+)*$/);
    const finding = intakeFinding(code, '资料/附件.zip/合同.pdf', 100);
    expect(finding).toMatchObject({ code, severity: FINDING_CODES[code].severity, path: '资料/附件.zip/合同.pdf' });
    expect(finding.message).toContain('资料/附件.zip/合同.pdf');
    expect(finding.message).toMatch(/\p{Script=Han}/u);
  });
});
