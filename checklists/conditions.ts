/**
 * The condition language of checklist rows (requirements.md §0.2 "Always / conditional") and its three-valued
 * evaluation (§0.2 "Indeterminate", §2.2).
 *
 * Grammar, loosest binding first:
 *
 *   condition := 'always' | expr
 *   expr      := and ( '||' and )*
 *   and       := unary ( '&&' unary )*
 *   unary     := '!' unary | compare
 *   compare   := sum ( ( '==' | '!=' | '>=' | '<=' | '>' | '<' ) sum )?
 *              | sum 'contains' IDENT              -- set membership: changeKinds contains scope
 *              | IDENT ( '∈' | 'in' ) sum          -- the same, as §3 writes it: scope ∈ changeKinds
 *   sum       := product ( ( '+' | '-' ) product )*
 *   product   := coalesce ( ( '*' | '/' ) coalesce )*
 *   coalesce  := atom ( '??' atom )*                -- a ?? b: a when known, else b
 *   atom      := NUMBER | 'true' | 'false' | IDENT | '(' expr ')' | '-' atom
 *
 * Identifiers name facts; an identifier that is no fact is accepted only as a value of the enum or set it is compared
 * with (`projectKind == new`). Numbers are exact decimals (§0.3: 49.99 is below 50, "超过10%" is exclusive), so
 * arithmetic runs on rationals rather than floats. Dates are ISO `YYYY-MM-DD` strings and compare as such.
 */

export type FactType = 'boolean' | 'number' | 'integer' | 'date' | 'enum' | 'set' | 'string';

/** What the binder needs to know of a fact. */
export interface FactSignature {
  type: FactType;
  values?: readonly string[];
}
export type FactTable = ReadonlyMap<string, FactSignature>;

export type ComparisonOperator = '==' | '!=' | '>=' | '<=' | '>' | '<';
export type ArithmeticOperator = '+' | '-' | '*' | '/';

/** Parsed, not yet bound: identifiers are still unresolved. */
export type Expr =
  | { kind: 'bool'; value: boolean }
  | { kind: 'num'; text: string }
  | { kind: 'ident'; name: string }
  | { kind: 'not'; operand: Expr }
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'cmp'; op: ComparisonOperator; left: Expr; right: Expr }
  | { kind: 'contains'; set: Expr; member: string }
  | { kind: 'arith'; op: ArithmeticOperator; left: Expr; right: Expr }
  | { kind: 'neg'; operand: Expr }
  | { kind: 'coalesce'; left: Expr; right: Expr };

/** Bound: every identifier is a fact reference or a string literal of an enum value. */
export type BoundExpr =
  | { kind: 'bool'; value: boolean }
  | { kind: 'num'; value: Rational }
  | { kind: 'str'; value: string }
  | { kind: 'fact'; name: string; type: FactType }
  | { kind: 'not'; operand: BoundExpr }
  | { kind: 'and' | 'or'; left: BoundExpr; right: BoundExpr }
  | { kind: 'cmp'; op: ComparisonOperator; left: BoundExpr; right: BoundExpr }
  | { kind: 'contains'; set: BoundExpr; member: string }
  | { kind: 'arith'; op: ArithmeticOperator; left: BoundExpr; right: BoundExpr }
  | { kind: 'neg'; operand: BoundExpr }
  | { kind: 'coalesce'; left: BoundExpr; right: BoundExpr };

export interface BoundCondition {
  source: string;
  always: boolean;
  expr: BoundExpr;
  /** Facts the condition reads, in order of first use. */
  facts: string[];
}

/** A condition that does not parse or does not fit the facts; `problems` are in Chinese. */
export class ConditionError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`条件“${source}”有误：${problems.join('；')}`);
    this.name = 'ConditionError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Exact decimals

/** A reduced fraction with a positive denominator. */
export interface Rational {
  n: bigint;
  d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}

function rational(n: bigint, d: bigint): Rational {
  if (d === 0n) throw new RangeError('除数为零');
  const sign = d < 0n ? -1n : 1n;
  const g = gcd(n, d);
  return { n: (sign * n) / g, d: (sign * d) / g };
}

/** Reads a decimal the way a person wrote it: "49.99" is exactly 4999/100, never 49.990000000000002. */
export function rationalFromDecimal(text: string): Rational {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new RangeError(`不是数字：${text}`);
  const [, sign, intPart = '', fracPart = '', expPart] = m;
  let n = BigInt((intPart || '0') + fracPart);
  let d = 10n ** BigInt(fracPart.length);
  const exp = expPart ? Number(expPart) : 0;
  if (exp > 0) n *= 10n ** BigInt(exp);
  if (exp < 0) d *= 10n ** BigInt(-exp);
  return rational(sign === '-' ? -n : n, d);
}

/** JavaScript's shortest round-trip string of a number is the decimal the writer meant. */
export function rationalFromNumber(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`不是有限数：${x}`);
  return rationalFromDecimal(String(x));
}

function compareRational(a: Rational, b: Rational): number {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

function arithmetic(op: ArithmeticOperator, a: Rational, b: Rational): Rational {
  switch (op) {
    case '+':
      return rational(a.n * b.d + b.n * a.d, a.d * b.d);
    case '-':
      return rational(a.n * b.d - b.n * a.d, a.d * b.d);
    case '*':
      return rational(a.n * b.n, a.d * b.d);
    case '/':
      return rational(a.n * b.d, a.d * b.n);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Lexer and parser

type Token =
  | { t: 'num'; text: string; at: number }
  | { t: 'ident'; text: string; at: number }
  | { t: 'op'; text: string; at: number }
  | { t: 'end'; at: number };

const OPERATORS = ['&&', '||', '==', '!=', '>=', '<=', '??', '≥', '≤', '≠', '∈', '>', '<', '!', '(', ')', '+', '-', '*', '/'];
const OPERATOR_ALIASES: Record<string, string> = { '≥': '>=', '≤': '<=', '≠': '!=' };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const num = /^\d+(?:\.\d+)?/.exec(source.slice(i));
    if (num) {
      tokens.push({ t: 'num', text: num[0], at: i });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(i));
    if (ident) {
      // A trailing '-' belongs to a following minus sign, not to the name (municipal-template is the only id with one).
      const text = ident[0].replace(/-+$/, '');
      tokens.push({ t: 'ident', text, at: i });
      i += text.length;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op) {
      tokens.push({ t: 'op', text: OPERATOR_ALIASES[op] ?? op, at: i });
      i += op.length;
      continue;
    }
    throw new ConditionError(source, [`第${i + 1}个字符“${ch}”无法识别`]);
  }
  tokens.push({ t: 'end', at: source.length });
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  parse(): Expr {
    const e = this.or();
    const next = this.peek();
    if (next.t !== 'end') this.fail(`“${this.describe(next)}”处多余的内容`);
    return e;
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private isOp(text: string): boolean {
    const tok = this.peek();
    return tok.t === 'op' && tok.text === text;
  }

  private isWord(text: string): boolean {
    const tok = this.peek();
    return tok.t === 'ident' && tok.text === text;
  }

  private describe(tok: Token): string {
    return tok.t === 'end' ? '结尾' : tok.text;
  }

  private fail(message: string): never {
    throw new ConditionError(this.source, [message]);
  }

  private or(): Expr {
    let left = this.and();
    while (this.isOp('||')) {
      this.pos++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Expr {
    let left = this.unary();
    while (this.isOp('&&')) {
      this.pos++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOp('!')) {
      this.pos++;
      return { kind: 'not', operand: this.unary() };
    }
    return this.compare();
  }

  private compare(): Expr {
    const left = this.sum();
    const tok = this.peek();
    if (tok.t === 'op' && ['==', '!=', '>=', '<=', '>', '<'].includes(tok.text)) {
      this.pos++;
      return { kind: 'cmp', op: tok.text as ComparisonOperator, left, right: this.sum() };
    }
    if (this.isWord('contains')) {
      this.pos++;
      const member = this.peek();
      if (member.t !== 'ident') this.fail('“contains”之后应为取值名称');
      this.pos++;
      return { kind: 'contains', set: left, member: member.text };
    }
    if (this.isOp('∈') || this.isWord('in')) {
      if (left.kind !== 'ident') this.fail('“∈”之前应为取值名称');
      this.pos++;
      return { kind: 'contains', set: this.sum(), member: left.name };
    }
    return left;
  }

  private sum(): Expr {
    let left = this.product();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.tokens[this.pos++] as { text: ArithmeticOperator }).text;
      left = { kind: 'arith', op, left, right: this.product() };
    }
    return left;
  }

  private product(): Expr {
    let left = this.coalesce();
    while (this.isOp('*') || this.isOp('/')) {
      const op = (this.tokens[this.pos++] as { text: ArithmeticOperator }).text;
      left = { kind: 'arith', op, left, right: this.coalesce() };
    }
    return left;
  }

  private coalesce(): Expr {
    let left = this.atom();
    while (this.isOp('??')) {
      this.pos++;
      left = { kind: 'coalesce', left, right: this.atom() };
    }
    return left;
  }

  private atom(): Expr {
    const tok = this.peek();
    if (tok.t === 'num') {
      this.pos++;
      return { kind: 'num', text: tok.text };
    }
    if (tok.t === 'ident') {
      this.pos++;
      if (tok.text === 'true' || tok.text === 'false') return { kind: 'bool', value: tok.text === 'true' };
      return { kind: 'ident', name: tok.text };
    }
    if (this.isOp('(')) {
      this.pos++;
      const inner = this.or();
      if (!this.isOp(')')) this.fail(`缺少右括号（在“${this.describe(this.peek())}”处）`);
      this.pos++;
      return inner;
    }
    if (this.isOp('-')) {
      this.pos++;
      return { kind: 'neg', operand: this.atom() };
    }
    this.fail(`“${this.describe(tok)}”处应为事实、数字或括号`);
  }
}

/** Parses a condition; `always` (or an empty string) is the constant true. Throws ConditionError. */
export function parseCondition(source: string): Expr {
  const text = source.trim();
  if (text === '' || text === 'always') return { kind: 'bool', value: true };
  return new Parser(text, tokenize(text)).parse();
}

// ---------------------------------------------------------------------------------------------------------------
// Binding and type checking

type ValueType = 'boolean' | 'number' | 'date' | 'string' | 'set' | 'enum-literal';

interface Typed {
  expr: BoundExpr;
  type: ValueType;
  /** For enum facts: their values, so that a bare identifier on the other side can be read as one of them. */
  enumValues?: readonly string[];
}

/**
 * Resolves identifiers against the facts and checks that operators fit their operands. Reports every problem it
 * finds rather than the first, so that a checklist author sees all of them at once.
 */
function bindTyped(source: string, facts: FactTable): { expr: BoundExpr; type: ValueType; facts: string[]; problems: string[] } {
  const parsed = parseCondition(source);
  const problems: string[] = [];
  const used: string[] = [];

  const use = (name: string) => {
    if (!used.includes(name)) used.push(name);
  };

  const valueTypeOf = (t: FactType): ValueType => (t === 'integer' ? 'number' : t === 'enum' ? 'string' : t);

  const bind = (e: Expr): Typed => {
    switch (e.kind) {
      case 'bool':
        return { expr: e, type: 'boolean' };
      case 'num':
        return { expr: { kind: 'num', value: rationalFromDecimal(e.text) }, type: 'number' };
      case 'ident': {
        const sig = facts.get(e.name);
        if (!sig) {
          // Possibly an enum value; the comparison decides, and reports it if it is not.
          return { expr: { kind: 'str', value: e.name }, type: 'enum-literal' };
        }
        use(e.name);
        return { expr: { kind: 'fact', name: e.name, type: sig.type }, type: valueTypeOf(sig.type), enumValues: sig.type === 'enum' ? sig.values : undefined };
      }
      case 'not': {
        const operand = expectBoolean(bind(e.operand), '“!”');
        return { expr: { kind: 'not', operand }, type: 'boolean' };
      }
      case 'and':
      case 'or': {
        const name = e.kind === 'and' ? '“&&”' : '“||”';
        return { expr: { kind: e.kind, left: expectBoolean(bind(e.left), name), right: expectBoolean(bind(e.right), name) }, type: 'boolean' };
      }
      case 'cmp':
        return bindComparison(e);
      case 'contains': {
        const set = bind(e.set);
        if (set.type !== 'set') {
          problems.push(`“contains/∈”的左边应为集合事实，实为${describeOperand(set)}`);
        } else if (set.expr.kind === 'fact') {
          const values = facts.get(set.expr.name)?.values;
          if (values && !values.includes(e.member)) problems.push(`“${e.member}”不是集合事实 ${set.expr.name} 的取值（可选：${values.join('、')}）`);
        }
        return { expr: { kind: 'contains', set: set.expr, member: e.member }, type: 'boolean' };
      }
      case 'arith': {
        const left = expectNumber(bind(e.left), `“${e.op}”`);
        const right = expectNumber(bind(e.right), `“${e.op}”`);
        return { expr: { kind: 'arith', op: e.op, left, right }, type: 'number' };
      }
      case 'neg':
        return { expr: { kind: 'neg', operand: expectNumber(bind(e.operand), '负号') }, type: 'number' };
      case 'coalesce': {
        const left = bind(e.left);
        const right = bind(e.right);
        if (left.type !== right.type) problems.push(`“??”两边类型不同：${describeOperand(left)} 与 ${describeOperand(right)}`);
        return { expr: { kind: 'coalesce', left: left.expr, right: right.expr }, type: left.type, enumValues: left.enumValues };
      }
    }
  };

  const bindComparison = (e: Extract<Expr, { kind: 'cmp' }>): Typed => {
    const left = bind(e.left);
    const right = bind(e.right);
    const result: Typed = { expr: { kind: 'cmp', op: e.op, left: left.expr, right: right.expr }, type: 'boolean' };
    const ordered = ['>=', '<=', '>', '<'].includes(e.op);
    // An enum compared with a bare identifier: the identifier is one of the enum's values.
    const enumAgainstValue = (enumSide: Typed, other: Typed): boolean => {
      if (!enumSide.enumValues || other.type !== 'enum-literal' || other.expr.kind !== 'str') return false;
      if (!enumSide.enumValues.includes(other.expr.value)) {
        problems.push(`“${other.expr.value}”不是 ${describeOperand(enumSide)} 的取值（可选：${enumSide.enumValues.join('、')}）`);
      }
      if (ordered) problems.push(`枚举事实 ${describeOperand(enumSide)} 只能用“==”或“!=”比较`);
      return true;
    };
    if (enumAgainstValue(left, right) || enumAgainstValue(right, left)) return result;
    reportUnknownIdentifier(left);
    reportUnknownIdentifier(right);
    if (left.type === 'enum-literal' || right.type === 'enum-literal') return result;
    if (left.type !== right.type) {
      problems.push(`“${e.op}”两边类型不同：${describeOperand(left)} 与 ${describeOperand(right)}`);
    } else if (left.type === 'set') {
      problems.push(`集合不能用“${e.op}”比较，请用 contains`);
    } else if (ordered && left.type !== 'number' && left.type !== 'date') {
      problems.push(`“${e.op}”只能比较数值或日期，实为${describeOperand(left)}`);
    }
    return result;
  };

  const reportUnknownIdentifier = (t: Typed) => {
    if (t.type === 'enum-literal' && t.expr.kind === 'str') problems.push(`未知事实 ${t.expr.value}`);
  };

  const expectBoolean = (t: Typed, where: string): BoundExpr => {
    if (t.type === 'enum-literal') reportUnknownIdentifier(t);
    else if (t.type !== 'boolean') problems.push(`${where}的操作数应为布尔值，实为${describeOperand(t)}`);
    return t.expr;
  };

  const expectNumber = (t: Typed, where: string): BoundExpr => {
    if (t.type === 'enum-literal') reportUnknownIdentifier(t);
    else if (t.type !== 'number') problems.push(`${where}的操作数应为数值，实为${describeOperand(t)}`);
    return t.expr;
  };

  const top = bind(parsed);
  if (top.type === 'enum-literal') reportUnknownIdentifier(top);
  return { expr: top.expr, type: top.type, facts: used, problems };
}

/**
 * Resolves identifiers against the facts and checks that operators fit their operands. Reports every problem it
 * finds rather than the first, so that a checklist author sees all of them at once. Throws ConditionError.
 */
export function bindCondition(source: string, facts: FactTable): BoundCondition {
  const { expr, type, facts: used, problems } = bindTyped(source, facts);
  if (type !== 'boolean' && type !== 'enum-literal') problems.push(`条件的结果应为布尔值，实为${TYPE_NAMES[type]}`);
  if (problems.length > 0) throw new ConditionError(source, problems);
  const text = source.trim();
  return { source: text === '' ? 'always' : text, always: text === '' || text === 'always', expr, facts: used };
}

/** A bound expression of any type, e.g. a numeric fact derivation. */
export interface BoundExpression {
  source: string;
  expr: BoundExpr;
  facts: string[];
}

/** Binds an expression whose value must fit a fact of type `type` (derivations in facts.yaml). Throws ConditionError. */
export function bindExpression(source: string, facts: FactTable, type: FactType): BoundExpression {
  const { expr, type: actual, facts: used, problems } = bindTyped(source, facts);
  const expected: ValueType = type === 'integer' ? 'number' : type === 'enum' ? 'string' : type;
  if (actual !== expected && actual !== 'enum-literal') problems.push(`表达式的结果应为${TYPE_NAMES[expected]}，实为${TYPE_NAMES[actual]}`);
  if (problems.length > 0) throw new ConditionError(source, problems);
  return { source: source.trim(), expr, facts: used };
}

const TYPE_NAMES: Record<ValueType, string> = {
  boolean: '布尔值',
  number: '数值',
  date: '日期',
  string: '文本',
  set: '集合',
  'enum-literal': '未知名称',
};

function describeOperand(t: Typed): string {
  if (t.expr.kind === 'fact') return `${t.expr.name}（${TYPE_NAMES[t.type]}）`;
  return TYPE_NAMES[t.type];
}

// ---------------------------------------------------------------------------------------------------------------
// Three-valued evaluation

export type FactValue = boolean | number | string | readonly string[];
export type Truth = true | false | 'unknown';

/** How the evaluator learns a fact: a value, or unknown because of these (root) facts. */
export type FactLookup = (name: string) => { known: true; value: FactValue } | { known: false; unknownFacts: string[] };

export interface ConditionOutcome {
  value: Truth;
  /** When `value` is 'unknown': the facts whose absence made it so (never empty then). Otherwise empty. */
  unknownFacts: string[];
}

type RuntimeValue = boolean | Rational | string | readonly string[];
type Value = { known: true; v: RuntimeValue } | { known: false; facts: string[] };

function unknown(...sets: string[][]): Value {
  const facts: string[] = [];
  for (const s of sets) for (const f of s) if (!facts.includes(f)) facts.push(f);
  return { known: false, facts };
}

/**
 * Kleene logic: `false && unknown` is false and `true || unknown` is true, so an unknown fact only makes a row
 * indeterminate when the answer really depends on it; the unknown facts reported are exactly those.
 */
export function evaluateCondition(condition: BoundCondition, lookup: FactLookup): ConditionOutcome {
  const result = evaluate(condition.expr, lookup);
  if (!result.known) return { value: 'unknown', unknownFacts: result.facts };
  if (typeof result.v !== 'boolean') throw new TypeError(`条件“${condition.source}”的结果不是布尔值`);
  return { value: result.v, unknownFacts: [] };
}

/** Evaluates a derivation; numbers come back as JavaScript numbers (exact for the decimals people write). */
export function evaluateExpression(expression: BoundExpression, lookup: FactLookup): { known: true; value: FactValue } | { known: false; unknownFacts: string[] } {
  const result = evaluate(expression.expr, lookup);
  if (!result.known) return { known: false, unknownFacts: result.facts };
  const v = result.v;
  return { known: true, value: isRational(v) ? Number(v.n) / Number(v.d) : v };
}

function evaluate(e: BoundExpr, lookup: FactLookup): Value {
  switch (e.kind) {
    case 'bool':
      return { known: true, v: e.value };
    case 'num':
      return { known: true, v: e.value };
    case 'str':
      return { known: true, v: e.value };
    case 'fact': {
      const found = lookup(e.name);
      if (!found.known) return unknown(found.unknownFacts.length > 0 ? found.unknownFacts : [e.name]);
      return { known: true, v: runtimeValue(e.name, e.type, found.value) };
    }
    case 'not': {
      const v = evaluate(e.operand, lookup);
      return v.known ? { known: true, v: !v.v } : v;
    }
    case 'and': {
      const l = evaluate(e.left, lookup);
      const r = evaluate(e.right, lookup);
      if ((l.known && l.v === false) || (r.known && r.v === false)) return { known: true, v: false };
      if (l.known && r.known) return { known: true, v: true };
      return unknown(l.known ? [] : l.facts, r.known ? [] : r.facts);
    }
    case 'or': {
      const l = evaluate(e.left, lookup);
      const r = evaluate(e.right, lookup);
      if ((l.known && l.v === true) || (r.known && r.v === true)) return { known: true, v: true };
      if (l.known && r.known) return { known: true, v: false };
      return unknown(l.known ? [] : l.facts, r.known ? [] : r.facts);
    }
    case 'cmp': {
      const l = evaluate(e.left, lookup);
      const r = evaluate(e.right, lookup);
      if (!l.known || !r.known) return unknown(l.known ? [] : l.facts, r.known ? [] : r.facts);
      return { known: true, v: compareValues(e.op, l.v, r.v) };
    }
    case 'contains': {
      const s = evaluate(e.set, lookup);
      if (!s.known) return s;
      return { known: true, v: (s.v as readonly string[]).includes(e.member) };
    }
    case 'arith': {
      const l = evaluate(e.left, lookup);
      const r = evaluate(e.right, lookup);
      if (!l.known || !r.known) return unknown(l.known ? [] : l.facts, r.known ? [] : r.facts);
      const b = r.v as Rational;
      // Division by a zero amount (a ratio of an empty total) cannot be decided.
      if (e.op === '/' && b.n === 0n) return unknown(collectFacts(e.right));
      return { known: true, v: arithmetic(e.op, l.v as Rational, b) };
    }
    case 'neg': {
      const v = evaluate(e.operand, lookup);
      return v.known ? { known: true, v: rational(-(v.v as Rational).n, (v.v as Rational).d) } : v;
    }
    case 'coalesce': {
      const l = evaluate(e.left, lookup);
      if (l.known) return l;
      const r = evaluate(e.right, lookup);
      return r.known ? r : unknown(l.facts, r.facts);
    }
  }
}

function collectFacts(e: BoundExpr): string[] {
  switch (e.kind) {
    case 'fact':
      return [e.name];
    case 'not':
    case 'neg':
      return collectFacts(e.operand);
    case 'and':
    case 'or':
    case 'cmp':
    case 'arith':
    case 'coalesce':
      return [...collectFacts(e.left), ...collectFacts(e.right)];
    case 'contains':
      return collectFacts(e.set);
    default:
      return [];
  }
}

function isRational(v: unknown): v is Rational {
  return typeof v === 'object' && v !== null && 'n' in v && 'd' in v;
}

function compareValues(op: ComparisonOperator, a: RuntimeValue, b: RuntimeValue): boolean {
  let order: number;
  if (isRational(a) && isRational(b)) order = compareRational(a, b);
  else if (typeof a === 'string' && typeof b === 'string') order = a < b ? -1 : a > b ? 1 : 0;
  else if (typeof a === 'boolean' && typeof b === 'boolean') order = a === b ? 0 : 1;
  else throw new TypeError('比较的两边类型不同');
  switch (op) {
    case '==':
      return order === 0;
    case '!=':
      return order !== 0;
    case '>=':
      return order >= 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '<':
      return order < 0;
  }
}

/** Checks a supplied fact value against its type; a mismatch is a caller's bug, reported loudly. */
function runtimeValue(name: string, type: FactType, value: FactValue): RuntimeValue {
  switch (type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      break;
    case 'number':
    case 'integer':
      if (typeof value === 'number' && Number.isFinite(value)) return rationalFromNumber(value);
      break;
    case 'date':
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
      break;
    case 'enum':
    case 'string':
      if (typeof value === 'string') return value;
      break;
    case 'set':
      if (Array.isArray(value)) return value;
      break;
  }
  throw new TypeError(`事实 ${name} 的值 ${JSON.stringify(value)} 不是${type}类型`);
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering for people

export interface FactWording {
  label: string;
  valueLabels?: Readonly<Record<string, string>>;
}

/** The condition in words, e.g. "项目总投资（万元） ≥ 50 或 已委托监理". Facts without wording keep their names. */
export function describeCondition(condition: BoundCondition, wording: (fact: string) => FactWording | undefined): string {
  if (condition.always) return '无条件';
  return describe(condition.expr, wording, 0);
}

const PRECEDENCE = { or: 1, and: 2, not: 3, cmp: 4 } as const;

function describe(e: BoundExpr, wording: (fact: string) => FactWording | undefined, parent: number): string {
  const wrap = (own: number, text: string) => (own < parent ? `（${text}）` : text);
  switch (e.kind) {
    case 'bool':
      return e.value ? '是' : '否';
    case 'num':
      return e.value.d === 1n ? e.value.n.toString() : (Number(e.value.n) / Number(e.value.d)).toString();
    case 'str':
      return e.value;
    case 'fact':
      return wording(e.name)?.label ?? e.name;
    case 'not':
      return e.operand.kind === 'fact' ? `${describe(e.operand, wording, 0)}为否` : `并非（${describe(e.operand, wording, 0)}）`;
    case 'and':
      return wrap(PRECEDENCE.and, `${describe(e.left, wording, PRECEDENCE.and)} 且 ${describe(e.right, wording, PRECEDENCE.and)}`);
    case 'or':
      return wrap(PRECEDENCE.or, `${describe(e.left, wording, PRECEDENCE.or)} 或 ${describe(e.right, wording, PRECEDENCE.or)}`);
    case 'cmp': {
      const symbol = { '==': '=', '!=': '≠', '>=': '≥', '<=': '≤', '>': '>', '<': '<' }[e.op];
      const enumFact = e.left.kind === 'fact' ? wording(e.left.name) : undefined;
      const right = e.right.kind === 'str' && enumFact?.valueLabels?.[e.right.value] ? enumFact.valueLabels[e.right.value]! : describe(e.right, wording, PRECEDENCE.cmp);
      return `${describe(e.left, wording, PRECEDENCE.cmp)} ${symbol} ${right}`;
    }
    case 'contains': {
      const setFact = e.set.kind === 'fact' ? wording(e.set.name) : undefined;
      return `${describe(e.set, wording, PRECEDENCE.cmp)}含${setFact?.valueLabels?.[e.member] ?? e.member}`;
    }
    case 'arith':
      return `${describe(e.left, wording, PRECEDENCE.cmp)} ${e.op === '*' ? '×' : e.op === '/' ? '÷' : e.op} ${describe(e.right, wording, PRECEDENCE.cmp)}`;
    case 'neg':
      return `-${describe(e.operand, wording, PRECEDENCE.cmp)}`;
    case 'coalesce':
      return `${describe(e.left, wording, PRECEDENCE.cmp)}（未知时取${describe(e.right, wording, PRECEDENCE.cmp)}）`;
  }
}
