import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeZip } from '../helpers/zip-writer.ts';
import { dossier } from './run.ts';

const dossierZip = (name: string) =>
  writeZip([
    { name: '项目立项申报表.txt', data: `项目立项申报表\n项目名称：${name}\n`, utf8Flag: true },
    { name: '可行性研究报告.txt', data: `${name}可行性研究报告\n第一章 概述\n`, utf8Flag: true },
  ]);

describe('dossier batch with a facts sheet', () => {
  let folder: string;
  let work: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'batch-facts-in-'));
    work = await mkdtemp(join(tmpdir(), 'batch-facts-'));
    await writeFile(join(folder, '甲项目.zip'), dossierZip('青禾市甲系统建设项目'));
    await writeFile(join(folder, '乙项目.zip'), dossierZip('青禾市乙系统建设项目'));
  });

  it('writes a template that lists the folder’s dossiers, then checks each with its own row', async () => {
    const template = join(work, '事实表.csv');
    const made = await dossier(['batch', folder, '--city', 'municipal-template', '--stage', 'filing', '--facts-template', template]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toContain('2 份材料包');
    const lines = (await readFile(template, 'utf8')).split('\r\n');
    expect(lines.slice(2, 4)).toEqual(['"甲项目.zip",""', '"乙项目.zip",""']);
    await writeFile(template, [lines[0], lines[1], '"乙项目.zip","计划申报"', '"甲项目.zip","立项审批"'].join('\r\n'));
    const out = join(work, 'out');
    const checked = await dossier(['batch', folder, '--city', 'municipal-template', '--stage', 'filing', '--facts', template, '--out', out]);
    expect(checked.stderr).toContain('共 2 份材料');
    const step = async (name: string) => JSON.parse(await readFile(join(out, name, 'report.json'), 'utf8')).facts.filingStep?.value;
    expect(await step('甲项目.zip')).toBe('approval');
    expect(await step('乙项目.zip')).toBe('plan');
  });

  it('stops before checking anything when the sheet names a wrong value, saying where', async () => {
    const sheet = join(work, '错误的事实表.csv');
    await writeFile(sheet, '材料包,申报步骤\n甲项目.zip,下周\n');
    const r = await dossier(['batch', folder, '--city', 'municipal-template', '--stage', 'filing', '--facts', sheet, '--out', join(work, 'bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('错误：事实表第 2 行第 B 列（申报步骤）：应填其中之一：计划申报、立项审批，收到“下周”');
  });
});
