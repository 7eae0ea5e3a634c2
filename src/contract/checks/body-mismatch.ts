// Check 3: the key reused with another body → refused (422, or 400), never a replay, never executed.
import { sendInTurn, type CheckContext } from '../context';
import { describeAnswer, differentIdentity, firstFailed, ok, probeLine, replayEvidence, result } from '../evidence';
import type { CheckResult } from '../types';

const CHECK = 'body-mismatch';

export async function bodyMismatch(ctx: CheckContext): Promise<CheckResult> {
  if (!ctx.op.body) return result(CHECK, 'not-applicable', 'the operation has no request body to change', []);
  const key = ctx.key(CHECK);
  const req = ctx.request(CHECK);
  const other = ctx.otherBody(CHECK, req);
  if (!other) return result(CHECK, 'not-applicable', 'the schema allows only one body', []);
  const { answers: [first, second], readings: [, p1, p2] } = await sendInTurn(ctx, key, [req, other]);
  const evidence = [describeAnswer('1st', first), describeAnswer('2nd (same key, another body)', second)];
  const failed = firstFailed(CHECK, first, evidence);
  if (failed) return failed;
  const delta = p1 !== undefined && p2 !== undefined ? p2 - p1 : undefined;
  if (delta !== undefined) evidence.push(probeLine(ctx.probe!.name, 'on the 2nd', delta));

  if (second.status === 422 || second.status === 400) {
    if (delta !== undefined && delta > 0) return result(CHECK, 'fail', `refused with ${second.status}, but probe ${ctx.probe!.name} grew by ${delta}`, evidence);
    return result(CHECK, 'pass', `refused with ${second.status}${delta === 0 ? ', nothing written' : ''}`, evidence);
  }
  if (ok(second)) {
    const replay = replayEvidence(second, first);
    if (replay) return result(CHECK, 'fail', `wrong replay: the changed body got the original's answer (${replay}) instead of 422`, evidence);
    if (differentIdentity(second, first) || (delta !== undefined && delta > 0)) {
      return result(CHECK, 'fail', `re-executed: the changed body ran as a new operation under the same key${second.identity ? ` (${second.identity})` : ''}`, evidence);
    }
    return result(CHECK, 'fail', `accepted with ${second.status}: a key reused with another body must be refused (422)`, evidence);
  }
  return result(CHECK, 'fail', `answered ${second.status || 'nothing'}: a key reused with another body must be refused with 422 (or 400)`, evidence);
}
