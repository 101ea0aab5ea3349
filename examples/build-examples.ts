/**
 * Builds the example dossiers shipped in examples/ (committed output, used by the README quick start):
 *
 *   npx tsx examples/build-examples.ts
 *
 * The output is reproducible byte for byte, so re-running it leaves the committed files unchanged unless the
 * generator changed.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDossier, type DossierSpec } from '../tests/fixtures/dossiers/build.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * A Changde acceptance dossier of an invented project (常德市农村供水水质监测平台建设项目, 138.6万元) that lacks its
 * 用户受训报告, with one phone photo of the approval so that OCR has something to read.
 */
export const CHANGDE_ACCEPTANCE_EXAMPLE: DossierSpec = {
  id: 'changde-acceptance',
  city: 'changde',
  stage: 'acceptance',
  profile: 'cdWaterQuality',
  container: 'folder',
  archive: 'changde-acceptance',
  facts: { major: false, acceptanceHeld: false, changeOccurred: false },
  files: [
    {
      path: '01-关于申请竣工验收的请示.pdf',
      docTypes: ['acceptance_application'],
      format: 'pdf-text',
      nameKind: 'meaningful',
      options: {
        sections: ['self_inspection_report'],
        enclosures: ['completion_report', 'supervision_report', 'trial_run_report', 'training_report', 'test_report'],
      },
    },
    {
      path: '02-立项批复.jpg',
      docTypes: ['approval_document'],
      format: 'image',
      nameKind: 'meaningful',
      options: { compact: true },
      render: { jpegQuality: 40, rotateDeg: 0.8 },
    },
    { path: '03-可行性研究报告.pdf', docTypes: ['feasibility_report'], format: 'pdf-text', nameKind: 'meaningful' },
    {
      path: '04-项目实施方案.docx',
      docTypes: ['implementation_plan'],
      format: 'docx',
      nameKind: 'meaningful',
      options: { flavour: 'contractor' },
    },
    { path: '05-系统集成合同.pdf', docTypes: ['contract'], format: 'pdf-text', nameKind: 'meaningful', options: { variant: 1 } },
    { path: '06-网络及软硬件测试报告.pdf', docTypes: ['test_report'], format: 'pdf-text', nameKind: 'meaningful' },
    {
      path: '07-系统试运行和初步验收报告.pdf',
      docTypes: ['trial_run_report', 'preliminary_acceptance_report'],
      format: 'pdf-text',
      nameKind: 'meaningful',
    },
    { path: '08-监理总结报告.pdf', docTypes: ['supervision_report'], format: 'pdf-text', nameKind: 'meaningful', options: { variant: 0 } },
    { path: '09-项目竣工报告.pdf', docTypes: ['completion_report'], format: 'pdf-text', nameKind: 'meaningful', options: { variant: 0 } },
  ],
  // 138.6万 with a supervisor: CD-A07 and CD-A16 apply. The application lists a 用户受训报告 that is not there.
  expectedMissingRows: ['CD-A10', 'CD-A14', 'CD-A16', 'CD-A17', 'CD-A18', 'CD-A20'],
  expectedNotApplicableRows: ['CD-A12', 'CD-A15', 'CD-A19'],
  traps: ['enclosure_list', 'photo', 'combined_trial_run_and_preliminary_acceptance', 'self_inspection_as_section'],
  notes:
    'Missing 用户受训报告 (CD-A10, error). Not filed, reported as warnings: 技术方案 (CD-A14), 监理合同 (CD-A16), 资质证书 (CD-A17), 财政投资评审 (CD-A18), 年度计划 (CD-A20). The 自审自查 is a chapter of the application (CD-A02); the combined report satisfies CD-A08 and CD-A09.',
};

async function buildExample(spec: DossierSpec): Promise<void> {
  const staging = await mkdtemp(path.join(tmpdir(), 'dossier-example-'));
  try {
    const { inputPath, truth } = await buildDossier(spec, path.join(staging, 'out'));
    const target = path.join(here, spec.archive);
    await rm(target, { recursive: true, force: true });
    await cp(inputPath, target, { recursive: true });
    await writeFile(path.join(here, `${spec.archive}.truth.json`), `${JSON.stringify(truth, null, 1)}\n`);
    console.log(`${target}: ${truth.files.length} files, missing ${truth.expectedMissingRows.join(', ')}`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildExample(CHANGDE_ACCEPTANCE_EXAMPLE);
}
