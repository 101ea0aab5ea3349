import chineseDays from 'chinese-days';
import { z } from 'zod';
import { bindCondition, evaluateCondition, type FactLookup } from './conditions/index.ts';
import type { LoadedChecklist } from './load.ts';
import type { TimeLimit } from './schema.ts';

/**
 * The statutory clock: from the events of a dossier (受理, 收齐, 补正 requested and received, 延期) and the time limit
 * its checklist states, the deadline and the days left. Working days follow the State Council holiday calendar with
 * its 调休 Saturdays (chinese-days, shipped in the npm package); a year the package does not cover yet is counted by
 * weekends only and the answer says so. The day of the starting event is not counted (民法典 第二百零一条).
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const IsoDateSchema = z.string().regex(ISO_DATE);

export const ClockEventSchema = z.object({
  kind: z.enum(['accepted', 'complete', 'supplement_requested', 'supplement_received', 'extended', 'decided']),
  /** A Beijing date, YYYY-MM-DD. */
  on: IsoDateSchema,
});
export type ClockEvent = z.infer<typeof ClockEventSchema>;

export const ClockSchema = z.object({
  title: z.string(),
  article: z.string(),
  quote: z.string(),
  /** Not started: the starting event has not happened (e.g. the materials are not complete yet). */
  /** stopped: the review was decided (accepted or refused) and the clock no longer runs. */
  state: z.enum(['not_started', 'running', 'paused', 'overdue', 'stopped']),
  startedOn: IsoDateSchema.optional(),
  deadline: IsoDateSchema.optional(),
  /** Days of the limit's kind left, counting from `today` (negative when overdue); absent unless running or paused. */
  daysLeft: z.number().int().optional(),
  dayKind: z.enum(['working', 'calendar']),
  /** One sentence for the officer, e.g. 自2026年9月28日收齐材料起20个工作日内，截止2026年10月30日，还剩8个工作日. */
  text: z.string(),
  /** Caveats: the holiday calendar of a year not yet published, periods the checker cannot see. */
  notes: z.array(z.string()),
});
export type Clock = z.infer<typeof ClockSchema>;

const STARTING_EVENT_WORDS: Record<TimeLimit['startsAt'], string> = { accepted: '受理', complete: '收齐材料' };

export interface ClockInput {
  checklist: LoadedChecklist;
  stage: 'filing' | 'acceptance';
  events: readonly ClockEvent[];
  /** Today's Beijing date. */
  today: string;
  /** Facts for limits that apply only to some projects (益阳 第二十六条: 200万元以上). */
  facts?: FactLookup;
}

/** Every clock that applies to this stage (most cities set one or none). */
export function statutoryClocks(input: ClockInput): Clock[] {
  return input.checklist.timeLimits
    .filter((limit) => limit.stage === input.stage && applies(limit, input))
    .map((limit) => ClockSchema.parse(clockFor(limit, input)));
}

function applies(limit: TimeLimit, input: ClockInput): boolean {
  if (!limit.appliesWhen) return true;
  const outcome = evaluateCondition(bindCondition(limit.appliesWhen, input.checklist.factTable), input.facts ?? (() => ({ known: false, unknownFacts: [] })));
  // An unknown fact keeps the clock visible: a deadline shown in doubt costs less than one hidden.
  return outcome.value !== false;
}

function clockFor(limit: TimeLimit, input: ClockInput): Clock {
  const unit = limit.dayKind === 'working' ? '个工作日' : '日';
  const base = { title: limit.title, article: limit.citation.article, quote: limit.citation.quote, dayKind: limit.dayKind };
  const notes: string[] = [];
  if (limit.alsoNotCounted) notes.push(`${limit.alsoNotCounted}不计入时限，本系统无法获知，请自行扣除`);
  const events = [...input.events].sort((a, b) => a.on.localeCompare(b.on));
  const start = events.find((e) => e.kind === limit.startsAt);
  if (!start) {
    return { ...base, state: 'not_started', text: `${limit.title}时限（${limit.days}${unit}）自${STARTING_EVENT_WORDS[limit.startsAt]}之日起计算，尚未开始`, notes };
  }

  let budget = limit.days;
  if (limit.extension && events.some((e) => e.kind === 'extended' && e.on >= start.on)) {
    budget += limit.extension.days;
    notes.push(`已延长${limit.extension.days}${unit}（${limit.extension.condition}）`);
  }
  const pauses = limit.pausedDuring.includes('supplement') ? supplementPauses(events, start.on) : [];
  const countable = (day: string) => countsAsDay(day, limit.dayKind) && !pauses.some((p) => day > p.from && (p.to === undefined || day <= p.to));

  // Walk forward from the day after the start until `budget` countable days have passed.
  let deadline = start.on;
  let counted = 0;
  for (let guard = 0; counted < budget && guard < 3660; guard++) {
    deadline = nextDay(deadline);
    if (pauses.some((p) => p.to === undefined && deadline > p.from)) break;
    if (countable(deadline)) counted++;
  }
  const decided = events.find((e) => e.kind === 'decided' && e.on >= start.on);
  if (decided) {
    const onTime = decided.on <= deadline;
    return { ...base, state: 'stopped', startedOn: start.on, deadline, text: `${`自${chineseDate(start.on)}${STARTING_EVENT_WORDS[limit.startsAt]}起${budget}${unit}内`}，截止${chineseDate(deadline)}；已于${chineseDate(decided.on)}作出决定${onTime ? '，在时限内' : '，超出时限'}`, notes };
  }
  const openPause = pauses.find((p) => p.to === undefined);
  for (const year of yearsBetween(start.on, openPause ? input.today : deadline)) {
    if (!calendarKnows(year) && limit.dayKind === 'working') notes.push(`${year}年节假日安排尚未收录，该年按双休日推算工作日，请以国务院办公厅公布的安排为准`);
  }
  const startedText = `自${chineseDate(start.on)}${STARTING_EVENT_WORDS[limit.startsAt]}起${budget}${unit}内`;
  if (openPause) {
    const used = countBetween(start.on, openPause.from, countable);
    return { ...base, state: 'paused', startedOn: start.on, daysLeft: budget - used, text: `${startedText}；${chineseDate(openPause.from)}起补正期间暂停计时，已用${used}${unit}，剩余${budget - used}${unit}`, notes };
  }
  const daysLeft = input.today <= deadline ? countBetween(input.today, deadline, countable) : -countBetween(deadline, input.today, countable);
  const state = input.today > deadline ? 'overdue' : 'running';
  const tail = state === 'overdue' ? `已超期${-daysLeft}${unit}` : daysLeft === 0 ? '今天截止' : `还剩${daysLeft}${unit}`;
  return { ...base, state, startedOn: start.on, deadline, daysLeft, text: `${startedText}，截止${chineseDate(deadline)}，${tail}`, notes };
}

interface Pause {
  from: string;
  to?: string;
}

/** 补正 time: from each request to the next supplement received (open when none has arrived yet). */
function supplementPauses(events: readonly ClockEvent[], after: string): Pause[] {
  const pauses: Pause[] = [];
  for (const event of events) {
    if (event.on < after) continue;
    const open = pauses.at(-1);
    if (event.kind === 'supplement_requested' && (!open || open.to !== undefined)) pauses.push({ from: event.on });
    if (event.kind === 'supplement_received' && open && open.to === undefined) open.to = event.on;
  }
  return pauses;
}

/** Days after `from` up to and including `to`, calendar or working (rules CD-T04…T06, YY-T07, YY-T08 count with it). */
export function countDays(from: string, to: string, kind: TimeLimit['dayKind']): number {
  return countBetween(from, to, (day) => countsAsDay(day, kind));
}

/**
 * Like countDays, leaving out the 补正 time the events record after `from` (from each request to the supplement's
 * arrival): 益阳 第十四条、第二十六条(二) do not count the unit's 整改 time. `paused` is how many days were left out.
 */
export function countDaysWithoutSupplements(from: string, to: string, kind: TimeLimit['dayKind'], events: readonly ClockEvent[]): { days: number; paused: number } {
  const pauses = supplementPauses([...events].sort((a, b) => a.on.localeCompare(b.on)), from);
  const all = countDays(from, to, kind);
  const days = countBetween(from, to, (day) => countsAsDay(day, kind) && !pauses.some((p) => day > p.from && (p.to === undefined || day <= p.to)));
  return { days, paused: all - days };
}

/** Countable days after `from` up to and including `to`. */
function countBetween(from: string, to: string, countable: (day: string) => boolean): number {
  let n = 0;
  for (let day = nextDay(from); day <= to; day = nextDay(day)) if (countable(day)) n++;
  return n;
}

function countsAsDay(day: string, kind: TimeLimit['dayKind']): boolean {
  if (kind === 'calendar') return true;
  if (calendarKnows(Number(day.slice(0, 4)))) return chineseDays.isWorkday(day);
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

const knownYears = new Map<number, boolean>();
/** Whether the shipped calendar holds the State Council's arrangement for `year` (every year has holidays). */
function calendarKnows(year: number): boolean {
  if (!knownYears.has(year)) knownYears.set(year, chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0);
  return knownYears.get(year)!;
}

function yearsBetween(from: string, to: string): number[] {
  const years: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) years.push(y);
  return years;
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

function chineseDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** Today's date in Beijing, for callers that have only an instant. */
export function beijingDate(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
