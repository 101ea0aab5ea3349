import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createOcrPool, type OcrPool } from '../../extractors/ocr/index.ts';
import { LocalFolderStore } from '../../storage/index.ts';
import { buildApp } from '../../api/app.ts';
import { parseApiConfig, type ApiConfigInput } from '../../api/config.ts';
import { createContext, type AppContext } from '../../api/context.ts';
import { EmbeddedProcessor } from '../../api/processing/embedded.ts';
import type { Role } from '../../api/auth/tokens.ts';
import { writeZip, type ZipEntrySpec } from '../helpers/zip-writer.ts';

/**
 * A real API (embedded processing, real extractors, a local folder store in a temporary directory) driven through
 * fastify's inject, or through a real port when a test needs one. Fixture dossiers are text files, so nothing here
 * needs OCR; the pool exists (lazily, no worker started) because the processor requires an engine.
 */
export interface TestApi {
  app: FastifyInstance;
  ctx: AppContext;
  dataDir: string;
  processor: EmbeddedProcessor;
  ocr: OcrPool;
  token(role: Role, extra?: { jurisdiction?: string; unit?: string; name?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function startTestApi(config: ApiConfigInput = {}): Promise<TestApi> {
  const dataDir = await mkdtemp(join(tmpdir(), 'api-test-'));
  const ocr: OcrPool = createOcrPool({ size: 1 });
  const ctx = await createContext(
    parseApiConfig({ rateLimit: { max: 0, uploads: 0 }, bootstrapAdmin: false, ...config }),
    { store: new LocalFolderStore({ root: dataDir }), ocr },
  );
  const app = await buildApp(ctx, { logger: false });
  await app.ready();
  return {
    app,
    ctx,
    dataDir,
    processor: ctx.processor as EmbeddedProcessor,
    ocr,
    async token(role, extra = {}) {
      const { token } = await ctx.tokens.create({ name: extra.name ?? `${role} 测试`, role, jurisdiction: extra.jurisdiction, unit: extra.unit });
      return token;
    },
    async close() {
      await app.close();
      await ctx.close();
      await ocr.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export interface FilePart {
  name?: string;
  filename: string;
  content: Buffer | string;
  contentType?: string;
}

/** A multipart/form-data body, built by hand so every byte (including hostile file names) is under test control. */
export function multipart(fields: Record<string, string | string[]>, files: FilePart[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----dossier-test-${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`, 'utf8'));
    }
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.name ?? 'file'}"; filename="${f.filename}"\r\nContent-Type: ${f.contentType ?? 'application/octet-stream'}\r\n\r\n`,
        'utf8',
      ),
      Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content, 'utf8'),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A small text-only municipal-template filing dossier: 申报表 and 可研 present, 需求分析报告 missing. */
export function textDossierZip(extra: ZipEntrySpec[] = []): Buffer {
  return writeZip([
    { name: '项目立项申报表.txt', data: '项目立项申报表\n项目名称：青禾市智慧档案管理系统建设项目\n建设单位：青禾市档案馆\n项目总投资（万元）：80\n', utf8Flag: true },
    { name: '可行性研究报告.txt', data: '青禾市智慧档案管理系统建设项目可行性研究报告\n第一章 项目概述\n项目建设单位为青禾市档案馆。\n', utf8Flag: true },
    ...extra,
  ]);
}

export async function uploadDossier(
  api: TestApi,
  token: string,
  options: { city?: string; stage?: string; facts?: Record<string, unknown>; callbackUrl?: string; zip?: Buffer; filename?: string } = {},
): Promise<LightMyRequestResponse> {
  const fields: Record<string, string> = { city: options.city ?? 'municipal-template', stage: options.stage ?? 'filing' };
  if (options.facts) fields.facts = JSON.stringify(options.facts);
  if (options.callbackUrl) fields.callbackUrl = options.callbackUrl;
  const body = multipart(fields, [{ filename: options.filename ?? 'dossier.zip', content: options.zip ?? textDossierZip() }]);
  return api.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(token), ...body.headers }, payload: body.payload });
}

/** Uploads and waits until the dossier is checked; returns its id. */
export async function checkedDossier(api: TestApi, token: string, options: Parameters<typeof uploadDossier>[2] = {}): Promise<string> {
  const response = await uploadDossier(api, token, options);
  if (response.statusCode !== 202) throw new Error(`upload failed: ${response.statusCode} ${response.body}`);
  const { id } = response.json() as { id: string };
  await api.processor.idle();
  return id;
}
