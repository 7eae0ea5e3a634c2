// Check 5: the dedup store down (through a link, issue "dedup-store outage") → the declared policy.
// Without a link there is no outage to cause, so the check does not apply.
import { readProbe, type CheckContext } from '../context';
import { describeAnswer, probeLine, result } from '../evidence';
import type { CheckResult } from '../types';

const CHECK = 'store-down';

export async function storeDown(ctx: CheckContext): Promise<CheckResult> {
  const link = ctx.link;
  if (!link) return result(CHECK, 'not-applicable', 'no dedup-store link configured: the store cannot be taken down', []);
  const key = ctx.key(CHECK);
  const req = ctx.request(CHECK);
  const before = await readProbe(ctx, key);
  const answer = await link.outage(() => ctx.send(req, key));
  const after = await readProbe(ctx, key); // read once the store is back
  const evidence = [describeAnswer('with the store down', answer), `declared policy: ${link.policy} (${link.expectStatus.join(' or ')})`];
  const delta = before !== undefined && after !== undefined ? after - before : undefined;
  if (delta !== undefined) evidence.push(probeLine(ctx.probe!.name, 'during the outage', delta));
  if (!link.expectStatus.includes(answer.status)) {
    return result(CHECK, 'fail', `answered ${answer.status || 'nothing'} with the store down; ${link.policy} means ${link.expectStatus.join(' or ')}`, evidence);
  }
  if (link.policy === 'fail-closed' && delta !== undefined && delta > 0) {
    return result(CHECK, 'fail', `answered ${answer.status} but probe ${ctx.probe!.name} grew by ${delta}: fail-closed means no side effect`, evidence);
  }
  return result(CHECK, 'pass', `answered ${answer.status} as ${link.policy} declares${delta === 0 ? ', nothing written' : ''}`, evidence);
}
