// Faults in the service's own infrastructure, read back from the journal: link outages (what each rule
// did while its store was away) and forced consumer redeliveries. Added to the verdict in one call.
import { existsSync } from 'node:fs';
import type { JournalEntry } from '../journal/types';
import type { Scenario } from '../scenario/schema';
import { readJournal } from './journal-reader';
import { StoreDownEvaluator, storeDownInvariant, type StoreDownResult } from './store-down';
import type { Verdict } from './types';

export interface ForcedRedeliveries {
  rebalances: number;
  rewinds: number;
  /** Messages the service's groups were made to read again, from the journaled offsets. */
  messages: number;
  skipped: number;
}

/** One link cut window as journaled (`kind: link`). */
export interface LinkWindowSummary {
  link: string;
  mode: string;
  start: string;
  end: string;
  connections: number;
  cutShort?: string;
}

export interface InfraFaults {
  storeDown: Record<string, StoreDownResult>;
  linkWindows?: LinkWindowSummary[];
  redeliveries?: ForcedRedeliveries;
}

export async function readInfraFaults(
  scenario: Scenario, source: { journalFile?: string; journalEntries?: Iterable<JournalEntry> | AsyncIterable<JournalEntry> },
): Promise<InfraFaults> {
  const hasLinks = (scenario.links?.length ?? 0) > 0 || [...(scenario.http?.rules ?? []), ...(scenario.kafka?.relays ?? [])].some((r) => r.onStoreDown);
  const hasRedeliver = (scenario.kafka?.redeliver?.length ?? 0) > 0;
  if (!hasLinks && !hasRedeliver) return { storeDown: {} };
  // A one-shot iterator may have been read already by the summary: prefer the file, else an array.
  const entries = () => (source.journalFile && existsSync(source.journalFile) ? readJournal(source.journalFile) : Array.isArray(source.journalEntries) ? source.journalEntries : []);
  const redeliveries: ForcedRedeliveries = { rebalances: 0, rewinds: 0, messages: 0, skipped: 0 };
  const linkWindows: LinkWindowSummary[] = [];
  // Two passes: a window's line is written when it ends, after the attempts it covers.
  for await (const e of entries()) {
    if (e.kind === 'link') {
      linkWindows.push({ link: e.link ?? '?', mode: e.mode ?? '?', start: e.start ?? '', end: e.end ?? '', connections: e.connections ?? 0, ...(e.cutShort ? { cutShort: e.cutShort } : {}) });
    } else if (e.kind === 'redeliver') {
      if (e.reason) redeliveries.skipped += 1;
      else if (e.fault === 'rewind') redeliveries.rewinds += 1;
      else redeliveries.rebalances += 1;
      redeliveries.messages += e.count ?? 0;
    }
  }
  const evaluator = new StoreDownEvaluator(scenario, linkWindows);
  if (linkWindows.length > 0) for await (const e of entries()) evaluator.add(e);
  return { storeDown: evaluator.results(), ...(hasLinks ? { linkWindows } : {}), ...(hasRedeliver ? { redeliveries } : {}) };
}

/**
 * Adds `storeDown` (per rule) and `kafka.forcedRedeliveries` to the verdict, one invariant row per
 * declared rule. A violated row turns pass into fail; a declared rule with no request inside an
 * outage turns pass into inconclusive (the outage tested nothing). aborted and inconclusive stay.
 */
export function applyInfraFaults(verdict: Verdict, faults: InfraFaults): Verdict {
  if (faults.redeliveries) verdict.kafka.forcedRedeliveries = faults.redeliveries;
  // A pass-through relay's evidence is the forced redelivery (reconcile/evidence.ts): a rewind that
  // re-presented nothing (or none that happened at all) tested nothing.
  const r = faults.redeliveries;
  if (verdict.status === 'pass' && r && r.rebalances === 0 && r.messages === 0) {
    verdict.status = 'inconclusive';
    verdict.reason = `the forced redelivery re-presented no message to the service's group${r.skipped ? ` (${r.skipped} skipped)` : ''}: nothing was tested; produce traffic before \`at\` or move it later`;
  }
  if (faults.linkWindows) verdict.linkWindows = faults.linkWindows;
  if (Object.keys(faults.storeDown).length === 0) return verdict;
  verdict.storeDown = faults.storeDown;
  const rows = Object.entries(faults.storeDown).flatMap(([name, r]) => storeDownInvariant(name, r) ?? []);
  verdict.invariants.push(...rows);
  const failed = rows.filter((r) => !r.ok);
  const untested = Object.entries(faults.storeDown).filter(([, r]) => r.declared && r.observed === 'untested').map(([n]) => n);
  if (verdict.status === 'pass' && failed.length > 0) {
    verdict.status = 'fail';
    verdict.reason = failed.map((f) => f.detail).join('; ');
  } else if (verdict.status === 'fail' && failed.length > 0) {
    verdict.reason = [verdict.reason, ...failed.map((f) => f.detail)].filter(Boolean).join('; ');
  } else if (verdict.status === 'pass' && untested.length > 0) {
    verdict.status = 'inconclusive';
    verdict.reason = `no request of ${untested.join(', ')} started inside a link outage: lengthen the window or raise the traffic`;
  }
  return verdict;
}
