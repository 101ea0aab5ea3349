import { z } from 'zod';
import { compareDecimalStrings } from '../../extractors/fields/decimal.ts';
import { normOrg } from '../../extractors/fields/orgs.ts';
import type { DossierTerms, TermEvidence } from '../facts/terms-schema.ts';
import { check, type Check, type CheckResult } from './check.ts';
import type { RuleContext, RuleEvidence } from './context.ts';

/**
 * Checks over the dossier's clause facts (ctx.terms, checklists/facts/terms-schema.ts): the payment schedule, service
 * periods, certificates and meeting evidence, each with the evidence it was read from. A concern no document states
 * is null or empty there, and the check then says nothing.
 */

function terms(ctx: RuleContext): DossierTerms | undefined {
  return ctx.terms;
}

function ev(e: TermEvidence): RuleEvidence {
  return { path: e.path, page: e.page, quote: e.quote, source: e.source, label: e.label };
}

const Name = z.string().min(1);

const PaymentRetentionParams = z.strictObject({
  /** At most this share of the contract price falls due by 竣工验收 (益阳: 85). */
  maxDueByAcceptancePercent: z.number().positive().max(100),
  /** The retained instalments: years after acceptance, share, and the condition the clause must name. */
  retained: z
    .array(z.strictObject({ years: z.number().int().positive(), percent: z.number().positive(), condition: Name, conditionName: Name }))
    .min(1),
});

/**
 * YY-V01: the contract's schedule keeps the retention (15%) and pays it out 1, 2 and 3 years after acceptance, each
 * on its condition. The schedule found is quoted. The retained instalments are judged only on a schedule that adds
 * up to 100% (one read whole); the share due by acceptance is judged on any schedule (more is a breach whatever else).
 */
function paymentRetention(ctx: RuleContext, params: z.output<typeof PaymentRetentionParams>): CheckResult[] {
  const schedule = terms(ctx)?.paymentSchedule;
  if (!schedule || schedule.instalments.length === 0) return [];
  const evidence = schedule.instalments.map((i) => ev(i.evidence));
  const found = schedule.instalments.map((i) => `${i.milestone}（${i.percent}%）`).join('；');
  const problems: string[] = [];
  if (compareDecimalStrings(schedule.dueByAcceptancePercent, String(params.maxDueByAcceptancePercent)) > 0) {
    problems.push(`竣工验收前（含验收时）应付 ${schedule.dueByAcceptancePercent}%，超过 ${params.maxDueByAcceptancePercent}%`);
  }
  if (compareDecimalStrings(schedule.totalPercent, '100') === 0) {
    for (const r of params.retained) {
      const due = schedule.instalments.filter((i) => i.stage === 'afterAcceptance' && i.yearsAfterAcceptance !== null && i.yearsAfterAcceptance >= r.years);
      const paid = due.find((i) => i.yearsAfterAcceptance === r.years) ?? due[0];
      if (!paid) {
        problems.push(`未约定竣工验收${r.years}年后支付 ${r.percent}%`);
        continue;
      }
      if (!paid.condition || !new RegExp(r.condition).test(paid.condition)) problems.push(`竣工验收${r.years}年后的付款未以"${r.conditionName}"为条件`);
    }
  }
  if (problems.length === 0) return [];
  return [{ message: `合同付款约定与第十九条不符：${problems.join('；')}。合同约定：${found}`, evidence }];
}

const ServicePeriodParams = z.strictObject({
  period: z.enum(['maintenancePeriod', 'warrantyPeriod']),
  months: z.number().int().positive(),
  /** What it is called in the message: 运维期. */
  label: Name,
});

/** YY-V02: the longest O&M period the contracts agree is at least N months; silent when none states one. */
function servicePeriodAtLeast(ctx: RuleContext, params: z.output<typeof ServicePeriodParams>): CheckResult[] {
  const p = terms(ctx)?.[params.period];
  if (!p || p.months >= params.months) return [];
  return [{ message: `约定的${params.label}为 ${p.months} 个月，少于 ${params.months} 个月：「${p.text}」`, evidence: [ev(p.evidence)] }];
}

const CertificateValidParams = z.strictObject({
  /** The fact naming the organisation that must hold the certificate (contractor, supervisor). */
  holderFact: Name,
  holderLabel: Name,
  /** The certificate must be valid on this date (the contract's), when both are known. */
  validOnFact: Name.optional(),
  validOnLabel: Name.optional(),
});

/**
 * CD-Q01, CD-Q02: the certificate of the organisation that must hold one is valid on the contract date. Which
 * certificate is there at all is documentNamesOrg's part; this one looks at the dates the certificate states.
 */
function certificateValid(ctx: RuleContext, params: z.output<typeof CertificateValidParams>): CheckResult[] {
  const holder = ctx.facts[params.holderFact];
  if (typeof holder?.value !== 'string') return [];
  const mine = (terms(ctx)?.certificates ?? []).filter((c) => c.holderNormalized === normOrg(holder.value as string));
  const on = params.validOnFact ? ctx.facts[params.validOnFact] : undefined;
  if (mine.length === 0 || typeof on?.value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(on.value)) return [];
  const day = on.value;
  const valid = mine.filter((c) => (!c.validUntil || c.validUntil.iso >= day) && (!c.validFrom || c.validFrom.iso <= day));
  if (valid.length > 0) return [];
  const c = mine[0]!;
  return [
    {
      message: `${params.holderLabel}「${holder.value}」的${c.type ?? '资质证书'}有效期${c.validFrom ? `自 ${c.validFrom.iso}` : ''}${c.validUntil ? `至 ${c.validUntil.iso}` : ''}，${params.validOnLabel ?? params.validOnFact}（${day}）时不在有效期内`,
      evidence: [ev(c.evidence), ...(on.evidence ?? []), ...(holder.evidence ?? [])],
    },
  ];
}

const MeetingParams = z.strictObject({
  /** Documents that carry the meeting's evidence (the review opinion). */
  docTypes: z.array(Name).min(1),
  /** The fact an officer declares when the documents do not show the meeting. */
  fact: Name,
  message: Name,
});

/** The documents show a meeting: its date, and experts named or a sign-in sheet or signatures. */
function meetingShown(ctx: RuleContext, params: z.output<typeof MeetingParams>): boolean {
  return (terms(ctx)?.meetings ?? []).some((m) => m.docTypes.some((t) => params.docTypes.includes(t)) && m.meetingDate !== null && (m.experts.length > 0 || m.signIn));
}

/**
 * YY-Q02: a review meeting. When the opinion shows it (date and experts or sign-in), the question is answered; when it
 * does not, the rule asks; a declared "no" fires.
 */
function reviewMeeting(ctx: RuleContext, params: z.output<typeof MeetingParams>): CheckResult[] {
  if (meetingShown(ctx, params)) return [];
  const f = ctx.facts[params.fact];
  if (f?.value !== false) return [];
  return [{ message: params.message, evidence: f.evidence ?? [{ label: '已声明', quote: `${params.fact}=false` }] }];
}

const Party = z.strictObject({ docTypes: z.array(Name).min(1), party: z.enum(['A', 'B']), label: Name });
const PartyCodesParams = z.strictObject({ a: Party, b: Party, message: Name });

/**
 * CD-C01: two roles filled by contract parties (the main contract's 乙方, the supervision contract's 乙方) carry the
 * same 统一社会信用代码 although their names differ: one organisation under two names. Only codes whose GB 32100 check
 * character is right count; a misread code proves nothing.
 */
function partyCodesDiffer(ctx: RuleContext, params: z.output<typeof PartyCodesParams>): CheckResult[] {
  const parties = (p: z.output<typeof Party>) =>
    (terms(ctx)?.contracts ?? [])
      .filter((c) => c.docTypes.some((t) => p.docTypes.includes(t)))
      .map((c) => (p.party === 'A' ? c.partyA : c.partyB))
      .filter((x): x is NonNullable<typeof x> => x !== null && x.creditCode !== null && x.creditCodeValid === true);
  const out: CheckResult[] = [];
  for (const a of parties(params.a)) {
    for (const b of parties(params.b)) {
      if (a.creditCode !== b.creditCode || a.normalized === b.normalized) continue;
      out.push({
        message: `${params.a.label}「${a.name}」与${params.b.label}「${b.name}」的统一社会信用代码相同（${a.creditCode}）：${params.message}`,
        evidence: [...a.evidence.map(ev), ...b.evidence.map(ev)],
      });
    }
  }
  return out;
}

export const TERM_CHECKS: Readonly<Record<string, Check>> = {
  paymentRetention: check(PaymentRetentionParams, paymentRetention),
  servicePeriodAtLeast: check(ServicePeriodParams, servicePeriodAtLeast),
  certificateValid: check(CertificateValidParams, certificateValid),
  partyCodesDiffer: check(PartyCodesParams, partyCodesDiffer),
  reviewMeeting: { ...check(MeetingParams, reviewMeeting), answers: (ctx, params) => meetingShown(ctx, params as z.output<typeof MeetingParams>) },
};
