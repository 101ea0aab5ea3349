import { addDecimalStrings, compareDecimalStrings } from '../../extractors/fields/decimal.ts';
import type { FactsDocument } from './input.ts';
import { candidatesOf, evidenceOf, hasType } from './term-evidence.ts';
import type { PaymentSchedule } from './terms-schema.ts';

/**
 * The main contract's payment schedule (益阳第十九条 "预留合同款的15%作为建设尾款…"). A model contract states it twice
 * (通用条款, then 专用条款 overriding it): the instalments are cut into runs that add up to 100%, and the last run is
 * the schedule. Without such a run every instalment is kept, and `totalPercent` shows that they do not add up.
 */
export function paymentSchedule(documents: FactsDocument[]): PaymentSchedule | null {
  const contracts = documents.filter((doc) => hasType(doc, ['contract']));
  // The main contract: the first-typed contract with the most instalments (a 监理合同 or 运维协议 has its own).
  const doc = contracts
    .map((d) => ({ d, n: candidatesOf(d, 'paymentTerm').length, main: d.docTypes[0] === 'contract' ? 1 : 0 }))
    .filter((x) => x.n > 0)
    .sort((a, b) => b.main - a.main || b.n - a.n)[0]?.d;
  if (!doc) return null;
  const all = candidatesOf(doc, 'paymentTerm').flatMap((c) => (c.value.kind === 'payment' ? [{ ...c.value, evidence: evidenceOf(c) }] : []));
  const runs: Array<typeof all> = [];
  let run: typeof all = [];
  let sum = '0';
  for (const instalment of all) {
    run.push(instalment);
    sum = addDecimalStrings(sum, instalment.percent);
    if (compareDecimalStrings(sum, '100') === 0) {
      runs.push(run);
      run = [];
      sum = '0';
    } else if (compareDecimalStrings(sum, '100') > 0) {
      run = [];
      sum = '0';
    }
  }
  const chosen = runs.at(-1) ?? all;
  const instalments = chosen.map(({ kind: _kind, ...rest }) => rest);
  const total = (list: typeof instalments) => list.reduce((acc, i) => addDecimalStrings(acc, i.percent), '0');
  const retained = instalments.filter((i) => i.stage === 'afterAcceptance' || i.stage === 'warranty');
  const due = instalments.filter((i) => !retained.includes(i));
  return { path: doc.path, instalments, totalPercent: total(instalments), dueByAcceptancePercent: total(due), retainedPercent: total(retained) };
}
