import { describe, expect, it } from 'vitest';
import { eventFacts, factsFromFields } from '../../checklists/facts/index.ts';
import { countDaysWithoutSupplements } from '../../checklists/clock.ts';
import type { AggregatedFields } from '../../checklists/facts/schema.ts';

const NO_FIELDS = { fields: {}, conflicts: [] } as unknown as AggregatedFields;

describe('the office record of a dossier as facts (checklists/facts/events.ts)', () => {
  it('makes 受理 submissionAcceptedDate and the first 收齐 materialsCompleteDate, citing the record', () => {
    const facts = eventFacts([
      { kind: 'complete', on: '2024-10-12' },
      { kind: 'accepted', on: '2024-09-30' },
      { kind: 'complete', on: '2024-10-20' },
      { kind: 'supplement_requested', on: '2024-10-08' },
    ]);
    expect(Object.keys(facts).sort()).toEqual(['materialsCompleteDate', 'submissionAcceptedDate']);
    expect(facts.submissionAcceptedDate).toMatchObject({ value: '2024-09-30', source: 'derived' });
    expect(facts.materialsCompleteDate).toMatchObject({ value: '2024-10-12', source: 'derived' });
    expect(facts.materialsCompleteDate!.evidence![0]).toMatchObject({ label: '办理记录', quote: '2024-10-12 收齐材料（本系统记录的办理事件）' });
  });

  it('knows nothing without a record (a one-off dossier check)', () => {
    expect(eventFacts([])).toEqual({});
    expect(factsFromFields({}, NO_FIELDS).materialsCompleteDate).toBeUndefined();
  });

  it('lets a declared date win over the record', () => {
    const events = [{ kind: 'complete' as const, on: '2024-10-12' }];
    expect(factsFromFields({}, NO_FIELDS, events).materialsCompleteDate).toMatchObject({ value: '2024-10-12', source: 'derived' });
    expect(factsFromFields({ materialsCompleteDate: '2024-10-01' }, NO_FIELDS, events).materialsCompleteDate).toEqual({ value: '2024-10-01', source: 'declared' });
  });

  it('leaves 补正 time out of a working-day count, with the State Council calendar', () => {
    // 2024-09-30 → 10-18: National Day week off, Saturday 10-12 a working day: 10 days; 10-09 and 10-10 paused.
    expect(countDaysWithoutSupplements('2024-09-30', '2024-10-18', 'working', [])).toEqual({ days: 10, paused: 0 });
    const events = [
      { kind: 'supplement_requested' as const, on: '2024-10-08' },
      { kind: 'supplement_received' as const, on: '2024-10-10' },
    ];
    expect(countDaysWithoutSupplements('2024-09-30', '2024-10-18', 'working', events)).toEqual({ days: 8, paused: 2 });
  });
});
