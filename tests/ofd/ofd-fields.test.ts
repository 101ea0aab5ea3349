import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractOfd } from '../../extractors/ofd/index.ts';
import { contextWithoutOcr } from '../extractors/context.ts';
import { best, extract, valuesOf } from '../fields/extract-helpers.ts';
import { sharedPath } from '../helpers/shared-data.ts';

/** The fields later stages rely on come out of the OFD's own text, not only out of a hand-typed copy of it. */
describe('when the real 公文 is read from its OFD and its fields extracted', () => {
  it('finds the issuer, 文号, title, addressee, closing unit and date, and the cited 文号', async () => {
    const bytes = readFileSync(sharedPath('samples', 'real', 'ofd', 'ofdrw_n_gongwen_iofd.ofd'));
    const doc = await extractOfd({ path: '公文.ofd', bytes, kind: 'ofd' }, contextWithoutOcr());
    const candidates = extract(doc.pages.map((p) => p.text), 'text-layer', '公文.ofd');
    expect(valuesOf(candidates, 'issuer')).toEqual(['测试符路桥区卫生局']);
    expect(valuesOf(candidates, 'docNumber')).toEqual(['路卫发〔2011〕76号']);
    expect(valuesOf(candidates, 'title')).toEqual(['关于同意张阿三同志辞职的批复']);
    expect(valuesOf(candidates, 'addressee')).toEqual(['区中医院']);
    expect(valuesOf(candidates, 'signatory')).toEqual(['测试符路桥区卫生局办公室']);
    expect(valuesOf(candidates, 'docDate')).toEqual(['2011-03-10']);
    expect(best(candidates, 'docDate')!.provenance.page).toBe(2);
    expect(valuesOf(candidates, 'citedDocNumber').sort()).toEqual(['浙人才〔1993〕73号', '路中医发〔2011〕10号']);
  });
});
