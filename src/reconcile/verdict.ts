// The verdict: status (aborted > inconclusive > fail > pass), counts from the tally and journal,
// probe deltas and invariant results. verdict.json is a contract; see docs/architecture.md.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../errors';
import type { Tally } from '../journal/tally';
import { OUTCOMES, type JournalEntry, type Outcome } from '../journal/types';
import type { Scenario } from '../scenario/schema';
import { applyInfraFaults, readInfraFaults } from './infra-faults';
import { evaluateInvariants } from './invariants';
import { JournalSummary } from './journal-summary';
import { readJournal } from './journal-reader';
import { compareSnapshots, type Snapshot } from './snapshot';
import { booksFor, ruleEvidence, type RuleEvidence } from './evidence';
import { outcomeCheck, settleReason, withKeyedHint } from './verdict-reasons';
import type { ProbeReading, RuleSummary, SettleResult, Verdict, VerdictStatus } from './types';

export interface VerdictInput {
  scenario: Scenario;
  startedAt: Date | string;
  endedAt: Date | string;
  /** Why the run was aborted (stop condition, halt); sets status aborted. */
  aborted?: string;
  before: Snapshot;
  after: Snapshot;
  tally: Tally;
  /**
   * For per-fault outcomes and the leaked list, one of: the entries, a ready `journalSummary`, or the
   * journal file (streamed; flush/close the Journal first or the last lines may be missing).
   */
  journalEntries?: Iterable<JournalEntry> | AsyncIterable<JournalEntry>;
  journalSummary?: JournalSummary;
  journalFile?: string;
  kafka?: { redeliveries: number };
  dryRun?: boolean;
  settle?: SettleResult;
  /** Keyed probes: which rule's keys, and how many were bound. */
  keyed?: Record<string, NonNullable<ProbeReading['keyed']>>;
}

const iso = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString());
const zeroOutcomes = () => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;

async function summaryOf(input: VerdictInput): Promise<JournalSummary> {
  if (input.journalSummary) return input.journalSummary;
  const summary = new JournalSummary();
  const entries = input.journalEntries ?? (input.journalFile && existsSync(input.journalFile) ? readJournal(input.journalFile) : []);
  for await (const e of entries) summary.add(e);
  return summary;
}

export async function buildVerdict(input: VerdictInput): Promise<Verdict> {
  const { scenario, tally } = input;
  const summary = await summaryOf(input);
  const relays = new Set([...(scenario.kafka?.relays.map((r) => r.name) ?? []), ...summary.relays]);
  // Names before the invariants run: evaluating ops(x) must not invent an empty rule x.
  const names = [...new Set([...(scenario.http?.rules.map((r) => r.name) ?? []), ...(scenario.kafka?.relays.map((r) => r.name) ?? []), ...tally.names()])];

  const http = { originals: 0, copies: 0, outcomes: zeroOutcomes() };
  const kafka: Verdict['kafka'] = { originals: 0, copies: 0 };
  if (input.kafka) kafka.redeliveries = input.kafka.redeliveries;
  const rules: Record<string, RuleSummary> = {};
  for (const name of names) {
    const c = tally.get(name);
    rules[name] = { originals: c.originals, ops: c.ops, copies: c.copies, byFault: summary.byFault.get(name) ?? {} };
    if (relays.has(name)) {
      kafka.originals += c.originals;
      kafka.copies += c.copies;
    } else {
      http.originals += c.originals;
      http.copies += c.copies;
      for (const o of OUTCOMES) http.outcomes[o] += c.outcomes[o];
    }
  }

  const before: Snapshot = { ...input.before };
  const after: Snapshot = { ...input.after };
  for (const name of Object.keys(scenario.probes)) {
    before[name] ??= { value: null, error: 'not read' };
    after[name] ??= { value: null, error: 'not read' };
  }
  const probes = compareSnapshots(before, after);
  // Only dedup counters are marked: an unmarked probe is a side effect (the report's default).
  const roleOf = (name: string) => probeRole(name, scenario.invariants);
  for (const [name, reading] of Object.entries(probes)) if (roleOf(name) === 'dedup') reading.role = 'dedup';
  for (const [name, keyed] of Object.entries(input.keyed ?? {})) if (probes[name]) probes[name].keyed = keyed;
  // Extra rows that copies already explain (a new id per duplicate) need no hint about other writers.
  const explained = http.outcomes['re-executed'] > 0;
  const invariants = evaluateInvariants(scenario.invariants, probes, tally).map((r, i) => (explained ? r : withKeyedHint(r, scenario.invariants[i].probe, probes)));

  const evidence: Record<string, RuleEvidence> = {};
  for (const name of names) {
    // A bound over a probe that saw none of the rule's writes bounds nothing (a grows_at_most over the
    // wrong table holds at 0): such books do not judge the copies only they could judge.
    const covering = booksFor(name, scenario.invariants, roleOf);
    const unmoved = tally.get(name).ops > 0 ? covering.filter((b) => invariants.find((i) => i.name === b)?.actual === 0) : [];
    const books = covering.filter((b) => !unmoved.includes(b));
    const forcedRedelivery = (scenario.kafka?.redeliver?.length ?? 0) > 0 && scenario.kafka?.relays.find((r) => r.name === name)?.fraction === 0;
    evidence[name] = ruleEvidence(name, { counts: tally.get(name), kind: relays.has(name) ? 'kafka' : 'http', minCopies: scenario.evidence.minCopies, books, unmoved, forcedRedelivery });
  }
  // The books win over an answer: a copy that named a new resource while every bound on this rule's
  // side effects held exactly is a service handing out fresh ids for duplicates, not a second write.
  const contradicted = (name: string) => {
    const ev = evidence[name];
    const held = ev.books.length > 0 && ev.books.every((b) => invariants.find((i) => i.name === b)?.ok === true);
    return held ? ev.outcomes['re-executed'] : 0;
  };
  const outcomes = { ...http.outcomes };
  const forgiven = names.filter((n) => !relays.has(n)).reduce((sum, n) => sum + contradicted(n), 0);
  outcomes['re-executed'] -= forgiven;
  const outcomeRow = scenario.failOn.length > 0 ? outcomeCheck(scenario.failOn, outcomes, forgiven) : undefined;
  if (outcomeRow) invariants.push(outcomeRow);

  let status: VerdictStatus = 'pass';
  let reason: string | undefined;
  const unread = Object.entries(probes).filter(([, r]) => r.before === null || r.after === null);
  const failed = invariants.filter((i) => !i.ok && !i.blind);
  const blind = invariants.filter((i) => i.blind);
  const lacking = Object.values(evidence).filter((e) => !e.sufficient);
  const settle = input.settle;
  const violated = () => `${failed.length} of ${invariants.length} invariant${invariants.length === 1 ? '' : 's'} violated: ${failed.map((f) => f.detail).join('; ')}`;
  if (input.aborted !== undefined) {
    status = 'aborted';
    reason = input.aborted;
  } else if (outcomeRow && !outcomeRow.ok) {
    // A copy that named a new resource (or a reused key that got a success) is direct evidence.
    status = 'fail';
    reason = violated();
  } else if (http.originals + kafka.originals === 0) {
    // No request reached the proxy and no message the relay: nothing was tested, so nothing passed.
    status = 'inconclusive';
    reason = 'no traffic: no request reached the proxy and no message reached a relay during the run';
  } else if (unread.length > 0) {
    status = 'inconclusive';
    reason = unread.map(([name, r]) => `probe ${name} could not be read${r.error ? ` (${r.error})` : ''}`).join('; ');
  } else if (settle && (!settle.drained || settle.unstable.length > 0)) {
    status = 'inconclusive';
    reason = settleReason(settle, scenario.settle, settle.unstable.some((n) => !probes[n]?.keyed));
  } else if (failed.length > 0) {
    status = 'fail';
    reason = violated();
  } else if (blind.length > 0) {
    status = 'inconclusive';
    reason = blind.map((b) => b.detail).join('; ');
  } else if (lacking.length > 0) {
    status = 'inconclusive';
    const dry = input.dryRun ?? scenario.dryRun;
    reason = dry ? 'dry run: every decision was journaled and no copy was sent, so nothing was judged' : lacking.map((e) => e.reason).join('; ');
  }

  const verdict: Verdict = {
    scenario: scenario.name,
    status,
    seed: scenario.seed,
    startedAt: iso(input.startedAt),
    endedAt: iso(input.endedAt),
    ...(reason !== undefined ? { reason } : {}),
    ...(input.dryRun ?? scenario.dryRun ? { dryRun: true } : {}),
    environment: scenario.gate.environment,
    http,
    kafka,
    rules,
    probes,
    invariants,
    leaked: summary.leaked,
    leakedTotal: summary.leakedTotal,
    evidence,
    ...(settle ? { settle } : {}),
  };
  return applyInfraFaults(verdict, await readInfraFaults(scenario, input));
}

/**
 * A probe compared against replayed copies (`grows_at_least: copies(rule, replayed)`) counts absorbed
 * duplicates; without such an invariant, a name with "dedup" or "hits" says the same. The report
 * charts dedup counters apart from side effects.
 */
export function probeRole(name: string, invariants: Scenario['invariants']): 'dedup' | 'side-effect' {
  const dedupInvariant = invariants.some((i) => i.probe === name && i.grows_at_least !== undefined && /copies\s*\([^)]*replayed/.test(i.grows_at_least));
  return dedupInvariant || /dedup|hits/i.test(name) ? 'dedup' : 'side-effect';
}

export function verdictExitCode(status: VerdictStatus): number {
  return EXIT[status];
}

/**
 * Writes DIR/verdict.json atomically (temp file + rename): a CI reader never sees half a verdict.
 * Synchronous on purpose: the report is rendered from the file right after.
 */
export function writeVerdict(dir: string, verdict: Verdict): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'verdict.json');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(verdict, null, 2) + '\n');
  renameSync(tmp, file);
  return file;
}

