import { readFile, writeFile } from 'node:fs/promises';
import { Command, CommanderError, Help, Option } from 'commander';
import { closeSharedOcrPool, getSharedOcrPool, checkDossier, extractDossier, parseFactArguments, renderHtml, renderMarkdown, runBatch, localExtractionCache, listChecklists, loadChecklist, lintChecklistFile, describeChecklist, IntakeError, parseTypeArguments, parseSegmentArguments, batchDossierNames, factsSheetCsv, factsSheetXlsx, defaultCores, describeCpuPlan, MAX_CORES } from '../pipeline/index.ts';
import { BatchProgress, Progress } from './progress.ts';
import { integerOption } from './numeric-options.ts';
import { UsageError, describeError } from './errors.ts';
import { chineseCommanderError } from './commander-messages.ts';
import { EXIT_COMPLETE, EXIT_INCOMPLETE, EXIT_USAGE, exitCodeOf } from './exit-codes.ts';
import { registerQueueCommands } from './commands/queue.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerNoticeCommand } from './commands/notice.ts';
import { registerSupplementCommand } from './commands/supplement.ts';

// Help in Chinese (issue 15): commander's own headings and its help option and command, set before any subcommand
// is made so that every subcommand inherits them.
const BASE_HELP = new Help();
const chineseUsage = (usage: string) => usage.replace('[options]', '[选项]').replace('[command]', '[命令]');
const hasDefault = (value: unknown) => value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);
const withExtras = (description: string, extras: string[]) => {
  const shown = extras.filter(Boolean);
  return shown.length ? `${description}（${shown.join('；')}）` : description;
};
const HELP_TITLES: Record<string, string> = { 'Usage:': '用法：', 'Options:': '选项：', 'Commands:': '命令：', 'Arguments:': '参数：', 'Global Options:': '全局选项：' };
const program = new Command('dossier')
  .description('电子政务项目立项/验收材料完整性检查')
  .configureHelp({
    styleTitle: (title) => HELP_TITLES[title] ?? title,
    commandUsage: (cmd) => chineseUsage(BASE_HELP.commandUsage(cmd)),
    subcommandTerm: (cmd) => chineseUsage(BASE_HELP.subcommandTerm(cmd)),
    optionDescription: (option) =>
      withExtras(option.description, [
        option.argChoices ? `可选：${option.argChoices.join('、')}` : '',
        hasDefault(option.defaultValue) ? `默认：${option.defaultValueDescription ?? String(option.defaultValue)}` : '',
        option.envVar ? `环境变量 ${option.envVar}` : '',
      ]),
    argumentDescription: (argument) =>
      withExtras(argument.description, [
        argument.argChoices ? `可选：${argument.argChoices.join('、')}` : '',
        hasDefault(argument.defaultValue) ? `默认：${argument.defaultValueDescription ?? String(argument.defaultValue)}` : '',
      ]),
  })
  .helpOption('-h, --help', '显示帮助')
  .helpCommand('help [命令]', '显示某个命令的帮助')
  .showHelpAfterError('（使用 --help 查看用法）')
  .configureOutput({ outputError: (text, write) => write(chineseCommanderError(text)) })
  .exitOverride();

program
  .command('extract')
  .description('解包并提取每个文件的文本（PDF 文字层、OCR、Word、表格、演示文稿、文本）')
  .argument('<input>', '压缩包、文件夹或单个文件')
  .addOption(new Option('--format <format>', '输出格式').choices(['text', 'json']).default('text'))
  .action(async (input: string, opts: { format: 'text' | 'json' }) => {
    const progress = new Progress();
    const result = await extractDossier({
      input,
      ocr: getSharedOcrPool(),
      onProgress: (e) => {
        if (e.stage === 'extract') progress.bar(e.done, e.total, e.path);
        else if (e.stage === 'intake') progress.update(`解包：${e.path}`);
      },
    });
    progress.done();
    if (opts.format === 'json') {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    for (const f of result.findings) process.stdout.write(`[${f.severity}] ${f.code} ${f.path ?? ''} ${f.message}\n`);
    for (const f of result.files) {
      const ocr = f.doc.pages.filter((p) => p.source === 'ocr').length;
      const preview = f.doc.pages.map((p) => p.text).join(' ').replace(/\s+/g, ' ').slice(0, 80);
      process.stdout.write(
        `${f.file.path}\n  类型 ${f.file.kind}｜状态 ${f.doc.status}${f.doc.message ? `（${f.doc.message}）` : ''}｜页数 ${f.doc.meta.pageCount}｜OCR 页 ${ocr}${f.duplicateOf ? `｜与 ${f.duplicateOf} 相同` : ''}\n  ${preview}\n`,
      );
      for (const finding of f.doc.findings) {
        process.stdout.write(`  [${finding.severity}] ${finding.page ? `第 ${finding.page} 页：` : ''}${finding.message}\n`);
      }
    }
    for (const s of result.skipped) process.stdout.write(`已跳过：${s}\n`);
  });

program
  .command('check')
  .description('按地市办法检查材料是否齐全，输出完整性报告')
  .argument('<input>', '压缩包、文件夹或单个文件')
  .option('--city <id>', '地市（changde、yiyang、shenyang、shucheng、municipal-template）')
  .option('--checklist <file>', '自定义检查清单文件（YAML/JSON），用于未内置的地区')
  .addOption(new Option('--stage <stage>', '阶段').choices(['filing', 'acceptance']).makeOptionMandatory())
  .option('--fact <name=value>', '声明项目事实，可重复，如 --fact major=true', collect, [])
  .option(
    '--type <path=docType>',
    '人工指定文件的材料类型（覆盖自动识别），可重复；路径同报告“文件清单”，类型为类型编号或中文名称，如 --type 立项/附件3.pdf=feasibility_report；other_material 表示不属于所需材料',
    collect,
    [],
  )
  .option(
    '--pages <path=起始页,…>',
    '人工指定一个文件中各份材料的起始页（覆盖自动分段），可重复，如 --pages 验收资料汇编.pdf=3,12,20；只写 1 表示整份文件是一份材料',
    collect,
    [],
  )
  .addOption(new Option('--format <format>', '输出格式').choices(['json', 'md', 'html']).default('md'))
  .option('--out <file>', '写入文件而不是标准输出')
  .option('--no-cache', '不使用提取缓存（./data）')
  .action(async (input: string, opts: { city?: string; checklist?: string; stage: 'filing' | 'acceptance'; fact: string[]; type: string[]; pages: string[]; format: 'json' | 'md' | 'html'; out?: string; cache: boolean }) => {
    const checklist = opts.checklist ?? opts.city;
    if (!checklist) throw new UsageError('请用 --city 指定地市，或用 --checklist 指定检查清单文件');
    const resolved = await loadChecklist(checklist);
    const facts = parseFactArguments(opts.fact);
    const corrections = parseTypeArguments(opts.type);
    const segmentations = parseSegmentArguments(opts.pages);
    const progress = new Progress();
    const report = await checkDossier({
      input,
      checklist,
      stage: opts.stage,
      facts,
      corrections,
      segmentations,
      ocr: getSharedOcrPool(),
      cache: opts.cache ? localExtractionCache() : undefined,
      onProgress: (e) => {
        if (e.stage === 'extract') progress.bar(e.done, e.total, e.path);
        else if (e.stage === 'intake') progress.update(`解包：${e.path}`);
        else progress.update(`按《${resolved.regulation ?? resolved.name}》检查…`);
      },
    });
    progress.done();
    const text = opts.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : opts.format === 'html' ? renderHtml(report) : renderMarkdown(report);
    if (opts.out) {
      await writeFile(opts.out, text);
      process.stderr.write(`报告已写入 ${opts.out}：${report.verdict.text}\n`);
    } else {
      process.stdout.write(text);
      // Exit code 2 always comes with a Chinese line on stderr, whatever the report's format on stdout.
      if (report.verdict.outcome === 'uncheckable') process.stderr.write(`${report.verdict.text}\n`);
    }
    process.exitCode = exitCodeOf(report.verdict.outcome);
  });

program
  .command('batch')
  .description('批量预审：一个文件夹中的多个材料包，输出每份报告和汇总表（HTML、CSV、XLSX）')
  .argument('<folder>', '包含多个压缩包或子文件夹的文件夹')
  .option('--city <id>', '地市')
  .option('--checklist <file>', '自定义检查清单文件')
  .addOption(new Option('--stage <stage>', '阶段').choices(['filing', 'acceptance']).makeOptionMandatory())
  .option('--fact <name=value>', '对所有材料包声明的事实，可重复', collect, [])
  .option('--facts <file>', '填好的项目事实表（.xlsx 或 .csv）：每份材料包按表中自己那一行的事实检查，表中的值优先于 --fact')
  .option('--facts-template <file>', '只写出本文件夹的项目事实表模板（按扩展名写 .xlsx 或 .csv），不检查')
  .option('--out <dir>', '输出目录', 'batch-report')
  .option(
    '--concurrency <n>',
    `可用的 CPU 核数（1 到 ${MAX_CORES} 的整数；与 dossier worker --concurrency、PROCESS_CONCURRENCY 含义相同）：OCR 线程数、同时读取的文件数和同时检查的材料包数都等于它；默认为本机核数（${defaultCores()}）`,
    integerOption('--concurrency', { min: 1, max: MAX_CORES }),
  )
  .action(async (folder: string, opts: { city?: string; checklist?: string; stage: 'filing' | 'acceptance'; fact: string[]; facts?: string; factsTemplate?: string; out: string; concurrency?: number }) => {
    const checklist = opts.checklist ?? opts.city;
    if (!checklist) throw new UsageError('请用 --city 指定地市，或用 --checklist 指定检查清单文件');
    const loaded = await loadChecklist(checklist);
    if (opts.factsTemplate) {
      const names = await batchDossierNames(folder);
      if (/\.csv$/i.test(opts.factsTemplate)) await writeFile(opts.factsTemplate, factsSheetCsv(loaded, opts.stage, names));
      else if (/\.xlsx$/i.test(opts.factsTemplate)) await (await factsSheetXlsx(loaded, opts.stage, names, `项目事实表（${loaded.name}，${opts.stage === 'filing' ? '申报/立项' : '竣工验收'}）`)).xlsx.writeFile(opts.factsTemplate);
      else throw new UsageError('--facts-template 的文件名应以 .xlsx 或 .csv 结尾');
      process.stderr.write(`项目事实表模板已写入 ${opts.factsTemplate}（${names.length} 份材料包）；填好后用 --facts ${opts.factsTemplate} 检查\n`);
      return;
    }
    const factsSheet = opts.facts ? await readFile(opts.facts).catch(() => {
      throw new UsageError(`无法读取项目事实表 ${opts.facts}`);
    }) : undefined;
    const progress = new BatchProgress();
    const summary = await runBatch({
      folder,
      checklist,
      stage: opts.stage,
      facts: parseFactArguments(opts.fact),
      factsSheet,
      outDir: opts.out,
      concurrency: opts.concurrency,
      cache: localExtractionCache(),
      onPlan: (plan) => process.stderr.write(`${describeCpuPlan(plan)}\n`),
      onProgress: (event) => progress.handle(event),
    }).finally(() => progress.done());
    const uncheckable = summary.rows.filter((r) => r.failure).length;
    process.stderr.write(
      `共 ${summary.rows.length} 份材料，齐全 ${summary.rows.filter((r) => r.complete).length} 份${uncheckable ? `，无法检查 ${uncheckable} 份` : ''}；汇总表：${summary.files.join('、')}\n`,
    );
    process.exitCode = summary.rows.every((r) => r.complete) ? EXIT_COMPLETE : EXIT_INCOMPLETE;
  });

const checklists = program.command('checklists').description('查看和校验检查清单');
checklists
  .command('list')
  .description('列出内置的地区检查清单')
  .action(async () => {
    for (const c of await listChecklists()) process.stdout.write(`${c.id}\t${c.name}\t${c.regulation ?? ''}\n`);
  });
checklists
  .command('show')
  .description('显示一个地区的检查清单（每项材料及其依据条款）')
  .argument('<id>', '地区 id 或清单文件路径')
  .option('--stage <stage>', '只显示一个阶段')
  .action(async (id: string, opts: { stage?: 'filing' | 'acceptance' }) => {
    process.stdout.write(describeChecklist(await loadChecklist(id), opts.stage));
  });
checklists
  .command('lint')
  .description('校验一个检查清单文件')
  .argument('<file>', '清单文件（YAML/JSON）')
  .action(async (file: string) => {
    const result = await lintChecklistFile(file);
    if (result.ok) {
      process.stdout.write(`${file}：校验通过\n`);
      return;
    }
    for (const p of result.problems) process.stdout.write(`${file}：${p}\n`);
    process.exitCode = EXIT_USAGE;
  });

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        process.exitCode = 0;
      } else {
        process.exitCode = EXIT_USAGE;
      }
    } else {
      // An input intake cannot open at all (an encrypted or broken archive) is a verdict about the dossier, reason first.
      process.stderr.write(`${error instanceof IntakeError ? '无法检查：' : '错误：'}${describeError(error)}\n`);
      process.exitCode = EXIT_USAGE;
    }
  } finally {
    await closeSharedOcrPool();
  }
}

// An error thrown outside any awaited call (a stream callback deep in a library) would end Node with exit code 1,
// which here means "材料不齐全": say what happened and exit 2 instead, so the exit code alone can be trusted.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    process.stderr.write(`错误：处理中断（程序内部错误：${describeError(error)}）\n`);
    process.exit(EXIT_USAGE);
  });
}

// `dossier check … | head` closes our stdout early: that is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

registerQueueCommands(program);
registerServeCommand(program);
registerNoticeCommand(program);
registerSupplementCommand(program);
await main();
