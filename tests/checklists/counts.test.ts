import { describe, expect, it } from 'vitest';
import { DocTypeClassifier } from '../../checklists/classify.ts';
import { listChecklists, loadCatalogue, loadChecklist, loadFacts } from '../../checklists/load.ts';

/** ../shared/domain/requirements.md Appendix A and the id lists of §1.1 and §2.1. */

describe('when counting the shipped data against Appendix A', () => {
  const expected: Record<string, { filing: number; acceptance: number }> = {
    changde: { filing: 7, acceptance: 20 },
    yiyang: { filing: 19, acceptance: 22 },
    shenyang: { filing: 5, acceptance: 10 },
    shucheng: { filing: 10, acceptance: 19 },
    'municipal-template': { filing: 5, acceptance: 10 },
  };

  it('ships exactly the five jurisdictions', () => {
    expect(listChecklists().map((c) => c.id).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s has the filing and acceptance row counts of Appendix A', (id, counts) => {
    const rows = loadChecklist(id).rows;
    expect({ filing: rows.filter((r) => r.stage === 'filing').length, acceptance: rows.filter((r) => r.stage === 'acceptance').length }).toEqual(counts);
  });

  it('has 127 requirement rows in total', () => {
    expect(listChecklists().reduce((n, c) => n + c.rows, 0)).toBe(127);
  });

  it.each(Object.keys(expected))('%s numbers its rows F01… and A01… without gaps', (id) => {
    const rows = loadChecklist(id).rows;
    for (const stage of ['filing', 'acceptance'] as const) {
      const ids = rows.filter((r) => r.stage === stage).map((r) => r.id);
      const prefix = ids[0]!.replace(/\d+$/, '');
      expect(ids).toEqual(ids.map((_, i) => `${prefix}${String(i + 1).padStart(2, '0')}`));
      expect(prefix).toMatch(stage === 'filing' ? /-F$/ : /-A$/);
    }
  });
});

describe('when reading the catalogue', () => {
  const ids = [
    'application_form', 'project_plan', 'project_proposal', 'project_summary', 'feasibility_report', 'requirements_analysis',
    'preliminary_design', 'technical_plan', 'construction_plan', 'implementation_plan', 'budget_estimate', 'annual_investment_plan',
    'security_plan', 'classified_protection_plan', 'data_resource_sharing_list', 'party_group_resolution', 'pre_technical_review_opinion',
    'technical_review_opinion', 'fiscal_review_opinion', 'secrecy_review_opinion', 'annual_plan_notice', 'out_of_plan_approval',
    'feasibility_approval', 'approval_document', 'procurement_documents', 'contract', 'supervision_contract', 'om_agreement',
    'qualification_certificate', 'change_approval', 'record_filing_receipt', 'self_inspection_report', 'completion_report',
    'supervision_report', 'trial_run_report', 'preliminary_acceptance_report', 'training_report', 'test_report', 'third_party_test_report',
    'mlps_evaluation_report', 'crypto_assessment_report', 'classified_system_evaluation', 'data_three_lists', 'data_sharing_statement',
    'database_admin_handover', 'source_code', 'interface_spec', 'extension_application', 'acceptance_application', 'pre_acceptance_report',
    'rectification_report', 'settlement_report', 'acceptance_report', 'other_material',
  ];

  it('holds the 54 types of §1.1 in catalogue order', () => {
    expect(loadCatalogue().docTypes.map((t) => t.id)).toEqual(ids);
  });

  it('gives every type its canonical name among its title terms, and reads a term that contains its own exclusion word as that type', () => {
    const catalogue = loadCatalogue();
    const classifier = new DocTypeClassifier(catalogue);
    for (const t of catalogue.docTypes) {
      if (t.id === 'other_material') continue;
      expect(t.titleTerms.some((term) => term.includes(t.name.replace(/[“”"（）()]/g, '').slice(0, 4)) || t.name.includes(term)), t.id).toBe(true);
      // An exclusion vetoes the word outside the term ("密码应用实施方案"), not inside it ("密码应用方案评估报告").
      for (const term of t.titleTerms.filter((x) => !x.includes('*') && t.titleExclusions.some((veto) => x.includes(veto)))) {
        const title = `某市政务云平台${term}`;
        const read = classifier.classify({ path: 'scan.pdf', readable: true, pages: [{ n: 1, text: title, source: 'text-layer' }] });
        expect(read.docTypes.map((d) => d.id), `${t.id}: ${title}`).toContain(t.id);
      }
    }
  });

  it('gives every section-or-file doc type section headings', () => {
    const catalogue = loadCatalogue();
    for (const id of ['project_summary', 'budget_estimate', 'annual_investment_plan', 'security_plan', 'party_group_resolution', 'self_inspection_report', 'trial_run_report', 'om_agreement']) {
      expect(catalogue.byId.get(id)!.sectionHeadings.length, id).toBeGreaterThan(0);
    }
    expect(catalogue.sectionKeys.map((k) => k.key)).toEqual(['funding_source_statement', 'basis_documents']);
  });
});

describe('when reading the facts', () => {
  const names = [
    'cityId', 'stage', 'filingStep', 'totalInvestmentWan', 'planYear', 'fundingSources', 'usesMunicipalProjectFund',
    'hasNationalOrProvincialFunding', 'hasMunicipalMatching', 'classified', 'major', 'projectKind', 'customSoftware',
    'softwareDevelopment', 'requiresSoftwareEvaluation', 'requiresClassifiedEvaluation', 'requiresMlps', 'requiresCrypto',
    'simpleProject', 'draftedByApplicant', 'outOfPlan', 'sharingExempt', 'multiUnit', 'civilWorksInvestmentWan', 'itInvestmentWan',
    'itPartOfCivilWorksProject', 'hasSupervisor', 'changeOccurred', 'changeKinds', 'changeAmountWan', 'contractAmountWan',
    'projectContractsTotalWan', 'reviewedAmountWan', 'approvedEstimateWan', 'plannedFundWan', 'settlementAmountWan',
    'finalInvestmentWan', 'majorContentChange', 'acceptanceHeld', 'previousAcceptanceFailed',
    // Not in §2.1: facts no document states that rules in the `asked` state ask for (checklists/rules/schema.ts).
    'municipalFullyFundedUnit', 'applicantIsLeadUnit', 'reviewMeetingHeld', 'quarterlyProgressPushed', 'fiscalReviewAcceptedDate',
    'planJointlyConfirmed',
    'filingDate', 'fsrSubmissionDate',
    'approvalDate', 'implementationStartDate', 'constructionStartDate', 'mainContractDate', 'supervisionContractDate',
    'trialRunStartDate', 'trialRunEndDate', 'trialRunReportDate', 'preliminaryAcceptanceDate', 'selfInspectionDate',
    'acceptanceApplicationDate', 'materialsCompleteDate', 'submissionAcceptedDate', 'acceptanceDate', 'contractAgreedAcceptanceDate', 'procurementNoticeDate',
    'higherLevelApplicationDate', 'formalOperationDate',
  ];

  it('holds every fact of §2.1 and the facts the asked rules need', () => {
    expect(loadFacts().definitions.map((f) => f.name)).toEqual(names);
  });

  it('makes the facts the seeds leave to the agency askable (§2.2)', () => {
    const facts = loadFacts().byName;
    for (const name of ['major', 'simpleProject', 'sharingExempt', 'requiresSoftwareEvaluation', 'requiresClassifiedEvaluation', 'requiresMlps', 'requiresCrypto']) {
      expect(facts.get(name)!.askable, name).toBe(true);
    }
    expect(facts.get('major')!.question).toBe('是否为重大电子政务工程？');
    expect(facts.get('major')!.provenance).toBe('declared');
  });

  it('uses every fact a condition names, or defines it', () => {
    const known = loadFacts().byName;
    for (const c of listChecklists()) {
      const checklist = loadChecklist(c.id);
      for (const row of checklist.rows) for (const f of row.condition.facts) expect(known.has(f) || checklist.localFacts.some((l) => l.name === f), `${row.id}: ${f}`).toBe(true);
    }
  });
});
