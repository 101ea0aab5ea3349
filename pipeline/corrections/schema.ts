import { z } from 'zod';

/**
 * An officer's word on what one file is (issue 9): it overrides the classifier's doc types for that file before the
 * checklist rows are evaluated, and the report says who set it and when. Kept by whoever keeps the dossier (the
 * API's record, a CLI run's arguments); the evaluate stage only reads it, so a re-evaluation never extracts again.
 */
export const TypeCorrectionSchema = z.object({
  /** The file's path in the dossier as the report names it (`files[].path`), or its SHA-256 (every copy of it). */
  path: z.string().min(1).max(1000).describe('文件在材料中的路径（与报告 files[].path 相同），或文件内容的 SHA-256（其所有副本）'),
  /** A doc type id of the catalogue (checklists/catalogue.yaml); `other_material` says "no document the checklist asks for". */
  docType: z.string().regex(/^[a-z][a-z0-9_]*$/).describe('材料类型编号（检查清单目录中的 id），other_material 表示“其他材料，不作为所需材料”'),
  /** Who said so: the API token's name, or `cli` for a command-line run. */
  by: z.string().min(1).max(200).describe('由谁指定（访问令牌名称，命令行为 cli）'),
  /** When, ISO 8601. */
  at: z.iso.datetime({ offset: true }).describe('指定时间（ISO 8601）'),
});
export type TypeCorrection = z.infer<typeof TypeCorrectionSchema>;

export const TypeCorrectionsSchema = z.array(TypeCorrectionSchema);

/** What a correction did to one file, as the report shows it. */
export const AppliedCorrectionSchema = z.object({
  docType: z.string(),
  name: z.string(),
  by: z.string(),
  at: z.string(),
  /** The classifier's own answer, most likely first (empty: it recognised none), which removing the correction brings back. */
  classifiedAs: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type AppliedCorrection = z.infer<typeof AppliedCorrectionSchema>;
