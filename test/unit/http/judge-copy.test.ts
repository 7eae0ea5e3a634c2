import { expect } from 'chai';
import { faultDriver, type Answer } from '../../../src/faults';
import { Exchange } from '../../../src/http/exchange';
import { CopyJudge } from '../../../src/http/judge-copy';
import type { CompiledRule } from '../../../src/http/match';
import { PlannedCopy } from '../../../src/http/planned-copy';

const rule = (name: string) => ({ name, rule: { name } }) as unknown as CompiledRule;
const replay = faultDriver('replay');
const ok = (id: number | string, extra: Partial<Answer> = {}): Answer => ({ status: 201, identity: JSON.stringify({ id }), ...extra });

/** One original with `n` identical copies, sent. */
function exchange(r: CompiledRule, key: string, n = 1): PlannedCopy[] {
  const ex = new Exchange(`o-${key}`, r, 'POST', '/orders', '/orders', key);
  ex.bodySha256 = 'same';
  return Array.from({ length: n }, (_, i) => {
    const c = new PlannedCopy(ex, i, 0);
    c.sent = { sentMs: 0, key, bodySha256: 'same', attempt: undefined };
    return c;
  });
}

describe('http/judge-copy', () => {
  it('one extra write is one re-execution: identical copies naming a sibling\'s new resource replayed it', () => {
    const judge = new CopyJudge();
    const [a, b, c] = exchange(rule('r'), 'k1', 3);
    expect(judge.judge(a, replay, ok(2), ok(1))).to.deep.equal({ outcome: 're-executed', verifiedBy: 'identity' });
    expect(judge.judge(b, replay, ok(2), ok(1))).to.deep.equal({ outcome: 'replayed', verifiedBy: 'identity' });
    expect(judge.judge(c, replay, ok(3), ok(1))).to.deep.equal({ outcome: 're-executed', verifiedBy: 'identity' });
    // A changed body (key-reuse) answered with a sibling's resource is not a replay of it.
    const [d, e] = exchange(rule('r2'), 'k2', 2);
    e.sent!.bodySha256 = 'changed';
    judge.judge(d, replay, ok(5), ok(4));
    expect(judge.judge(e, replay, ok(5), ok(4)).outcome).to.equal('re-executed');
  });

  it('a copy naming another operation\'s resource (the wrong key\'s answer replayed) is a re-execution, not a repeat', () => {
    const judge = new CopyJudge();
    const r = rule('r');
    const [a] = exchange(r, 'k1');
    const [b] = exchange(r, 'k2');
    expect(judge.judge(a, replay, ok(5), ok(5)).outcome).to.equal('replayed');
    expect(judge.judge(b, replay, ok(5), ok(7))).to.deep.equal({ outcome: 're-executed', verifiedBy: 'identity' });
    const [c] = exchange(r, 'k3');
    expect(judge.judge(c, replay, ok(9), ok(9))).to.deep.equal({ outcome: 'replayed', verifiedBy: 'identity' });
  });

  it('an id that names two operations is no identity: from then on the rule is judged without it', () => {
    const judge = new CopyJudge();
    const r = rule('r');
    const store = ok('store-1');
    const [first] = exchange(r, 'k1');
    expect(judge.judge(first, replay, store, store)).to.deep.equal({ outcome: 'replayed', verifiedBy: 'identity' });
    const [second] = exchange(r, 'k2');
    expect(judge.judge(second, replay, store, store)).to.deep.equal({ outcome: 'unverified', identityIgnored: 'repeats' });
    // The replay header still proves a replay; a different value no longer proves a second write.
    const [third] = exchange(r, 'k3');
    expect(judge.judge(third, replay, ok(9, { replayedHeader: true }), ok(8))).to.deep.equal({ outcome: 'replayed', verifiedBy: 'header' });
    // Another rule keeps its own identities.
    const [other] = exchange(rule('other'), 'k2');
    expect(judge.judge(other, replay, store, store)).to.deep.equal({ outcome: 'replayed', verifiedBy: 'identity' });
  });

  it('the same operation may name its resource again and again (retries, copies, a first execution)', () => {
    const judge = new CopyJudge();
    const r = rule('r');
    const [a, b] = exchange(r, 'k1', 2);
    judge.noteExecution(a, ok(1));
    expect(judge.judge(b, replay, ok(1), ok(1)).outcome).to.equal('replayed');
    const [c] = exchange(r, 'k1');
    expect(judge.judge(c, replay, ok(1), ok(1))).to.deep.equal({ outcome: 'replayed', verifiedBy: 'identity' });
  });

  it('a replay header on an original answered before any copy is always on: ignored for the rule from then on', () => {
    const judge = new CopyJudge();
    const r = rule('r');
    const [first] = exchange(r, 'k1');
    const flagged: Answer = { status: 201, replayedHeader: true };
    first.ex.original = flagged;
    expect(judge.judge(first, replay, { status: 201, replayedHeader: true }, flagged)).to.deep.equal({ outcome: 'unverified' });
    const [second] = exchange(r, 'k2');
    second.ex.original = { status: 201, replayedHeader: true };
    expect(judge.judge(second, replay, { status: 201, replayedHeader: true }, second.ex.original)).to.deep.equal({ outcome: 'unverified' });
    // One first answer without it: the header is not always on (the first was a stray replay of a
    // key sent before the window), and it counts again.
    const [third] = exchange(r, 'k3');
    third.ex.original = { status: 201 };
    expect(judge.judge(third, replay, { status: 201, replayedHeader: true }, third.ex.original)).to.deep.equal({ outcome: 'replayed', verifiedBy: 'header' });
    // A burst copy may beat its original, which then rightly says replayed: not a sign of anything.
    const [raced] = exchange(rule('b'), 'k3');
    raced.ex.original = flagged;
    expect(judge.judge(raced, faultDriver('burst'), { status: 201, replayedHeader: true }, flagged)).to.deep.equal({ outcome: 'replayed', verifiedBy: 'header' });
  });

  it('says when an answer had only echoed ids', () => {
    const [a] = exchange(rule('r'), 'k1');
    expect(new CopyJudge().judge(a, replay, { status: 201, identityEcho: true }, { status: 201 })).to.deep.equal({ outcome: 'unverified', identityIgnored: 'echo' });
  });
});
