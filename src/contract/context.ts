// What every check gets: its operation, how to plan and send requests, the probe, and what earlier
// checks of the same operation learned (the side effects of one execution).
import { generate, rngFor } from './generate';
import type { ProbeReader } from './probe';
import { planOtherBody, planRequest, type PlanOptions } from './plan';
import { ok, sameResource } from './evidence';
import { send, type SendOptions } from './send';
import type { Answer, CheckName, Operation, PlannedRequest } from './types';

export interface ContractLink {
  /** The dedup store is down while `during` runs. From src/links once it lands. */
  outage<T>(during: () => Promise<T>): Promise<T>;
  /** The declared policy (`onStoreDown` of src/links) and the statuses it allows while the store is down. */
  policy: 'fail-closed' | 'fail-open';
  expectStatus: number[];
}

export interface CheckContext {
  op: Operation;
  concurrency: number;
  /** A fresh key per check and run: a previous run's stored answer must never be replayed into this one. */
  key(check: CheckName): string;
  request(check: CheckName): PlannedRequest;
  otherBody(check: CheckName, first: PlannedRequest): PlannedRequest | undefined;
  send(req: PlannedRequest, key: string | undefined): Promise<Answer>;
  probe?: ProbeReader;
  /**
   * Another operation (fresh key, its own body and parameters), sent at most once per operation and only
   * when a check would rest on the answers' identity alone: if it names the same identity, that field
   * is no resource id (a store, a currency, a constant) and equal ids prove nothing.
   */
  control(): Promise<Answer>;
  /** Side-effect units of one execution, measured by the sequential check; used by the concurrent one. */
  learned: { unit?: number };
  link?: ContractLink;
}

export interface ContextOptions extends PlanOptions, Omit<SendOptions, 'method'> {
  runId: string;
  concurrency: number;
  link?: ContractLink;
}

export function createCheckContext(op: Operation, index: number, probe: ProbeReader | undefined, o: ContextOptions): CheckContext {
  let control: Promise<Answer> | undefined;
  const sendOp = (req: PlannedRequest, key: string | undefined) => send(req, key, { ...o, method: op.method });
  return {
    op,
    concurrency: o.concurrency,
    key: (check) => makeKey(op, `dt-${o.runId}-${index}-${check}`),
    request: (check) => planRequest(op, check, 0, o),
    otherBody: (check, first) => planOtherBody(op, check, first, o),
    send: sendOp,
    control: () => (control ??= sendOp(planRequest(op, CONTROL, 0, o), makeKey(op, `dt-${o.runId}-${index}-${CONTROL}`))),
    probe,
    learned: {},
    link: o.link,
  };
}

const CONTROL = 'identity-control';

/** True when the answer's identity also names the control operation: then it proves nothing about this one. */
export async function identityIsShared(ctx: CheckContext, answer: Answer): Promise<boolean> {
  if (answer.identityValue === undefined) return false;
  const c = await ctx.control();
  return ok(c) && sameResource(c, answer) === 'same';
}

/** Readable keys, unless the spec wants a uuid: then one derived from the same parts (still unique per run). */
function makeKey(op: Operation, readable: string): string {
  if (op.keySchema?.format !== 'uuid') return readable;
  return String(generate({ type: 'string', format: 'uuid' }, rngFor(readable), op.pointer));
}

/** Reads the probe for `key` (keyed probes) or in total; undefined when there is no probe. */
export async function readProbe(ctx: CheckContext, key: string | undefined): Promise<number | undefined> {
  if (!ctx.probe || (ctx.probe.keyed && key === undefined)) return undefined;
  return ctx.probe.read(key);
}

/** Sends the requests one after another with `key`, reading the probe before the first and after each. */
export async function sendInTurn(ctx: CheckContext, key: string, requests: PlannedRequest[]): Promise<{ answers: Answer[]; readings: Array<number | undefined> }> {
  const readings = [await readProbe(ctx, key)];
  const answers: Answer[] = [];
  for (const req of requests) {
    answers.push(await ctx.send(req, key));
    readings.push(await readProbe(ctx, key));
  }
  return { answers, readings };
}
