// Check 2: N requests with one key at once → exactly one executes; the others replay it or get 409.
import { identityIsShared, readProbe, type CheckContext } from '../context';
import { describeAnswer, distinctResources, ok, probeLine, result } from '../evidence';
import type { Answer, CheckResult } from '../types';

const CHECK = 'concurrent-duplicate';

export async function concurrentDuplicate(ctx: CheckContext): Promise<CheckResult> {
  const key = ctx.key(CHECK);
  const req = ctx.request(CHECK);
  const p0 = await readProbe(ctx, key);
  const answers = await Promise.all(Array.from({ length: ctx.concurrency }, () => ctx.send(req, key)));
  const p1 = await readProbe(ctx, key);
  const evidence = [summarize(answers)];
  const successes = answers.filter(ok);
  const broken = answers.filter((a) => a.status === 0 || a.status >= 500);
  const refused = answers.filter((a) => a.status >= 400 && a.status < 500 && a.status !== 409);
  const resources = distinctResources(successes);
  if (resources.length) evidence.push(`identities: ${resources.map((a) => a.identity).join(' | ')}`);
  if (broken.length) evidence.push(...broken.slice(0, 3).map((a, i) => describeAnswer(`error ${i + 1}`, a)));

  if (p0 !== undefined && p1 !== undefined) {
    const name = ctx.probe!.name;
    const delta = p1 - p0;
    evidence.push(probeLine(name, `for ${ctx.concurrency} requests`, delta));
    const unit = ctx.learned.unit;
    if (unit !== undefined && delta > unit) {
      return result(CHECK, 'fail', `${delta / unit} executions for one key: probe ${name} grew by ${delta} (one execution is +${unit})`, evidence);
    }
    if (unit === undefined && resources.length > 1) return result(CHECK, 'fail', `${resources.length} different resources for one key`, evidence);
    if (broken.length) return result(CHECK, 'fail', `${broken.length} of ${ctx.concurrency} requests got a server error or no answer`, evidence);
    if (unit === undefined) return result(CHECK, 'inconclusive', 'the side effect of one execution is unknown (the sequential check could not measure it)', evidence);
    if (delta === 0) return result(CHECK, 'inconclusive', `probe ${name} did not move: nothing executed, or the probe lags`, evidence);
    if (resources.length > 1) return result(CHECK, 'fail', `the answers name ${resources.length} different resources for one key`, evidence);
    return result(CHECK, 'pass', `exactly one execution (probe ${name} +${delta}); the other ${ctx.concurrency - 1} replayed or got 409`, evidence);
  }

  if (resources.length > 1) return result(CHECK, 'fail', `re-executed: ${resources.length} different resources for one key`, evidence);
  if (broken.length) return result(CHECK, 'fail', `${broken.length} of ${ctx.concurrency} requests got a server error or no answer`, evidence);
  if (successes.length === 0) {
    return result(CHECK, 'inconclusive', `none of the ${ctx.concurrency} requests succeeded (${refused.length ? `refused with ${refused[0].status}` : 'all 409'})`, evidence);
  }
  if (refused.length) return result(CHECK, 'inconclusive', `${refused.length} requests were refused with ${refused[0].status}: cannot tell whether they collided`, evidence);
  const anonymous = successes.filter((a) => a.identity === undefined && !a.replayedHeader).length;
  if (successes.length === 1) return result(CHECK, 'pass', `one request succeeded; the other ${ctx.concurrency - 1} got 409`, evidence);
  if (resources.length === 1 && anonymous === 0) {
    // Replay headers on all but one prove it; otherwise the shared id must name this operation alone.
    const onIdentityAlone = successes.filter((a) => !a.replayedHeader).length > 1;
    const [named] = resources;
    if (onIdentityAlone && (await identityIsShared(ctx, named))) {
      return result(CHECK, 'inconclusive', `${successes.length} successes name ${named.identity}, and so does another operation: that field is no resource id; give the operation an x-doubletap-probe or --identity-pointer`, evidence);
    }
    return result(CHECK, 'pass', `${successes.length} successes all name the same resource; ${answers.length - successes.length} got 409`, evidence);
  }
  return result(CHECK, 'inconclusive', `${successes.length} successes without a resource identity: cannot tell how many executed; give the operation an x-doubletap-probe`, evidence);
}

function summarize(answers: Answer[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) {
    const label = a.status === 0 ? 'no answer' : a.replayedHeader ? `${a.status} replayed` : String(a.status);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return `${answers.length} at once: ${[...counts].map(([k, n]) => `${n}× ${k}`).join(', ')}`;
}
