import type { TypeCorrection } from './schema.ts';

/** A `--type` argument the CLI cannot read; exit code 2. */
export class TypeArgumentError extends Error {
  override readonly name = 'TypeArgumentError';
}

/**
 * `--type 立项/可行性研究报告.pdf=feasibility_report` (repeatable). The type may also be its Chinese name; it is
 * checked against the checklist's catalogue, and the path against the dossier's files, when the check runs. A path
 * may itself contain "=", so the last "=" separates.
 */
export function parseTypeArguments(args: readonly string[], who = 'cli', at = new Date().toISOString()): TypeCorrection[] {
  return args.map((arg) => {
    const eq = arg.lastIndexOf('=');
    const path = eq > 0 ? arg.slice(0, eq).trim().replace(/\\/g, '/') : '';
    const docType = eq > 0 ? arg.slice(eq + 1).trim() : '';
    if (!path || !docType) {
      throw new TypeArgumentError(`--type 应写成“文件路径=材料类型”，如 --type 立项/可行性研究报告.pdf=feasibility_report（收到：“${arg}”）`);
    }
    return { path, docType, by: who, at };
  });
}
