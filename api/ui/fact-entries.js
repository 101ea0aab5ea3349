// The report page's one facts form, as data: each fact once, with the value its input starts with and where that value
// came from. Kept free of the DOM so that a unit test pins it (tests/api/facts-form-entries.test.ts).

/**
 * @param {{ formFacts: any[], factByName: Map<string, any>, confirm: any[], declared: Record<string, unknown>, reportFacts: Record<string, any> }} input
 *   formFacts: the questions of the dossier's stage (GET /api/v1/checklists/:city facts[stage]); confirm: the report's
 *   needs_confirmation rows; declared: the dossier's declared facts; reportFacts: the report's facts (declared and derived).
 * @returns {{ fact: any, value: unknown, origin: 'declared' | 'derived' | 'none', source: string | null, rows: { id: string, title: string }[] }[]}
 */
export function factEntries({ formFacts, factByName, confirm, declared, reportFacts }) {
  const order = [];
  const byName = new Map();
  const add = (fact) => {
    if (byName.has(fact.name)) return byName.get(fact.name);
    const entry = { fact, rows: [] };
    byName.set(fact.name, entry);
    order.push(entry);
    return entry;
  };
  for (const fact of formFacts) add(fact);
  // A row may ask a fact the stage's form does not list (a local fact's input); it still gets exactly one control.
  for (const row of confirm) {
    for (const name of row.unknownFacts ?? []) {
      const fact = factByName.get(name) ?? { name, label: '该事实', question: '请声明该事实', type: 'string', askable: true, derivable: false };
      const entry = add(fact);
      if (!entry.rows.some((r) => r.id === row.id)) entry.rows.push({ id: row.id, title: row.title });
    }
  }
  return order.map((entry) => {
    const name = entry.fact.name;
    if (declared[name] !== undefined && declared[name] !== null) return { ...entry, value: declared[name], origin: 'declared', source: null };
    const derived = reportFacts[name];
    if (derived && derived.source === 'derived' && derived.value !== null && derived.value !== undefined) {
      return { ...entry, value: derived.value, origin: 'derived', source: derivedSource(derived) };
    }
    return { ...entry, value: undefined, origin: 'none', source: null };
  });
}

/** 从《项目建议书》第2页读出：「总投资 80 万元」 — the document as the officer named the file, the page, the words. */
export function derivedSource(fact) {
  const e = (fact.evidence ?? []).find((x) => x.path);
  if (e) {
    const doc = e.path.split('/').pop().replace(/\.[^.]+$/, '');
    const page = e.page ? `第${e.page}页` : '';
    const quote = (e.quote ?? '').replace(/\s+/g, ' ').trim();
    return `从《${doc}》${page}读出${quote ? `：「${quote.length > 60 ? `${quote.slice(0, 60)}…` : quote}」` : ''}`;
  }
  return fact.from ? `由材料得出：${fact.from}` : '由材料得出';
}

/** Only what the officer changed: a new or different value is declared, a cleared declaration withdrawn (null). */
export function factChanges(entries, read) {
  const changes = {};
  for (const entry of entries) {
    const name = entry.fact.name;
    const v = read(name);
    if (v === undefined) {
      if (entry.origin === 'declared') changes[name] = null;
    } else if (JSON.stringify(v) !== JSON.stringify(entry.value) || entry.origin === 'none') changes[name] = v;
  }
  return changes;
}
