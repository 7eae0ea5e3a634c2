// Builds the concrete requests of a check: URL with path and query parameters, headers, a JSON body —
// all from the seed, the operation and the check, so the same seed sends the same requests.
import { ConfigError } from '../errors';
import { canonicalJson } from '../http/response-identity';
import { generate, rngFor } from './generate';
import type { Operation, PlannedRequest } from './types';

export interface PlanOptions {
  baseUrl: string;
  seed: number;
  /** `file#` prefix for generation errors, so they point into the document. */
  file: string;
}

/** The request for `check`; `variant` > 0 gives another body for the same operation. */
export function planRequest(op: Operation, check: string, variant: number, o: PlanOptions): PlannedRequest {
  const rng = rngFor(o.seed, op.id, check, variant);
  const at = (pointer: string) => `${o.file}#${pointer}`;
  let path = op.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const p of op.parameters) {
    // Parameters stay the same across variants: a changed body must reach the same resource.
    const value = p.example ?? generate(p.schema, rngFor(o.seed, op.id, check, p.in, p.name), at(`${p.pointer}/schema`));
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (p.in === 'path') path = path.replaceAll(`{${p.name}}`, encodeURIComponent(text));
    else if (p.in === 'query' && p.required) query.set(p.name, text);
    else if (p.in === 'header' && p.required) headers[p.name] = text;
  }
  const qs = query.toString();
  const url = o.baseUrl.replace(/\/+$/, '') + path + (qs ? `?${qs}` : '');
  if (!op.body) return { url, headers };
  headers['content-type'] = op.body.mediaType;
  const useExample = op.body.example !== undefined && variant === 0 && check === 'sequential-duplicate';
  return { url, headers, body: useExample ? op.body.example : generate(op.body.schema, rng, at(op.body.pointer)) };
}

/** A request like `first` but with another valid body; undefined when the schema allows only one. */
export function planOtherBody(op: Operation, check: string, first: PlannedRequest, o: PlanOptions): PlannedRequest | undefined {
  if (first.body === undefined) return undefined;
  const same = canonicalJson(first.body);
  for (let variant = 1; variant <= 20; variant++) {
    const other = planRequest(op, check, variant, o);
    if (canonicalJson(other.body) !== same) return other;
  }
  return undefined;
}

/** Plans every body up front, so a schema we cannot satisfy is a spec error (exit 2) before any request. */
export function preflightPlan(ops: Operation[], checks: readonly string[], o: PlanOptions): void {
  const issues: string[] = [];
  for (const op of ops) {
    if (op.unsupported) continue;
    for (const c of checks) {
      try {
        planRequest(op, c, 0, o);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        issues.push(...err.issues);
        break;
      }
    }
  }
  if (issues.length) throw new ConfigError([...new Set(issues)]);
}
