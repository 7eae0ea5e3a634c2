// Invariant expressions: numbers, + - * /, parentheses and doubletap's counts —
// ops(name), picked(name), originals(name), copies(name), copies(name, outcome); name `*` or `all` means
// every rule.
// Parsed with jsep into an AST and evaluated here (never eval/Function); anything else is refused.
import jsep from 'jsep';
import { OUTCOMES, type Outcome } from '../journal/types';
import type { RuleCounts } from '../journal/tally';

/** What expressions count from: Tally satisfies it. */
export interface CountSource {
  get(name: string): RuleCounts;
  totals(): RuleCounts;
}

const FUNCTIONS = new Set(['ops', 'picked', 'originals', 'copies']);
const ALL = new Set(['*', 'all']);
const CALL = /\b(ops|picked|originals|copies)\s*\(([^()]*)\)/g;

/** Quotes bare names inside count calls so `ops(create-order)` is not read as a subtraction. */
export function quoteCallArguments(text: string): string {
  return text.replace(CALL, (_m, fn: string, args: string) => {
    const quoted = args
      .split(',')
      .map((a) => a.trim())
      .map((a) => (a === '' || /^(['"]).*\1$/.test(a) ? a : JSON.stringify(a)));
    return `${fn}(${quoted.join(', ')})`;
  });
}

export function parseExpression(text: string): jsep.Expression {
  try {
    return jsep(quoteCallArguments(text));
  } catch (err) {
    throw new Error(`cannot parse ${JSON.stringify(text)}: ${(err as Error).message}`);
  }
}

interface Call {
  fn: 'ops' | 'picked' | 'originals' | 'copies';
  name: string;
  outcome?: Outcome;
}

/** Walks the AST once; `onCall` sees every count call. Throws on anything outside the grammar. */
function walk(node: jsep.Expression, onCall: (c: Call) => number): number {
  switch (node.type) {
    case 'Literal': {
      const v = (node as jsep.Literal).value;
      if (typeof v !== 'number') throw new Error(`unexpected ${JSON.stringify(v)} outside a count function`);
      return v;
    }
    case 'UnaryExpression': {
      const u = node as jsep.UnaryExpression;
      if (u.operator !== '-' && u.operator !== '+') throw new Error(`operator ${u.operator} is not supported (use + - * /)`);
      const v = walk(u.argument, onCall);
      return u.operator === '-' ? -v : v;
    }
    case 'BinaryExpression': {
      const b = node as jsep.BinaryExpression;
      const l = walk(b.left, onCall);
      const r = walk(b.right, onCall);
      switch (b.operator) {
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        case '/': return l / r;
        default: throw new Error(`operator ${b.operator} is not supported (use + - * /)`);
      }
    }
    case 'CallExpression': {
      const c = node as jsep.CallExpression;
      const callee = c.callee.type === 'Identifier' ? (c.callee as jsep.Identifier).name : '(expression)';
      if (!FUNCTIONS.has(callee)) throw new Error(`unknown function ${callee} (use ops, picked, originals or copies)`);
      const args = c.arguments.map((a) => (a.type === 'Literal' && typeof (a as jsep.Literal).value === 'string' ? String((a as jsep.Literal).value) : undefined));
      const max = callee === 'copies' ? 2 : 1;
      if (args.length < 1 || args.length > max || args.some((a) => a === undefined)) {
        throw new Error(`${callee}() takes ${callee === 'copies' ? 'a rule or relay name and an optional outcome' : 'one rule or relay name'}`);
      }
      const outcome = args[1];
      if (outcome !== undefined && !(OUTCOMES as readonly string[]).includes(outcome)) {
        throw new Error(`unknown outcome ${outcome} (one of ${OUTCOMES.join(', ')})`);
      }
      return onCall({ fn: callee as Call['fn'], name: args[0]!, outcome: outcome as Outcome | undefined });
    }
    case 'Identifier':
      throw new Error(`unknown name ${(node as jsep.Identifier).name} (counts are ops(name), originals(name), copies(name[, outcome]))`);
    default:
      throw new Error(`${node.type} is not supported (use numbers, + - * /, parentheses and count functions)`);
  }
}

/** undefined if `text` is a valid expression over `knownNames`; otherwise the reason (prefix the path yourself). */
export function checkExpression(text: string, knownNames: Iterable<string>): string | undefined {
  const known = new Set(knownNames);
  try {
    walk(parseExpression(text), (c) => {
      if (!ALL.has(c.name) && !known.has(c.name)) {
        const list = [...known].join(', ') || 'none';
        throw new Error(`${c.fn}(${c.name}): no rule or relay named ${c.name} (known: ${list})`);
      }
      return 0;
    });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The rule/relay names an expression counts from (`*`/`all` included as written); [] if it does not parse. */
export function namesIn(text: string): string[] {
  const names: string[] = [];
  try {
    walk(parseExpression(text), (c) => (names.push(c.name), 0));
  } catch {
    return [];
  }
  return [...new Set(names)];
}

/** True when `name` is `*` or `all` (every rule and relay). */
export const isAllName = (name: string): boolean => ALL.has(name);

/** The expression's value from the counts; throws on a malformed expression or a non-finite result. */
export function evaluateExpression(text: string, counts: CountSource): number {
  const value = walk(parseExpression(text), (c) => {
    const rc = ALL.has(c.name) ? counts.totals() : counts.get(c.name);
    if (c.fn === 'ops') return rc.ops;
    if (c.fn === 'picked') return rc.picked;
    if (c.fn === 'originals') return rc.originals;
    return c.outcome ? rc.outcomes[c.outcome] : rc.copies;
  });
  if (!Number.isFinite(value)) throw new Error(`${text} is not a finite number (division by zero?)`);
  return value;
}
