import { describe, expect, it } from 'vitest';
import { extractFields } from '../../extractors/fields/extract.ts';
import { aggregateFields, fieldValueToScalar, type FactsDocument } from '../../checklists/facts/index.ts';
import { CATALOGUE_PATH, loadCatalogue, prepareCatalogue, readDataFile } from '../../checklists/load.ts';

const PROJECT = '岳阳市城市运行管理平台三期建设项目';
const UNIT = '岳阳市城市管理和综合执法局';

function file(path: string, docTypes: string[], text: string): FactsDocument {
  return { path, docTypes, candidates: extractFields({ path, pages: [{ n: 1, text, source: 'text-layer' }] }) };
}

const contract = file('合同.pdf', ['contract'], `${PROJECT}
政府采购合同
甲方（采购人）：${UNIT}
乙方（供应商）：湖南星河软件股份有限公司
合同编号：YYCG-2024-0315
签订日期：2024年4月26日
合同总价为人民币叁佰壹拾贰万元整（¥3,120,000.00元），含税。`);

const scalar = (result: ReturnType<typeof aggregateFields>, name: string) =>
  result.fields[name] ? fieldValueToScalar(result.fields[name]!.value) : undefined;

describe('which documents count for a field is the catalogue’s groups, not code', () => {
  it('reads the main contract’s amount and date from the documents of the `contract` group', () => {
    const result = aggregateFields({ documents: [contract], catalogue: loadCatalogue(), investmentThresholdsWan: [] });
    expect(scalar(result, 'contractAmountWan')).toBe('312');
    expect(scalar(result, 'mainContractDate')).toBe('2024-04-26');
  });

  it('no longer reads them from a contract once the catalogue takes contracts out of that group', () => {
    const raw = readDataFile(CATALOGUE_PATH) as { groups: Record<string, { docTypes: string[] }> };
    raw.groups.contract!.docTypes = ['om_agreement'];
    raw.groups.projectContracts!.docTypes = ['om_agreement'];
    const result = aggregateFields({ documents: [contract], catalogue: prepareCatalogue(raw), investmentThresholdsWan: [] });
    expect(scalar(result, 'contractAmountWan')).toBeUndefined();
    expect(scalar(result, 'mainContractDate')).toBeUndefined();
  });
});
