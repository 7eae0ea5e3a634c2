import { expect } from 'chai';
import { Budget } from '../../../src/chaos/budget';
import { HaltSwitch } from '../../../src/chaos/halt';

describe('Budget', () => {
  it('stops at the total and refunds unsent copies', () => {
    const b = new Budget({ total: 3 });
    expect([b.tryTake(), b.tryTake(), b.tryTake(), b.tryTake()]).to.deep.equal(['ok', 'ok', 'ok', 'total']);
    b.refund();
    expect(b.remaining).to.equal(1);
    expect(b.tryTake()).to.equal('ok');
  });

  it('caps copies per second with a token bucket on an injected clock', () => {
    let now = 0;
    const b = new Budget({ perSecond: 2 }, () => now);
    expect([b.tryTake(), b.tryTake(), b.tryTake()]).to.deep.equal(['ok', 'ok', 'rate']);
    now = 500;
    expect(b.tryTake()).to.equal('ok');
    expect(b.tryTake()).to.equal('rate');
    now = 10_000;
    expect([b.tryTake(), b.tryTake(), b.tryTake()]).to.deep.equal(['ok', 'ok', 'rate']);
    expect(b.remaining).to.equal(Infinity);
  });

  it('a rate under one per second still sends (0.5/s: one copy every two seconds)', () => {
    let now = 0;
    const b = new Budget({ perSecond: 0.5 }, () => now);
    expect([b.tryTake(), b.tryTake()]).to.deep.equal(['ok', 'rate']);
    now = 1000;
    expect(b.tryTake()).to.equal('rate');
    now = 2000;
    expect([b.tryTake(), b.tryTake()]).to.deep.equal(['ok', 'rate']);
    now = 60_000;
    expect([b.tryTake(), b.tryTake()]).to.deep.equal(['ok', 'rate']);
  });
});

describe('HaltSwitch', () => {
  it('runs halt listeners synchronously, once, and resumes', () => {
    const h = new HaltSwitch();
    const calls: string[] = [];
    h.on('halt', (r) => calls.push(r));
    h.halt('operator');
    h.halt('again');
    expect(calls).to.deep.equal(['operator']);
    expect(h.halted).to.equal(true);
    expect(h.reason).to.equal('operator');
    h.resume();
    expect(h.halted).to.equal(false);
  });
});

describe('Budget in flight', () => {
  it('holds a slot per copy taken with inFlight until release(); other takers ignore it', () => {
    const b = new Budget({ total: 10, inFlight: 2 });
    expect([b.tryTake(true), b.tryTake(true), b.tryTake(true)]).to.deep.equal(['ok', 'ok', 'in-flight']);
    expect(b.tryTake()).to.equal('ok'); // the relay's copies do not hold slots
    b.release();
    expect(b.tryTake(true)).to.equal('ok');
    expect(b.used).to.equal(4);
  });
});
