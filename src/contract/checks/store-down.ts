// Check 5: the dedup store down (through a link, issue "dedup-store outage") → the declared policy.
// Without a link there is no outage to cause, so the check does not apply.
import type { CheckContext } from '../context';
import { describeAnswer, result } from '../evidence';
import type { CheckResult } from '../types';

const CHECK = 'store-down';

export async function storeDown(ctx: CheckContext): Promise<CheckResult> {
  const link = ctx.link;
  if (!link) return result(CHECK, 'not-applicable', 'no dedup-store link configured: the store cannot be taken down', []);
  const key = ctx.key(CHECK);
  const req = ctx.request(CHECK);
  const answer = await link.outage(() => ctx.send(req, key));
  const evidence = [describeAnswer('with the store down', answer), `declared policy: ${link.expectStatus.join(' or ')}`];
  if (link.expectStatus.includes(answer.status)) return result(CHECK, 'pass', `answered ${answer.status} as the policy declares`, evidence);
  return result(CHECK, 'fail', `answered ${answer.status || 'nothing'} with the store down; the policy declares ${link.expectStatus.join(' or ')}`, evidence);
}
