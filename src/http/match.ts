// Rule matching, compiled once: a method set, a precompiled path regex and an optional header name.
// The per-request path only does a Set lookup, one regex test and a property read.
import type { HttpRule } from '../scenario/schema-http';

export interface CompiledRule {
  readonly rule: HttpRule;
  readonly name: string;
  readonly methods: ReadonlySet<string>;
  readonly path: RegExp;
  readonly header: string | undefined;
}

/** `*` matches one path segment, `**` any number of them; everything else is literal. */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '/' && pattern.startsWith('/**', i) && (i + 3 === pattern.length || pattern[i + 3] === '/')) {
      out += '(?:/.*)?';
      i += 2;
    } else if (c === '*' && pattern[i + 1] === '*') {
      out += '.*';
      i += 1;
    } else if (c === '*') out += '[^/]*';
    else out += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

export function compileRules(rules: readonly HttpRule[]): CompiledRule[] {
  return rules.map((rule) => ({
    rule,
    name: rule.name,
    methods: new Set(rule.match.method),
    path: globToRegExp(rule.match.path),
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
