// Evidence: what backs a verdict, per rule and relay. A `pass` is a claim; it needs enough copies with
// a verdict-bearing outcome, successful originals, and either the books (an invariant over a side-effect
// probe that counts this rule) or every copy positively replayed or refused. Pure: counts in, words out.
import type { RuleCounts } from '../journal/tally';
import { LEAKING, OUTCOMES, POSITIVE, type Outcome } from '../journal/types';
import type { Invariant } from '../scenario/schema-probes';
import { isAllName, namesIn } from './expressions';
import { defaultName } from './invariants';

export interface RuleEvidence {
  kind: 'http' | 'kafka';
  originals: number;
  ops: number;
  /** Originals by answer (`2xx`, `401`, `no response`…). */
  originalStatuses: Record<string, number>;
  /** Copies sent, and planned copies that were not sent (by reason). */
  copies: number;
  dropped: Record<string, number>;
  outcomes: Record<Outcome, number>;
  /** How the copies were judged: replay header, same/different resource identity, status (a refusal,
   * 409), and the books (duplicates only the books could judge: `unverified` copies, client retries
   * after lost-reply, Kafka copies). */
  verified: { header: number; identity: number; status: number; books: number };
  /** Copies with a verdict-bearing outcome (what `evidence.minCopies` is compared with). */
  judged: number;
  /** Invariants that read the books for this rule (an upper bound over a side-effect probe). */
  books: string[];
  sufficient: boolean;
  /** Why not, in words a person can act on. */
  reason?: string;
}

export interface EvidenceInput {
  counts: RuleCounts;
  kind: 'http' | 'kafka';
  minCopies: number;
  books: string[];
  /** Invariants that would cover this rule but whose probe did not move while operations succeeded:
   * not counted as books (a count that saw none of the writes cannot show the duplicates). */
  unmoved?: string[];
  /** A relay that injects nothing (fraction 0) in a run that forces the service's own group to re-read:
   * its duplicates are the redeliveries, judged by the books alone (infra-faults.ts checks they happened). */
  forcedRedelivery?: boolean;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Invariants that bound this rule's side effects from above: extra executions would show in them. */
export function booksFor(name: string, invariants: readonly Invariant[], roleOf: (probe: string) => 'dedup' | 'side-effect'): string[] {
  return invariants
    .filter((inv) => roleOf(inv.probe) === 'side-effect')
    .filter((inv) => {
      const expr = inv.grows_by ?? inv.grows_at_most;
      return expr !== undefined && namesIn(expr).some((n) => n === name || isAllName(n));
    })
    .map((inv) => inv.name ?? defaultName(inv));
}

function describeStatuses(statuses: Record<string, number>, total: number): string {
  const top = Object.entries(statuses).sort((a, b) => b[1] - a[1]);
  return top
    .slice(0, 3)
    .map(([s, n]) => `${Math.round((100 * n) / total)}% ${s === 'no response' ? 'got no response' : `with ${s}`}`)
    .join(', ');
}

function originalsReason(name: string, c: RuleCounts): string {
  const s = c.statuses;
  const what = describeStatuses(s, c.originals);
  const auth = (s['401'] ?? 0) + (s['403'] ?? 0);
  let hint = 'check the service and the rule\'s traffic';
  if (auth * 2 >= c.originals) hint = 'check the credentials';
  else if ((s['no response'] ?? 0) * 2 >= c.originals) hint = 'is the upstream up and reachable from doubletap?';
  else if (Object.keys(s).some((k) => k.startsWith('5'))) hint = 'the service is failing: fix it before testing its duplicates';
  return `rule ${name}: no original succeeded (the service answered ${c.originals} originals: ${what}): ${hint}; nothing was tested`;
}

function droppedText(dropped: Record<string, number>): string {
  const list = Object.entries(dropped).map(([r, n]) => `${n} ${r}`);
  return list.length ? ` (not sent: ${list.join(', ')})` : '';
}

export function ruleEvidence(name: string, e: EvidenceInput): RuleEvidence {
  const c = e.counts;
  const booksCover = e.books.length > 0;
  const o = c.outcomes;
  const unverified = o.unverified;
  // Client retries of a seen key (lost-reply's duplicates) show only in the books, like unverified copies.
  const bookJudged = !booksCover ? 0 : e.kind === 'kafka' ? c.copies : unverified + c.retries;
  const positive = POSITIVE.reduce((n, k) => n + o[k], 0);
  const leaking = LEAKING.reduce((n, k) => n + o[k], 0);
  const judged = e.kind === 'kafka' ? bookJudged : positive + leaking + bookJudged;
  const ev: RuleEvidence = {
    kind: e.kind, originals: c.originals, ops: c.ops, originalStatuses: c.statuses, copies: c.copies, dropped: c.dropped,
    outcomes: c.outcomes, verified: { ...c.verifiedBy, books: bookJudged }, judged, books: e.books, sufficient: false,
  };
  const label = e.kind === 'kafka' ? `relay ${name}` : `rule ${name}`;
  if (c.originals === 0) ev.reason = `${label}: no ${e.kind === 'kafka' ? 'message' : 'request'} matched during the window: check its match and the traffic`;
  else if (c.ops === 0) ev.reason = originalsReason(name, c);
  else if (e.kind === 'kafka' && !booksCover) {
    ev.reason = `${label}: ${plural(c.copies, 'copy', 'copies')}, and a Kafka copy shows only in the books: ${noBooks(e)}add an invariant over a side-effect probe that counts ops(${name})`;
  } else if (e.forcedRedelivery) {
    // Sufficient: the books cover the relay, and the duplicates are the group's re-reads, not copies.
  } else if (judged < e.minCopies) ev.reason = shortReason(label, judged, e);
  else if (e.kind === 'http' && !booksCover && unverified > 0) {
    ev.reason = `${label}: ${plural(c.copies, 'copy', 'copies')}, ${unverified} \`unverified\` (${unverifiedWhy(c)}), and no probe reads the books: ${noBooks(e)}add a side-effect probe with an invariant over ops(${name}), or set http.rules[].responseId to the resource id in the answer`;
  }
  ev.sufficient = ev.reason === undefined;
  return ev;
}

/** When the rule had books that saw none of its writes, say so before what to add. */
function noBooks(e: EvidenceInput): string {
  if (!e.unmoved?.length) return '';
  return `${e.unmoved.join(', ')} did not move while ${plural(e.counts.ops, 'operation')} succeeded, so ${e.unmoved.length === 1 ? 'it does' : 'they do'} not see these writes; `;
}

/** Why copies could not be judged from their answers, most specific first. */
function unverifiedWhy(c: RuleCounts): string {
  const { repeats, echo } = c.identityIgnored;
  const parts: string[] = [];
  if (repeats > 0) parts.push(`${repeats} judged without the answers' id, which named one value for different operations: no resource identity`);
  if (echo > 0) parts.push(`${echo} whose only ids repeat what the request sent`);
  return parts.length > 0 ? parts.join('; ') : 'answers that name no resource: empty, constant, no id';
}

function shortReason(label: string, judged: number, e: EvidenceInput): string {
  const c = e.counts;
  const min = e.minCopies;
  const booksCover = e.books.length > 0;
  const o = c.outcomes;
  if (c.copies === 0 && c.retries === 0) return `${label}: no copy was sent${droppedText(c.dropped)}: raise the fraction or the budget, or run longer`;
  const only = OUTCOMES.filter((k) => o[k] > 0);
  if (only.length === 1 && only[0] === 'error') {
    return `${label}: ${plural(c.copies, 'copy', 'copies')}, all \`error\` (5xx, 429/408, 401/403/407, timeout or connection error): the duplicates were failed, throttled or refused before the write, so nothing shows whether the service deduplicates`;
  }
  // Too few judged because the answers cannot judge them: more traffic would not help, the books would.
  if (o.unverified > 0 && !booksCover) {
    const which = only.length === 1 ? 'all' : `${o.unverified} of them`;
    return `${label}: ${plural(c.copies, 'copy', 'copies')}, ${which} \`unverified\` (${unverifiedWhy(c)}), and no probe reads the books: ${noBooks(e)}add a side-effect probe with an invariant over ops(…), or set the rule's responseId`;
  }
  const seen = only.map((k) => `${o[k]} ${k}`).join(', ');
  return `${label}: only ${judged} of ${plural(c.copies, 'copy', 'copies')} have a verdict-bearing outcome (${seen}); at least ${min} are needed (evidence.minCopies): run longer or raise the fraction`;
}
