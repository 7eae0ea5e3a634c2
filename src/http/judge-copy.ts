// Judging one copy's answer in the context only the proxy has: the other copies of the same original,
// and the other operations of the same rule. A fault's judge (src/faults) sees two answers; these are
// the cases where two answers alone mislead:
//  - an identity that names more than one operation is no resource identity (a store, a currency, a
//    status): equal values prove nothing, so the rule's answers are judged without it from then on;
//  - an id that only repeats the request (src/http/response-identity.ts, echoes) is no identity either;
//  - an identical copy naming the resource a sibling copy created replays that sibling's execution;
//  - a replay header on the original itself (sent before any copy of it) is set on every answer, so it
//    proves nothing on a copy either: the rule's headers are ignored from then on.
import { fingerprint } from '../chaos/recent-keys';
import type { Answer, FaultDriver, Judgement } from '../faults';
import { classify } from './classify';
import type { Exchange } from './exchange';
import type { CompiledRule } from './match';
import type { PlannedCopy } from './planned-copy';

/** Why a copy was judged without a resource identity (journal `identityIgnored`). */
export type IdentityIgnored = 'echo' | 'repeats';

export interface CopyJudgement extends Judgement {
  identityIgnored?: IdentityIgnored;
}

/** Identities remembered per rule to see one repeat across operations; past this the oldest go. */
const OWNERS_CAPACITY = 10_000;

/**
 * Which operation each identity a rule's answers named belongs to. 53-bit fingerprints (see
 * recent-keys.ts): a few dozen bytes an identity, bounded, and cleared once a repeat is seen, since
 * from then on the rule's identities are not used at all.
 */
class IdentityOwners {
  private readonly owners = new Map<number, number>();
  repeated = false;
  /** Originals answered before any copy of theirs, seen with and without the replay header. One stray
   * replay (a key first sent before the window) does not condemn the header; a header on all does. */
  headerOnFirst = false;
  headerOffFirst = false;

  get headerAlwaysOn(): boolean {
    return this.headerOnFirst && !this.headerOffFirst;
  }

  note(identity: string | undefined, operation: string): void {
    if (identity === undefined || this.repeated) return;
    const id = fingerprint(identity);
    const op = fingerprint(operation);
    const owner = this.owners.get(id);
    if (owner === undefined) {
      if (this.owners.size >= OWNERS_CAPACITY) this.owners.delete(this.owners.keys().next().value!);
      this.owners.set(id, op);
    } else if (owner !== op) {
      this.repeated = true;
      this.owners.clear();
    }
  }
}

export class CopyJudge {
  /** Weak: a standing proxy re-armed with new rules starts afresh. */
  private readonly byRule = new WeakMap<CompiledRule, IdentityOwners>();
  /** Per original, the resources its copies judged re-executed named (see amongSiblings). Weak, and
   * here rather than on the Exchange: every matched request makes one, few ever need this. */
  private readonly executed = new WeakMap<Exchange, Set<string>>();

  /** `reference`: the original's answer, or the stand-in copy that did the operation's one execution. */
  judge(copy: PlannedCopy, driver: FaultDriver, result: Answer, reference: Answer | undefined): CopyJudgement {
    const { ex } = copy;
    const owners = this.ownersOf(ex.rule);
    // Only the operation's own answer is recorded: a copy naming another operation's resource (a
    // service replaying the wrong key's answer) must be judged against it, not hide itself as a repeat.
    owners.note(reference?.identity, operationOf(copy));
    // After-response copies go out once the original is answered: the original was the first request
    // with its key, so a replay header on it is not a replay. (A burst copy may legitimately beat its
    // original, whose header is then true.)
    if (driver.clock === 'after-response' && reference === ex.original) {
      if (reference?.replayedHeader) owners.headerOnFirst = true;
      else owners.headerOffFirst = true;
    }
    // Object.assign, not spreads: see withoutIdentity.
    if (owners.headerAlwaysOn) result = Object.assign({}, result, { replayedHeader: undefined });
    if (owners.repeated && (result.identity !== undefined || reference?.identity !== undefined)) {
      const judged = classify(driver, withoutIdentity(result), reference && withoutIdentity(reference));
      return judged.outcome === 'unverified' ? Object.assign({}, judged, { identityIgnored: 'repeats' as const }) : judged;
    }
    const judged = this.amongSiblings(copy, classify(driver, result, reference), result);
    return result.identityEcho && judged.outcome === 'unverified' ? Object.assign({}, judged, { identityIgnored: 'echo' as const }) : judged;
  }

  /** A copy that overtook an original that did not succeed: its identity is the operation's. */
  noteExecution(copy: PlannedCopy, result: Answer): void {
    this.ownersOf(copy.ex.rule).note(result.identity, operationOf(copy));
  }

  /**
   * A service that executed one duplicate stores that execution's answer, and the next identical
   * duplicate gets it replayed: a resource other than the original's, but no new write. Judged alone it
   * would read as a second re-execution, and the journal would claim one write more than the books
   * show (check-then-insert under a burst: two copies pass the check, a third replays the winner).
   * Only identical copies (the original's body): a changed body answered with a sibling's resource is
   * the fault's own judgement to make.
   */
  private amongSiblings(copy: PlannedCopy, judged: Judgement, result: Answer): Judgement {
    const identity = result.identity;
    if (judged.outcome !== 're-executed' || judged.verifiedBy !== 'identity' || identity === undefined || copy.sent?.bodySha256 !== copy.ex.bodySha256) return judged;
    const seen = this.executed.get(copy.ex);
    if (seen?.has(identity)) return { outcome: 'replayed', verifiedBy: 'identity' };
    if (seen) seen.add(identity);
    else this.executed.set(copy.ex, new Set([identity]));
    return judged;
  }

  private ownersOf(rule: CompiledRule): IdentityOwners {
    let o = this.byRule.get(rule);
    if (!o) this.byRule.set(rule, (o = new IdentityOwners()));
    return o;
  }
}

/** The logical operation: its key; without one, its body (a client's keyless retry is the same
 * operation, and a service deduplicating by body answers both with one resource). */
function operationOf(copy: PlannedCopy): string {
  return copy.ex.key ?? copy.ex.bodySha256 ?? copy.ex.id;
}

/** Object.assign rather than `{ ...a, identity: undefined }`: in Node 20's V8 a spread copy plus a
 * field is a new hidden class per object, and these run per copy (docs/benchmarks.md). */
function withoutIdentity(a: Answer): Answer {
  return a.identity === undefined ? a : Object.assign({}, a, { identity: undefined, identitySource: undefined });
}
