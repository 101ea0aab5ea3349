import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dossier } from './run.ts';

/** Issue 15: the CLI speaks Chinese — its help (commander's own headings included) and `token list`. */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Stdout of a run that must succeed. */
async function dossierOut(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await dossier(args, { env });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

describe('the CLI in Chinese', () => {
  it.each([[['--help']], [['check', '--help']], [['token', '--help']], [['batch', '--help']]])('%j has Chinese headings and no commander English', async (args) => {
    const help = await dossierOut(args);
    expect(help).toMatch(/^用法： dossier/);
    expect(help).toContain('选项：');
    expect(help).toContain('显示帮助');
    for (const english of ['Usage:', 'Options:', 'Commands:', 'Arguments:', 'display help', '(default:', '(choices:', '[options]', '[command]']) expect(help).not.toContain(english);
  });

  it('token list starts with a header row and shows role, region and time in Chinese', async () => {
    const data = await mkdtemp(join(tmpdir(), 'token-list-'));
    dirs.push(data);
    const env = { DATA_DIR: data, STORAGE: 'local' };
    await dossierOut(['token', 'create', '--role', 'officer', '--name', '王审核', '--jurisdiction', 'changde'], env);
    const lines = (await dossierOut(['token', 'list'], env)).trim().split('\n');
    expect(lines[0]).toBe('编号\t角色\t地区或单位\t名称\t状态\t创建时间（北京时间）');
    expect(lines).toHaveLength(2);
    const [, role, region, name, state, created] = lines[1]!.split('\t');
    expect([role, region, name, state]).toEqual(['审核人员', '常德市', '王审核', '有效']);
    expect(created).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
  });
});
