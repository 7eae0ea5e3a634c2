// Runs every check on every selected operation, one operation and one check at a time (so a total
// probe only sees this run's requests), and folds the results into one status.
import { messageOf, ProbeError, UnreachableError } from '../errors';
import { CHECKS } from './checks';
import { createCheckContext, type ContractLink } from './context';
import { result } from './evidence';
import { findOperations, type SelectOptions } from './operations';
import { preflightPlan } from './plan';
import { fetchFailure } from './send';
import { createProbeReader, type ProbeReader } from './probe';
import { loadOpenApi } from './spec-load';
import { startStoreLink, type StoreDownPolicy } from './store-link';
import { CHECK_NAMES, type CheckResult, type CheckStatus, type Operation } from './types';

export interface ContractOptions extends SelectOptions {
  openapi: string;
  baseUrl: string;
  seed: number;
  /** Makes keys unique to this run; bodies and decisions depend on the seed only. */
  runId: string;
  concurrency: number;
  timeoutMs: number;
  identityPointer?: string;
  /** Check 5: a link in front of the dedup store (the service must reach its store through `listen`). */
  storeLink?: { listen: string; target: string; policy: StoreDownPolicy };
  env?: NodeJS.ProcessEnv;
}

export type ContractStatus = 'pass' | 'fail' | 'inconclusive';

export interface OperationResult {
  id: string;
  method: string;
  path: string;
  operationId?: string;
  probe?: string;
  results: CheckResult[];
}

export interface ContractReport {
  spec: string;
  baseUrl: string;
  seed: number;
  runId: string;
  startedAt: string;
  endedAt: string;
  status: ContractStatus;
  reason: string;
  counts: Record<CheckStatus, number>;
  operations: OperationResult[];
}

/** Everything that can be wrong with the input is found before the first request (ConfigError, exit 2). */
export async function runContract(o: ContractOptions): Promise<ContractReport> {
  const startedAt = new Date().toISOString();
  const spec = await loadOpenApi(o.openapi);
  const ops = findOperations(spec.resolved, o.openapi, o);
  const plan = { baseUrl: o.baseUrl, seed: o.seed, file: o.openapi };
  preflightPlan(ops, CHECK_NAMES, plan);
  const readers: Array<ProbeReader | undefined> = [];
  let link: (ContractLink & { close(): Promise<void> }) | undefined;
  try {
    if (o.storeLink) link = await startStoreLink(o.storeLink.listen, o.storeLink.target, o.storeLink.policy);
    for (const op of ops) readers.push(op.probe ? createProbeReader(op.probe.name, op.probe.spec, op.probe.where, o.env) : undefined);
    await assertReachable(o.baseUrl, o.timeoutMs);
    const operations: OperationResult[] = [];
    for (const [i, op] of ops.entries()) {
      operations.push(await runOperation(op, i, readers[i], { ...o, link }, plan));
    }
    return summarize({ spec: o.openapi, baseUrl: o.baseUrl, seed: o.seed, runId: o.runId, startedAt }, operations);
  } finally {
    await Promise.allSettled([...readers.map((r) => r?.close()), link?.close()]);
  }
}

async function runOperation(op: Operation, index: number, probe: ProbeReader | undefined, o: ContractOptions & { link?: ContractLink }, plan: { baseUrl: string; seed: number; file: string }): Promise<OperationResult> {
  const ctx = createCheckContext(op, index, probe, { ...plan, ...o });
  const results: CheckResult[] = [];
  for (const name of CHECK_NAMES) {
    let r: CheckResult;
    const t0 = performance.now();
    if (op.unsupported) r = result(name, 'inconclusive', op.unsupported, []);
    else {
      try {
        r = await CHECKS[name](ctx);
      } catch (err) {
        const why = err instanceof ProbeError ? err.message : `unexpected error: ${messageOf(err)}`;
        r = result(name, 'inconclusive', why, []);
      }
    }
    r.durationMs = Math.round(performance.now() - t0);
    results.push(r);
  }
  return { id: op.id, method: op.method, path: op.path, operationId: op.operationId, probe: probe?.name, results };
}

async function assertReachable(baseUrl: string, timeoutMs: number): Promise<void> {
  try {
    await fetch(baseUrl, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new UnreachableError(baseUrl, fetchFailure(err));
  }
}

export function summarize(head: Omit<ContractReport, 'endedAt' | 'status' | 'reason' | 'counts' | 'operations'>, operations: OperationResult[]): ContractReport {
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, inconclusive: 0, 'not-applicable': 0 };
  for (const op of operations) for (const r of op.results) counts[r.status]++;
  let status: ContractStatus = 'pass';
  let reason = `${counts.pass} checks passed on ${operations.length} operations`;
  if (counts.fail) {
    status = 'fail';
    reason = `${counts.fail} checks failed`;
  } else if (counts.inconclusive) {
    status = 'inconclusive';
    reason = `${counts.inconclusive} checks could not be decided`;
  } else if (counts.pass === 0) {
    status = 'inconclusive';
    reason = 'no check applied: nothing was tested';
  }
  return { ...head, endedAt: new Date().toISOString(), status, reason, counts, operations };
}
