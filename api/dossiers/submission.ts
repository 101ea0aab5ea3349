import { randomBytes } from 'node:crypto';
import { ChecklistValidationError, listChecklists, loadChecklist, type LoadedChecklist, type FactValue } from '../../pipeline/index.ts';
import type { Stage } from '../../pipeline/report/schema.ts';
import type { Principal } from '../auth/tokens.ts';
import { ApiError } from '../errors.ts';
import { CallbackTargetError, parseCallbackUrl, resolveCallbackTarget } from '../webhooks/target-guard.ts';
import { mergeFacts, parseDeclaredFacts } from './facts-form.ts';

/** The form fields that come with an upload, checked. */
export interface Submission {
  checklist: LoadedChecklist;
  city: string;
  stage: Stage;
  facts: Record<string, FactValue>;
  callbackUrl?: string;
}

/** 128 random bits: ids are not secrets, but unguessable ones make probing pointless. */
export function newId(prefix: 'd' | 'b'): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}

export function shippedChecklist(city: string): LoadedChecklist {
  if (!/^[a-z][a-z0-9-]{0,63}$/.test(city) || !listChecklists().some((c) => c.id === city)) {
    throw new ApiError('VALIDATION_FAILED', `city：没有地区“${city.slice(0, 40)}”的检查清单（可选：${listChecklists().map((c) => c.id).join('、')}）`);
  }
  try {
    return loadChecklist(city);
  } catch (error) {
    if (error instanceof ChecklistValidationError) throw new ApiError('INTERNAL', error.message);
    throw error;
  }
}

/**
 * Reads city, stage, facts and callbackUrl. Facts may come as one JSON field `facts` ({"major": true}) and/or as
 * repeated `fact` fields in the CLI's `name=value` form. Runs before any file is stored when the form puts its
 * fields first (browsers send fields in form order).
 */
export async function readSubmission(fields: Map<string, string[]>, principal: Principal, allowPrivateCallbacks: boolean): Promise<Submission> {
  const one = (name: string): string | undefined => {
    const values = fields.get(name);
    if (values && values.length > 1) throw new ApiError('VALIDATION_FAILED', `${name}：只能有一个值`);
    return values?.[0]?.trim() || undefined;
  };
  const city = one('city');
  if (!city) throw new ApiError('VALIDATION_FAILED', 'city：必填（地区检查清单编号，如 changde）');
  const stage = one('stage');
  if (stage !== 'filing' && stage !== 'acceptance') throw new ApiError('VALIDATION_FAILED', 'stage：必填，只能是 filing（申报/立项）或 acceptance（竣工验收）');
  if (principal.role === 'officer' && principal.jurisdiction !== city) {
    throw new ApiError('OFFICER_OUT_OF_JURISDICTION', `本令牌的辖区是 ${principal.jurisdiction}`);
  }
  const checklist = shippedChecklist(city);

  let declared: Record<string, unknown> = {};
  const factsJson = one('facts');
  if (factsJson) {
    try {
      declared = JSON.parse(factsJson) as Record<string, unknown>;
    } catch {
      throw new ApiError('VALIDATION_FAILED', 'facts：应为 JSON 对象，如 {"major": true}');
    }
  }
  for (const pair of fields.get('fact') ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ApiError('VALIDATION_FAILED', `fact：应写成 名称=值，收到“${pair.slice(0, 40)}”`);
    declared = { ...declared, [pair.slice(0, eq).trim()]: pair.slice(eq + 1).trim() };
  }
  const facts = mergeFacts({}, parseDeclaredFacts(declared, checklist));

  const callbackUrl = one('callbackUrl');
  if (callbackUrl) await checkCallbackUrl(callbackUrl, allowPrivateCallbacks);
  return { checklist, city, stage, facts, callbackUrl };
}

export async function checkCallbackUrl(url: string, allowPrivate: boolean): Promise<void> {
  try {
    parseCallbackUrl(url);
    await resolveCallbackTarget(url, allowPrivate);
  } catch (error) {
    if (error instanceof CallbackTargetError) throw new ApiError('CALLBACK_URL_REFUSED', error.message);
    throw error;
  }
}
