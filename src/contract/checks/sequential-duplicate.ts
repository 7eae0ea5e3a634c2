// Check 1: the same key twice, one after the other → one side effect; the second answer is a replay.
import { identityIsShared, sendInTurn, type CheckContext } from '../context';
import { describeAnswer, differentIdentity, firstFailed, probeLine, replayEvidence, result, sameOutcome } from '../evidence';
import type { CheckResult } from '../types';

const CHECK = 'sequential-duplicate';

export async function sequentialDuplicate(ctx: CheckContext): Promise<CheckResult> {
  const key = ctx.key(CHECK);
  const req = ctx.request(CHECK);
  const { answers: [first, second], readings: [p0, p1, p2] } = await sendInTurn(ctx, key, [req, req]);
  const evidence = [describeAnswer('1st', first), describeAnswer('2nd (same key, same body)', second)];
  const failed = firstFailed(CHECK, first, evidence);
  if (failed) return failed;

  if (p0 !== undefined && p1 !== undefined && p2 !== undefined) {
    const name = ctx.probe!.name;
    const [d1, d2] = [p1 - p0, p2 - p1];
    evidence.push(probeLine(name, 'on the 1st', d1), probeLine(name, 'on the 2nd', d2));
    if (d1 > 0) ctx.learned.unit = d1;
    if (d2 > 0) return result(CHECK, 'fail', `the duplicate executed again: probe ${name} grew by ${d2} on the second request`, evidence);
    if (d1 <= 0) return result(CHECK, 'inconclusive', `probe ${name} did not move on the first request: it does not watch this operation's side effect`, evidence);
    if (differentIdentity(second, first)) return result(CHECK, 'fail', `the second answer names another resource (${second.identity}, first ${first.identity})`, evidence);
    if (!sameOutcome(second, first)) return result(CHECK, 'fail', `the second answer (${second.status}) is not a replay of the first (${first.status})`, evidence);
    return result(CHECK, 'pass', `one side effect (probe ${name} +${d1} then +0); the second answer replays the first`, evidence);
  }

  if (differentIdentity(second, first)) {
    return result(CHECK, 'fail', `re-executed: the second answer names another resource (${second.identity}, first ${first.identity})`, evidence);
  }
  if (!sameOutcome(second, first)) return result(CHECK, 'fail', `the second answer (${describeStatus(second.status)}) is not a replay of the first (${first.status})`, evidence);
  const replay = replayEvidence(second, first);
  if (replay && !second.replayedHeader && (await identityIsShared(ctx, first))) {
    evidence.push(describeAnswer('control (another key and body)', await ctx.control()));
    return result(CHECK, 'inconclusive', `the answers name ${first.identity}, and so does another operation: that field is no resource id, so equal answers prove nothing; give the operation an x-doubletap-probe or --identity-pointer`, evidence);
  }
  if (replay) return result(CHECK, 'pass', `the second answer is a replay (${replay}); no probe, so side effects were not counted`, evidence);
  return result(CHECK, 'inconclusive', 'the answers carry no resource identity and no Idempotent-Replayed header: identical answers prove nothing; give the operation an x-doubletap-probe', evidence);
}

function describeStatus(s: number): string {
  return s === 0 ? 'no answer' : String(s);
}
