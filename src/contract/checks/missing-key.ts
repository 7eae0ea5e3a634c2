// Check 4: no key on an operation that requires one → 400, nothing written.
import { readProbe, type CheckContext } from '../context';
import { describeAnswer, probeLine, result } from '../evidence';
import type { CheckResult } from '../types';

const CHECK = 'missing-key';

export async function missingKey(ctx: CheckContext): Promise<CheckResult> {
  if (!ctx.op.keyRequired) {
    return result(CHECK, 'not-applicable', 'the spec does not require the key (a required header parameter or x-idempotency: { required: true })', []);
  }
  const req = ctx.request(CHECK);
  // A keyed probe cannot count a request without a key; the answer is the evidence then.
  const p0 = await readProbe(ctx, undefined);
  const answer = await ctx.send(req, undefined);
  const p1 = await readProbe(ctx, undefined);
  const evidence = [describeAnswer('without a key', answer)];
  const delta = p0 !== undefined && p1 !== undefined ? p1 - p0 : undefined;
  if (delta !== undefined) evidence.push(probeLine(ctx.probe!.name, 'on the request', delta));
  if (answer.status === 400) {
    if (delta !== undefined && delta > 0) return result(CHECK, 'fail', `answered 400 but probe ${ctx.probe!.name} grew by ${delta}`, evidence);
    return result(CHECK, 'pass', `refused with 400${delta === 0 ? ', nothing written' : ''}`, evidence);
  }
  const what = answer.status === 0 ? `got no answer (${answer.error})` : `answered ${answer.status}`;
  return result(CHECK, 'fail', `${what} without a key: an operation that requires one must refuse with 400`, evidence);
}
