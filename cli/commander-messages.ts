/**
 * commander writes its own usage errors in English ("error: unknown option '--x'"). It has no message catalogue, so
 * each of its fixed sentences is rewritten here into Chinese before it reaches the terminal; a sentence not known
 * here keeps its words but gets the Chinese 错误： prefix (and a test lists the ones known, to notice a new version).
 */
const RULES: Array<[RegExp, (...groups: string[]) => string]> = [
  [/^error: unknown option '([^']*)'/, (flag) => `未知选项 ${flag}`],
  [/^error: unknown command '([^']*)'/, (name) => `未知命令 ${name}`],
  [/^error: missing required argument '([^']*)'/, (name) => `缺少参数 <${name}>`],
  [/^error: required option '([^']*)' not specified/, (flags) => `缺少必填选项 ${flags}`],
  [/^error: option '([^']*)' argument missing/, (flags) => `选项 ${flags} 缺少取值`],
  [
    /^error: option '([^']*)' argument '([^']*)' is invalid\. Allowed choices are (.*)\.$/m,
    (flags, value, choices) => `选项 ${flags} 的取值“${value}”无效，可选：${choices!.split(', ').join('、')}`,
  ],
  [/^error: option '([^']*)' argument '([^']*)' is invalid\. ?(.*)$/m, (flags, value, why) => `选项 ${flags} 的取值“${value}”无效${why ? `：${why}` : ''}`],
  [
    /^error: command-argument value '([^']*)' is invalid for argument '([^']*)'\. Allowed choices are (.*)\.$/m,
    (value, name, choices) => `参数 <${name}> 的取值“${value}”无效，可选：${choices!.split(', ').join('、')}`,
  ],
  [/^error: too many arguments(?: for '([^']*)')?\. Expected (\d+) arguments? but got (\d+)\./, (command, expected, got) => `${command ? `命令 ${command} 的` : ''}参数过多：应为 ${expected} 个，收到 ${got} 个`],
  [/^error: (.*) cannot be used with (.*)$/m, (a, b) => `${a} 不能与 ${b} 同时使用`],
];

/** commander's error text (with its trailing newline and any "Did you mean" line) in Chinese. */
export function chineseCommanderError(text: string): string {
  const [first = '', ...rest] = text.replace(/\n$/, '').split('\n');
  const suggestion = rest.join('\n').match(/^\(Did you mean (?:one of )?(.*)\?\)$/m);
  let line = `错误：${first.replace(/^error: /, '')}`;
  for (const [pattern, write] of RULES) {
    const m = pattern.exec(first);
    if (m) {
      line = `错误：${write(...m.slice(1).map((g) => g ?? ''))}`;
      break;
    }
  }
  const hint = suggestion ? `（是否想输入 ${suggestion[1]!.split(', ').join('、')}？）` : '';
  const others = rest.filter((l) => !/^\(Did you mean/.test(l));
  return `${[line + hint, ...others].join('\n')}\n`;
}
