import { Command, Option } from 'commander';
import { listChecklists } from '../../pipeline/index.ts';
import { apiConfigFromEnv, parseApiConfig } from '../../api/config.ts';
import { RoleSchema, TokenInputError, type Role } from '../../api/auth/tokens.ts';
import { formatBeijingTime } from '../../pipeline/index.ts';
import { UsageError } from '../errors.ts';
import { integerOption, positiveNumberOption } from '../numeric-options.ts';

/** The token store through the API's context, which loads the server's modules: only the token commands need it. */
async function openTokens() {
  const { openTokenStore } = await import('../../api/context.ts');
  return openTokenStore(apiConfigFromEnv());
}

/**
 * `dossier serve` (the HTTP API and web UI, as `npm start`) and `dossier token …` (API tokens, kept hashed in the
 * same storage the server uses: DATA_DIR, or S3 with STORAGE=s3).
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('启动 HTTP API 与网页界面（默认内置处理、本地存储；设置 REDIS_URL 则交给队列工作进程）')
    .option('--host <host>', '监听地址（默认 HOST 或 127.0.0.1）')
    .option('--port <port>', '端口（默认 PORT 或 3000；0 表示任选空闲端口）', integerOption('--port', { min: 0, max: 65535 }))
    .action(async (opts: { host?: string; port?: number }) => {
      const { startServer } = await import('../../api/server.ts');
      const base = apiConfigFromEnv();
      const server = await startServer(parseApiConfig({ ...base, host: opts.host ?? base.host, port: opts.port ?? base.port }));
      await new Promise<void>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
      });
      await server.stop();
    });

  const token = program.command('token').description('管理 API 访问令牌（只保存摘要；令牌只在创建时显示一次）');
  token
    .command('create')
    .description('创建访问令牌')
    .addOption(new Option('--role <role>', '角色：officer 审核人员（本辖区全部材料）、unit 申报单位（本单位提交的材料）、admin 管理员').choices(RoleSchema.options).makeOptionMandatory())
    .requiredOption('--name <name>', '持有人或用途，如“张三（常德市数据资源局）”')
    .option('--jurisdiction <id>', 'officer 的辖区：检查清单编号，如 changde')
    .option('--unit <name>', 'unit 的单位名称；同一单位的令牌看到同样的材料')
    .option('--expires-days <n>', '有效天数（默认长期有效，直到吊销）', positiveNumberOption('--expires-days'))
    .action(async (opts: { role: Role; name: string; jurisdiction?: string; unit?: string; expiresDays?: number }) => {
      if (opts.jurisdiction && !listChecklists().some((c) => c.id === opts.jurisdiction)) {
        throw new UsageError(`没有地区“${opts.jurisdiction}”的检查清单（可选：${listChecklists().map((c) => c.id).join('、')}）`);
      }
      try {
        const { tokens, close } = await openTokens();
        const { token: secret, record } = await tokens
          .create({ name: opts.name, role: opts.role, jurisdiction: opts.jurisdiction, unit: opts.unit, expiresInDays: opts.expiresDays })
          .finally(close);
        process.stderr.write(`已创建令牌 ${record.id}（${record.role}${record.jurisdiction ? ` · ${record.jurisdiction}` : ''}${record.unit ? ` · ${record.unit}` : ''}）。令牌只显示这一次：\n`);
        process.stdout.write(`${secret}\n`);
      } catch (error) {
        if (error instanceof TokenInputError) throw new UsageError(error.message);
        throw error;
      }
    });
  token
    .command('list')
    .description('列出令牌（不含令牌本身）')
    .action(async () => {
      const { tokens, close } = await openTokens();
      const roles: Record<string, string> = { admin: '管理员', officer: '审核人员', unit: '申报单位' };
      const cities = new Map(listChecklists().map((c) => [c.id, c.name]));
      // Tab-separated with a header row: readable in a terminal, pasted into a spreadsheet as is.
      process.stdout.write('编号\t角色\t地区或单位\t名称\t状态\t创建时间（北京时间）\n');
      for (const r of await tokens.list().finally(close)) {
        const scope = r.jurisdiction ? (cities.get(r.jurisdiction) ?? r.jurisdiction) : (r.unit ?? '');
        const state = r.revokedAt ? '已吊销' : r.expiresAt && Date.parse(r.expiresAt) < Date.now() ? '已过期' : '有效';
        process.stdout.write(`${r.id}\t${roles[r.role] ?? r.role}\t${scope}\t${r.name}\t${state}\t${formatBeijingTime(r.createdAt)}\n`);
      }
    });
  token
    .command('revoke')
    .description('吊销令牌（各 API 节点 30 秒内生效）')
    .argument('<id>', '令牌编号（token list 第一列）')
    .action(async (id: string) => {
      if (!/^[0-9a-f]{16}$/.test(id)) throw new UsageError('令牌编号应为 16 位十六进制');
      const { tokens, close } = await openTokens();
      const revoked = await tokens.revoke(id).finally(close);
      if (!revoked) throw new UsageError(`没有编号为 ${id} 的令牌`);
      process.stderr.write(`已吊销令牌 ${id}\n`);
    });
}
