import { describe, expect, it } from 'vitest';
import { characterErrorRate, levenshtein } from '../helpers/cer.ts';

describe('when scoring OCR output against the known text', () => {
  it('counts insertions, deletions and substitutions of single characters', () => {
    expect(levenshtein(Array.from('建设单位'), Array.from('建没单位'))).toBe(1);
    expect(levenshtein(Array.from('建设单位'), Array.from('建设单'))).toBe(1);
    expect(levenshtein(Array.from('建设单位'), Array.from('建设单位位'))).toBe(1);
    expect(levenshtein(Array.from('kitten'), Array.from('sitting'))).toBe(3);
  });

  it('ignores whitespace and line breaks on both sides', () => {
    expect(characterErrorRate('项目名称：\n智慧政务', '项目 名称：智慧\n\n政务')).toBe(0);
  });

  it('divides the distance by the length of the reference', () => {
    expect(characterErrorRate('总投资120万元', '总投资12O万元')).toBeCloseTo(1 / 8);
    expect(characterErrorRate('报告', '')).toBe(1);
  });

  it('treats characters outside the basic plane as one character each', () => {
    expect(characterErrorRate('𠀀𠀁', '𠀀𠀂')).toBe(0.5);
  });
});
