/**
 * Parsing the condition language of checklist rows into an unbound expression tree.
 *
 * Grammar, loosest binding first:
 *
 *   condition := 'always' | expr
 *   expr      := and ( '||' and )*
 *   and       := unary ( '&&' unary )*
 *   unary     := '!' unary | compare
 *   compare   := sum ( ( '==' | '!=' | '>=' | '<=' | '>' | '<' ) sum )?
 *              | sum 'contains' IDENT              -- set membership: changeKinds contains scope
 *              | IDENT ( '∈' | 'in' ) sum          -- the same, as the spec's row tables write it: scope ∈ changeKinds
 *   sum       := product ( ( '+' | '-' ) product )*
 *   product   := coalesce ( ( '*' | '/' ) coalesce )*
 *   coalesce  := atom ( '??' atom )*                -- a ?? b: a when known, else b
 *   atom      := NUMBER | 'true' | 'false' | IDENT | '(' expr ')' | '-' atom
 *
 * Identifiers name facts; binding (bind.ts) resolves them. Numbers stay as written until binding reads them as exact
 * decimals (extractors/fields/decimal.ts).
 */

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
