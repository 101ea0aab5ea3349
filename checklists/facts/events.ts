import type { ClockEvent } from '../clock.ts';
import type { DossierFact } from './derive.ts';

/**
 * What the office's own record of a dossier knows and no document states: the day it accepted the submission (受理)
 * and the day the materials were complete (收齐), as the statutory clock counts them (checklists/clock.ts). They
 * become facts so that the time-limit rules (常德 第十一条、第十八条, 益阳 第十四条、第二十六条(二)) are checked
 * instead of asked once the dossier has been through the office; a declared value still wins (factsFromFields).
 */

/** Fact names by the clock event they come from. */
export const EVENT_FACTS: Readonly<Partial<Record<ClockEvent['kind'], { fact: string; words: string }>>> = {
  accepted: { fact: 'submissionAcceptedDate', words: '受理' },
  complete: { fact: 'materialsCompleteDate', words: '收齐材料' },
};

/** The first event of each kind, as a derived fact whose evidence is the office's record. */
export function eventFacts(events: readonly ClockEvent[]): Record<string, DossierFact> {
  const out: Record<string, DossierFact> = {};
  for (const event of [...events].sort((a, b) => a.on.localeCompare(b.on))) {
    const target = EVENT_FACTS[event.kind];
    if (!target || out[target.fact]) continue;
    out[target.fact] = {
      value: event.on,
      source: 'derived',
      from: `本系统办理记录（${target.words}）`,
      evidence: [{ label: '办理记录', quote: `${event.on} ${target.words}（本系统记录的办理事件）` }],
    };
  }
  return out;
}
