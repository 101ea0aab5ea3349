import { readFile, writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { CompletenessReportSchema, generateNotice, NoticeOptionsSchema, type NoticeFormat } from '../../pipeline/index.ts';
import { UsageError } from '../errors.ts';

interface NoticeCommandOptions {
  format?: NoticeFormat;
  out?: string;
  issuer?: string;
  docNumber?: string;
  addressee?: string;
  deadline?: string;
  officer?: string;
  contact?: string;
  uploadUrl?: string;
  date?: string;
  checklist?: string;
}

/** `dossier notice`: the 一次性告知书 for a report written by `dossier check --format json`. */
export function registerNoticeCommand(program: Command): void {
  program
    .command('notice')
    .description('根据检查报告生成一次性告知书（DOCX 或 PDF，按 GB/T 9704 公文格式排版）')
    .argument('<report>', '检查报告的 JSON 文件（dossier check --format json --out 报告.json）')
    .requiredOption('--out <file>', '告知书文件（.docx 或 .pdf；格式按扩展名）')
    .addOption(new Option('--format <format>', '格式（默认按 --out 的扩展名）').choices(['docx', 'pdf']))
    .option('--issuer <name>', '发文机关，如“常德市数据资源管理局”')
    .option('--doc-number <text>', '发文字号，如“常数据补〔2026〕7号”')
    .option('--addressee <name>', '主送单位（默认为材料中的建设单位）')
    .option('--deadline <date>', '补正期限（YYYY-MM-DD）')
    .option('--officer <name>', '经办人')
    .option('--contact <phone>', '联系电话')
    .option('--upload-url <url>', '补正材料上传链接（同时印出二维码）')
    .option('--date <date>', '成文日期（YYYY-MM-DD，默认今天）')
    .option('--checklist <file>', '报告使用的自定义检查清单文件（内置地区不需要）')
    .action(async (reportPath: string, opts: NoticeCommandOptions) => {
      const format = opts.format ?? formatOf(opts.out!);
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(reportPath, 'utf8'));
      } catch (cause) {
        throw new UsageError(`无法读取检查报告“${reportPath}”：请提供 dossier check --format json 输出的文件`, { cause });
      }
      const report = CompletenessReportSchema.safeParse(raw);
      if (!report.success) throw new UsageError(`“${reportPath}”不是本工具输出的检查报告（JSON 格式不符）`);
      const options = NoticeOptionsSchema.safeParse({
        issuer: opts.issuer,
        docNumber: opts.docNumber,
        addressee: opts.addressee,
        deadline: opts.deadline,
        officer: opts.officer,
        contact: opts.contact,
        uploadUrl: opts.uploadUrl,
        issuedOn: opts.date,
      });
      if (!options.success) throw new UsageError(options.error.issues.map((i) => i.message).join('；'));
      const notice = await generateNotice(report.data, options.data, format, { checklist: opts.checklist });
      await writeFile(opts.out!, notice.bytes);
      const counts = `必须补正 ${notice.content.mustSupply.length} 项，建议补充 ${notice.content.shouldSupply.length} 项，需说明 ${notice.content.questions.length} 项`;
      process.stderr.write(`一次性告知书已写入 ${opts.out}（${counts}）\n`);
    });
}

function formatOf(path: string): NoticeFormat {
  if (/\.pdf$/i.test(path)) return 'pdf';
  if (/\.docx$/i.test(path)) return 'docx';
  throw new UsageError('请用 --format 指定 docx 或 pdf，或让 --out 以 .docx / .pdf 结尾');
}
