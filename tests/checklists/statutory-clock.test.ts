import { describe, expect, it } from 'vitest';
import { statutoryClocks, beijingDate, type ClockEvent } from '../../checklists/clock.ts';
import { loadChecklist } from '../../checklists/load.ts';

const changde = loadChecklist('changde');
const yiyang = loadChecklist('yiyang');
const known = (value: number) => () => ({ known: true as const, value });

describe('the statutory clock of each city’s review', () => {
  it('counts 常德 第十八条’s 20 working days across 国庆 2026 and its 调休 Saturday', () => {
    // 收齐 on Fri 25 Sep. Working days: 28, 29, 30 Sep; 1–7 Oct are holidays (4 Oct is a Sunday anyway); Sat 10 Oct is
    // a 调休 working day; then weekdays. 20th working day: 28,29,30 (3), 8,9,10 (6), 12–16 (11), 19–23 (16), 26–29 (20).
    const events: ClockEvent[] = [{ kind: 'accepted', on: '2026-09-20' }, { kind: 'complete', on: '2026-09-25' }];
    const [clock] = statutoryClocks({ checklist: changde, stage: 'acceptance', events, today: '2026-10-09' });
    expect(clock).toMatchObject({ title: '竣工验收', article: '第十八条', state: 'running', startedOn: '2026-09-25', deadline: '2026-10-29', dayKind: 'working' });
    // From 9 Oct (not counted) to 29 Oct: 10 (Sat, 调休), 12–16, 19–23, 26–29 = 1 + 5 + 5 + 4.
    expect(clock!.daysLeft).toBe(15);
    expect(clock!.text).toBe('自2026年9月25日收齐材料起20个工作日内，截止2026年10月29日，还剩15个工作日');
    expect(clock!.notes).toEqual([]);
  });

  it('does not start before the materials are complete, where the clock runs from 收齐', () => {
    const [clock] = statutoryClocks({ checklist: changde, stage: 'acceptance', events: [{ kind: 'accepted', on: '2026-09-20' }], today: '2026-10-09' });
    expect(clock).toMatchObject({ state: 'not_started' });
    expect(clock!.text).toContain('自收齐材料之日起计算，尚未开始');
  });

  it('counts calendar days for 常德 第十一条 and adds the 10-day extension once it is recorded', () => {
    const events: ClockEvent[] = [{ kind: 'complete', on: '2026-03-02' }];
    const [plain] = statutoryClocks({ checklist: changde, stage: 'filing', events, today: '2026-03-10' });
    expect(plain).toMatchObject({ deadline: '2026-03-22', daysLeft: 12, dayKind: 'calendar' });
    const [extended] = statutoryClocks({ checklist: changde, stage: 'filing', events: [...events, { kind: 'extended', on: '2026-03-20' }], today: '2026-03-10' });
    expect(extended).toMatchObject({ deadline: '2026-04-01' });
    expect(extended!.notes[0]).toContain('已延长10日');
  });

  it('stops 益阳 第十四条’s clock while the unit supplies materials, and says what it cannot see', () => {
    const accepted: ClockEvent = { kind: 'accepted', on: '2026-06-01' };
    const paused = statutoryClocks({ checklist: yiyang, stage: 'filing', events: [accepted, { kind: 'supplement_requested', on: '2026-06-03' }], today: '2026-06-10' })[0]!;
    // 2 and 3 June were used (Tue, Wed); 8 of 10 remain while the unit works.
    expect(paused).toMatchObject({ state: 'paused', daysLeft: 8 });
    expect(paused.notes).toContain('技术评审时间不计入时限，本系统无法获知，请自行扣除');
    const resumed = statutoryClocks({
      checklist: yiyang,
      stage: 'filing',
      events: [accepted, { kind: 'supplement_requested', on: '2026-06-03' }, { kind: 'supplement_received', on: '2026-06-12' }],
      today: '2026-06-12',
    })[0]!;
    // Counting resumes after 12 June: 15–18 (4; 19 June is 端午), 22–25 (8). 2 + 8 = 10 → 25 June.
    expect(resumed).toMatchObject({ state: 'running', deadline: '2026-06-25' });
  });

  it('applies 益阳’s acceptance limit only to projects of 200万元 and more, and sets none where a city sets none', () => {
    const events: ClockEvent[] = [{ kind: 'accepted', on: '2026-06-01' }];
    expect(statutoryClocks({ checklist: yiyang, stage: 'acceptance', events, today: '2026-06-02', facts: known(150) })).toEqual([]);
    expect(statutoryClocks({ checklist: yiyang, stage: 'acceptance', events, today: '2026-06-02', facts: known(300) })).toHaveLength(1);
    for (const city of ['shenyang', 'shucheng', 'municipal-template']) {
      for (const stage of ['filing', 'acceptance'] as const) expect(statutoryClocks({ checklist: loadChecklist(city), stage, events, today: '2026-06-02' })).toEqual([]);
    }
  });

  it('says when a year’s holiday arrangement is not in the shipped calendar yet, and when a deadline has passed', () => {
    const [clock] = statutoryClocks({ checklist: changde, stage: 'acceptance', events: [{ kind: 'complete', on: '2026-12-20' }], today: '2027-02-01' });
    expect(clock!.notes.join()).toContain('2027年节假日安排尚未收录');
    expect(clock!.state).toBe('overdue');
    expect(clock!.text).toMatch(/已超期\d+个工作日$/);
  });

  it('stops at the decision and says whether it came within the limit', () => {
    const events: ClockEvent[] = [{ kind: 'accepted', on: '2026-09-20' }, { kind: 'complete', on: '2026-09-25' }, { kind: 'decided', on: '2026-10-20' }];
    const [clock] = statutoryClocks({ checklist: changde, stage: 'acceptance', events, today: '2026-11-30' });
    expect(clock).toMatchObject({ state: 'stopped', deadline: '2026-10-29' });
    expect(clock!.text).toBe('自2026年9月25日收齐材料起20个工作日内，截止2026年10月29日；已于2026年10月20日作出决定，在时限内');
  });

  it('gives today’s date in Beijing', () => {
    expect(beijingDate(new Date('2026-12-03T16:30:00Z'))).toBe('2026-12-04');
  });
});
