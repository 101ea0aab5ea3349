import { readFile } from 'node:fs/promises';
import path from 'node:path';
import iconv from 'iconv-lite';
import { PDFParse } from 'pdf-parse';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatDate, yuanInWords } from '../fixtures/dossiers/chinese-format.ts';
import { makeDocument, PROFILES, SUPPORTED_DOCUMENT_KINDS } from '../fixtures/dossiers/documents.ts';
import { renderDocument, scanPages } from '../fixtures/dossiers/render.ts';

const CITIES = ['changde', 'yiyang', 'shenyang', 'shucheng', 'municipal-template'];
const ONE_PROFILE_PER_CITY = [PROFILES.cdWaterlogging, PROFILES.yyRivers, PROFILES.syCredit, PROFILES.scEducation, PROFILES.mtRating];

interface Requirement {
  docType?: string;
  anyOf?: { allOf: string[] }[];
}

async function checklistDocTypes(): Promise<Set<string>> {
  const types = new Set<string>();
  for (const city of CITIES) {
    const checklist = YAML.parse(await readFile(path.resolve('checklists/jurisdictions', `${city}.yaml`), 'utf8')) as {
      rows: { requirement: Requirement }[];
    };
    for (const { requirement } of checklist.rows) {
      if (requirement.docType) types.add(requirement.docType);
      for (const alternative of requirement.anyOf ?? []) for (const type of alternative.allOf) types.add(type);
    }
  }
  return types;
}

/** Heading phrases per section kind, from the catalogue the classifier uses. */
async function sectionHeadings(): Promise<[string, string][]> {
  const catalogue = YAML.parse(await readFile(path.resolve('checklists/catalogue.yaml'), 'utf8')) as {
    docTypes: { id: string; sectionHeadings?: string[] }[];
    sectionKeys?: { key: string; headings: string[] }[];
  };
  return [
    ...catalogue.docTypes.flatMap((type) => (type.sectionHeadings ?? []).map((heading): [string, string] => [type.id, heading])),
    ...(catalogue.sectionKeys ?? []).flatMap((key) => key.headings.map((heading): [string, string] => [key.key, heading])),
  ];
}

const fold = (text: string) => text.replace(/（/g, '(').replace(/）/g, ')');

describe('when the factory is asked for the documents the checklists name', () => {
  it('writes every doc type any checklist row requires, and the letters typed other_material', async () => {
    const required = await checklistDocTypes();
    required.add('other_material');
    const writable = new Set(SUPPORTED_DOCUMENT_KINDS.flatMap((kind) => kind.split('+')));
    expect([...required].filter((type) => !writable.has(type))).toEqual([]);
  });

  it('gives every document a title line that names what it is and a dated closing', () => {
    for (const kind of SUPPORTED_DOCUMENT_KINDS) {
      for (const profile of ONE_PROFILE_PER_CITY) {
        const document = makeDocument(kind, profile);
        expect(document.lines).toContain(document.title);
        expect(document.blocks.at(-1)?.kind).toBe('date');
      }
    }
  });

  it('declares every delimited section whose heading the catalogue would recognise', async () => {
    const headings = await sectionHeadings();
    const undeclared: string[] = [];
    for (const kind of SUPPORTED_DOCUMENT_KINDS) {
      for (const profile of ONE_PROFILE_PER_CITY) {
        for (const flavour of [undefined, 'planning', 'filing-request', 'bundled']) {
          const document = makeDocument(kind, profile, flavour ? { flavour } : {});
          for (const block of document.blocks.filter((candidate) => candidate.kind === 'heading')) {
            for (const [type, heading] of headings) {
              const declared = document.sectionTypes.includes(type) || document.docTypes.includes(type);
              if (fold(block.text).includes(fold(heading)) && !declared) undeclared.push(`${kind}: ${block.text} → ${type}`);
            }
          }
        }
      }
    }
    expect([...new Set(undeclared)]).toEqual([]);
  });
});

describe('when a document carries a trap', () => {
  it('puts a mention of another document in the body, not in the title', () => {
    const report = makeDocument('completion_report', PROFILES.cdLegalAid, { mentions: ['supervision_report'] });
    const mention = report.blocks.find((block) => block.text.includes('详见监理报告'));
    expect(mention?.kind).toBe('para');
    expect(report.title).not.toContain('监理');
    expect(report.docTypes).toEqual(['completion_report']);
  });

  it('lists enclosures one per line after the body', () => {
    const application = makeDocument('acceptance_application', PROFILES.cdLegalAid, {
      enclosures: ['completion_report', 'supervision_report'],
    });
    const enclosures = application.blocks.filter((block) => block.kind === 'enclosure').map((block) => block.text);
    expect(enclosures).toEqual(['附件：1.项目竣工报告', '2.监理报告']);
  });

  it('leaves out an optional section when asked, and says so in sectionTypes', () => {
    const full = makeDocument('project_proposal', PROFILES.yyTraceability);
    const gapped = makeDocument('project_proposal', PROFILES.yyTraceability, {
      sections: ['project_summary', 'budget_estimate', 'funding_source_statement', 'basis_documents'],
    });
    expect(full.sectionTypes).toContain('annual_investment_plan');
    expect(gapped.sectionTypes).not.toContain('annual_investment_plan');
    expect(gapped.lines.join('\n')).not.toContain('分年度');
  });

  it('refuses a section the type cannot carry, so a spec cannot claim one silently', () => {
    expect(() => makeDocument('test_report', PROFILES.cdLegalAid, { sections: ['self_inspection_report'] })).toThrow(/cannot carry/);
  });

  it('writes the combined 系统试运行和初步验收报告 with the trial-run period and the 合格 conclusion', () => {
    const combined = makeDocument('trial_run_report+preliminary_acceptance_report', PROFILES.cdWaterlogging);
    const text = combined.lines.join('\n');
    expect(combined.title).toContain('系统试运行和初步验收报告');
    expect(text).toContain(`自${formatDate(PROFILES.cdWaterlogging.dates.trialRunStart)}起至${formatDate(PROFILES.cdWaterlogging.dates.trialRunEnd)}止`);
    expect(text).toContain('初步验收结论：合格');
  });

  it('converts a document to Traditional characters when asked', () => {
    const report = makeDocument('feasibility_report', PROFILES.mtRating, { script: 'zh-Hant' });
    expect(report.title).toContain('可行性研究報告');
    expect(report.script).toBe('zh-Hant');
  });
});

describe('when amounts are written in words', () => {
  it.each([
    [186.5, '人民币壹佰捌拾陆万伍仟元整'],
    [96, '人民币玖拾陆万元整'],
    [1280, '人民币壹仟贰佰捌拾万元整'],
    [82.8, '人民币捌拾贰万捌仟元整'],
    [0.105, '人民币壹仟零伍拾元整'],
    [100.0504, '人民币壹佰万零伍佰零肆元整'],
  ])('writes %s万元 as %s', (amount, words) => {
    expect(yuanInWords(amount)).toBe(words);
  });
});

describe('when a document is rendered', () => {
  const approval = makeDocument('approval_document', PROFILES.cdWaterlogging);

  it('keeps the text of a text PDF extractable, CJK included', async () => {
    const { bytes } = await renderDocument(approval, 'pdf-text');
    const parser = new PDFParse({ data: new Uint8Array(bytes) });
    const { text } = await parser.getText();
    await parser.destroy();
    expect(text.replace(/\s+/g, '')).toContain(approval.title);
    expect(text).toContain('常电政审〔');
  });

  it('produces the same bytes twice (reproducible fixtures)', async () => {
    for (const format of ['pdf-text', 'docx'] as const) {
      const first = await renderDocument(approval, format);
      const second = await renderDocument(approval, format);
      expect(first.bytes.equals(second.bytes)).toBe(true);
    }
  });

  it('writes a GBK text file that decodes back to the document', async () => {
    const { bytes } = await renderDocument(approval, 'txt-gbk');
    expect(iconv.decode(bytes, 'gb18030')).toContain(approval.title);
  });

  it('fits a compact agency document on one scanned page', () => {
    const compact = makeDocument('annual_plan_notice', PROFILES.scPension, { compact: true });
    expect(scanPages(compact)).toHaveLength(1);
  });
});
