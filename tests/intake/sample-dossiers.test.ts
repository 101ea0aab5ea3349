import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { intake } from '../../pipeline/intake/index.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { useScratch } from './scratch.ts';

const scratch = useScratch();
const SAMPLES = sharedPath('samples', 'dossiers');

interface Truth {
  archive: string;
  archiveKind: string;
  files: { path: string; format: string }[];
  junk: string[];
}

function truthOf(sample: string): Truth {
  return JSON.parse(readFileSync(join(SAMPLES, sample, 'truth.json'), 'utf8')) as Truth;
}

const FORMAT_TO_KIND: Record<string, string> = {
  'pdf-text': 'pdf',
  'pdf-scan': 'pdf',
  docx: 'docx',
  doc: 'doc',
  image: 'image',
  txt: 'text',
};

describe.each([
  'sample-01-changde-acceptance',
  'sample-02-yiyang-filing',
  'sample-03-shenyang-acceptance',
  'sample-04-shucheng-acceptance',
  'sample-05-mt-filing',
  'sample-06-changde-acceptance',
])('when intake reads %s in place', (sample) => {
  const truth = truthOf(sample);

  it(`produces exactly the files truth.json lists (${truth.archiveKind})`, async () => {
    const result = await intake(join(SAMPLES, sample, truth.archive), { workDir: scratch.workDir });
    expect(result.files.map((file) => file.path).sort()).toEqual(truth.files.map((file) => file.path.normalize('NFC')).sort());
    expect(result.findings).toEqual([]);
  });

  it('sniffs each file as the kind its format implies', async () => {
    const result = await intake(join(SAMPLES, sample, truth.archive), { workDir: scratch.workDir });
    const kindByPath = new Map(result.files.map((file) => [file.path, file.kind]));
    for (const file of truth.files) {
      expect({ path: file.path, kind: kindByPath.get(file.path) }).toEqual({
        path: file.path,
        kind: FORMAT_TO_KIND[file.format],
      });
    }
  });

  it('skips every junk entry truth.json lists', async () => {
    const result = await intake(join(SAMPLES, sample, truth.archive), { workDir: scratch.workDir });
    expect(result.skipped.sort()).toEqual([...truth.junk].sort());
  });
});

describe('when sample-06 holds a byte-identical copy', () => {
  it('gives both copies the same sha256', async () => {
    const sample = 'sample-06-changde-acceptance';
    const result = await intake(join(SAMPLES, sample, truthOf(sample).archive), { workDir: scratch.workDir });
    const hash = (path: string) => result.files.find((file) => file.path === path)?.sha256;
    expect(hash('新建 Microsoft Word 文档 (2)(1).docx')).toBeDefined();
    expect(hash('新建 Microsoft Word 文档 (2)(1).docx')).toBe(hash('新建 Microsoft Word 文档 (2).docx'));
  });
});
