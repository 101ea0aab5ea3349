import { describe, expect, it } from 'vitest';
import { chineseCommanderError } from '../../cli/commander-messages.ts';
import { latinWords } from '../helpers/latin-words.ts';
import { dossier } from './run.ts';

describe('when commander refuses a command line', () => {
  it.each([
    ["error: unknown option '--bogus'\n(Did you mean --out?)\n", '错误：未知选项 --bogus（是否想输入 --out？）\n'],
    ["error: unknown command 'chek'\n(Did you mean check?)\n", '错误：未知命令 chek（是否想输入 check？）\n'],
    ["error: missing required argument 'input'\n", '错误：缺少参数 <input>\n'],
    ["error: required option '--stage <stage>' not specified\n", '错误：缺少必填选项 --stage <stage>\n'],
    ["error: option '--city <id>' argument missing\n", '错误：选项 --city <id> 缺少取值\n'],
    ["error: option '--stage <stage>' argument 'x' is invalid. Allowed choices are filing, acceptance.\n", '错误：选项 --stage <stage> 的取值“x”无效，可选：filing、acceptance\n'],
    ["error: too many arguments for 'check'. Expected 1 argument but got 2.\n", '错误：命令 check 的参数过多：应为 1 个，收到 2 个\n'],
  ])('says %j in Chinese', (english, chinese) => {
    expect(chineseCommanderError(english)).toBe(chinese);
  });

  it('answers an unknown option and a missing argument in Chinese, exit code 2', async () => {
    const unknown = await dossier(['check', 'a.zip', '--stage', 'filing', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('错误：未知选项 --bogus');
    const missing = await dossier(['checklists', 'show']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('错误：缺少参数 <id>');
    // nothing of commander's English is left, only option names and argument names
    for (const r of [unknown, missing]) expect(latinWords(r.stderr.replace(/--[a-z-]+|<[a-z]+>|help/g, ''))).toEqual([]);
  });
});
