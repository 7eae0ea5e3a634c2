// Arming state without sockets: what a standing proxy consults. Timers are real but short.
import { expect } from 'chai';
import { Arming, ArmingConflict } from '../../../src/chaos/arming';
import { HaltSwitch } from '../../../src/chaos/halt';
import { splitBudget } from '../../../src/attach/split-budget';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rule = { name: 'r', match: { method: ['POST'], path: '/orders' }, fraction: 1, faults: [{ kind: 'replay' as const, weight: 1, copies: 1, delay: { dist: 'fixed' as const, value: 0 } }] };
const spec = (over: object = {}) => ({ runId: 'run-1', rules: [rule], seed: 9, dryRun: false, budget: { total: 2 }, windowEndMs: Date.now() + 10_000, settleMs: 1000, leaseMs: 10_000, ...over });

describe('Arming', () => {
  it('is a pass-through until armed: no rules, a budget that refuses everything', () => {
    const a = new Arming(new HaltSwitch());
    expect(a.rules).to.have.length(0);
    expect(a.budget.tryTake()).to.equal('total');
  });

  it('arms the shared rule list in place, with the run\'s seed and budget', () => {
    const a = new Arming(new HaltSwitch());
    const shared = a.rules;
    a.arm(spec());
    expect(a.rules).to.equal(shared);
    expect(shared.map((r) => r.name)).to.deep.equal(['r']);
    expect(a.seed).to.equal(9);
    expect([a.budget.tryTake(), a.budget.tryTake(), a.budget.tryTake()]).to.deep.equal(['ok', 'ok', 'total']);
    a.disarm('test');
  });

  it('refuses a second run while armed; the same run may re-arm', () => {
    const a = new Arming(new HaltSwitch());
    a.arm(spec());
    expect(() => a.arm(spec({ runId: 'run-2' }))).to.throw(ArmingConflict, /armed by run run-1/);
    expect(() => a.arm(spec())).not.to.throw();
    a.disarm('test');
  });

  it('disarms when the lease is not renewed, and renewing keeps it armed', async () => {
    const a = new Arming(new HaltSwitch());
    const reasons: string[] = [];
    a.on('disarm', (_s, reason: string) => reasons.push(reason));
    a.arm(spec({ leaseMs: 150 }));
    await sleep(100);
    a.renew('run-1', 150);
    await sleep(100);
    expect(a.state).not.to.equal(undefined);
    await sleep(120);
    expect(a.state).to.equal(undefined);
    expect(reasons).to.deep.equal(['lease expired (the arming run stopped renewing)']);
    expect(() => a.renew('run-1', 150)).to.throw(ArmingConflict, /not armed/);
  });

  it('stops injecting at the window end and disarms after settle', async () => {
    const a = new Arming(new HaltSwitch());
    a.arm(spec({ windowEndMs: Date.now() + 80, settleMs: 80 }));
    await sleep(120);
    expect(a.rules).to.have.length(0);
    expect(a.state?.injecting).to.equal(false);
    await sleep(80);
    expect(a.state).to.equal(undefined);
  });

  it('a halt disarms (cancelling pending copies through the switch); the next arm resumes', () => {
    const halt = new HaltSwitch();
    const a = new Arming(halt);
    a.arm(spec());
    halt.halt('operator');
    expect(a.state).to.equal(undefined);
    expect(a.rules).to.have.length(0);
    a.arm(spec());
    expect(halt.halted).to.equal(false);
    a.disarm('done');
    expect(halt.reason).to.equal('disarmed: done');
  });
});

describe('splitBudget', () => {
  it('never gives the replicas more than the run has', () => {
    const b = { total: 11, perSecond: 3, inFlight: 5 };
    const parts = [0, 1, 2].map((i) => splitBudget(b, 3, i));
    expect(parts.map((p) => p.total)).to.deep.equal([4, 4, 3]);
    expect(parts.map((p) => p.inFlight)).to.deep.equal([2, 2, 1]);
    expect(parts.reduce((s, p) => s + p.perSecond!, 0)).to.be.closeTo(3, 1e-9);
    expect(splitBudget({}, 2, 0)).to.deep.equal({ total: undefined, perSecond: undefined, inFlight: undefined });
  });
});
