import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INTAKE_CODES, intakeFinding, type IntakeCode } from '../../pipeline/intake/index.ts';

const codes = Object.keys(INTAKE_CODES) as IntakeCode[];

describe('the intake code registry', () => {
  it.each(codes)('%s is a stable upper-snake INTAKE_ code with a Chinese meaning', (code) => {
    expect(code).toMatch(/^INTAKE_[A-Z]+(?:_[A-Z]+)*$/);
    expect(INTAKE_CODES[code].meaning).toMatch(/\p{Script=Han}/u);
  });

  it.each(codes)('%s makes a Chinese message that names the entry', (code) => {
    const finding = intakeFinding(code, '资料/附件.zip/合同.pdf', 100);
    expect(finding).toMatchObject({ code, severity: INTAKE_CODES[code].severity, path: '资料/附件.zip/合同.pdf' });
    expect(finding.message).toContain('资料/附件.zip/合同.pdf');
    expect(finding.message).toMatch(/\p{Script=Han}/u);
  });

  it('holds every code the intake source uses, and nothing is used that is not in it', () => {
    const source = ['intake.ts', 'findings.ts'].map((file) =>
      readFileSync(new URL(`../../pipeline/intake/${file}`, import.meta.url), 'utf8'),
    );
    const used = new Set(source.join('\n').match(/'INTAKE_[A-Z_]+'/g)?.map((quoted) => quoted.slice(1, -1)));
    for (const code of used) expect(codes).toContain(code);
    const usedInIntake = new Set(source[0]!.match(/'INTAKE_[A-Z_]+'/g)?.map((quoted) => quoted.slice(1, -1)));
    for (const code of codes) expect(usedInIntake).toContain(code);
  });
});
