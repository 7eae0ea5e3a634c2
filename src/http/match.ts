// Rule matching, compiled once: a method set, a path matcher and an optional header name.
// The per-request path only does a Set lookup, one path match and a property read.
import type { HttpRule } from '../scenario/schema-http';

export interface PathMatcher {
  test(path: string): boolean;
}

export interface CompiledRule {
  readonly rule: HttpRule;
  readonly name: string;
  readonly methods: ReadonlySet<string>;
  readonly path: PathMatcher;
  readonly header: string | undefined;
}

/** One step of a compiled glob. `optslash` is `(/.*)?` and is always followed by its `globstar`. */
type Token = { k: 'lit'; c: string } | { k: 'star' } | { k: 'globstar' } | { k: 'optslash' };

/**
 * `*` matches within one path segment, `**` any number of them; everything else is literal.
 * Matched by simulating all positions at once (Thompson NFA), never by a backtracking regex: a
 * hostile path costs O(path × pattern), so `/**\/a/**\/b/**` against a 13 KB path cannot stall the
 * event loop (and every original waiting behind it).
 */
export function compileGlob(pattern: string): PathMatcher {
  if (!pattern.includes('*')) return { test: (p) => p === pattern };
  if (pattern === '/**') return { test: (p) => p === '' || p.charCodeAt(0) === 47 };
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '/' && pattern.startsWith('/**', i) && (i + 3 === pattern.length || pattern[i + 3] === '/')) {
      tokens.push({ k: 'optslash' }, { k: 'globstar' });
      i += 2;
    } else if (c === '*' && pattern[i + 1] === '*') {
      tokens.push({ k: 'globstar' });
      i += 1;
    } else if (c === '*') tokens.push({ k: 'star' });
    else tokens.push({ k: 'lit', c });
  }
  return { test: (path) => simulate(tokens, path) };
}

function simulate(tokens: readonly Token[], s: string): boolean {
  const m = tokens.length;
  // Active positions as short lists, deduplicated by a generation stamp: the work per character is
  // the number of live positions (a handful), not the pattern length.
  const mark = new Uint32Array(m + 1);
  let gen = 1;
  let cur: number[] = [];
  let next: number[] = [];
  const add = (list: number[], i: number): void => {
    if (mark[i] === gen) return;
    mark[i] = gen;
    list.push(i);
    if (i === m) return;
    const t = tokens[i];
    // Stars match the empty string; an optional `/**` can be skipped whole.
    if (t.k === 'star' || t.k === 'globstar') add(list, i + 1);
    else if (t.k === 'optslash') add(list, i + 2);
  };
  add(cur, 0);
  for (let j = 0; j < s.length; j++) {
    const ch = s[j];
    gen++;
    next.length = 0;
    for (const i of cur) {
      if (i === m) continue;
      const t = tokens[i];
      if (t.k === 'lit') {
        if (t.c === ch) add(next, i + 1);
      } else if (t.k === 'star') {
        if (ch !== '/') add(next, i);
      } else if (t.k === 'globstar') add(next, i);
      else if (ch === '/') add(next, i + 1);
    }
    if (next.length === 0) return false;
    [cur, next] = [next, cur];
  }
  return cur.includes(m);
}

export function compileRules(rules: readonly HttpRule[]): CompiledRule[] {
  return rules.map((rule) => ({
    rule,
    name: rule.name,
    methods: new Set(rule.match.method),
    path: compileGlob(rule.match.path),
    header: rule.match.header,
  }));
}

/** The request path without its query string. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** First rule that matches wins; undefined when none does. */
export function matchRule(
  rules: readonly CompiledRule[],
  method: string,
  url: string,
  headers: Readonly<Record<string, unknown>>,
): CompiledRule | undefined {
  let path: string | undefined;
  for (const r of rules) {
    if (!r.methods.has(method)) continue;
    path ??= pathOf(url);
    if (!r.path.test(path)) continue;
    if (r.header !== undefined && headers[r.header] === undefined) continue;
    return r;
  }
  return undefined;
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Metric label for a method: a client can send any token, labels must stay low-cardinality. */
export function methodLabel(method: string | undefined): string {
  return method !== undefined && KNOWN_METHODS.has(method) ? method : 'OTHER';
}
