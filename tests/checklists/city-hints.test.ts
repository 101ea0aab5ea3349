import { describe, expect, it } from 'vitest';
import { detectCityMismatch } from '../../checklists/city-hints.ts';
import { listChecklists, loadChecklist } from '../../checklists/load.ts';

const all = listChecklists().map((c) => loadChecklist(c.path));
const page = (text: string, path = '批复.pdf', n = 1) => ({ path, page: n, text });

describe('when a dossier seems to belong to another city than the one chosen', () => {
  it('names the other city with its evidence when its issuer and places are there and the chosen city’s are not', () => {
    const found = detectCityMismatch(loadChecklist('yiyang'), all, [page('常德市发展和改革委员会\n关于常德市武陵区数字档案馆建设项目可行性研究报告的批复')]);
    expect(found).toMatchObject({ city: 'changde', cityName: '常德市' });
    expect(found!.evidence.map((e) => e.hint)).toEqual(['常德市发展和改革委员会', '武陵区']);
    expect(found!.evidence[0]).toMatchObject({ path: '批复.pdf', page: 1 });
  });

  it('counts a 文号 prefix only as a 文号, followed by its year', () => {
    const pages = [page('沈阳市大数据管理局 沈政办发〔2023〕12号'), page('项目建设单位：沈河区某单位', '申报表.docx')];
    expect(detectCityMismatch(loadChecklist('changde'), all, pages)?.city).toBe('shenyang');
    expect(detectCityMismatch(loadChecklist('changde'), all, [page('沈财务处联系人 张三')])).toBeUndefined();
  });

  it('says nothing for the city’s own dossier', () => {
    expect(detectCityMismatch(loadChecklist('changde'), all, [page('常德市发展和改革委员会关于常德市武陵区项目的批复')])).toBeUndefined();
  });

  it('says nothing when unsure: a contractor from another city in a dossier that is the chosen city’s', () => {
    const pages = [page('益阳市政务管理服务局\n益阳市赫山区智慧工地监管平台'), page('承建单位：常德市某科技有限公司（常德市武陵区）', '合同.pdf')];
    expect(detectCityMismatch(loadChecklist('yiyang'), all, pages)).toBeUndefined();
  });

  it('says nothing on one passing mention, nor when two other cities are named alike', () => {
    expect(detectCityMismatch(loadChecklist('yiyang'), all, [page('参照常德市的做法')])).toBeUndefined();
    expect(detectCityMismatch(loadChecklist('municipal-template'), all, [page('常德市发展和改革委员会 武陵区'), page('沈阳市大数据管理局 沈河区', 'b.pdf')])).toBeUndefined();
  });

  it('reads the hints from the jurisdiction files, none hard-coded: every shipped city but the template has some', () => {
    for (const c of all.filter((c) => c.id !== 'municipal-template')) expect(c.cityHints?.placeNames.length, c.id).toBeGreaterThan(0);
    // no place name of one city is another's, or a mention of one would count for both
    const owners = new Map<string, string>();
    for (const c of all) for (const p of c.cityHints?.placeNames ?? []) {
      expect(owners.get(p), p).toBeUndefined();
      owners.set(p, c.id);
    }
  });
});
