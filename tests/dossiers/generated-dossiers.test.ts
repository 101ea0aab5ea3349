import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import iconv from 'iconv-lite';
import YAML from 'yaml';
import yauzl from 'yauzl';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDossier, ROW_IDS, standardDossiers, type BuiltDossier, type DossierSpec } from '../fixtures/dossiers/build.ts';

interface ArchivedEntry {
  path: string;
  bytes: Buffer;
  utf8Flag: boolean;
  rawName: Buffer;
}

function readZip(zip: Buffer): Promise<{ name: Buffer; utf8Flag: boolean; data: Buffer }[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, decodeStrings: false }, (error, archive) => {
      if (error || !archive) return reject(error ?? new Error('zip did not open'));
      const entries: { name: Buffer; utf8Flag: boolean; data: Buffer }[] = [];
      archive.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName as unknown as Buffer;
        const utf8Flag = (entry.generalPurposeBitFlag & 0x800) !== 0;
        if (name.at(-1) === 0x2f) {
          entries.push({ name, utf8Flag, data: Buffer.alloc(0) });
          archive.readEntry();
          return;
        }
        archive.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('entry did not open'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.push({ name, utf8Flag, data: Buffer.concat(chunks) });
            archive.readEntry();
          });
        });
      });
      archive.on('end', () => resolve(entries));
      archive.on('error', reject);
      archive.readEntry();
    });
  });
}

/** Every file of a zip, nested zips opened, names decoded as the flag says (unflagged names as GB18030). */
async function zipFiles(zip: Buffer, prefix = ''): Promise<ArchivedEntry[]> {
  const files: ArchivedEntry[] = [];
  for (const entry of await readZip(zip)) {
    const name = entry.utf8Flag ? entry.name.toString('utf8') : iconv.decode(entry.name, 'gb18030');
    if (name.endsWith('/')) continue;
    const entryPath = prefix + name;
    files.push({ path: entryPath, bytes: entry.data, utf8Flag: entry.utf8Flag, rawName: entry.name });
    if (name.toLowerCase().endsWith('.zip')) files.push(...(await zipFiles(entry.data, `${entryPath}/`)));
  }
  return files;
}

async function folderFiles(root: string, relative = ''): Promise<ArchivedEntry[]> {
  const files: ArchivedEntry[] = [];
  for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
    const entryPath = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      files.push(...(await folderFiles(root, entryPath)));
      continue;
    }
    const bytes = await readFile(path.join(root, entryPath));
    files.push({ path: entryPath, bytes, utf8Flag: true, rawName: Buffer.from(entryPath) });
    if (entry.name.toLowerCase().endsWith('.zip')) files.push(...(await zipFiles(bytes, `${entryPath}/`)));
  }
  return files;
}

async function archivedFiles(built: BuiltDossier): Promise<ArchivedEntry[]> {
  return built.truth.archiveKind === 'folder' ? folderFiles(built.inputPath) : zipFiles(await readFile(built.inputPath));
}

/** The zip members themselves are containers, not documents of the dossier. */
function documentsOnly(entries: ArchivedEntry[], truth: BuiltDossier['truth']): ArchivedEntry[] {
  const nestedArchives = new Set(
    truth.files.flatMap((file) => {
      const segments = file.path.split('/');
      return segments.slice(0, -1).flatMap((_, index) => {
        const prefix = segments.slice(0, index + 1).join('/');
        return prefix.toLowerCase().endsWith('.zip') ? [prefix] : [];
      });
    }),
  );
  return entries.filter((entry) => !nestedArchives.has(entry.path));
}

function looksLike(format: string, corrupt: boolean, encrypted: boolean, bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4).toString('latin1');
  const tail = bytes.subarray(-32).toString('latin1');
  if (encrypted) return head === '%PDF' && bytes.includes('/Encrypt');
  if (corrupt) return head === '%PDF' && !bytes.includes('%%EOF');
  switch (format) {
    case 'pdf-text':
    case 'pdf-scan':
      return head === '%PDF' && tail.includes('%%EOF') && !bytes.includes('/Encrypt');
    case 'image':
      return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
    case 'docx':
      return head === 'PK\x03\x04' && bytes.includes('word/document.xml');
    case 'txt':
      return iconv.decode(bytes, 'gb18030').length > 0 && bytes.toString('utf8').includes('\uFFFD');
    default:
      return false;
  }
}

interface ChecklistRow {
  id: string;
  stage: string;
  severity: string;
  requirement: {
    docType?: string;
    section?: string;
    anyOf?: { allOf: string[]; guard?: string }[];
    sections?: { hosts: string[]; for?: string };
  };
}

async function checklistRows(city: string): Promise<ChecklistRow[]> {
  const checklist = YAML.parse(await readFile(path.resolve('checklists/jurisdictions', `${city}.yaml`), 'utf8')) as {
    rows: ChecklistRow[];
  };
  return checklist.rows;
}

/**
 * Whether the truth's readable files carry what a row asks for: a file of the type, or a delimited section of it in
 * an allowed host. Guarded any-of alternatives count only when `guardsHold` (their guards need the evaluator).
 * This checks the hand-worked expectations against the files the spec declares, not the checker.
 */
function rowCarried(row: ChecklistRow, truth: BuiltDossier['truth'], guardsHold: boolean): boolean {
  const readable = truth.files.filter((file) => !file.corrupt);
  const { requirement } = row;
  const sectionHosts = requirement.sections?.hosts ?? [];
  const carried = (type: string) =>
    readable.some(
      (file) =>
        file.docTypes.includes(type) ||
        ((requirement.sections?.for ?? type) === type &&
          (file.sectionTypes ?? []).includes(type) &&
          (sectionHosts.includes('any') || file.docTypes.some((docType) => sectionHosts.includes(docType)))),
    );
  if (requirement.docType) return carried(requirement.docType);
  if (requirement.section) return carried(requirement.section);
  return (requirement.anyOf ?? []).some(
    (alternative) => (guardsHold || !alternative.guard) && alternative.allOf.every((type) => carried(type)),
  );
}

const specs = standardDossiers();

describe.each(specs.map((spec) => [spec.id, spec] as [string, DossierSpec]))('when the generator builds %s', (_id, spec) => {
  let built: BuiltDossier;
  let entries: ArchivedEntry[];

  beforeAll(async () => {
    built = await ensureDossier(spec);
    entries = await archivedFiles(built);
  });

  it('produces exactly the files and junk entries its truth lists', () => {
    const expected = [...built.truth.files.map((file) => file.path), ...built.truth.junk].sort();
    expect(documentsOnly(entries, built.truth).map((entry) => entry.path).sort()).toEqual(expected);
  });

  it('writes every file in the format its truth gives it', () => {
    const byPath = new Map(entries.map((entry) => [entry.path, entry.bytes]));
    for (const file of built.truth.files) {
      const bytes = byPath.get(file.path);
      expect({ path: file.path, matches: bytes ? looksLike(file.format, file.corrupt, file.encrypted === true, bytes) : false }).toEqual({
        path: file.path,
        matches: true,
      });
    }
  });

  it('makes duplicates byte-identical to their originals', () => {
    const byPath = new Map(entries.map((entry) => [entry.path, entry.bytes]));
    for (const file of built.truth.files.filter((candidate) => candidate.duplicateOf)) {
      expect(byPath.get(file.path)?.equals(byPath.get(file.duplicateOf!)!)).toBe(true);
    }
  });

  it('encodes entry names the way its container kind says', () => {
    const zipped = entries.filter((entry) => built.truth.archiveKind !== 'folder' || entry.path.includes('.zip/'));
    for (const entry of zipped) {
      const innerArchive = spec.nestedArchives
        ? Object.entries(spec.nestedArchives).find(([archive]) => entry.path.startsWith(`${archive}/`))?.[1]
        : undefined;
      const kind = innerArchive ?? (built.truth.archiveKind === 'folder' ? 'zip-gbk' : built.truth.archiveKind);
      const nonAscii = entry.rawName.some((byte) => byte > 0x7f);
      if (kind === 'zip-utf8') expect(entry.utf8Flag).toBe(true);
      else {
        expect(entry.utf8Flag).toBe(false);
        // Chinese names must be GB18030 bytes, which are not valid UTF-8.
        if (nonAscii) expect(entry.rawName.toString('utf8')).toContain('\uFFFD');
      }
    }
  });

  it('expects missing or not applicable only rows no readable file carries, and satisfied only rows one does', async () => {
    const stageRows = (await checklistRows(spec.city)).filter((row) => row.stage === spec.stage);
    const rows = new Map(stageRows.map((row) => [row.id, row]));
    const truth = built.truth;
    // ../shared/domain/requirements.md §9.6: when two rows share a doc type and one document exists, it satisfies only the row its
    // content matches; the specs give such a document to the satisfied row, so the other may stay not applicable.
    const claimedBySatisfiedTwin = (id: string) =>
      stageRows.some(
        (other) =>
          other.id !== id &&
          other.requirement.docType !== undefined &&
          other.requirement.docType === rows.get(id)!.requirement.docType &&
          truth.expectedSatisfiedRows.includes(other.id),
      );
    const wrong = [
      ...truth.expectedMissingRows.filter((id) => rowCarried(rows.get(id)!, truth, false)).map((id) => `${id} is carried`),
      ...truth.expectedNotApplicableRows
        .filter((id) => rowCarried(rows.get(id)!, truth, true) && !claimedBySatisfiedTwin(id))
        .map((id) => `${id} is carried`),
      ...truth.expectedSatisfiedRows.filter((id) => !rowCarried(rows.get(id)!, truth, true)).map((id) => `${id} is not carried`),
    ];
    expect(wrong).toEqual([]);
  });

  it('declares expected rows that partition the checklist rows of its city and stage', async () => {
    const checklist = YAML.parse(await readFile(path.resolve('checklists/jurisdictions', `${spec.city}.yaml`), 'utf8')) as {
      rows: { id: string; stage: string }[];
    };
    const checklistRows = checklist.rows.filter((row) => row.stage === spec.stage).map((row) => row.id);
    const truth = built.truth;
    const partition = [
      ...truth.expectedMissingRows,
      ...truth.expectedSatisfiedRows,
      ...truth.expectedNotApplicableRows,
      ...Object.keys(truth.excludedRows),
    ].sort();
    expect(partition).toEqual([...checklistRows].sort());
    expect(ROW_IDS[spec.city]![spec.stage]).toEqual(checklistRows);
  });
});

describe('when the standard dossiers are taken together', () => {
  it('keeps OCR work to about one scanned page per dossier', async () => {
    let pages = 0;
    for (const spec of specs) pages += (await ensureDossier(spec)).truth.scannedPages ?? 0;
    expect(pages).toBeLessThanOrEqual(Math.ceil(specs.length * 1.25));
  });

  it('has a complete and a gapped dossier for every city and stage', () => {
    const kinds = specs.map((spec) => `${spec.city}/${spec.stage}/${spec.id.endsWith('-complete') ? 'complete' : 'gaps'}`);
    const expected = Object.keys(ROW_IDS).flatMap((city) =>
      ['filing', 'acceptance'].flatMap((stage) => [`${city}/${stage}/complete`, `${city}/${stage}/gaps`]),
    );
    expect([...kinds].sort()).toEqual([...expected].sort());
  });

  it('misses error rows only in the gapped dossiers', async () => {
    const severity = new Map<string, string>();
    for (const city of Object.keys(ROW_IDS)) {
      const checklist = YAML.parse(await readFile(path.resolve('checklists/jurisdictions', `${city}.yaml`), 'utf8')) as {
        rows: { id: string; severity: string }[];
      };
      for (const row of checklist.rows) severity.set(row.id, row.severity);
    }
    for (const spec of specs) {
      const missingErrors = spec.expectedMissingRows.filter((row) => severity.get(row) === 'error');
      expect({ id: spec.id, missesErrorRows: missingErrors.length > 0 }).toEqual({
        id: spec.id,
        missesErrorRows: !spec.id.endsWith('-complete'),
      });
    }
  });
});
