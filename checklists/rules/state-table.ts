import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadChecklist, listChecklists } from '../load.ts';
import { loadCommonRules } from './engine.ts';
import { EVENT_FACTS } from '../facts/events.ts';
import type { RuleDefinition } from './schema.ts';

/**
 * The README's table of the rules beyond presence (requirements §4) and their state, made from the checklist data so
 * that it cannot drift: tests/rules/rule-states.test.ts compares the README with it, and
 * `npx tsx checklists/rules/state-table.ts --write` rewrites the README's block.
 */

export const BEGIN = '<!-- rule-states:begin (npx tsx checklists/rules/state-table.ts --write) -->';
export const END = '<!-- rule-states:end -->';

const STATE_LABEL = { checked: '检查 checked', asked: '询问 asked', reviewer: '人工核验 reviewer' } as const;

export interface RuleWithCity {
  city: string;
  rule: RuleDefinition;
}

/** Every rule of the shipped checklists: the common ones once (city `all`), then each city's own. */
export function shippedRules(): RuleWithCity[] {
  const out: RuleWithCity[] = loadCommonRules().map((rule) => ({ city: 'all', rule }));
  // requirements §4's order; a user's own city would come last.
  const order = ['changde', 'yiyang', 'shenyang', 'shucheng', 'municipal-template'];
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  const ids = listChecklists().map((c) => c.id).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const id of ids) for (const rule of loadChecklist(id).boundRules.map((b) => b.rule)) if (!rule.id.startsWith('GEN-')) out.push({ city: id, rule });
  return out;
}

function how(rule: RuleDefinition): string {
  if (rule.state === 'asked') {
    const fromRecord = rule.ask!.every((a) => Object.values(EVENT_FACTS).some((e) => e?.fact === a.fact));
    return `asks ${rule.ask!.map((a) => `\`${a.fact}\``).join(', ')}${fromRecord ? ' unless the office record of the dossier knows it' : ''}, then \`${rule.check}\``;
  }
  if (rule.state === 'reviewer') return `reason: ${rule.review!.reason}`;
  return `\`${rule.check}\`${rule.scope === 'batch' ? ' (batch)' : ''}${rule.review ? `; reviewer part: ${rule.review.reason}` : ''}${rule.note ? `; note: ${rule.note}` : ''}`;
}

export function stateTable(rules: readonly RuleWithCity[] = shippedRules()): string {
  const lines = ['| Rule | City | State | Article | What | How |', '|---|---|---|---|---|---|'];
  for (const { city, rule } of rules) {
    const cell = (s: string) => s.replace(/\|/g, '｜').replace(/\n/g, ' ');
    lines.push(`| ${rule.id} | ${city} | ${STATE_LABEL[rule.state]} | ${cell(rule.citation.article)} | ${cell(rule.title)} | ${cell(how(rule))} |`);
  }
  const counts = (['checked', 'asked', 'reviewer'] as const).map((s) => `${STATE_LABEL[s]} ${rules.filter((r) => r.rule.state === s).length}`);
  return [`${rules.length} rules: ${counts.join(', ')}.`, '', ...lines].join('\n');
}

export const README_PATH = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The block between the markers in the README, or null when the markers are missing. */
export function readmeBlock(readme: string): string | null {
  const i = readme.indexOf(BEGIN);
  const j = readme.indexOf(END);
  if (i < 0 || j < i) return null;
  return readme.slice(i + BEGIN.length, j).trim();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--write')) {
  const readme = readFileSync(README_PATH, 'utf8');
  const i = readme.indexOf(BEGIN);
  const j = readme.indexOf(END);
  if (i < 0 || j < i) throw new Error(`README.md 中缺少标记 ${BEGIN} … ${END}`);
  writeFileSync(README_PATH, `${readme.slice(0, i + BEGIN.length)}\n${stateTable()}\n${readme.slice(j)}`);
}
