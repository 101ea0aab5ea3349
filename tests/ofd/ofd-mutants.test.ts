import { readFileSync } from 'node:fs';
import yauzl from 'yauzl';
import { describe, expect, it } from 'vitest';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import { ExtractedDocumentSchema, type ExtractionContext } from '../../extractors/model.ts';
import { extractOfd } from '../../extractors/ofd/index.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { writeZip } from '../helpers/zip-writer.ts';

/**
 * Seeded mutants of the real text OFDs — bytes flipped, parts cut, hostile tokens spliced into the XML, the zip
 * itself damaged — must each come back as a schema-valid result: never an exception, never a hang.
 */
const FILES = ['ofdrw_n_gongwen_iofd.ofd', 'easyofd_zengzhishui_zhuanpiao5_chinatax.ofd', 'ofdrw_testPathFillOpacity_gonghan_suwell.ofd'];
const MUTANTS_PER_FILE = 80;
const SEED = 20261204;

const HOSTILE = [
  'g 999999999 1',
  ' DeltaX="g 2147483647 -1e308"',
  '-1e308',
  'NaN',
  '<',
  '&#0;',
  '&#xD800;',
  '<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
  '</ofd:Page>',
  '"',
  ' BaseLoc="../../../../etc/passwd"',
  '<ofd:PageBlock><ofd:PageBlock><ofd:PageBlock>',
  '<ofd:TextObject Boundary="1e999 -1e999 0 0" CTM="0 0 0 0 NaN 1" Size="-5"><ofd:TextCode>溢出</ofd:TextCode></ofd:TextObject>',
  '<ofd:CGTransform CodePosition="-9" CodeCount="99999999"><ofd:Glyphs>4294967295 -1</ofd:Glyphs></ofd:CGTransform>',
  '\u0000',
];

/** A cut page may keep only the seal picture, which is then OCR'd; the engine answers at once with nothing. */
const quietOcr: ExtractionContext = {
  ocr: { recognize: async () => ({ text: '', confidence: 0 }), close: async () => undefined },
  limits: defaultExtractionLimits,
};

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function entriesOf(bytes: Buffer): Promise<{ name: string; data: Buffer }[]> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  const out: { name: string; data: Buffer }[] = [];
  for await (const entry of zip.eachEntry()) {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    out.push({ name: entry.fileName, data: Buffer.concat(chunks) });
  }
  zip.close();
  return out;
}

function mutate(entries: { name: string; data: Buffer }[], random: () => number): { bytes: Buffer; what: string } {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const target = pick(entries);
  let data = Buffer.from(target.data);
  const at = Math.floor(random() * Math.max(1, data.length));
  const kind = Math.floor(random() * 6);
  let what: string;
  switch (kind) {
    case 0: {
      for (let k = 0; k < 1 + Math.floor(random() * 8); k++) data[Math.floor(random() * data.length)] = Math.floor(random() * 256);
      what = 'flipped bytes';
      break;
    }
    case 1:
      data = data.subarray(0, at);
      what = `cut at ${at}`;
      break;
    case 2: {
      const token = pick(HOSTILE);
      data = Buffer.concat([data.subarray(0, at), Buffer.from(token), data.subarray(at)]);
      what = `inserted ${JSON.stringify(token)} at ${at}`;
      break;
    }
    case 3: {
      const slice = data.subarray(at, at + 1 + Math.floor(random() * 200));
      data = Buffer.concat([data.subarray(0, at), ...Array.from({ length: 200 }, () => slice), data.subarray(at)]);
      what = `slice repeated at ${at}`;
      break;
    }
    case 4:
      data = Buffer.from(data.toString('utf8').replace(/"(-?\d+(?:\.\d+)?)"/g, () => `"${pick(['1e308', '-0', '99999999999', 'abc', ''])}"`));
      what = 'numbers replaced';
      break;
    default: {
      const zip = writeZip(entries.map((e) => ({ name: e.name, data: e.data, method: 'store' as const })));
      for (let k = 0; k < 1 + Math.floor(random() * 6); k++) zip[Math.floor(random() * zip.length)] = Math.floor(random() * 256);
      return { bytes: zip, what: 'zip bytes flipped' };
    }
  }
  const mutated = entries.map((e) => (e === target ? { name: e.name, data } : e));
  return { bytes: writeZip(mutated.map((e) => ({ name: e.name, data: e.data, method: 'store' as const }))), what: `${target.name}: ${what}` };
}

describe('when real OFD files are damaged in many ways', () => {
  for (const [fileIndex, file] of FILES.entries()) {
    it(`answers every mutant of ${file} with a valid result`, async () => {
      const entries = await entriesOf(readFileSync(sharedPath('samples', 'real', 'ofd', file)));
      const random = mulberry32(SEED + fileIndex);
      const failures: string[] = [];
      for (let i = 0; i < MUTANTS_PER_FILE; i++) {
        const { bytes, what } = mutate(entries, random);
        try {
          const doc = await extractOfd({ path: file, bytes, kind: 'ofd' }, quietOcr);
          const parsed = ExtractedDocumentSchema.safeParse(doc);
          if (!parsed.success) failures.push(`#${i} ${what}: invalid result ${parsed.error.message.slice(0, 200)}`);
        } catch (error) {
          failures.push(`#${i} ${what}: threw ${(error as Error).message}`);
        }
      }
      expect(failures).toEqual([]);
    }, 120_000);
  }
});
